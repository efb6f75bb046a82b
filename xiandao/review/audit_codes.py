"""Audit codes of the review app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class ReviewAuditCode(AuditCodes):
    EXPERT_CREATED = "review.expert.created", "专家入库"
    EXPERT_UPDATED = "review.expert.updated", "修改专家信息"
    CONFLICT_ADDED = "review.conflict.added", "登记专家申报回避"
    CONFLICT_REMOVED = "review.conflict.removed", "删除专家申报回避"
    RELATIONSHIP_ADDED = "review.relationship.added", "登记专家回避关系"
    RELATIONSHIP_REMOVED = "review.relationship.removed", "删除专家回避关系"
    ROUND_CREATED = "review.round.created", "新建评审批次"
    DRAW_RUN = "review.draw.run", "随机抽取评审专家"
    DRAW_CHECKED = "review.draw.checked", "复核抽取"
    MEMBER_CONTACTED = "review.member.contacted", "联系抽取专家"
    MEMBER_REPLACED = "review.member.replaced", "替换评审专家"
    PANEL_CONFIRMED = "review.panel.confirmed", "确认评审专家组"
    ASSIGNMENT_DECLARED = "review.assignment.declared", "专家声明无利益冲突"
    ASSIGNMENT_RECUSED = "review.assignment.recused", "专家申请回避"
    ASSIGNMENT_CONFLICTED = "review.assignment.conflicted", "发现评审任务回避情形"
    SCORE_SUBMITTED = "review.score.submitted", "提交评分"
    ROUND_CLOSED = "review.round.closed", "结束评分"
    OPINION_WRITTEN = "review.opinion.written", "撰写论证意见"
    ROUND_PUBLISHED = "review.round.published", "公布评审结果"
    DEMO_REMOVED = "review.demo.removed", "移除示例评审数据"
