"""The monitoring app's audit codes."""

from xiandao.core.audit_codes import AuditCodes


class MonitoringAudit(AuditCodes):
    PERIOD_OPENED = "monitoring.period.opened", "开启填报期"
    REPORT_CREATED = "monitoring.report.created", "创建填报报表"
    VALUE_SAVED = "monitoring.value.saved", "填报数值"
    VALUE_PUSHED = "monitoring.value.pushed", "接口报送数值"
    VALUE_CHANGED_AFTER_APPROVAL = "monitoring.value.changed_after_approval", "审定后修改数值"
    EVIDENCE_ATTACHED = "monitoring.evidence.attached", "上传佐证材料"
    REPORT_SUBMITTED = "monitoring.report.submitted", "提交报表"
    REPORT_APPROVED = "monitoring.report.approved", "审核通过报表"
    REPORT_FINAL = "monitoring.report.final", "审定报表"
    REPORT_RETURNED = "monitoring.report.returned", "退回报表"
    REPORT_URGED = "monitoring.report.urged", "催报"
    FLAG_COMMENTED = "monitoring.flag.commented", "核查提示意见"
    VALUES_IMPORTED = "monitoring.values.imported", "Excel 导入数值"
