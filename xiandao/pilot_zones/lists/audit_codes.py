"""Audit codes of the creation lists and the acceptance assessment (registered through the app's ``audit_codes``)."""

from xiandao.core.audit_codes import AuditCodes


class ListsAuditCode(AuditCodes):
    LIST_CREATED = "pilot_zones.creation_list.created", "拟定创建名单"
    LIST_MOVED = "pilot_zones.creation_list.moved", "创建名单状态变更（征求意见、公示、公布）"
    LIST_APPLICATION_MOVED = "pilot_zones.list_application.moved", "名单环节变更申请报告状态"
    ENTRY_PROPOSED = "pilot_zones.list_entry.proposed", "提出拟列入名单"
    ENTRY_DECLINED = "pilot_zones.list_entry.declined", "决定不列入名单"
    OPINION_GIVEN = "pilot_zones.department_opinion.given", "省有关单位对名单提出意见"
    OBJECTION_RECORDED = "pilot_zones.objection.recorded", "登记公示异议"
    OBJECTION_ANSWERED = "pilot_zones.objection.answered", "答复公示异议"
    ZONE_LISTED = "pilot_zones.zone.listed", "公布名单：先导区列入并载入创建方案"
    ZONE_MOVED = "pilot_zones.zone.moved", "先导区状态变更（验收考核）"
