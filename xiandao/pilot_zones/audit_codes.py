"""Audit codes of the pilot_zones app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class PilotZonesAuditCode(AuditCodes):
    ZONE_CREATED = "pilot_zones.zone.created", "新建先导区"
    ZONE_PLACE_ADDED = "pilot_zones.zone_place.added", "登记先导区所在地"
    ZONE_DEMO_REMOVED = "pilot_zones.zone.demo_removed", "移除示例先导区"
    ZONE_MOVED = "pilot_zones.zone.moved", "先导区状态变更"
