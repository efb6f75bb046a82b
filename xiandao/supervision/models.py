"""Supervision: values reported for targets, annual work lists, task progress reports, 督办, explanations, 六个一."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from xiandao.accounts.models import Organisation
from xiandao.geo.models import Jurisdiction
from xiandao.programmes.models import Programme, Target, Task


class TargetValue(models.Model):
    """A value reported by a target's lead unit where nothing measures it (产业规模), with its evidence."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="reported_values", verbose_name="目标"
    )
    as_of = models.DateField("截至日期")
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    evidence = models.TextField("佐证（统计部门数据来源、文件文号）")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="报送单位"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="报送人"
    )
    reported_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标报送值"
        verbose_name_plural = "目标报送值"
        ordering = ["target", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["target", "as_of"], name="supervision_target_value_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.target_id} {self.as_of} {self.value}"

    def clean(self) -> None:
        if not (self.evidence or "").strip():
            raise ValidationError({"evidence": "请填写佐证：统计部门的数据来源或文件文号。"})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": "数值不能为负。"})


class WorkItem(models.Model):
    """An item of an annual work list (年度工作清单): of a task (departments) or of a city (its zones)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="work_items", verbose_name="培育计划"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="work_items", verbose_name="任务"
    )
    city = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="设区市",
        help_text="市政府年度工作清单的事项",
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("工作事项", max_length=300)
    due = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "年度工作事项"
        verbose_name_plural = "年度工作事项"
        ordering = ["programme", "year", "due", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(city__isnull=False), name="supervision_item_task_or_city"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.task_id is None and self.city_id is None:
            raise ValidationError("工作事项须属于一项任务或一个设区市的年度工作清单。")
        if self.due and self.year and self.due.year not in (self.year, self.year + 1):
            raise ValidationError({"due": "完成时限应在该年度内（或次年初）。"})


class ProgressReport(models.Model):
    """A lead unit's progress report on a task for a year (cooperating units add their parts)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="progress_reports", verbose_name="任务"
    )
    year = models.PositiveSmallIntegerField("年度")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    summary = models.TextField("进展情况")
    completion = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    problems = models.TextField("存在问题", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="报送人"
    )
    reported_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "任务进展报告"
        verbose_name_plural = "任务进展报告"
        ordering = ["task", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "year", "organisation"], name="supervision_report_unique"
            ),
            models.CheckConstraint(
                condition=Q(completion__lte=100), name="supervision_report_completion_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.summary[:30]}"

    def clean(self) -> None:
        if not (self.summary or "").strip():
            raise ValidationError({"summary": "请填写进展情况。"})
        if self.completion is not None and self.completion > 100:
            raise ValidationError({"completion": "完成进度应在0至100之间。"})


class ProgressPart(models.Model):
    """A cooperating unit's part of a progress report."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="parts", verbose_name="进展报告"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="配合单位"
    )
    text = models.TextField("配合工作情况")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="报送人"
    )
    reported_at = models.DateTimeField("报送时间", auto_now=True)

    class Meta:
        verbose_name = "配合单位进展"
        verbose_name_plural = "配合单位进展"
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="supervision_part_unique")
        ]

    def __str__(self) -> str:
        return self.text[:30]


class SupervisionNotice(models.Model):
    """A supervision notice (督办) on an overdue work item; the responsible unit answers it."""

    item = models.ForeignKey(
        WorkItem, on_delete=models.CASCADE, related_name="notices", verbose_name="工作事项"
    )
    text = models.TextField("督办意见")
    respond_by = models.DateField("反馈时限")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="督办人"
    )
    issued_at = models.DateTimeField("督办时间", auto_now_add=True)
    answer = models.TextField("反馈", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="反馈人",
    )
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(answered_at__isnull=True),
                name="supervision_one_open_notice_per_item",
            )
        ]

    def __str__(self) -> str:
        return self.text[:30]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class WarningExplanation(models.Model):
    """A recorded explanation that closes one warning (by its key)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name="培育计划"
    )
    key = models.CharField("预警标识", max_length=200)
    text = models.TextField("情况说明")
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="说明人"
    )
    explained_at = models.DateTimeField("说明时间", auto_now_add=True)

    class Meta:
        verbose_name = "预警情况说明"
        verbose_name_plural = "预警情况说明"
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="supervision_explanation_unique")
        ]

    def __str__(self) -> str:
        return self.key


class SixList(models.TextChoices):
    """Fuzhou's six lists per industry (六个一, 五(一)), named as the document names them."""

    ENTERPRISES = (
        "enterprises",
        "龙头企业和“隐形冠军”企业清单",
    )  # registry enterprises tagged so, plus additions
    INVESTMENT = "investment", "招商引资清单"  # target enterprises and the regions they are sought in
    PROJECTS = "projects", "重点投资项目清单"  # registry projects, plus additions
    INNOVATION = "innovation", "科技创新体系"  # registry platforms, plus additions
    POLICIES = "policies", "政策工具包"  # measures with the document that carries them
    ADVISORS = "advisors", "战略咨询支撑机构"  # the advisory bodies supporting the industry


class SixListEntry(models.Model):
    """An entry a Fuzhou industry's responsible unit keeps in one of its six lists (the rest come from the registries)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name="培育计划"
    )
    field_code = models.SlugField("产业（领域编码）", max_length=80)
    list_kind = models.CharField("清单", max_length=20, choices=SixList.choices)
    name = models.CharField("名称", max_length=300)
    region = models.CharField(
        "目标地区", max_length=100, blank=True, help_text="招商引资清单：目标企业所在地区"
    )
    document = models.CharField(
        "政策文件", max_length=300, blank=True, help_text="政策工具包：措施所在文件及文号"
    )
    detail = models.TextField("说明", blank=True)
    keeper = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="维护单位"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    # Raised by every edit: a page or API client sends the version it read, a stale one is refused.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "六个一清单条目"
        verbose_name_plural = "六个一清单条目"
        ordering = ["programme", "field_code", "list_kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "field_code", "list_kind", "name"],
                name="supervision_six_list_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.name or "").strip():
            raise ValidationError({"name": "请填写名称。"})
        if self.list_kind == SixList.INVESTMENT and not (self.region or "").strip():
            raise ValidationError({"region": "招商引资清单须填写目标地区。"})
        if self.list_kind == SixList.POLICIES and not (self.document or "").strip():
            raise ValidationError({"document": "政策工具包须填写政策文件（名称或文号）。"})
