"""The figures of the leadership cockpit (领导驾驶舱)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .. import rules
from .early_warnings import _zone_cities, warnings_open
from .targets import _count_dates, _registry_counts_at, target_progress
from .tasks import task_rows

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme

# --- cockpit ----------------------------------------------------------------------------------------------------


def cockpit(programme: Programme, *, today: dt.date | None = None) -> dict[str, Any]:
    """The figures of the leadership cockpit: each chart's data with the rows behind it."""
    from xiandao.evaluation.selectors import grade_histories

    today = today or timezone.localdate()
    zones, cities = _zone_cities(programme)
    histories = grade_histories(programme)
    by_city = Counter(cities.get(z.pk, "未定") for z in zones)
    by_field = Counter(z.field.name if z.field_id else "未定" for z in zones)
    grades = Counter((histories.get(z.pk) or [(0, "未评估")])[-1][1] or "未评估" for z in zones)
    counted_at = _registry_counts_at(programme, _count_dates(programme, today))
    rows = target_progress(programme, today=today, registry_counts=counted_at)
    status_counts = Counter(r.status_label for r in rows)
    warnings = warnings_open(programme, today=today, progress_rows=rows)
    by_level = Counter(w.level_label for w in warnings)
    task_list = task_rows(programme)
    departments: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in task_list:
        for unit in row.lead:
            for item in row.items:
                departments[unit.written][0] += 1
                departments[unit.written][1] += 1 if item.done_on else 0
    registry = _registry_growth(programme, today, counted_at)
    latest = sorted(
        (report for row in task_list for report in row.reports.values()),
        key=lambda r: r.reported_at,
        reverse=True,
    )[:10]
    return {
        "latest_reports": latest,
        "zones": [
            {
                "name": z.name,
                "city": cities.get(z.pk, "未定"),
                "field": z.field.name if z.field_id else "未定",
                "grade": (histories.get(z.pk) or [(0, "未评估")])[-1][1] or "未评估",
            }
            for z in zones
        ],
        "by_city": sorted(by_city.items()),
        "by_field": sorted(by_field.items(), key=lambda kv: -kv[1]),
        "by_grade": sorted(grades.items()),
        "progress": rows,
        "status_counts": sorted(status_counts.items()),
        "warnings": warnings,
        "by_level": [(label, by_level.get(label, 0)) for label in rules.LEVEL_LABELS.values()],
        "tasks": task_list,
        "departments": sorted(
            ((name, total, done) for name, (total, done) in departments.items()), key=lambda r: -r[1]
        ),
        "registry": registry,
        "as_of": today,
    }


def _registry_growth(
    programme: Programme, today: dt.date, counted_at: dict[dt.date, dict[str, Any]]
) -> list[tuple[int, int]]:
    """Entries counted by the programme's registry targets at each year's end (the growth line).

    ``counted_at`` holds the counts at :func:`_count_dates`: each past year's end, and today for this year.
    """
    points = []
    for year in range(programme.start_year - 1, today.year + 1):
        on = min(dt.date(year, 12, 31), today)
        points.append((year, sum(m.count or 0 for m in counted_at[on].values() if m.basis == "stock")))
    return points
