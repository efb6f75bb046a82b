"""Jurisdictions (province → city → county) and parks, with dated membership.

Administrative divisions are re-drawn (区划调整) and parks change hands; every "belongs to" carries
the dates it held, so a 2024 report stays under the city it belonged to in 2024.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class JurisdictionLevel(models.TextChoices):
    PROVINCE = "province", "省"  # 省、自治区、直辖市
    CITY = "city", "设区市"  # 地级市
    COUNTY = "county", "县（市、区）"  # 县、县级市、市辖区


class Jurisdiction(models.Model):
    """An administrative division, identified by its GB/T 2260 six-digit code."""

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    level = models.CharField("层级", max_length=20, choices=JurisdictionLevel.choices)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class JurisdictionMembership(models.Model):
    """A division belongs to its parent from `valid_from` until `valid_to` (exclusive; open when null)."""

    child = models.ForeignKey(
        Jurisdiction, on_delete=models.CASCADE, related_name="parent_links", verbose_name="下级"
    )
    parent = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="child_links", verbose_name="上级"
    )
    valid_from = models.DateField("起始日期", default=dt.date(2000, 1, 1))
    valid_to = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "隶属关系"
        verbose_name_plural = "隶属关系"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="geo_membership_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["child", "valid_from"], name="geo_membership_one_parent_per_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ⊂ {self.parent}（{self.valid_from}起）"


class ParkKind(models.TextChoices):
    HIGH_TECH_ZONE = "high_tech_zone", "高新技术产业开发区"  # 高新区
    ECONOMIC_ZONE = "economic_zone", "经济技术开发区"  # 经开区
    PROVINCIAL_ZONE = "provincial_zone", "省级开发区"  # 省级开发区、工业园区
    SPECIALISED_PARK = "specialised_park", "特色园区"  # 特色产业园区
    OTHER = "other", "其他园区"


class Park(models.Model):
    """A development zone or specialised park: the place that hosts pilot zones."""

    name = models.CharField("名称", max_length=200)
    short_name = models.CharField("简称", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=30, choices=ParkKind.choices, default=ParkKind.OTHER)
    level = models.CharField("级别", max_length=20, blank=True, help_text="国家级、省级或市级")
    source = models.CharField("资料来源", max_length=300, blank=True)

    class Meta:
        verbose_name = "开发区（园区）"
        verbose_name_plural = "开发区（园区）"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="geo_park_unique_name")]

    def __str__(self) -> str:
        return self.name


class ParkLocation(models.Model):
    """A park lies in a jurisdiction from `valid_from` until `valid_to` (exclusive; open when null)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="locations", verbose_name="园区")
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="park_locations", verbose_name="所在行政区"
    )
    valid_from = models.DateField("起始日期", default=dt.date(2000, 1, 1))
    valid_to = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "园区所在地"
        verbose_name_plural = "园区所在地"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="geo_park_location_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} @ {self.jurisdiction}"


def active_on(on: dt.date) -> Q:
    """Rows whose [valid_from, valid_to) span contains `on`."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
