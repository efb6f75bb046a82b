"""Targets' progress: each target's current value from its measure against its expected path."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .. import progress as pg
from ..models import (
    TargetValue,
)
from .base import settings_of

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme, Target

# --- target progress --------------------------------------------------------------------------------


@dataclass
class TargetProgress:
    target: Target
    source: str  # registry / indicator / reported / none
    measure_label: str
    current: Decimal | None
    expected: Decimal
    status: str
    as_of: dt.date
    path: pg.Path
    actual_points: list[tuple[int, Decimal]] = field(default_factory=list)
    shortfall: Decimal | None = None
    behind_since: dt.date | None = None  # the first measurement of the latest run behind the path
    share_of_path: Decimal | None = None
    share_of_target: Decimal | None = None
    entries_url: str = ""
    reported: list[TargetValue] = field(default_factory=list)
    note: str = ""

    @property
    def status_label(self) -> str:
        return pg.STATUS_LABELS.get(self.status, self.status)

    @property
    def current_display(self) -> str:
        """The current value without trailing zeros (500, 12.5), or 暂无."""
        if self.current is None:
            return "—"
        value = self.current.normalize()
        return format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value, "f")

    @property
    def tone(self) -> str:
        return pg.STATUS_TONES.get(self.status, "secondary")

    @property
    def needs_report(self) -> bool:
        return self.source == "reported"

    @property
    def group(self) -> str:
        return self.target.document.title


def _indicator_sums(programme: Programme, years: list[int]) -> dict[int, dict[str, Decimal]]:
    """Year → indicator code → sum of the zones' approved values (monitoring), all years in one batch."""
    from xiandao.monitoring.selectors import approved_values_by_year

    sums: dict[int, dict[str, Decimal]] = {}
    for year, by_zone in approved_values_by_year(programme, years).items():
        total: dict[str, Decimal] = defaultdict(Decimal)
        for values in by_zone.values():
            for code, value in values.items():
                total[code] += value
        if total:
            sums[year] = dict(total)
    return sums


def _registry_counts(programme: Programme, on: dt.date) -> dict[str, Any]:
    return _registry_counts_at(programme, [on])[on]


def _registry_counts_at(programme: Programme, dates: list[dt.date]) -> dict[dt.date, dict[str, Any]]:
    """Date → target code → its registry count, every date in one batch (queries do not grow with dates)."""
    from xiandao.registries.selectors import measure_counts_at

    return {
        on: {m.key: m for m in counts}
        for on, counts in measure_counts_at(programme, dates, kinds=("target",)).items()
    }


def _count_dates(programme: Programme, today: dt.date) -> list[dt.date]:
    """Where registry counts are asked: today, the eve of the programme's start, each past year's end."""
    eve = dt.date(programme.start_year - 1, 12, 31)
    ends = [dt.date(y, 12, 31) for y in range(programme.start_year, today.year + 1)]
    return [today, eve, *(on for on in ends if on < today)]


def target_progress(
    programme: Programme,
    *,
    today: dt.date | None = None,
    registry_counts: dict[dt.date, dict[str, Any]] | None = None,
) -> list[TargetProgress]:
    """Every active target with its current value, the value its path expects today, and its status.

    ``registry_counts`` (from :func:`_registry_counts_at` at :func:`_count_dates`) lets the cockpit
    count once for this table and its growth line.
    """
    today = today or timezone.localdate()
    conf = settings_of(programme)
    targets = list(
        programme.targets.public().select_related("document").filter(year__isnull=False).order_by("position")
    )
    reported: dict[int, list[TargetValue]] = defaultdict(list)
    for value in (
        TargetValue.objects.filter(target__in=targets).select_related("organisation").order_by("as_of")
    ):
        reported[value.target_id].append(value)
    start = programme.start_year
    years = list(range(start, today.year + 1))
    # Registry counts now, at the start (a stock's base) and at each past year's end (the trend).
    on_start = dt.date(start, 1, 1) - dt.timedelta(days=1)
    year_ends = [dt.date(y, 12, 31) for y in years if dt.date(y, 12, 31) < today]
    counted_at = registry_counts or _registry_counts_at(programme, _count_dates(programme, today))
    counts_now, counts_start = counted_at[today], counted_at[on_start]
    counts_by_year = {on.year: counted_at[on] for on in year_ends}
    indicator_sums = _indicator_sums(programme, years)
    zone_count = None
    rows = []
    for target in targets:
        measure = target.measure
        source, label, current, base_level, points, url, note = (
            "reported",
            "牵头单位报送（附佐证）",
            None,
            None,
            [],
            "",
            "",
        )
        counted = counts_now.get(target.code)
        if measure in ("registry:pilot_zone", "registry:pilot_zone:provincial"):
            source, label = "registry", "先导区名单计数"
            if zone_count is None:
                from xiandao.pilot_zones.selectors import zone_list_for_programme

                zone_count = zone_list_for_programme(programme).count()
            current = Decimal(zone_count)
        elif counted is not None and counted.count is not None:
            source, label, url = "registry", counted.label, counted.url
            current = Decimal(counted.count)
            started = counts_start.get(target.code)
            base_level = Decimal(started.count) if started is not None and started.count is not None else None
            points = [
                (y, Decimal(c[target.code].count))
                for y, c in counts_by_year.items()
                if target.code in c and c[target.code].count is not None
            ]
        elif measure and not measure.startswith("registry:"):
            source, label = "indicator", f"先导区审定数据合计（{measure}）"
            points = [(y, sums[measure]) for y, sums in sorted(indicator_sums.items()) if measure in sums]
            current = points[-1][1] if points else None
            note = f"截至{points[-1][0]}年审定数据" if points else "尚无审定数据"
        if source == "reported":
            values = reported.get(target.pk, [])
            points = [(v.as_of.year, v.value) for v in values]
            current = values[-1].value if values else None
            # The level on the eve of the base year is the base, as a registry's count on that day is.
            base_level = values[0].value if values and values[0].as_of.year < start else None
            note = "" if values else "尚未报送"
        if source == "registry" and base_level is not None and target.basis == "stock":
            points = [(start - 1, base_level), *points]  # the count on the eve of the base year
        path = pg.path_for(
            basis=target.basis,
            base_year=start,
            target_year=target.year or start,
            target=target.value,
            base_level=base_level,
        )
        # A count made today is held against today's point of the path; a year's approved sum or a
        # reported value against the path on the day it describes, or a lagging figure always looks behind.
        if source == "indicator" and points:
            as_of = dt.date(points[-1][0], 12, 31)
        elif source == "reported" and reported.get(target.pk):
            as_of = reported[target.pk][-1].as_of
        else:
            as_of = today
        status = pg.status_of(current=current, path=path, on=as_of, tolerances=conf.tolerances)
        expected = path.expected(as_of)
        measured = [(dt.date(y, 12, 31), v) for y, v in points if dt.date(y, 12, 31) < as_of]
        if current is not None:
            measured.append((as_of, current))
        rows.append(
            TargetProgress(
                target=target,
                source=source,
                measure_label=label,
                current=current,
                expected=expected,
                status=status,
                as_of=as_of,
                path=path,
                actual_points=points,
                shortfall=pg.shortfall_percent(current, expected, path.base) if current is not None else None,
                share_of_path=pg.share_of_path(current, path, as_of),
                behind_since=pg.behind_since(measured, path, conf.tolerances),
                share_of_target=pg.share_of_target(current, path),
                entries_url=url,
                reported=reported.get(target.pk, []),
                note=note,
            )
        )
    return rows


def target_measured(target: Target) -> bool:
    """Does something count this target (zones' list, a registry, the zones' reports)? Else its lead unit reports it."""
    measure = target.measure
    if not measure:
        return False
    if measure in ("registry:pilot_zone", "registry:pilot_zone:provincial"):
        return True
    if not measure.startswith("registry:"):
        return True
    counted = _registry_counts(target.programme, timezone.localdate()).get(target.code)
    return counted is not None and counted.count is not None


def progress_grouped(
    rows: list[TargetProgress],
) -> tuple[list[int], list[tuple[str, list[tuple[str, list[TargetProgress | None], str]]]]]:
    """Targets grouped as the documents group them (by document), each metric with its years side by side."""
    years = sorted({r.target.year for r in rows if r.target.year})
    groups: dict[str, dict[str, dict[int, TargetProgress]]] = {}
    for row in rows:
        metrics = groups.setdefault(row.group, {})
        metrics.setdefault(row.target.metric, {})[row.target.year or 0] = row
    table = []
    for name, metrics in groups.items():
        lines = []
        for metric, by_year in metrics.items():
            cells = [by_year.get(y) for y in years]
            label = next(r.measure_label for r in by_year.values())
            lines.append((metric, cells, label))
        table.append((name, lines))
    return years, table


def target_get(programme: Programme, target_id: int | str) -> Target:
    from django.http import Http404

    target = programme.targets.public().filter(pk=target_id).select_related("document").first()
    if target is None:
        raise Http404("未找到该对象，或您无权访问。")
    return target
