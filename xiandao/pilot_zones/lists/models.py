"""The creation list and its consultation, public notice, publication, and the acceptance assessment.

Other apps' models are named by label (``"programmes.Programme"``), so this module imports none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..lifecycle import State


class ListStatus(models.TextChoices):
    """Where a creation list stands; each is the life-cycle state of its proposed applications."""

    DRAFT = "draft", "拟定中"  # the admin proposes applications from the committee's opinions
    CONSULTATION = "consultation", "征求意见中"  # 皖四(三) 征求省有关单位意见
    PUBLIC_NOTICE = "public_notice", "公示中"  # 浙: 公示（天数为计划参数）
    PUBLISHED = "published", "已公布"  # 皖四(三) 按程序公布创建名单; 浙 培育名单


#: The life-cycle state a list's proposed applications are in while the list has this status.
LIST_STATE: dict[str, State] = {
    ListStatus.DRAFT: State.PROPOSED,
    ListStatus.CONSULTATION: State.CONSULTATION,
    ListStatus.PUBLIC_NOTICE: State.PUBLIC_NOTICE,
    ListStatus.PUBLISHED: State.CREATING,
}
STATE_LIST: dict[State, str] = {state: status for status, state in LIST_STATE.items()}


class EntryDecision(models.TextChoices):
    PROPOSED = "proposed", "拟列入"  # on the draft list, from the committee's opinion
    DECLINED = "declined", "不列入"  # left off, with the reason


class OpinionStance(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_WITH_COMMENTS = "agree_with_comments", "原则同意，有修改意见"
    DISAGREE = "disagree", "不同意"


class AssessmentResult(models.TextChoices):
    PENDING = "pending", "考核中"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class ListNotificationKind(models.TextChoices):
    """The list's notifications (registered by the app's ``ready()``)."""

    CONSULTATION_OPENED = "pilot_zones.list_consultation", "创建名单征求意见"  # to the departments consulted
    LIST_PUBLISHED = "pilot_zones.list_published", "创建名单公布"  # to the cities and departments concerned
    NOTICE_STARTED = "pilot_zones.list_notice", "名单公示"  # to the cities concerned
    ACCEPTANCE = "pilot_zones.acceptance", "培育验收考核"  # to the city of the zone assessed


class CreationList(models.Model):
    """One batch of a programme's creation list (第N批), from its draft to its publication."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="creation_lists",
        verbose_name="培育计划",
    )
    batch = models.PositiveSmallIntegerField("批次")
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT)
    consulted_departments = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="creation_lists_consulted",
        verbose_name="征求意见单位",
    )
    consultation_deadline = models.DateField("意见反馈截止日期", null=True, blank=True)
    notice_starts_on = models.DateField("公示开始日期", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止日期", null=True, blank=True, help_text="含当日")
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="拟定人",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "创建名单"
        verbose_name_plural = "创建名单"
        ordering = ["programme", "-batch"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "batch"], name="pilot_zones_list_batch_unique"),
            models.CheckConstraint(
                condition=Q(notice_ends_on__isnull=True)
                | Q(notice_ends_on__gte=models.F("notice_starts_on")),
                name="pilot_zones_list_notice_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def state(self) -> State:
        """The life-cycle state the list's proposed applications are in."""
        return LIST_STATE[self.status]


class ListEntry(models.Model):
    """An application on a draft list: proposed from the committee's opinion, or declined with a reason."""

    creation_list = models.ForeignKey(
        CreationList, on_delete=models.CASCADE, related_name="entries", verbose_name="创建名单"
    )
    application = models.OneToOneField(
        "pilot_zones.Application",
        on_delete=models.PROTECT,
        related_name="list_entry",
        verbose_name="申请报告",
    )
    decision = models.CharField("意见", max_length=20, choices=EntryDecision.choices)
    opinion = models.TextField("拟列入意见或不列入理由")
    position = models.PositiveSmallIntegerField("序号", default=0)
    zone = models.OneToOneField(
        "pilot_zones.PilotZone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="list_entry",
        verbose_name="先导区",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办理人",
    )
    decided_at = models.DateTimeField("办理时间", auto_now=True)

    class Meta:
        verbose_name = "名单条目"
        verbose_name_plural = "名单条目"
        ordering = ["creation_list", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.creation_list}：{self.application}"


class DepartmentOpinion(models.Model):
    """A consulted department's opinion on the draft list, given before the deadline (revisable until then)."""

    creation_list = models.ForeignKey(
        CreationList, on_delete=models.CASCADE, related_name="opinions", verbose_name="创建名单"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    stance = models.CharField("意见", max_length=30, choices=OpinionStance.choices)
    text = models.TextField("具体意见", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="填写人",
    )
    author_name = models.CharField("填写人姓名", max_length=150)
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "部门意见"
        verbose_name_plural = "部门意见"
        ordering = ["creation_list", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["creation_list", "organisation"], name="pilot_zones_opinion_one_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}：{self.get_stance_display()}"


class Objection(models.Model):
    """An objection raised during the public notice: who, about what; answered before the list is final."""

    creation_list = models.ForeignKey(
        CreationList, on_delete=models.CASCADE, related_name="objections", verbose_name="创建名单"
    )
    entry = models.ForeignKey(
        ListEntry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections",
        verbose_name="所涉先导区",
    )
    objector = models.CharField("异议人", max_length=200, help_text="姓名或单位，及联系方式")
    content = models.TextField("异议内容")
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    answer = models.TextField("处理意见", blank=True)
    upheld = models.BooleanField("异议成立", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["creation_list", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.objector}：{self.content[:30]}"


class ListStatusChange(models.Model):
    """One move of a creation list: from, to, by which action, who, why, when."""

    creation_list = models.ForeignKey(
        CreationList, on_delete=models.CASCADE, related_name="status_changes", verbose_name="创建名单"
    )
    from_status = models.CharField("原状态", max_length=20, choices=ListStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=ListStatus.choices)
    action = models.CharField("操作", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办理人",
    )
    actor_name = models.CharField("办理人姓名", max_length=150, blank=True)
    reason = models.TextField("理由或说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "名单状态变更"
        verbose_name_plural = "名单状态变更"
        ordering = ["creation_list", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.creation_list}：{self.from_status or '—'} → {self.to_status}"


class AcceptanceAssessment(models.Model):
    """Zhejiang's 培育验收考核 of one zone: by the programme's assessor with the departments (会同相关部门)."""

    zone = models.ForeignKey(
        "pilot_zones.PilotZone",
        on_delete=models.CASCADE,
        related_name="acceptance_assessments",
        verbose_name="先导区",
    )
    assessor = models.CharField("组织单位", max_length=200, help_text="计划定义的考核单位，如省经信厅")
    departments = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="+", verbose_name="会同部门"
    )
    started_on = models.DateField("考核开始日期")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发起人",
    )
    result = models.CharField(
        "结果", max_length=20, choices=AssessmentResult.choices, default=AssessmentResult.PENDING
    )
    opinion = models.TextField("考核意见", blank=True)
    decided_on = models.DateField("结果日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )

    class Meta:
        verbose_name = "培育验收考核"
        verbose_name_plural = "培育验收考核"
        ordering = ["zone", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(result="pending"),
                name="pilot_zones_one_pending_assessment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone} 验收考核（{self.get_result_display()}）"
