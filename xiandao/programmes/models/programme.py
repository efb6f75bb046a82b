"""A programme and the policy documents it rests on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from xiandao.accounts.models import Organisation
from xiandao.geo.models import Jurisdiction
from xiandao.programmes.definition.invariants import Issues, ProgrammeFrame, period_issues


def issues_raise(issues: Issues, renames: dict[str, str] | None = None) -> None:
    """Raise the entity rules' findings as a ValidationError by model field, as forms and the admin show it."""
    if issues:
        names = renames or {}
        raise ValidationError({names.get(name, name): messages for name, messages in issues.items()})


class RecordStatus(models.TextChoices):
    """Whether a document, target or task is part of the published programme."""

    ACTIVE = "active", "有效"  # public, part of the programme (loaded, or from a published upload)
    DRAFT = "draft", "待发布"  # from an upload not yet published: only the programme's admins see it
    RETIRED = "retired", "已撤销"  # its upload was withdrawn; kept for the record, never deleted


class RecordQuerySet(models.QuerySet):
    """Documents, targets and tasks; ``public()`` keeps what visitors and the public API may see."""

    def public(self) -> RecordQuerySet:
        return self.filter(status=RecordStatus.ACTIVE)


def status_field() -> models.CharField:
    return models.CharField(
        "发布状态",
        max_length=20,
        choices=RecordStatus.choices,
        default=RecordStatus.ACTIVE,
        help_text="待发布：来自尚未发布的上传文件，仅管理员可见；已撤销：上传文件已撤回",
    )


class ProgrammeLevel(models.TextChoices):
    PROVINCE = "province", "省级"  # a province runs it: zone → city → province
    CITY = "city", "市级"  # a city runs it: park → county → city (Yangzhou, Fuzhou)


class Programme(models.Model):
    """A jurisdiction's future-industry programme, seeded from ``programmes/<code>.yaml``.

    After loading the database is the truth. ``definition_hash`` fingerprints the state the
    loader last wrote, so a later load can tell an admin's edit from its own work and refuse
    to overwrite it.
    """

    code = models.SlugField("计划编码", max_length=80, unique=True)
    name = models.CharField("计划名称", max_length=200)
    level = models.CharField("层级", max_length=20, choices=ProgrammeLevel.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="programmes", verbose_name="行政区"
    )
    admin_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="administered_programmes",
        verbose_name="管理单位",
    )
    admin_note = models.TextField("管理单位说明", blank=True)
    start_year = models.PositiveSmallIntegerField("计划期起始年")
    end_year = models.PositiveSmallIntegerField("计划期结束年")
    period_note = models.TextField("计划期说明", blank=True)
    schema_version = models.PositiveSmallIntegerField("定义格式版本", default=1)
    source_file = models.CharField("定义文件", max_length=300, blank=True)
    loaded_at = models.DateTimeField("最近加载时间", null=True, blank=True)
    monitoring = models.JSONField(
        "统计监测规则",
        default=dict,
        blank=True,
        help_text="定义文件 monitoring 一节：填报频次、审核链、同比倍数、同类比较、校验规则、分类填报（空：未规定）",
    )
    supervision = models.JSONField(
        "督查规则",
        default=dict,
        blank=True,
        help_text="定义文件 supervision 一节：目标进度容差、任务进展报送期、预警阈值、常设责任单位（空：平台默认值）",
    )
    definition_hash = models.CharField(
        "加载时的内容摘要",
        max_length=64,
        blank=True,
        help_text="加载命令写入后的内容摘要；与当前内容不符说明管理员修改过，加载命令将拒绝覆盖。",
    )

    class Meta:
        verbose_name = "培育计划"
        verbose_name_plural = "培育计划"
        ordering = ["jurisdiction__code", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="programmes_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The period is ordered and keeps the years of the programme's targets (``invariants.period_issues``)."""
        years = self.targets.values_list("year", flat=True) if self.pk else []
        if self.start_year is not None and self.end_year is not None:
            issues_raise(period_issues(self.start_year, self.end_year, years))

    def frame(self) -> ProgrammeFrame:
        """Its period, field codes and indicator codes, as the entity rules need them (two queries)."""
        from .rules import Indicator, IndicatorFramework
        from .taxonomy import Field

        specified = IndicatorFramework.objects.filter(programme=self, specified=True).exists()
        indicators = (
            frozenset(
                Indicator.objects.filter(dimension__framework__programme=self).values_list("code", flat=True)
            )
            if specified
            else None
        )
        return ProgrammeFrame(
            start_year=self.start_year,
            end_year=self.end_year,
            field_codes=frozenset(
                Field.objects.filter(version__programme=self).values_list("code", flat=True)
            ),
            indicator_codes=indicators,
        )

    @property
    def period_label(self) -> str:
        return f"{self.start_year}—{self.end_year}年"


class PolicyDocument(models.Model):
    """A policy document's metadata. The text is the government's: read from the policy folder, never stored."""

    RULE_BOUND_FIELDS = ("programme", "source_file")  # where its text is read from

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="documents", verbose_name="培育计划"
    )
    code = models.SlugField("文件编码", max_length=80)
    title = models.CharField("标题", max_length=300)
    number = models.CharField("文号", max_length=100, blank=True)
    issuer = models.CharField("发文单位", max_length=200)
    date = models.DateField("印发日期", null=True, blank=True)
    source_file = models.CharField("文本文件名", max_length=200, help_text="在政策文件目录中的文件名")
    notes = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    status = status_field()

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_document_code_unique")
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"
