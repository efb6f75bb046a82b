"""A minimal pilot zone and its host places over time, so every later app can refer to zones.

The applications issue grows this app (applications, review, life-cycle transitions); here a
zone is only what others need to point at: its programme, field, name, status and places.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from xiandao.geo.models import Jurisdiction, Park
from xiandao.programmes.models import Field, Programme, ZoneType


class ZoneStatus(models.TextChoices):
    DRAFT = "draft", "编制申请"  # the city is writing the application
    RETURNED = "returned", "退回修改"  # sent back to the city for changes
    RECOMMENDED = "recommended", "已推荐"  # the city attested and recommended it to the province
    UNDER_REVIEW = "under_review", "论证中"  # the advisory committee is reviewing it
    CREATING = "creating", "创建中"  # on the published creation list (Zhejiang: 培育建设)
    RECOGNISED = "recognised", "已认定"  # recognised, or listed after acceptance (Zhejiang)
    REMOVED = "removed", "已移出"  # removed from the creation list


class PilotZone(models.Model):
    """A future-industry pilot zone (未来产业先导区) of one programme and one field."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="pilot_zones", verbose_name="培育计划"
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        related_name="pilot_zones",
        verbose_name="领域",
        help_text="申报时所依据分类版本中的领域；分类调整后仍指向原版本",
    )
    zone_type = models.ForeignKey(
        ZoneType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilot_zones",
        verbose_name="先导区类型",
    )
    name = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=20, choices=ZoneStatus.choices, default=ZoneStatus.DRAFT)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "未来产业先导区"
        verbose_name_plural = "未来产业先导区"
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="pilot_zones_zone_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.field_id and self.programme_id and self.field.version.programme_id != self.programme_id:
            raise ValidationError({"field": "领域须属于该先导区所在的培育计划"})
        zone_type = self.zone_type if self.zone_type_id else None
        if zone_type is not None and self.programme_id and zone_type.programme_id != self.programme_id:
            raise ValidationError({"zone_type": "先导区类型须属于该先导区所在的培育计划"})


class ZonePlace(models.Model):
    """A place hosting a zone from ``valid_from`` until ``valid_to`` (exclusive; open when null).

    A zone may span several places (Zhejiang's network type) and one park may host several
    zones; a place is a jurisdiction, a park, or a park named together with its jurisdiction.
    """

    zone = models.ForeignKey(
        PilotZone, on_delete=models.CASCADE, related_name="places", verbose_name="先导区"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_places",
        verbose_name="行政区",
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="zone_places", verbose_name="园区"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True, help_text="不含当日；留空表示至今")

    class Meta:
        verbose_name = "承载地"
        verbose_name_plural = "承载地"
        ordering = ["zone", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jurisdiction__isnull=False) | Q(park__isnull=False),
                name="pilot_zones_place_names_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="pilot_zones_place_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.park or self.jurisdiction)


# The creation lists' models (a sub-package, so the list and the application work merge apart).
from .lists.models import (  # noqa: E402, F401
    AcceptanceAssessment,
    CreationList,
    DepartmentOpinion,
    ListEntry,
    ListStatusChange,
    Objection,
)
