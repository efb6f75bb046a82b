"""Turning raw values (a form, a JSON body, an Excel row) into an unsaved entry, with every problem.

One path for every way in, so the form, the API and the import refuse the same things with the
same Chinese messages. Lookups (cities, zones, fields) are cached per build context, so an
import of 50,000 rows asks the database once per distinct value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import models

from xiandao.geo.selectors import city_find, city_list, jurisdiction_ancestor_ids
from xiandao.pilot_zones.selectors import zone_list
from xiandao.programmes.selectors import field_find

from ..codes import normalise
from ..models import Enterprise, EnterpriseTag, RegistryEntry, TagKind
from ..permissions import RegistryAction, cities_for, zones_for
from ..registry import Registry
from ..tiers import default_valid_to

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction
    from xiandao.pilot_zones.models import PilotZone
    from xiandao.programmes.models import Field

FK_FIELDS = ("city", "zone", "field")
TAG_FIELDS = (
    "tag",
    "certificate_no",
    "list_name",
    "list_year",
    "publisher",
    "board",
    "stock_code",
    "tag_valid_from",
    "tag_valid_to",
)
TAG_LABELS = {
    "tag": "标签类别",
    "certificate_no": "证书或入库编号",
    "list_name": "名单或批次",
    "list_year": "名单年份",
    "publisher": "发布单位",
    "board": "上市板块",
    "stock_code": "股票代码",
    "tag_valid_from": "标签取得日期",
    "tag_valid_to": "标签失效日期",
}


def _is_related(value: Any, name: str) -> bool:
    """Whether ``value`` already is an instance of the model an entry's ``name`` points to."""
    related = RegistryEntry._meta.get_field(name).related_model
    return isinstance(related, type) and isinstance(value, related)


@dataclass
class BuildContext:
    """What an actor may reach, and caches of lookups, shared by every row of one import."""

    actor: Any
    allowed_city_ids: set[int] = field(default_factory=set)
    allowed_zone_ids: set[int] = field(default_factory=set)
    needs_zone: bool = False
    cities: dict[str, Jurisdiction | None] = field(default_factory=dict)
    zones: dict[str, PilotZone | None] = field(default_factory=dict)
    fields: dict[tuple[tuple[int, ...], str], Field | None] = field(default_factory=dict)
    provinces: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def for_actor(cls, actor: Any, *, check_permission: bool = True) -> BuildContext:
        from xiandao.accounts.models import Role
        from xiandao.accounts.selectors import user_scope

        if not check_permission:
            return cls(
                actor,
                set(city_list().values_list("pk", flat=True)),
                set(zone_list().values_list("pk", flat=True)),
            )
        scope = user_scope(actor)
        needs_zone = (
            not scope.is_superuser
            and Role.ZONE_OPERATOR in scope.roles
            and not (scope.roles & {Role.PROGRAMME_ADMIN, Role.CITY_OFFICER})
        )
        return cls(
            actor,
            set(cities_for(actor, RegistryAction.ADD).values_list("pk", flat=True)),
            set(zones_for(actor).values_list("pk", flat=True)),
            needs_zone,
        )

    def city(self, value: Any) -> Jurisdiction | None:
        if _is_related(value, "city"):
            return cast("Jurisdiction", value)
        text = str(value).strip()
        if text not in self.cities:
            self.cities[text] = city_find(text)
        return self.cities[text]

    def zone(self, value: Any) -> PilotZone | None:
        if _is_related(value, "zone"):
            return cast("PilotZone", value)
        text = str(value).strip()
        if text not in self.zones:
            query = models.Q(name=text) | (models.Q(pk=int(text)) if text.isdigit() else models.Q(pk__in=[]))
            self.zones[text] = zone_list().filter(query).select_related("field").first()
        return self.zones[text]

    def province_programme_ids(self, city: Jurisdiction) -> list[int]:
        """Jurisdictions whose programmes' fields may be used in this city: itself and its ancestors."""
        if city.pk not in self.provinces:
            self.provinces[city.pk] = [city.pk, *jurisdiction_ancestor_ids(city.pk)]
        return self.provinces[city.pk]

    def field(self, value: Any, city: Jurisdiction | None) -> Field | None:
        if _is_related(value, "field"):
            return cast("Field", value)
        text = str(value).strip()
        places = tuple(self.province_programme_ids(city)) if city else ()
        key = (places, text)
        if key not in self.fields:
            self.fields[key] = field_find(places, text)
        return self.fields[key]


@dataclass
class Built:
    instance: RegistryEntry
    tag: EnterpriseTag | None
    errors: dict[str, list[str]]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice(model_field: models.Field[Any, Any], value: Any) -> str:
    text = str(value).strip()
    for key, label in model_field.choices or []:
        if text in (str(key), str(label)):
            return str(key)
    allowed = "、".join(str(label) for _, label in model_field.choices or [])
    raise ValidationError(f"“{text}”不是允许的取值（可选：{allowed}）")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValidationError(f"“{text}”不是日期（如 2026-11-22）") from exc


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError("应为数字")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError(f"“{value}”不是数字") from exc
    if number < 0:
        raise ValidationError("应为非负数")
    return number


def _int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(f"“{value}”不是整数") from exc


def convert(model_field: models.Field[Any, Any], value: Any) -> Any:
    """A raw value as the field's Python value (choices accept the Chinese label too)."""
    if model_field.choices:
        return _choice(model_field, value)
    if isinstance(model_field, models.DateField):
        return _date(value)
    if isinstance(model_field, models.DecimalField):
        return _decimal(value)
    if isinstance(model_field, models.IntegerField):
        return _int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _empty(model_field: Any) -> Any:
    """What a blank cell means: the field's default (先导区报送, 0 invested), else empty text or no value."""
    if model_field.has_default():
        return model_field.get_default()
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    return None


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def entry_build(
    registry: Registry,
    raw: Mapping[str, Any],
    context: BuildContext,
    *,
    instance: RegistryEntry | None = None,
) -> Built:
    """An unsaved entry (and, for an enterprise, its tag) from raw values, with all problems by field."""
    model = registry.model
    entry = instance or model()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in registry.entry_fields:
        if name in FK_FIELDS or name not in raw:
            continue
        model_field = model._meta.get_field(name)
        value = raw[name]
        if _blank(value):
            setattr(entry, name, _empty(model_field))
            continue
        try:
            setattr(entry, name, convert(model_field, value))  # type: ignore[arg-type]
        except ValidationError as exc:
            add(name, exc.messages[0])
    if isinstance(entry, Enterprise) and entry.credit_code:
        entry.credit_code = normalise(entry.credit_code)

    city = context.city(raw["city"]) if not _blank(raw.get("city")) else None
    if _blank(raw.get("city")):
        add("city", "请填写所在市")
    elif city is None:
        add("city", f"没有名为“{raw['city']}”的设区市")
    elif city.pk not in context.allowed_city_ids:
        add("city", f"{city.name}不在您的管辖范围内")
    else:
        entry.city = city
    zone = None
    if not _blank(raw.get("zone")):
        zone = context.zone(raw["zone"])
        if zone is None:
            add("zone", f"没有名为“{raw['zone']}”的先导区")
        elif zone.pk not in context.allowed_zone_ids:
            add("zone", f"先导区“{zone.name}”不在您的管辖范围内")
        else:
            entry.zone = zone
    elif context.needs_zone:
        add("zone", "先导区运营人员录入的条目须注明所属先导区")
    if "zone" in raw and _blank(raw.get("zone")) and instance is not None:
        entry.zone = None
    if not _blank(raw.get("field")):
        found = context.field(raw["field"], city)
        if found is None:
            add("field", f"“{raw['field']}”不是本省培育计划领域分类中的领域")
        else:
            entry.field = found
    elif zone is not None and entry.field_id is None:
        entry.field = zone.field

    try:
        entry.clean_fields(exclude=[*FK_FIELDS, *errors.keys(), "ends_on", "status"])
    except ValidationError as exc:
        for name, messages in _messages(exc).items():
            for message in messages:
                add(name, message)
    try:
        entry.clean()
    except ValidationError as exc:
        for name, messages in _messages(exc).items():
            for message in messages:
                add(name, message)
    if entry.valid_from and entry.valid_to and entry.valid_to <= entry.valid_from:
        add("valid_to", "终止日期应晚于起始日期")
    entry.ends_on = entry.effective_end()  # type: ignore[assignment]

    tag = None
    if isinstance(entry, Enterprise) and not _blank(raw.get("tag")):
        tag, tag_errors = tag_build(entry, raw)
        for name, messages in tag_errors.items():
            errors.setdefault(name, []).extend(messages)
    return Built(entry, tag, errors)


def tag_build(enterprise: Enterprise, raw: Mapping[str, Any]) -> tuple[EnterpriseTag, dict[str, list[str]]]:
    """An unsaved tag from raw values; its end follows the tier's validity rule unless given."""
    errors: dict[str, list[str]] = {}
    tag = EnterpriseTag(enterprise=enterprise)
    names = {"tag_valid_from": "valid_from", "tag_valid_to": "valid_to"}
    for raw_name in TAG_FIELDS:
        value = raw.get(raw_name)
        name = names.get(raw_name, raw_name)
        if _blank(value):
            continue
        try:
            setattr(tag, name, convert(EnterpriseTag._meta.get_field(name), value))  # type: ignore[arg-type]
        except ValidationError as exc:
            errors.setdefault(raw_name, []).append(exc.messages[0])
    if tag.valid_from is None and "tag_valid_from" not in errors:
        if enterprise.valid_from:
            tag.valid_from = enterprise.valid_from
        else:
            errors.setdefault("tag_valid_from", []).append("请填写标签取得日期")
    if tag.tag == TagKind.LISTED and not (tag.stock_code and tag.board):
        errors.setdefault("stock_code", []).append("上市企业须填写上市板块和股票代码")
    if tag.tag == TagKind.HIGH_TECH and not tag.certificate_no:
        errors.setdefault("certificate_no", []).append("高新技术企业须填写证书编号（如 GR202334001234）")
    if tag.valid_from and tag.valid_to is None and tag.tag:
        tag.valid_to = default_valid_to(tag.tag, tag.valid_from, tag.list_year)
    if tag.valid_from and tag.valid_to and tag.valid_to <= tag.valid_from:
        errors.setdefault("tag_valid_to", []).append("失效日期应晚于取得日期")
    return tag, errors


def errors_text(registry: Registry, errors: Mapping[str, list[str]]) -> list[str]:
    """Errors as lines naming each field in Chinese: “统一社会信用代码：校验位不符…”."""
    lines = []
    for name, messages in errors.items():
        label = TAG_LABELS.get(name) or (registry.field_label(name) if name != "__all__" else "")
        for message in messages:
            lines.append(f"{label}：{message}" if label else message)
    return lines
