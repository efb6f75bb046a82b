"""What every registry page shares: breadcrumbs, dates from the query string, page sizes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ..registry import Registry

PAGE_SIZE = 50
COUNT_PARAMS = ("measure", "basis", "since", "within", "zones_of", "field_code")
CHART_YEARS = range(2023, 2027)


def _crumbs(registry: Registry | None = None, *trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("登记库", reverse("registries:index"))]
    if registry is not None:
        crumbs.append((registry.label, reverse("registries:entry_list", kwargs={"slug": registry.slug})))
    return crumbs + list(trail)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
