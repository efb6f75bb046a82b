"""The field taxonomy in dated versions, and the kinds of zone a programme distinguishes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from xiandao.geo.models import Jurisdiction, Park
from xiandao.programmes.definition.invariants import field_kind_issue

from .programme import PolicyDocument, Programme


class TaxonomyVersion(models.Model):
    """A complete, dated list of fields. Fields are adjusted over time (动态调整): a new version
    is added beside the old one and never rewrites it, so a zone keeps the field it applied under."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="taxonomy_versions", verbose_name="培育计划"
    )
    code = models.SlugField("版本编码", max_length=80)
    name = models.CharField("名称", max_length=200)
    valid_from = models.DateField("生效日期", null=True, blank=True, help_text="文件未载明日期时留空")
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="taxonomy_versions", verbose_name="依据文件"
    )
    notes = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "领域分类版本"
        verbose_name_plural = "领域分类版本"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_taxonomy_code_unique")
        ]

    def __str__(self) -> str:
        date = f"（{self.valid_from:%Y-%m-%d}起）" if self.valid_from else ""
        return f"{self.name}{date}"


class FieldKind(models.Model):
    """A group of fields within one version: Anhui's "7" and "N", Fuzhou's "1", "6" and "2"."""

    version = models.ForeignKey(
        TaxonomyVersion, on_delete=models.CASCADE, related_name="kinds", verbose_name="分类版本"
    )
    code = models.SlugField("类别编码", max_length=80)
    name = models.CharField("名称", max_length=200)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "领域类别"
        verbose_name_plural = "领域类别"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_field_kind_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Field(models.Model):
    """One future-industry field (领域) of one taxonomy version."""

    version = models.ForeignKey(
        TaxonomyVersion, on_delete=models.CASCADE, related_name="fields", verbose_name="分类版本"
    )
    code = models.SlugField("领域编码", max_length=80, help_text="同一领域在各版本中沿用同一编码")
    name = models.CharField("名称", max_length=200)
    order = models.PositiveSmallIntegerField("序号")
    kind = models.ForeignKey(FieldKind, on_delete=models.PROTECT, related_name="fields", verbose_name="类别")
    notes = models.TextField("说明", blank=True)
    replaces = models.JSONField(
        "并入的领域", default=list, blank=True, help_text="上一版本中并入本领域的领域编码（动态调整：合并）"
    )

    class Meta:
        verbose_name = "领域"
        verbose_name_plural = "领域"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_field_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Its kind is one of its own version's kinds (``invariants.field_kind_issue``)."""
        if self.version_id is None or self.kind_id is None:
            return
        if self.kind.version_id != self.version_id:
            codes = set(FieldKind.objects.filter(version_id=self.version_id).values_list("code", flat=True))
            message = (
                field_kind_issue(self.kind.code, codes) or "类别须取自本分类版本（请选本版本中的同名类别）。"
            )
            raise ValidationError({"kind": message})


class FieldDirection(models.Model):
    """A direction (重点方向) of a field, as the document words it."""

    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="directions", verbose_name="领域")
    name = models.CharField("方向", max_length=300)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "重点方向"
        verbose_name_plural = "重点方向"
        ordering = ["field", "position"]

    def __str__(self) -> str:
        return self.name


class FieldPlace(models.Model):
    """A place where the document lays a field out (重点布局), with the division or park it names when known."""

    field = models.ForeignKey(Field, on_delete=models.CASCADE, related_name="places", verbose_name="领域")
    name = models.CharField("地点（原文）", max_length=200)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="行政区",
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="园区"
    )

    class Meta:
        verbose_name = "重点布局"
        verbose_name_plural = "重点布局"
        ordering = ["field", "position"]

    def __str__(self) -> str:
        return self.name


class ZoneType(models.Model):
    """A kind of pilot zone (Zhejiang §二(二): 区域集聚型, 网络协同型) with its definition as written."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="zone_types", verbose_name="培育计划"
    )
    code = models.SlugField("类型编码", max_length=80)
    name = models.CharField("名称", max_length=200)
    definition = models.TextField("定义（原文）")
    industry_stage = models.CharField("产业阶段", max_length=50, blank=True)
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="zone_types", verbose_name="依据文件"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "先导区类型"
        verbose_name_plural = "先导区类型"
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="programmes_zone_type_code_unique")
        ]

    def __str__(self) -> str:
        return self.name
