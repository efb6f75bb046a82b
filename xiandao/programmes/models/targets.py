"""The documents' targets and tasks, each tied to its document and quote.

Targets carry the keys of ``policies/LABELLING.md`` plus their basis and measure. Tasks keep
every responsible unit exactly as written (:class:`TaskUnit`) and resolve it to organisation
records: one for a named department, many for a collective phrase such as 各市人民政府, none
where the phrase names units the document does not list (先导区所在的开发区).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from xiandao.accounts.models import Organisation
from xiandao.programmes.definition.invariants import (
    METRIC_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    UNIT_MAX_LENGTH,
    TargetFacts,
    TaskFacts,
    target_issues,
    task_issues,
)

from .programme import PolicyDocument, Programme, RecordQuerySet, issues_raise, status_field


class Qualifier(models.TextChoices):
    ABOUT = "about", "左右"  # 左右
    AT_LEAST = "at_least", "以上"  # 以上, 超过, 不少于
    STRIVE = "strive", "力争"  # 力争 with no other qualifier
    EXCEED = "exceed", "突破"  # 突破
    EXACTLY = "exactly", "确数"  # a bare number


class TargetScope(models.TextChoices):
    PROVINCE = "province", "全省"  # the whole province
    CITY = "city", "全市"  # a city
    ZONE = "zone", "先导区合计"  # the programme's pilot zones taken together
    NATIONAL = "national", "全国"  # national


class Basis(models.TextChoices):
    STOCK = "stock", "存量"  # a level standing at the deadline
    INCREMENT = "increment", "新增"  # new items made during the programme
    CUMULATIVE = "cumulative", "累计"  # the clause says 累计


class Target(models.Model):
    """A numbered goal of a document."""

    # Provenance: which document and words a target comes from change only through the services
    # (loading, confirmation); the back office shows them read-only (`AuditedModelAdmin`).
    RULE_BOUND_FIELDS = ("programme", "code", "document", "quote")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name="培育计划"
    )
    code = models.SlugField("目标编码", max_length=80)
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="targets", verbose_name="依据文件"
    )
    year = models.PositiveSmallIntegerField("目标年份", null=True, blank=True)
    metric = models.CharField("指标", max_length=METRIC_MAX_LENGTH)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=6)
    unit = models.CharField("单位", max_length=UNIT_MAX_LENGTH, blank=True)
    qualifier = models.CharField("限定", max_length=20, choices=Qualifier.choices)
    strive = models.BooleanField("力争", default=False)
    cumulative = models.BooleanField("累计", default=False)
    scope = models.CharField("范围", max_length=20, choices=TargetScope.choices)
    quote = models.TextField("原文")
    basis = models.CharField("计数口径", max_length=20, choices=Basis.choices)
    measure = models.CharField(
        "计量方式",
        max_length=100,
        blank=True,
        help_text="指标体系中的指标编码，或 registry:<登记库>[:<标签>]",
    )
    field_code = models.SlugField("领域编码", max_length=80, blank=True)
    note = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    # Retired by the admin (never deleted): from this year on it no longer counts; earlier years keep it.
    retired_from = models.PositiveSmallIntegerField("停用年度", null=True, blank=True)
    retired_reason = models.TextField("停用理由", blank=True)
    status = status_field()

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_target_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year or '—'}年 {self.metric} {self.value_display}{self.unit}"

    def facts(self) -> TargetFacts:
        """Its values as the entity rules read them."""
        return TargetFacts.of(self, field=self.field_code)

    def clean(self) -> None:
        """The target's rules (``invariants.target_issues``), as the loader and confirmation apply them."""
        if self.programme_id is None or self.value is None:
            return
        if self.document_id is not None and self.document.programme_id != self.programme_id:
            raise ValidationError({"document": "依据文件须属于本培育计划。"})
        issues_raise(target_issues(self.facts(), self.programme.frame()), {"field": "field_code"})

    @property
    def value_display(self) -> str:
        """The value without trailing zeros: 1000, 1.5."""
        value = self.value
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value.normalize(), "f")


class TaskKind(models.TextChoices):
    HEADING = "heading", "任务分组"  # an action or section heading that groups tasks
    TASK = "task", "任务"  # a task with responsible units


class Task(models.Model):
    """A task of a document (or the heading that groups tasks: action → task → sub-task)."""

    RULE_BOUND_FIELDS = ("programme", "code", "document", "quote", "article")  # provenance

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tasks", verbose_name="培育计划"
    )
    code = models.SlugField("任务编码", max_length=80)
    kind = models.CharField("类型", max_length=20, choices=TaskKind.choices, default=TaskKind.TASK)
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="tasks", verbose_name="依据文件"
    )
    title = models.CharField("任务", max_length=TITLE_MAX_LENGTH, help_text="任务的标题或首句，照录原文")
    quote = models.TextField("原文", blank=True, help_text="写明责任单位的括注或句子，照录原文")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级",
    )
    article = models.CharField("条款", max_length=100, blank=True)
    field_codes = models.JSONField("相关领域编码", default=list, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    # Retired by the admin (never deleted): from this year on it no longer counts; earlier years keep it.
    retired_from = models.PositiveSmallIntegerField("停用年度", null=True, blank=True)
    retired_reason = models.TextField("停用理由", blank=True)
    status = status_field()

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_task_code_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def units_by_role(self) -> dict[str, list[TaskUnit]]:
        """Its units, lead then cooperating, each in the document's order (uses prefetched ``units``)."""
        by_role: dict[str, list[TaskUnit]] = {UnitRole.LEAD: [], UnitRole.COOPERATING: []}
        for unit in sorted(self.units.all(), key=lambda u: u.position) if self.pk else []:
            by_role.setdefault(unit.role, []).append(unit)
        return by_role

    def facts(self, *, lead: tuple[str, ...] | None = None, cooperating: tuple[str, ...] = ()) -> TaskFacts:
        """Its values as the entity rules read them; ``lead`` None means the saved units."""
        if lead is None:
            units = self.units_by_role()
            lead = tuple(u.written for u in units[UnitRole.LEAD])
            cooperating = tuple(u.written for u in units[UnitRole.COOPERATING])
        return TaskFacts(
            title=self.title,
            quote=self.quote,
            lead=lead,
            cooperating=cooperating,
            fields=tuple(self.field_codes or ()),
        )

    def clean(self, *, lead: tuple[str, ...] | None = None) -> None:
        """A task's rules (``invariants.task_issues``); a heading only needs its name.

        The units are rows of their own, so a form that edits them passes ``lead`` as entered;
        without it the lead rule is left to whoever writes the units.
        """
        if self.programme_id is None:
            return
        if self.document_id is not None and self.document.programme_id != self.programme_id:
            raise ValidationError({"document": "依据文件须属于本培育计划。"})
        if self.parent_id is not None and self.parent is not None:
            if self.parent.programme_id != self.programme_id:
                raise ValidationError({"parent": "上级任务须属于本培育计划。"})
            ancestor: Task | None = self.parent
            while ancestor is not None:
                if self.pk is not None and ancestor.pk == self.pk:
                    raise ValidationError({"parent": f"上级任务形成循环（{self.code} → {self.parent.code}）"})
                ancestor = ancestor.parent
        if self.kind == TaskKind.HEADING:
            return
        issues = task_issues(self.facts(lead=lead or ()), self.programme.frame())
        if lead is None:
            issues.pop("lead", None)
        issues_raise(issues, {"task": "title", "fields": "field_codes", "lead": "__all__"})


class UnitRole(models.TextChoices):
    LEAD = "lead", "牵头（责任）单位"  # 责任单位, 牵头
    COOPERATING = "cooperating", "配合单位"  # 配合单位


class FanOut(models.TextChoices):
    """How a collective phrase (accounts/reference/organisations.yaml) stands for many units."""

    CITY = "city", "各设区市"  # one per city of the programme's province
    COUNTY = "county", "各县（市、区）"  # one per county of the programme's city
    PARK = "park", "各园区"  # one committee per park of the jurisdiction
    HOST_PARK = "host_park", "先导区所在开发区"  # decided by each zone's host park, not at loading
    TASK_FORCE_MEMBERS = "task_force_members", "工作专班成员单位"  # the document lists none


class TaskUnit(models.Model):
    """A unit responsible for a task, exactly as the document writes it, and the organisations it means."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units", verbose_name="任务")
    role = models.CharField("职责", max_length=20, choices=UnitRole.choices)
    written = models.CharField("单位（原文）", max_length=200)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    fan_out = models.CharField(
        "集合单位分解",
        max_length=30,
        choices=FanOut.choices,
        blank=True,
        help_text="原文为集合称谓时如何分解",
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="task_units", verbose_name="对应机构"
    )

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["task", "role", "position"]

    def __str__(self) -> str:
        return self.written
