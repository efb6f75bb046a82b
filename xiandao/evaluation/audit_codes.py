"""Audit codes of the evaluation app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class EvaluationAuditCode(AuditCodes):
    RUN_CREATED = "evaluation.run.created", "新建年度评估批次"
    RUN_STARTED = "evaluation.run.started", "开始计算年度评估"
    RUN_COMPUTED = "evaluation.run.computed", "年度评估计算完成"
    RUN_FAILED = "evaluation.run.failed", "年度评估计算失败"
    RUN_FINALISED = "evaluation.run.finalised", "确定评估等次"
    RUN_NOTICE_STARTED = "evaluation.run.notice_started", "评估结果公示"
    RUN_PUBLISHED = "evaluation.run.published", "发布评估结果"
    EVALUATOR_GRANTED = "evaluation.evaluator.granted", "委托第三方评估人员"
    GRADE_ADJUSTED = "evaluation.grade.adjusted", "调整评估等次"
    OBJECTION_RECORDED = "evaluation.objection.recorded", "登记公示异议"
    OBJECTION_ANSWERED = "evaluation.objection.answered", "答复公示异议"
    CONSEQUENCE_APPLIED = "evaluation.consequence.applied", "落实评估结果运用"
    REMOVAL_CONFIRMED = "evaluation.removal.confirmed", "确认移出创建名单"
    REMOVAL_DECLINED = "evaluation.removal.declined", "不予移出创建名单"
    SUPPORT_DELIVERED = "evaluation.support.delivered", "登记支持措施落实情况"
    PLAN_SUBMITTED = "evaluation.improvement_plan.submitted", "提交改进计划"
    SETTINGS_CHANGED = "evaluation.settings.changed", "修改评估参数"
