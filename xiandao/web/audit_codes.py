"""Audit codes of the web app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class WebAuditCode(AuditCodes):
    DEMO_DATA_LOADED = "web.demo_data.loaded", "加载示例数据"
    DEMO_DATA_REMOVED = "web.demo_data.removed", "移除示例数据"
