"""Figures and dates as our users write them; the template filters and the views call these."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone


def date_zh(value: Any) -> str:
    """A date as Chinese offices write it: 2024年2月5日; a moment adds the local time, 2024年2月5日 14:30."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str):
        # An ISO date carried as text (a provider's item, a JSON value) is written the same way.
        try:
            return date_zh(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def percent(value: Any, places: int = 1) -> str:
    """A share as a percentage, rounded half-up as Excel does: 0.25 → 25.0%, 0.3333 → 33.3%."""
    if value in (None, ""):
        return ""
    try:
        share = Decimal(str(value)) * 100
    except InvalidOperation:
        return str(value)
    quantum = Decimal(1).scaleb(-int(places))
    return f"{share.quantize(quantum, rounding=ROUND_HALF_UP)}%"


def figure(value: Any) -> str:
    """A stored figure without the zeros its column pads it with: 840.0000 → 840, 12.5000 → 12.5."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    normal = number.normalize()
    return format(normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal, "f")
