"""Statistical monitoring (统计监测): periods, zones' reports, each value with every version, flags.

A report is one zone's figures for one period. It passes the programme's approval chain
(``Programme.monitoring['approval_chain']``): the first level fills it in and submits, each
further level approves it or returns it; the last level's approval locks it. A value changed
after approval keeps every earlier version (``ValueVersion``) and sends the report round the
chain again; ``ReportValue.approved_version`` says which version was approved, so a value
approved once and changed later is never counted as approved.

The city (and county) a report belongs to is taken from the zone's places as of the period's
end when the report is created, so history is never re-assigned when divisions change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiandao.core.files import attachment_storage
from xiandao.geo.models import Jurisdiction
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Programme


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", "年度"
    QUARTERLY = "quarterly", "季度"


class ReportingPeriod(models.Model):
    """A period a programme's zones report for: a year, or a quarter of it (``quarter`` 1–4)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name="培育计划"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", default=0, help_text="0：年度填报")
    deadline = models.DateField("截止日期")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="开启人",
    )
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "填报期"
        verbose_name_plural = "填报期"
        ordering = ["programme", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "quarter"], name="monitoring_period_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="monitoring_period_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name} {self.label}"

    @property
    def label(self) -> str:
        """2025年 or 2025年第3季度, as UI.md writes periods."""
        return f"{self.year}年第{self.quarter}季度" if self.quarter else f"{self.year}年"

    @property
    def kind(self) -> str:
        return PeriodKind.QUARTERLY if self.quarter else PeriodKind.ANNUAL


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "填报中"
    RETURNED = "returned", "已退回"
    PENDING = "pending", "审核中"  # waiting at ``stage`` of the approval chain
    APPROVED = "approved", "已审定"  # the last level approved it: locked


class Report(models.Model):
    """One zone's report for one period."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="reports", verbose_name="填报期"
    )
    zone = models.ForeignKey(
        PilotZone, on_delete=models.CASCADE, related_name="reports", verbose_name="先导区"
    )
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    stage = models.PositiveSmallIntegerField(
        "审核环节", default=0, help_text="审核链中正在等待的层级序号：0 为填报，1 起为各审核层级"
    )
    city = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所在设区市",
    )
    county = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所在县（市、区）",
    )
    submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    changes_since_approval = models.PositiveIntegerField("审定后修改次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "填报报表"
        verbose_name_plural = "填报报表"
        ordering = ["period", "zone"]
        constraints = [models.UniqueConstraint(fields=["period", "zone"], name="monitoring_report_unique")]
        indexes = [models.Index(fields=["status", "stage"], name="monitoring_report_state")]

    def __str__(self) -> str:
        return f"{self.zone.name} · {self.period.label}"

    @property
    def locked(self) -> bool:
        return self.status == ReportStatus.APPROVED


class ValueSource(models.TextChoices):
    ZONE = "zone", "先导区自报"
    STATISTICS_BUREAU = "statistics_bureau", "统计部门"
    THIRD_PARTY = "third_party", "第三方机构"
    REGISTRY = "registry", "登记库计数"  # counted from the registries, read-only


class ReportValue(models.Model):
    """The current version of one figure of a report: an indicator's total (``category`` empty) or one category of it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values", verbose_name="报表")
    indicator_code = models.SlugField("指标编码", max_length=80)
    category = models.SlugField("分类", max_length=80, blank=True, help_text="空：合计")
    value = models.DecimalField("数值", max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField(
        "数据来源", max_length=20, choices=ValueSource.choices, default=ValueSource.ZONE
    )
    comment = models.TextField("说明", blank=True, help_text="缺报时必须说明原因")
    version = models.PositiveIntegerField("版本", default=1)
    approved_version = models.PositiveIntegerField("已审定的版本", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="填报人",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "填报数值"
        verbose_name_plural = "填报数值"
        ordering = ["report", "indicator_code", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator_code", "category"], name="monitoring_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code}{'/' + self.category if self.category else ''} = {self.value}"

    @property
    def approved(self) -> bool:
        """Approved as it stands: the version the last level approved is the current one."""
        return self.approved_version is not None and self.approved_version == self.version


class ValueVersion(models.Model):
    """Every version of every value, with who and when; never changed or deleted."""

    value = models.ForeignKey(
        ReportValue, on_delete=models.CASCADE, related_name="versions", verbose_name="数值"
    )
    version = models.PositiveIntegerField("版本")
    number = models.DecimalField("数值", max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField("数据来源", max_length=20, choices=ValueSource.choices)
    comment = models.TextField("说明", blank=True)
    reason = models.TextField("修改原因", blank=True, help_text="审定后修改必须说明原因")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="修改人",
    )
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)
    report_status = models.CharField("修改时报表状态", max_length=20, choices=ReportStatus.choices)

    class Meta:
        verbose_name = "数值版本"
        verbose_name_plural = "数值版本"
        ordering = ["value", "version"]
        constraints = [models.UniqueConstraint(fields=["value", "version"], name="monitoring_version_unique")]

    def __str__(self) -> str:
        return f"v{self.version} {self.number}"


class Evidence(models.Model):
    """A file that supports a value (statistics sheet, certificate, audit report)."""

    value = models.ForeignKey(
        ReportValue, on_delete=models.CASCADE, related_name="evidence", verbose_name="数值"
    )
    file = models.FileField("文件", storage=attachment_storage, max_length=300)
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["value", "uploaded_at"]

    def __str__(self) -> str:
        return self.name


class StepAction(models.TextChoices):
    SUBMITTED = "submitted", "提交"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回"
    FINAL = "final", "审定"
    REOPENED = "reopened", "审定后修改"


class ReportStep(models.Model):
    """One move of a report through its chain, for the step bar (流程进度) and the history."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps", verbose_name="报表")
    action = models.CharField("操作", max_length=20, choices=StepAction.choices)
    level = models.CharField("层级", max_length=20)
    stage = models.PositiveSmallIntegerField("环节")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.get_action_display()}"


class FlagKind(models.TextChoices):
    RULE = "rule", "校验规则"
    YEAR_ON_YEAR = "year_on_year", "同比异常"
    PEER = "peer", "同类比较异常"
    MISSING = "missing", "缺报"


class FlagImportance(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "警告"


class Flag(models.Model):
    """A check's finding on a report, kept for follow-up with a comment thread; ``active`` while it still holds."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="flags", verbose_name="报表")
    key = models.CharField(
        "标识", max_length=200, help_text="同一报表内唯一：rule:<规则>、yoy:<指标>、peer:<指标>"
    )
    kind = models.CharField("类型", max_length=20, choices=FlagKind.choices)
    importance = models.CharField("重要性", max_length=20, choices=FlagImportance.choices)
    indicator_code = models.SlugField("指标编码", max_length=80, blank=True)
    message = models.TextField("提示")
    active = models.BooleanField("仍然存在", default=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "核查提示"
        verbose_name_plural = "核查提示"
        ordering = ["report", "-active", "importance", "key"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="monitoring_flag_unique")]

    def __str__(self) -> str:
        return self.message


class FlagComment(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="comments", verbose_name="提示")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="发言人"
    )
    text = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "核查意见"
        verbose_name_plural = "核查意见"
        ordering = ["flag", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
