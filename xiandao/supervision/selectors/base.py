"""The programme's supervision parameters and the programmes a user follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from .. import progress as pg
from ..permissions import SupervisionAction, programme_supervision_policy

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme

# --- parameters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    tolerances: pg.Tolerances
    report_window_days: int
    falling_percent: int
    notice_days: int
    standing_units: tuple[str, ...]
    standing_clause: str


def _value(section: dict[str, Any], key: str, default: int) -> int:
    item = section.get(key) or {}
    value = item.get("value") if isinstance(item, dict) else None
    return int(value) if isinstance(value, int) else default


def settings_of(programme: Programme) -> Settings:
    """The programme's supervision section (``definition.schema.Supervision``), defaults where absent."""
    section = programme.supervision or {}
    return Settings(
        pg.Tolerances(_value(section, "behind_tolerance", 10), _value(section, "at_risk_tolerance", 25)),
        _value(section, "report_window_days", 90),
        _value(section, "falling_percent", 10),
        _value(section, "notice_days", 15),
        tuple(section.get("standing_units") or ()),
        str(section.get("standing_clause") or ""),
    )


def period_open(programme: Programme, year: int, today: dt.date) -> bool:
    """Task progress for ``year`` may be reported from 1 January until the window after its end."""
    window = settings_of(programme).report_window_days
    return dt.date(year, 1, 1) <= today <= dt.date(year, 12, 31) + dt.timedelta(days=window)


# --- programmes ----------------------------------------------------------------------------------


def programme_list_for_user(user: Any, action: str = SupervisionAction.VIEW) -> QuerySet[Programme]:
    return (
        programme_supervision_policy.instances_for(user, action)
        .select_related("jurisdiction")
        .order_by("jurisdiction__code", "code")
    )


def programme_get(user: Any, code: str, action: str = SupervisionAction.VIEW) -> Programme:
    return programme_supervision_policy.get_or_404(user, action, code=code)
