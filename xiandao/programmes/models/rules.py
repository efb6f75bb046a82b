"""Life-cycle rules and the indicator framework, or the record that the documents set none.

The life cycle's shape differs between programmes (Anhui grades zones every year; Zhejiang
assesses them once for acceptance), so its structure is kept as validated JSON in the shape of
the definition schema. Its numbers — the ones an admin adjusts, many of them defaults because
the document leaves them open — are rows of their own (:class:`RuleParameter`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from xiandao.programmes.definition.invariants import (
    IndicatorFacts,
    framework_weight_issues,
    indicator_issues,
)

from .programme import PolicyDocument, Programme, issues_raise


class LifecycleKind(models.TextChoices):
    GRADED_CREATION = "graded_creation", "创建名单＋年度分级评估"  # Anhui plan §四
    ACCEPTANCE = "acceptance", "培育＋验收考核"  # Zhejiang guidance §五(二)


class Lifecycle(models.Model):
    """A programme's pilot-zone life cycle; ``specified=False`` records that its documents define none."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="lifecycle", verbose_name="培育计划"
    )
    specified = models.BooleanField("文件有规定", default=True)
    kind = models.CharField("类型", max_length=30, choices=LifecycleKind.choices, blank=True)
    document = models.ForeignKey(
        PolicyDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="依据文件",
    )
    article = models.CharField("条款", max_length=200, blank=True)
    note = models.TextField("说明", blank=True, help_text="文件未作规定时说明原因")
    structure = models.JSONField(
        "规则结构",
        default=dict,
        blank=True,
        help_text="阶段、申报、论证、等次与结果运用等；其中的数值参数见“规则参数”。",
    )

    class Meta:
        verbose_name = "生命周期规则"
        verbose_name_plural = "生命周期规则"

    def __str__(self) -> str:
        return f"{self.programme}：{self.get_kind_display() if self.specified else '文件未作规定'}"


class RuleParameter(models.Model):
    """A number of the life-cycle rules; ``is_default`` marks a value the document leaves open."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="rule_parameters", verbose_name="培育计划"
    )
    key = models.CharField(
        "参数位置", max_length=200, help_text="在规则结构中的位置，如 consequences.removal.consecutive_years"
    )
    label = models.CharField("参数", max_length=200)
    value = models.IntegerField("取值", null=True, blank=True)
    unit = models.CharField("单位", max_length=50, blank=True)
    is_default = models.BooleanField("默认值", default=False, help_text="文件未规定取值，平台给出的默认值")
    note = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="programmes_rule_parameter_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.value if self.value is not None else '未定'}{self.unit}"


class IndicatorFramework(models.Model):
    """The evaluation framework a document names; ``specified=False`` records that it names none."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="framework", verbose_name="培育计划"
    )
    specified = models.BooleanField("文件有规定", default=True)
    document = models.ForeignKey(
        PolicyDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="依据文件",
    )
    article = models.CharField("条款", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "指标体系"
        verbose_name_plural = "指标体系"

    def __str__(self) -> str:
        return f"{self.programme}：{'指标体系' if self.specified else '文件未作规定'}"


class Dimension(models.Model):
    """A first-level dimension with its share of the overall score."""

    framework = models.ForeignKey(
        IndicatorFramework, on_delete=models.CASCADE, related_name="dimensions", verbose_name="指标体系"
    )
    code = models.SlugField("维度编码", max_length=80)
    name = models.CharField("名称", max_length=100)
    weight = models.DecimalField("权重", max_digits=7, decimal_places=4)
    is_default = models.BooleanField("默认值", default=False)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    earlier = models.JSONField(
        "此前年度的权重", default=list, blank=True, help_text="[{before_year, weight}]：某年以前各年度的权重"
    )

    class Meta:
        verbose_name = "评价维度"
        verbose_name_plural = "评价维度"
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="programmes_dimension_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The framework's dimension weights, with this one as entered, still add up to 1."""
        if self.framework_id is None or self.weight is None:
            return
        others = Dimension.objects.filter(framework_id=self.framework_id).exclude(pk=self.pk)
        issues_raise(
            framework_weight_issues({self.name: self.weight, **dict(others.values_list("name", "weight"))})
        )

    @property
    def weight_display(self) -> str:
        return _decimal_text(self.weight)


def _decimal_text(value: Decimal) -> str:
    """0.2500 → 0.25, 1.0000 → 1: a weight as people write it."""
    return format(value.normalize(), "f") if value else "0"


class IndicatorDirection(models.IntegerChoices):
    POSITIVE = 1, "正向"  # larger is better
    NEGATIVE = -1, "逆向"  # smaller is better


class IndicatorSource(models.TextChoices):
    REPORTED = "reported", "先导区填报"  # entered by the zone each period
    REGISTRY_COUNT = "registry_count", "登记库计数"  # counted from a registry, never typed twice
    DERIVED = "derived", "计算得出"  # computed from other figures


class Indicator(models.Model):
    """One indicator with its 指标解释 and 计算公式; ``weight`` is a multiplier inside its dimension."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="indicators", verbose_name="维度"
    )
    code = models.SlugField("指标编码", max_length=80)
    name = models.CharField("指标名称", max_length=200)
    unit = models.CharField("单位", max_length=50)
    direction = models.SmallIntegerField("方向", choices=IndicatorDirection.choices)
    definition = models.TextField("指标解释")
    formula = models.TextField("计算公式")
    source = models.CharField("数据来源", max_length=20, choices=IndicatorSource.choices)
    measure = models.CharField("计数口径", max_length=100, blank=True, help_text="registry:<登记库>[:<标签>]")
    weight = models.DecimalField("权重系数", max_digits=7, decimal_places=4)
    earlier = models.JSONField(
        "此前年度的值",
        default=list,
        blank=True,
        help_text="[{before_year, weight, definition, formula}]：某年以前各年度的权重系数、指标解释、计算公式",
    )
    is_default = models.BooleanField("默认值", default=False)
    target_required = models.BooleanField(
        "申报须设目标", default=False, help_text="申请报告须为该指标填写总体目标和分年目标"
    )
    anchor = models.TextField("依据", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    from_year = models.PositiveSmallIntegerField(
        "起始评估年度", null=True, blank=True, help_text="空：自计划期起"
    )
    retired_from = models.PositiveSmallIntegerField(
        "停用年度", null=True, blank=True, help_text="自该年度起不再评估；此前年度仍按原指标体系"
    )

    class Meta:
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        ordering = ["dimension", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="programmes_indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """The indicator's rules, the same the loader and 指标体系 apply (``invariants.indicator_issues``)."""
        if self.dimension_id is None:
            return
        frame = self.dimension.framework.programme.frame()
        facts = IndicatorFacts(
            code=self.code,
            name=self.name,
            unit=self.unit,
            direction=self.direction,
            definition=self.definition,
            formula=self.formula,
            source=self.source,
            measure=self.measure,
            weight=self.weight,
            from_year=self.from_year,
            retired_from=self.retired_from,
        )
        issues_raise(indicator_issues(facts, frame))

    @property
    def weight_display(self) -> str:
        return _decimal_text(self.weight)

    def in_use(self, year: int) -> bool:
        """Whether the framework of ``year`` holds this indicator."""
        started = self.from_year is None or self.from_year <= year
        return started and (self.retired_from is None or year < self.retired_from)
