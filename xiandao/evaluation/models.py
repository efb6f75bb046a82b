"""Annual evaluation runs: the frozen snapshot, the stored results, adjustments and consequences.

A run (评估批次) belongs to one programme and one year. It freezes everything it reads into
``snapshot`` (values, targets, framework, method, engine version, lock-file hash), so that the
results it stored can be rebuilt from it years later; the stored figures are decimals rounded
half-up, as shown. Grades are adjusted only with a reason, and every adjustment stays. The
consequences publication applies (改进意见、观察期、移出、支持、推荐、认定、加分) are rows here,
each also a life-cycle move of the zone through ``pilot_zones.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from xiandao.geo.models import Jurisdiction
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Programme


class RunStatus(models.TextChoices):
    DRAFT = "draft", "待计算"  # created, snapshot frozen, not yet computed
    RUNNING = "running", "计算中"  # the job is running
    COMPUTED = "computed", "已计算"  # results stored; adjustments possible
    FAILED = "failed", "计算失败"  # the engine refused the data or the method
    FINALISED = "finalised", "等次已确定"  # the admin fixed the grades
    PUBLIC_NOTICE = "public_notice", "公示中"  # 公示, objections recorded and answered
    PUBLISHED = "published", "已发布"  # consequences applied; nothing changes any more


class EvaluationSettings(models.Model):
    """A programme's evaluation parameters not in its definition file: publicity of grades, 公示, draws."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="evaluation_settings", verbose_name="培育计划"
    )
    grades_public = models.BooleanField("评估等次向社会公开", default=True)
    public_notice_days = models.PositiveSmallIntegerField(
        "发布前公示天数", null=True, blank=True, help_text="留空表示发布前不公示"
    )
    draws = models.PositiveIntegerField("蒙特卡洛抽样次数", default=1000)
    creation_years = models.PositiveSmallIntegerField(
        "创建期（年）", default=3, help_text="先导区无创建方案起止年份时，按此推算创建期末"
    )

    class Meta:
        verbose_name = "评估参数"
        verbose_name_plural = "评估参数"

    def __str__(self) -> str:
        return f"{self.programme} 评估参数"

    def clean(self) -> None:
        if self.public_notice_days is not None and self.public_notice_days < 1:
            raise ValidationError({"public_notice_days": "公示天数须为正整数"})
        if self.draws < 10 or self.draws > 20000:
            raise ValidationError({"draws": "抽样次数须在10到20000之间"})


class EvaluationRun(models.Model):
    """One annual evaluation of a programme's zones (评估批次)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="evaluation_runs", verbose_name="培育计划"
    )
    year = models.PositiveSmallIntegerField("评估年度")
    status = models.CharField("状态", max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    approved_only = models.BooleanField(
        "仅依据已审核数据", default=False, help_text="部分先导区的填报尚未审核，本批次只用已审核的数据"
    )
    unapproved = models.JSONField("未审核的填报", default=list, blank=True)
    snapshot = models.TextField("数据快照（JSON）")
    snapshot_sha256 = models.CharField("快照摘要", max_length=64)
    method_version = models.CharField("评价方法版本", max_length=60)
    lock_sha256 = models.CharField("依赖锁定文件摘要", max_length=64)
    results = models.TextField("引擎结果（JSON）", blank=True)
    results_sha256 = models.CharField("结果摘要", max_length=64, blank=True)
    sensitivity = models.JSONField("方法敏感性（Sobol）", default=dict, blank=True)
    error = models.TextField("计算失败原因", blank=True)
    job = models.ForeignKey(
        "core.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="后台任务",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    computed_at = models.DateTimeField("计算完成时间", null=True, blank=True)
    finalised_at = models.DateTimeField("等次确定时间", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确定人",
    )
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示结束", null=True, blank=True, help_text="含当日")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="发布人",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "年度评估批次"
        verbose_name_plural = "年度评估批次"
        ordering = ["programme", "-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                condition=Q(status="published"),
                name="evaluation_one_published_run_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} {self.year}年度评估"

    @property
    def is_published(self) -> bool:
        return self.status == RunStatus.PUBLISHED

    @property
    def has_results(self) -> bool:
        return self.status in {
            RunStatus.COMPUTED,
            RunStatus.FINALISED,
            RunStatus.PUBLIC_NOTICE,
            RunStatus.PUBLISHED,
        }


class RunEvaluator(models.Model):
    """A third-party evaluator entrusted with one run for a span of dates (the run's time-boxed scope)."""

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="evaluators", verbose_name="评估批次"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="第三方评估人员"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", help_text="含当日")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="委托人"
    )
    granted_at = models.DateTimeField("委托时间", auto_now_add=True)

    class Meta:
        verbose_name = "受托评估人员"
        verbose_name_plural = "受托评估人员"
        ordering = ["run", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="evaluation_evaluator_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.run}"


class ZoneResult(models.Model):
    """One zone's result in a run, as stored: figures rounded half-up, the grade and why."""

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="zone_results", verbose_name="评估批次"
    )
    zone = models.ForeignKey(
        PilotZone, on_delete=models.PROTECT, related_name="evaluation_results", verbose_name="先导区"
    )
    zone_name = models.CharField("先导区名称（快照）", max_length=200)
    composite = models.DecimalField("综合得分", max_digits=12, decimal_places=2, null=True)
    index = models.DecimalField("绩效指数", max_digits=12, decimal_places=2, null=True)
    rank = models.PositiveIntegerField("排名", null=True)
    proposed_grade = models.CharField("引擎等次", max_length=10, blank=True)
    final_grade = models.CharField("最终等次", max_length=10, blank=True)
    reasons = models.JSONField("定档依据", default=list)
    overall_attainment = models.DecimalField("目标总体达成度", max_digits=7, decimal_places=4, null=True)
    attainment = models.JSONField("各指标目标达成度", default=dict)
    nodes = models.JSONField("各级得分", default=dict)
    indicator_scores = models.JSONField("各指标得分", default=dict)
    change_previous = models.DecimalField("较上年变化", max_digits=12, decimal_places=2, null=True)
    strengths = models.JSONField("优势指标", default=list)
    weaknesses = models.JSONField("短板指标", default=list)
    probabilities = models.JSONField("等次概率", default=dict)
    rank_low = models.DecimalField("排名区间下限", max_digits=7, decimal_places=1, null=True)
    rank_high = models.DecimalField("排名区间上限", max_digits=7, decimal_places=1, null=True)
    path_to_next = models.JSONField("提档路径", default=dict, blank=True)
    removal_risk = models.JSONField("移出风险", default=dict, blank=True)

    class Meta:
        verbose_name = "先导区评估结果"
        verbose_name_plural = "先导区评估结果"
        ordering = ["run", "rank", "zone_name"]
        constraints = [models.UniqueConstraint(fields=["run", "zone"], name="evaluation_result_zone_once")]

    def __str__(self) -> str:
        return f"{self.zone_name} {self.run.year} {self.final_grade or self.proposed_grade}"

    @property
    def grade(self) -> str:
        return self.final_grade or self.proposed_grade

    @property
    def adjusted(self) -> bool:
        return bool(self.final_grade) and self.final_grade != self.proposed_grade


class GradeAdjustment(models.Model):
    """A change of a zone's grade with its written reason; rows are only ever added (kept forever)."""

    result = models.ForeignKey(
        ZoneResult, on_delete=models.PROTECT, related_name="adjustments", verbose_name="评估结果"
    )
    from_grade = models.CharField("调整前等次", max_length=10)
    to_grade = models.CharField("调整后等次", max_length=10)
    reason = models.TextField("理由")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="调整人"
    )
    role = models.CharField("身份", max_length=30)
    at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        verbose_name = "等次调整"
        verbose_name_plural = "等次调整"
        ordering = ["result", "at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="evaluation_adjustment_reason")]

    def __str__(self) -> str:
        return f"{self.from_grade}→{self.to_grade}"


class Objection(models.Model):
    """An objection raised during the 公示, and its answer."""

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="objections", verbose_name="评估批次"
    )
    result = models.ForeignKey(
        ZoneResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name="涉及先导区",
    )
    raised_by = models.CharField("异议人", max_length=200)
    text = models.TextField("异议内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
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
        ordering = ["run", "recorded_at"]

    def __str__(self) -> str:
        return self.text[:40]


class ConsequenceKind(models.TextChoices):
    IMPROVEMENT_OPINION = "improvement_opinion", "改进意见"
    PLAN_SUPPORT = "plan_support", "支持完善创建方案"
    IMPROVEMENT_PLAN = "improvement_plan", "改进计划"
    OBSERVATION = "observation", "观察期、包容期"
    REMOVAL = "removal", "移出创建名单"
    SUPPORT = "support", "要素保障、政策投入"
    NATIONAL = "national", "优先推荐争创国家级"
    RECOGNITION = "recognition", "正式认定"
    CLUSTER_PLAN = "cluster_plan", "滚动制定产业集群创建方案"
    CITY_BONUS = "city_bonus", "所在设区市目标管理绩效考核加分"


class ConsequenceStatus(models.TextChoices):
    OPEN = "open", "待落实"
    PROPOSED = "proposed", "待确认"  # the removal, proposed to the admin
    DONE = "done", "已落实"
    DECLINED = "declined", "不予移出"


class Consequence(models.Model):
    """What a published grade brings one zone (皖四(四)), with its dates and its follow-up."""

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.PROTECT, related_name="consequences", verbose_name="评估批次"
    )
    result = models.ForeignKey(
        ZoneResult, on_delete=models.PROTECT, related_name="consequences", verbose_name="评估结果"
    )
    kind = models.CharField("类别", max_length=30, choices=ConsequenceKind.choices)
    status = models.CharField(
        "状态", max_length=20, choices=ConsequenceStatus.choices, default=ConsequenceStatus.OPEN
    )
    text = models.TextField("内容", blank=True)
    details = models.JSONField("明细", default=dict, blank=True)
    due = models.DateField("截止日期", null=True, blank=True)
    second_due = models.DateField("第二截止日期", null=True, blank=True, help_text="包容期结束")
    city = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所在设区市",
    )
    points = models.DecimalField("加分", max_digits=6, decimal_places=2, null=True, blank=True)
    response = models.TextField("落实情况或理由", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办理人",
    )
    responded_at = models.DateTimeField("办理时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "评估结果运用"
        verbose_name_plural = "评估结果运用"
        ordering = ["run", "result", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.result.zone_name} · {self.get_kind_display()}"
