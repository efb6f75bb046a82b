"""The supervision app's audit codes."""

from xiandao.core.audit_codes import AuditCodes


class SupervisionAudit(AuditCodes):
    TARGET_VALUE_REPORTED = "supervision.target_value.reported", "报送目标值"
    ITEM_CREATED = "supervision.item.created", "新增年度工作事项"
    ITEM_COMPLETED = "supervision.item.completed", "工作事项办结"
    REPORT_SUBMITTED = "supervision.progress.reported", "报送任务进展"
    PART_SUBMITTED = "supervision.progress_part.reported", "报送配合单位进展"
    NOTICE_ISSUED = "supervision.notice.issued", "下达督办"
    NOTICE_ANSWERED = "supervision.notice.answered", "反馈督办"
    WARNING_EXPLAINED = "supervision.warning.explained", "预警情况说明"
    SIX_LIST_ENTRY_ADDED = "supervision.six_list.added", "六个一清单新增条目"
    SIX_LIST_ENTRY_CHANGED = "supervision.six_list.changed", "六个一清单修改条目"
    SIX_LIST_ENTRY_REMOVED = "supervision.six_list.removed", "六个一清单删除条目"
