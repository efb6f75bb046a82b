"""The bell in the header: its unread count is one query; the dropdown's list loads on opening (HTMX)."""

from __future__ import annotations

from typing import Any

from django import template

from ..kinds import notification_kind_label
from ..selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": notification_unread_count(user) if user is not None else 0}


@register.filter
def kind_label(code: str) -> str:
    return notification_kind_label(code)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, key)
