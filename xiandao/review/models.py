"""The advisory committee's expert review (咨询委员会论证): the expert pool, rounds, draws, scores, opinions.

The pool belongs to a programme and is kept by its admin. A review round puts applications
under review, draws a panel at random with recusal (回避) from the pool, and collects each
panel member's declaration (回避声明) and scores on the programme's four criteria. The
committee's review opinion (论证意见) on each application is written by the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiandao.accounts.models import ExpertKind, Organisation
from xiandao.geo.models import Jurisdiction, Park
from xiandao.pilot_zones.models import Application
from xiandao.programmes.models import Programme
from xiandao.registries.models import Enterprise


class Expert(models.Model):
    """A member of the programme's expert pool (专家库): scientist, entrepreneur or investor."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="experts", verbose_name="培育计划"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_records",
        verbose_name="登录账号",
        help_text="专家登录平台使用的账号（须持有咨询委员会专家角色）",
    )
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=ExpertKind.choices)
    title = models.CharField("职务职称", max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name="工作单位",
    )
    city = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name="所在城市",
    )
    field_codes = models.JSONField("专业领域", default=list, blank=True, help_text="培育计划领域代码")
    expertise = models.CharField("研究或投资方向", max_length=300, blank=True)
    active = models.BooleanField("在库", default=True, help_text="停用的专家不参加抽取")
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ["programme", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(user__isnull=False),
                name="review_expert_user_once_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class ConflictKind(models.TextChoices):
    CITY = "city", "城市"  # 回避某设区市的申报
    PARK = "park", "园区"  # 回避某开发区、园区
    ENTERPRISE = "enterprise", "企业"  # 回避登记库中的某企业
    ORGANISATION = "organisation", "单位"  # 回避某机构


class DeclaredConflict(models.Model):
    """A conflict the expert declared (本人申报的回避): a city, a park, an enterprise or an organisation."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name="专家"
    )
    kind = models.CharField("回避对象类型", max_length=20, choices=ConflictKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="城市"
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="园区"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "申报回避"
        verbose_name_plural = "申报回避"
        ordering = ["expert", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(kind="city") & Q(jurisdiction__isnull=False))
                    | (Q(kind="park") & Q(park__isnull=False))
                    | (Q(kind="enterprise") & Q(enterprise__isnull=False))
                    | (Q(kind="organisation") & Q(organisation__isnull=False))
                ),
                name="review_declared_conflict_names_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target_name}"

    @property
    def target_name(self) -> str:
        target = self.jurisdiction or self.park or self.enterprise or self.organisation
        return str(target) if target is not None else ""


class RelationshipKind(models.TextChoices):
    EMPLOYMENT = "employment", "任职或受聘"  # 三年内
    BOARD = "board", "担任董事、监事或控股"  # 三年内
    FAMILY = "family", "亲属关系"  # 配偶、直系血亲、三代以内旁系血亲及近姻亲
    JOINT_PROJECT = "joint_project", "共同承担项目"  # 三年内
    AWARD = "award", "共同获奖"  # 三年内
    PAPER = "paper", "合作发表论文"  # 三年内
    PATENT = "patent", "共同申请专利"  # 三年内
    TEACHER_STUDENT = "teacher_student", "师生关系"  # 硕士、博士导师关系，长期回避


class Relationship(models.Model):
    """A recorded tie for the recusal rules: with an organisation, an enterprise or a named person."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="relationships", verbose_name="专家"
    )
    kind = models.CharField("关系", max_length=20, choices=RelationshipKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )
    person = models.CharField("人员", max_length=50, blank=True, help_text="亲属、师生等关系的对方姓名")
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True, help_text="留空表示仍存续")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        ordering = ["expert", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(enterprise__isnull=False) | ~Q(person=""),
                name="review_relationship_names_the_other_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.other_name}"

    @property
    def other_name(self) -> str:
        return str(self.organisation or self.enterprise or self.person)


class RoundStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"  # applications chosen, no panel yet
    DRAWN = "drawn", "已抽取"  # panel drawn; members being contacted
    SCORING = "scoring", "评审中"  # panel confirmed; experts declare and score
    CLOSED = "closed", "评审结束"  # every sheet in (or the admin closed scoring)
    PUBLISHED = "published", "结果已公布"  # results published: the panel list is no longer confidential


class ReviewRound(models.Model):
    """One review round (评审批次) of a programme: applications under review and their panel."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="review_rounds", verbose_name="培育计划"
    )
    name = models.CharField("批次名称", max_length=200)
    status = models.CharField(
        "状态", max_length=20, choices=RoundStatus.choices, default=RoundStatus.PREPARING
    )
    deadline = models.DateField("评分截止日期")
    applications: models.ManyToManyField[Application, RoundApplication] = models.ManyToManyField(
        Application, through="RoundApplication", related_name="review_rounds", verbose_name="申报"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_review_rounds",
        verbose_name="监督人",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    scores_complete_at = models.DateTimeField("评分完成时间", null=True, blank=True)
    published_at = models.DateTimeField("结果公布时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "评审批次"
        verbose_name_plural = "评审批次"
        ordering = ["programme", "-created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="review_round_name_unique")]

    def __str__(self) -> str:
        return self.name


class RoundApplication(models.Model):
    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="entries", verbose_name="批次"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="review_entries", verbose_name="申报"
    )

    class Meta:
        verbose_name = "批次申报"
        verbose_name_plural = "批次申报"
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="review_round_application_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.application}"


class Draw(models.Model):
    """The record of a round's random draw: enough to re-run it and compare (复核抽取)."""

    round = models.OneToOneField(
        ReviewRound, on_delete=models.CASCADE, related_name="draw", verbose_name="批次"
    )
    method = models.CharField("方法版本", max_length=20)
    seed = models.CharField("随机种子", max_length=64)
    pool_fingerprint = models.CharField("专家库指纹", max_length=64)
    pool_size = models.PositiveIntegerField("专家库人数")
    pool = models.JSONField("抽取时的专家库", default=list)
    conflicts = models.JSONField("回避情形", default=dict, help_text="专家编号 → 回避理由")
    filters = models.JSONField("抽取条件", default=dict)
    exclusions = models.JSONField("排除名单及理由", default=list)
    ranked = models.JSONField("排序名单", default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="抽取人"
    )
    supervised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="监督人"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = "抽取记录"

    def __str__(self) -> str:
        return f"{self.round}：种子 {self.seed}"


class DrawCheckRecord(models.Model):
    """A 复核抽取: the draw re-run from its record, and whether it matched."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="checks", verbose_name="抽取记录")
    same = models.BooleanField("结果一致")
    pool_unchanged = models.BooleanField("专家库未变")
    differences = models.JSONField("差异", default=list)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="复核人"
    )
    checked_at = models.DateTimeField("复核时间", auto_now_add=True)

    class Meta:
        verbose_name = "复核抽取"
        verbose_name_plural = "复核抽取"
        ordering = ["draw", "-checked_at"]

    def __str__(self) -> str:
        return f"{self.draw}：{'一致' if self.same else '不一致'}"


class MemberStatus(models.TextChoices):
    DRAWN = "drawn", "待联系"  # drawn onto the panel, not yet contacted
    ACCEPTED = "accepted", "已确认参加"  # contacted and agreed
    DECLINED = "declined", "不能参加"  # contacted and declined (or unreachable)
    REPLACED = "replaced", "已替换"  # replaced by a reserve
    RESERVE = "reserve", "备选"  # a ranked reserve, not called


class PanelMember(models.Model):
    """A drawn expert of a round, member or reserve, with their place in the ranked list."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="members", verbose_name="批次"
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="panel_seats", verbose_name="专家"
    )
    kind = models.CharField("类别", max_length=20, choices=ExpertKind.choices)
    rank = models.PositiveSmallIntegerField("类别内排序")
    status = models.CharField("状态", max_length=20, choices=MemberStatus.choices)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="替换"
    )

    class Meta:
        verbose_name = "评审专家组成员"
        verbose_name_plural = "评审专家组成员"
        ordering = ["round", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="review_member_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.expert}"

    @property
    def seated(self) -> bool:
        return self.status in (MemberStatus.DRAWN, MemberStatus.ACCEPTED)


class PanelEventKind(models.TextChoices):
    CONTACTED = "contacted", "联系"  # a contact and its answer
    REPLACED = "replaced", "替换"  # a member replaced by a reserve, with the reason
    CONFIRMED = "confirmed", "专家组确认"  # the panel confirmed; assignments made


class PanelEvent(models.Model):
    """One line of the draw log after the draw: each contact and its answer, each replacement with its reason."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="events", verbose_name="批次"
    )
    member = models.ForeignKey(
        PanelMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="成员",
    )
    kind = models.CharField("事项", max_length=20, choices=PanelEventKind.choices)
    answer = models.CharField("结果", max_length=20, blank=True)
    reason = models.CharField("理由或说明", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽取过程记录"
        verbose_name_plural = "抽取过程记录"
        ordering = ["round", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.reason}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待声明"  # assigned; the expert has not opened it with a declaration
    DECLARED = "declared", "评审中"  # declared no conflict (回避声明); scoring
    RECUSED = "recused", "已回避"  # the expert recused themselves
    SUBMITTED = "submitted", "已提交"  # scores submitted


class Assignment(models.Model):
    """A panel member on one application of the round."""

    member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="assignments", verbose_name="成员"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="review_assignments", verbose_name="申报"
    )
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    conflicted = models.BooleanField(
        "存在回避情形", default=False, help_text="专家库信息更新后发现的回避情形"
    )
    conflict_reasons = models.JSONField("回避理由", default=list, blank=True)
    declared_at = models.DateTimeField("声明时间", null=True, blank=True)
    recusal_reason = models.CharField("回避说明", max_length=300, blank=True)
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        verbose_name = "评审任务"
        verbose_name_plural = "评审任务"
        ordering = ["member", "application"]
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="review_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.expert} · {self.application}"


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", "建议列入创建名单"
    REVISE = "revise", "修改完善后列入"
    REJECT = "reject", "不建议列入"


class ScoreSheet(models.Model):
    """An expert's submitted scores on one application, with comments and a recommendation."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="sheet", verbose_name="评审任务"
    )
    overall = models.DecimalField("加权得分", max_digits=7, decimal_places=2)
    comments = models.TextField("评审意见")
    recommendation = models.CharField("结论建议", max_length=20, choices=Recommendation.choices)
    method = models.CharField("计分方法", max_length=20)
    rules = models.JSONField("评分规则", default=dict, help_text="提交时的量程、权重与评分细则")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"

    def __str__(self) -> str:
        return f"{self.assignment}：{self.overall}"


class ScoreLine(models.Model):
    """One criterion's (or one scoring item's) points on a sheet."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="lines", verbose_name="评分表"
    )
    code = models.CharField("方面或细则项", max_length=80)
    criterion = models.CharField("方面", max_length=20)
    points = models.DecimalField("得分", max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["sheet", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="review_score_line_once")]

    def __str__(self) -> str:
        return f"{self.code}：{self.points}"


class ReviewOpinion(models.Model):
    """The committee's review opinion (论证意见) on one application of a round, written by the admin."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="opinions", verbose_name="批次"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="review_opinions", verbose_name="申报"
    )
    text = models.TextField("论证意见")
    conclusion = models.CharField("结论", max_length=20, choices=Recommendation.choices)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="撰写人"
    )
    written_at = models.DateTimeField("撰写时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "论证意见"
        verbose_name_plural = "论证意见"
        ordering = ["round", "application"]
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="review_opinion_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.application}：{self.get_conclusion_display()}"
