"""Audit codes of the geo app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class GeoAuditCode(AuditCodes):
    REFERENCE_LOADED = "geo.reference.loaded", "加载行政区划与园区基础数据"
    PARK_RELOCATED = "geo.park.relocated", "调整园区所在行政区"
