"""What every registry entry has: place, field, dates, source, evidence, status and who acted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from xiandao.geo.models import Jurisdiction
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Field


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "待确认"  # entered by a zone or city, not yet confirmed; never counted
    CITY_CONFIRMED = "city_confirmed", "待省级确认"  # confirmed by the city where the province confirms too
    CONFIRMED = "confirmed", "已确认"  # counted from valid_from
    RETIRED = "retired", "已退出"  # counted until retired_on if it had been confirmed; never deleted


#: The moves a status may make (STYLE.md: the allowed moves are data).
STATUS_MOVES: dict[str, frozenset[str]] = {
    EntryStatus.DRAFT: frozenset({EntryStatus.CITY_CONFIRMED, EntryStatus.CONFIRMED, EntryStatus.RETIRED}),
    EntryStatus.CITY_CONFIRMED: frozenset({EntryStatus.CONFIRMED, EntryStatus.RETIRED}),
    EntryStatus.CONFIRMED: frozenset({EntryStatus.RETIRED}),
    EntryStatus.RETIRED: frozenset(),
}


class Source(models.TextChoices):
    ZONE_REPORT = "zone_report", "先导区报送"  # the zone's own report
    DEPARTMENT_LIST = "department_list", "部门名单"  # a department's published list or certificate
    STATISTICS = "statistics", "统计部门"  # the statistics bureau
    THIRD_PARTY = "third_party", "第三方机构"  # an evaluator or list publisher (GEI, 长城战略咨询…)


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class RegistryEntry(models.Model):
    """Abstract: one entry of a registry, in a city and perhaps a pilot zone and field."""

    name = models.CharField("名称", max_length=300)
    city = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name="所在市")
    zone = models.ForeignKey(
        PilotZone, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="先导区"
    )
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="领域"
    )
    valid_from = models.DateField("起始日期", help_text="认定、入库或建成之日")
    valid_to = models.DateField("终止日期", null=True, blank=True, help_text="不含当日；留空表示长期有效")
    ends_on = models.DateField(
        "计数截止", null=True, blank=True, editable=False, help_text="终止日期与退出日期中较早者（不含当日）"
    )
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.ZONE_REPORT)
    source_note = models.CharField("来源说明", max_length=300, blank=True, help_text="文件号、名单名称或报告")
    status = models.CharField("状态", max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    city_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="市级确认人",
    )
    retired_on = models.DateField("退出日期", null=True, blank=True)
    retire_reason = models.TextField("退出原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        abstract = True
        ordering = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def base_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name=f"{prefix}_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="retired") | Q(retired_on__isnull=False), name=f"{prefix}_retired_dated"
            ),
        ]

    @classmethod
    def base_indexes(cls, prefix: str) -> list[models.Index]:
        short = prefix.removeprefix("registries_")[:12]
        return [
            models.Index(fields=["city", "valid_from"], name=f"rg_{short}_city"),
            models.Index(fields=["confirmed_at", "valid_from", "ends_on"], name=f"rg_{short}_counted"),
        ]

    def effective_end(self) -> object:
        ends = [d for d in (self.valid_to, self.retired_on) if d is not None]
        return min(ends) if ends else None


class EvidenceFile(models.Model):
    """A file that proves an entry (certificate, list page, report), kept with who uploaded it."""

    registry = models.CharField("登记库", max_length=30)
    entry_id = models.PositiveBigIntegerField("条目编号")
    file = models.FileField("文件", upload_to="registries/evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        indexes = [models.Index(fields=["registry", "entry_id"], name="registries_evidence_entry")]

    def __str__(self) -> str:
        return self.name


class ProvinceConfirmation(models.Model):
    """Where a programme says the province confirms a registry's entries after the city."""

    province = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="+", verbose_name="省")
    registry = models.CharField("登记库", max_length=30)
    basis = models.CharField("依据", max_length=300, blank=True, help_text="规定由省级确认的条款")

    class Meta:
        verbose_name = "省级确认规则"
        verbose_name_plural = "省级确认规则"
        constraints = [
            models.UniqueConstraint(
                fields=["province", "registry"], name="registries_province_confirmation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.province} · {self.registry}"
