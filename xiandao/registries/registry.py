"""The registries as data: URL slug, measure key, model, and the fields each one shows and imports.

Views, API, import, export and counting all walk this table, so a registry added here gets its
list, entry page, chart, template and counts without new code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.http import Http404

from .models import (
    Enterprise,
    Fund,
    KeyTechnology,
    Platform,
    Product,
    Project,
    RegistryEntry,
    Scenario,
    ScenarioLab,
    SciencePark,
    Standard,
    TalentTeam,
    TestZone,
)

#: Fields every entry has, in the order forms and templates show them.
COMMON_FIELDS = ("name", "city", "zone", "field", "valid_from", "valid_to", "source", "source_note")


@dataclass(frozen=True)
class Registry:
    slug: str  # in URLs: /registries/<slug>/
    key: str  # in measures: registry:<key>
    model: type[RegistryEntry]
    label: str
    unit: str
    fields: tuple[str, ...]  # the registry's own fields, after COMMON_FIELDS
    kind_field: str = ""  # filtered as 类别 on the list
    level_field: str = ""
    icon: str = "card-list"
    list_fields: tuple[str, ...] = ()  # the registry's own columns on its list (default: its first three)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.list_fields or self.fields[:3]

    @property
    def entry_fields(self) -> tuple[str, ...]:
        return COMMON_FIELDS + self.fields

    def model_field(self, name: str) -> models.Field[Any, Any]:
        return cast("models.Field[Any, Any]", self.model._meta.get_field(name))

    def field_label(self, name: str) -> str:
        return str(self.model_field(name).verbose_name)

    def choices(self, name: str) -> list[tuple[str, str]]:
        if not name:
            return []
        field = self.model._meta.get_field(name)
        return [(str(v), str(label)) for v, label in (getattr(field, "choices", None) or [])]


REGISTRIES: tuple[Registry, ...] = (
    Registry(
        "enterprises",
        "enterprise",
        Enterprise,
        "企业",
        "家",
        ("credit_code", "short_name", "founded_on", "code_override_reason"),
        icon="building",
        list_fields=("credit_code",),
    ),
    Registry(
        "platforms",
        "platform",
        Platform,
        "创新和公共服务平台",
        "个",
        ("kind", "level", "host"),
        "kind",
        "level",
        "bank",
    ),
    Registry(
        "talent-teams",
        "talent_team",
        TalentTeam,
        "高层次人才团队",
        "个",
        ("leader", "level", "host"),
        "",
        "level",
        "people",
    ),
    Registry(
        "technologies",
        "technology",
        KeyTechnology,
        "关键技术",
        "项",
        ("catalogue", "holder"),
        "catalogue",
        "",
        "cpu",
    ),
    Registry(
        "standards",
        "standard",
        Standard,
        "标准",
        "项",
        ("number", "level", "stage", "role"),
        "level",
        "",
        "journal-check",
    ),
    Registry(
        "products",
        "product",
        Product,
        "标志性产品和“三首”产品",
        "件",
        ("kind", "catalogue", "year", "maker"),
        "kind",
        "",
        "box-seam",
    ),
    Registry(
        "projects",
        "project",
        Project,
        "重大产业项目",
        "个",
        ("kind", "stage", "planned_investment", "completed_investment", "overrun_note"),
        "stage",
        "",
        "cone-striped",
    ),
    Registry(
        "funds", "fund", Fund, "基金", "支", ("kind", "size", "invested", "manager"), "kind", "", "piggy-bank"
    ),
    Registry(
        "scenarios",
        "scenario",
        Scenario,
        "应用场景",
        "个",
        ("kind", "level", "owner"),
        "kind",
        "level",
        "lightbulb",
    ),
    Registry(
        "scenario-labs",
        "scenario_lab",
        ScenarioLab,
        "未来场景实验室",
        "个",
        ("level", "host"),
        "",
        "level",
        "eyeglasses",
    ),
    Registry(
        "test-zones",
        "scenario_test_zone",
        TestZone,
        "未来场景试验区",
        "个",
        ("level", "area"),
        "",
        "level",
        "map",
    ),
    Registry(
        "parks",
        "science_park",
        SciencePark,
        "未来产业科技园和孵化器",
        "个",
        ("kind", "level", "university", "document_no"),
        "kind",
        "level",
        "tree",
    ),
)
BY_SLUG = {r.slug: r for r in REGISTRIES}
BY_KEY = {r.key: r for r in REGISTRIES}
BY_MODEL: dict[type[models.Model], Registry] = {r.model: r for r in REGISTRIES}


def registry_get(slug: str) -> Registry:
    try:
        return BY_SLUG[slug]
    except KeyError as exc:
        raise Http404("没有这个登记库") from exc
