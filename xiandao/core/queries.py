"""Small query helpers every app's selectors share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def distinct_values(queryset: QuerySet[Any], field: str) -> list[Any]:
    """Each value of ``field`` once, in order.

    ``.values_list(field).distinct()`` alone is DISTINCT over the model's default ordering too
    (``Meta.ordering`` adds its columns to the SELECT), so a year shared by 18 targets came back
    18 times; clearing the ordering first makes it DISTINCT over the one column.
    """
    return list(queryset.order_by(field).values_list(field, flat=True).distinct())
