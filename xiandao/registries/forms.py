"""The entry form, described from the registry table: one field list for every registry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models

from xiandao.geo.selectors import jurisdiction_with_ancestor_ids
from xiandao.programmes.selectors import field_list_in_jurisdictions

from .models import Board, EnterpriseTag, TagKind
from .permissions import RegistryAction, cities_for, zones_for
from .registry import Registry
from .services.building import TAG_FIELDS, TAG_LABELS

REQUIRED = {
    "name",
    "city",
    "valid_from",
    "credit_code",
    "kind",
    "level",
    "stage",
    "catalogue",
    "planned_investment",
    "size",
}


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # text, textarea, date, number, select
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: str = ""
    errors: list[str] = field(default_factory=list)
    help: str = ""


def field_choices(user: Any) -> list[tuple[str, str]]:
    """The fields of the programmes covering the user's cities, latest version first, one per code."""
    places = jurisdiction_with_ancestor_ids(
        cities_for(user, RegistryAction.VIEW).values_list("pk", flat=True)
    )
    seen: dict[str, str] = {}
    for code, name, programme in field_list_in_jurisdictions(places).values_list(
        "code", "name", "version__programme__name"
    ):
        seen.setdefault(code, f"{name}（{programme}）")
    return list(seen.items())


def entry_form(
    registry: Registry,
    user: Any,
    data: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> list[FormField]:
    data = data or {}
    errors = errors or {}
    fields: list[FormField] = []
    for name in registry.entry_fields:
        model_field = registry.model_field(name)
        label = str(model_field.verbose_name)
        widget = "text"
        choices: list[tuple[str, str]] = []
        if name == "city":
            widget, choices = (
                "select",
                [(c.code, c.name) for c in cities_for(user, RegistryAction.ADD).order_by("code")],
            )
        elif name == "zone":
            widget, choices = "select", [(str(z.pk), z.name) for z in zones_for(user).order_by("name")]
        elif name == "field":
            widget, choices = "select", field_choices(user)
        elif model_field.choices:
            widget, choices = "select", [(str(k), str(v)) for k, v in model_field.choices]
        elif isinstance(model_field, models.DateField):
            widget = "date"
        elif isinstance(model_field, models.DecimalField | models.IntegerField):
            widget = "number"
        elif isinstance(model_field, models.TextField):
            widget = "textarea"
        fields.append(
            FormField(
                name,
                label,
                widget,
                name in REQUIRED and not model_field.blank,
                choices,
                str(data.get(name, "") or ""),
                list(errors.get(name, [])),
                str(model_field.help_text or ""),
            )
        )
    return fields


def tag_form(
    data: Mapping[str, Any] | None = None, errors: Mapping[str, list[str]] | None = None
) -> list[FormField]:
    data = data or {}
    errors = errors or {}
    fields = []
    for name in TAG_FIELDS:
        model_name = {"tag_valid_from": "valid_from", "tag_valid_to": "valid_to"}.get(name, name)
        model_field = cast("models.Field[Any, Any]", EnterpriseTag._meta.get_field(model_name))
        widget = "text"
        choices: list[tuple[str, str]] = []
        if name == "tag":
            widget, choices = "select", list(TagKind.choices)
        elif name == "board":
            widget, choices = "select", list(Board.choices)
        elif isinstance(model_field, models.DateField):
            widget = "date"
        elif isinstance(model_field, models.IntegerField):
            widget = "number"
        fields.append(
            FormField(
                name,
                TAG_LABELS[name],
                widget,
                False,
                choices,
                str(data.get(name, "") or ""),
                list(errors.get(name, [])),
                str(model_field.help_text or ""),
            )
        )
    return fields
