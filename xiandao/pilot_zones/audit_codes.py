"""Audit codes of the pilot_zones app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class PilotZonesAuditCode(AuditCodes):
    ZONE_CREATED = "pilot_zones.zone.created", "新建先导区"
    ZONE_PLACE_ADDED = "pilot_zones.zone_place.added", "登记先导区所在地"
    ZONE_DEMO_REMOVED = "pilot_zones.zone.demo_removed", "移除示例先导区"
    APPLICATION_CREATED = "pilot_zones.application.created", "新建先导区申请报告"
    APPLICATION_UPDATED = "pilot_zones.application.updated", "修改先导区申请报告"
    APPLICATION_ATTACHMENT_ADDED = "pilot_zones.application.attachment_added", "上传申报附件"
    APPLICATION_SUBMITTED = "pilot_zones.application.submitted", "提交申请报告供设区市审核"
    APPLICATION_ATTESTED = "pilot_zones.application.attested", "设区市确认材料审核"
    APPLICATION_RECOMMENDED = "pilot_zones.application.recommended", "设区市书面推荐申请报告"
    APPLICATION_ACCEPTED = "pilot_zones.application.accepted", "受理申请报告进入论证"
    APPLICATION_RETURNED = "pilot_zones.application.returned", "退回申请报告修改"
    APPLICATION_DEMO_REMOVED = "pilot_zones.application.demo_removed", "移除示例申请报告"
    APPLICATION_MOVED = "pilot_zones.application.moved", "变更申请报告状态"


# The creation lists' codes live beside their services; imported here so the catalogue finds them.
from .lists.audit_codes import ListsAuditCode  # noqa: E402, F401
