"""Audit codes of the programmes app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class ProgrammesAuditCode(AuditCodes):
    PROGRAMME_LOADED = "programmes.programme.loaded", "加载培育计划定义"
    PROGRAMME_RELOADED = "programmes.programme.reloaded", "重新加载培育计划定义"
    DOCUMENT_REGISTERED = "programmes.document.registered", "登记依据文件"
    TARGET_CREATED = "programmes.target.created", "新增目标"
    TARGET_UPDATED = "programmes.target.updated", "修改目标"
    TASK_CREATED = "programmes.task.created", "新增任务"
    TASK_UPDATED = "programmes.task.updated", "修改任务"
    DOCUMENT_PUBLISHED = "programmes.document.published", "公开依据文件"
    DOCUMENT_RETIRED = "programmes.document.retired", "撤销依据文件"
    TARGET_PUBLISHED = "programmes.target.published", "公开目标"
    TARGET_RETIRED = "programmes.target.retired", "撤销目标"
    TASK_PUBLISHED = "programmes.task.published", "公开任务"
    TASK_RETIRED = "programmes.task.retired", "撤销任务"
