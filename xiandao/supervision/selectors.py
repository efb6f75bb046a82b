"""Reads of supervision: targets' progress, tasks with work lists and reports, warnings, cockpit figures.

Everything is computed when read, from the other apps' selectors (registries' counts, monitoring's
approved values and report states, evaluation's grades, pilot_zones' zones) with a number of
queries that does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import role_holders_by_jurisdiction, users_holding_role
from xiandao.programmes.models import TaskKind, UnitRole
from xiandao.programmes.selectors import task_unit_prefetch

from . import progress as pg
from . import rules
from .models import (
    ProgressReport,
    SixList,
    SixListEntry,
    SupervisionNotice,
    TargetValue,
    WarningExplanation,
    WorkItem,
)
from .permissions import SupervisionAction, programme_supervision_policy

if TYPE_CHECKING:
    from xiandao.accounts.models import Organisation
    from xiandao.programmes.models import Programme, Target, Task, TaskUnit

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


# --- tasks ---------------------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    lead: list[TaskUnit]
    cooperating: list[TaskUnit]
    items: list[WorkItem]
    reports: dict[int, ProgressReport]
    standing: tuple[str, ...]

    @property
    def overdue(self) -> list[WorkItem]:
        today = timezone.localdate()
        return [i for i in self.items if i.done_on is None and i.due < today]

    @property
    def done_share(self) -> Decimal | None:
        if not self.items:
            return None
        return Decimal(sum(1 for i in self.items if i.done_on)) / Decimal(len(self.items))

    @property
    def latest_completion(self) -> int | None:
        if not self.reports:
            return None
        return self.reports[max(self.reports)].completion


def _items_prefetch() -> Prefetch:
    notices = SupervisionNotice.objects.select_related("issued_by", "answered_by").order_by("-issued_at")
    return Prefetch(
        "work_items",
        queryset=WorkItem.objects.order_by("year", "due", "position", "pk").prefetch_related(
            Prefetch("notices", queryset=notices)
        ),
    )


def task_rows(programme: Programme, tasks: QuerySet[Task] | None = None) -> list[TaskRow]:
    """Tasks with their units, work-list items (and notices) and progress reports (with parts): five queries."""
    standing = settings_of(programme).standing_units
    if tasks is None:
        tasks = programme.tasks.public().filter(kind=TaskKind.TASK)
    tasks = (
        tasks.select_related("parent", "document")
        .prefetch_related(
            task_unit_prefetch(),
            _items_prefetch(),
            Prefetch(
                "progress_reports",
                queryset=ProgressReport.objects.select_related(
                    "organisation", "reported_by"
                ).prefetch_related("parts__organisation"),
            ),
        )
        .order_by("position")
    )
    rows = []
    for task in tasks:
        units = task.units_by_role()
        rows.append(
            TaskRow(
                task,
                units[UnitRole.LEAD],
                units[UnitRole.COOPERATING],
                list(task.work_items.all()),
                {r.year: r for r in task.progress_reports.all()},
                standing,
            )
        )
    return rows


def task_get(user: Any, task_id: int | str) -> Task:
    from .permissions import task_supervision_policy

    return task_supervision_policy.get_or_404(user, SupervisionAction.VIEW, pk=task_id)


def tasks_of_user(user: Any) -> QuerySet[Task]:
    """The tasks the user's department leads or joins."""
    from .permissions import task_supervision_policy

    return task_supervision_policy.instances_for(user, SupervisionAction.REPORT)


def city_items(programme: Programme, city_ids: Any = None) -> list[WorkItem]:
    items = WorkItem.objects.filter(programme=programme, city__isnull=False).select_related("city")
    if city_ids is not None:
        items = items.filter(city_id__in=list(city_ids))
    return list(
        items.prefetch_related(
            Prefetch("notices", queryset=SupervisionNotice.objects.order_by("-issued_at"))
        ).order_by("city__code", "year", "due")
    )


def item_get(user: Any, item_id: int | str, action: str = SupervisionAction.VIEW) -> WorkItem:
    from .permissions import work_item_policy

    return work_item_policy.get_or_404(user, action, pk=item_id)


# --- warnings --------------------------------------------------------------------------------------------


def _admin_ids(programme: Programme) -> tuple[int, ...]:
    from xiandao.geo.selectors import jurisdiction_descendant_ids

    ids = jurisdiction_descendant_ids([programme.jurisdiction_id])
    return tuple(users_holding_role(Role.PROGRAMME_ADMIN, jurisdiction_ids=ids).values_list("pk", flat=True))


def _zone_cities(programme: Programme) -> tuple[list[Any], dict[int, str]]:
    """The programme's zones and each one's city name (monitoring's dated divisions: a few queries)."""
    zones, city_ids, names = _zone_places(programme)
    return zones, {zone_id: names[city] for zone_id, city in city_ids.items()}


def _zone_places(programme: Programme) -> tuple[list[Any], dict[int, int], dict[int, str]]:
    """The programme's zones, each one's city id, and the cities' names."""
    from xiandao.geo.selectors import city_list
    from xiandao.monitoring.selectors import zone_divisions
    from xiandao.pilot_zones.selectors import zone_list_for_programme

    zones = list(zone_list_for_programme(programme))
    divisions = zone_divisions(zones, timezone.localdate())
    names = dict(city_list().filter(pk__in={c for c, _ in divisions.values() if c}).values_list("pk", "name"))
    return zones, {zone_id: city for zone_id, (city, _county) in divisions.items() if city in names}, names


def warnings_all(
    programme: Programme,
    *,
    today: dt.date | None = None,
    progress_rows: list[TargetProgress] | None = None,
    kinds: frozenset[str] | None = None,
) -> list[rules.Warning]:
    """Every warning the rules raise for the programme today, explained ones included.

    ``kinds`` limits the rules run (and the data read) to those kinds; every kind by default.
    """
    from xiandao.evaluation.selectors import grade_histories
    from xiandao.monitoring.permissions import programme_settings
    from xiandao.monitoring.selectors import approved_values_by_year, default_deadline, report_states
    from xiandao.programmes.selectors import framework_for_year, lifecycle_get, rule_parameters

    today = today or timezone.localdate()
    conf = settings_of(programme)
    admins = _admin_ids(programme)
    admin_name = programme.admin_organisation.name if programme.admin_organisation_id else "计划管理员"
    zones, city_ids, city_names = _zone_places(programme)
    cities = {zone_id: city_names[city] for zone_id, city in city_ids.items()}
    zone_names = {z.pk: z.name for z in zones}
    # A zone's warnings go to the programme's admins and to the officers of the zone's city.
    officers = role_holders_by_jurisdiction(Role.CITY_OFFICER, set(city_ids.values()))

    def zone_ids(zone_id: int) -> tuple[int, ...]:
        return admins + tuple(u for u in officers.get(city_ids.get(zone_id, 0), ()) if u not in admins)

    def zone_resp(zone_id: int) -> str:
        city = cities.get(zone_id, "")
        return (
            f"{city}发展改革委、{zone_names.get(zone_id, '')}运营单位"
            if city
            else f"{zone_names.get(zone_id, '')}运营单位"
        )

    def wanted(*of: str) -> bool:
        return kinds is None or any(k in kinds for k in of)

    found: list[rules.Warning] = []
    year = today.year - 1
    # Reports missing at the deadline (last year's annual report).
    if wanted(rules.Kind.REPORT_MISSING):
        deadline = default_deadline(programme_settings(programme), year)
        facts = [
            rules.ReportFact(
                s.zone_id,
                s.zone_name,
                year,
                s.deadline or deadline,
                s.status not in ("absent", "draft", "returned"),
                zone_resp(s.zone_id),
                zone_ids(s.zone_id),
            )
            for s in report_states(programme, year)
        ]
        found += rules.reports_missing(facts, today)
    # Indicators falling year on year (approved values of the two latest years).
    if wanted(rules.Kind.INDICATOR_FALLING):
        approved = approved_values_by_year(programme, [year, year - 1, year - 2])
        latest, before = approved[year], approved[year - 1]
        if not latest:
            latest, before = before, approved[year - 2]
            year -= 1
        names: dict[str, tuple[str, int]] = {}
        for _dimension, indicators in framework_for_year(programme, year):
            for indicator in indicators:
                names[indicator.code] = (indicator.name, indicator.direction)
        series = []
        for zone_id, values in latest.items():
            for code, value in values.items():
                if code in names and code in before.get(zone_id, {}):
                    series.append(
                        rules.SeriesFact(
                            zone_id,
                            zone_names.get(zone_id, str(zone_id)),
                            code,
                            names[code][0],
                            {year - 1: before[zone_id][code], year: value},
                            zone_resp(zone_id),
                            "down" if names[code][1] == -1 else "up",
                            zone_ids(zone_id),
                        )
                    )
        found += rules.indicators_falling(series, drop_percent=conf.falling_percent, on=today)
    # Targets behind their path.
    if wanted(rules.Kind.TARGET_BEHIND):
        rows = progress_rows if progress_rows is not None else target_progress(programme, today=today)
        # Two documents may set the same metric for the same year: name the document then.
        named = Counter((r.target.year, r.target.metric) for r in rows)
        found += rules.targets_behind(
            rules.TargetFact(
                r.target.pk,
                f"{r.target.year}年目标：{r.target.metric}"
                + (f"（{r.target.document.title}）" if named[(r.target.year, r.target.metric)] > 1 else ""),
                r.status,
                r.shortfall,
                admin_name,
                r.behind_since or r.as_of,
                admins,
            )
            for r in rows
        )
    # Grades: a second consecutive A, and removal risk (one removal grade short).
    if wanted(rules.Kind.SECOND_A, rules.Kind.REMOVAL_RISK):
        histories = grade_histories(programme)
        lifecycle = lifecycle_get(programme)
        structure = lifecycle.structure if lifecycle and lifecycle.specified else {}
        removal_grade = str((structure.get("consequences") or {}).get("removal", {}).get("grade", "") or "")
        if removal_grade or histories:
            grade_facts = [
                rules.GradeFact(
                    zone_id,
                    zone_names.get(zone_id, str(zone_id)),
                    history,
                    zone_resp(zone_id),
                    zone_ids(zone_id),
                )
                for zone_id, history in histories.items()
            ]
            found += rules.second_consecutive(grade_facts, grade=removal_grade or "A")
            parameter = rule_parameters(programme).get("consequences.removal.consecutive_years")
            n = parameter.value if parameter and parameter.value else None
            risks = []
            for zone_id, history in histories.items():
                if not n or n < 2 or not history or not removal_grade:
                    continue
                # The run of removal grades in consecutive years ending in the zone's latest published
                # year. On its (n-1)th one more removes the zone; with n = 2 a single removal grade is
                # the risk. A longer run (a zone kept within its tolerance period) stays at risk, as in
                # evaluation's forecast, which flags every run of at least n-1.
                streak = rules.streak_of(history, removal_grade)
                if streak >= n - 1:
                    risks.append(
                        rules.RiskFact(
                            zone_id,
                            zone_names.get(zone_id, str(zone_id)),
                            history[-1][0],
                            streak,
                            n,
                            zone_resp(zone_id),
                            zone_ids(zone_id),
                        )
                    )
            found += rules.removal_risks(risks)
    # Work-list items overdue.
    if wanted(rules.Kind.ITEM_OVERDUE):
        items = list(
            WorkItem.objects.filter(programme=programme, done_on__isnull=True, due__lt=today)
            .select_related("task", "city")
            .prefetch_related("notices", "task__units__organisations")
        )
        officer_ids = _department_officers()
        city_officers = role_holders_by_jurisdiction(
            Role.CITY_OFFICER, {i.city_id for i in items if i.city_id}
        )
        item_facts = []
        for item in items:
            if item.task is not None:
                lead = [u for u in item.task.units.all() if u.role == UnitRole.LEAD]
                responsible = "、".join(u.written for u in lead) or "牵头单位"
                org_ids = {o.pk for u in lead for o in u.organisations.all()}
                ids = tuple(uid for uid, oid in officer_ids if oid in org_ids) + admins
                subject = f"{item.task.title[:30]}：{item.title}"
            else:
                responsible = f"{item.city.name}人民政府" if item.city else "设区市"
                ids = admins + city_officers.get(item.city_id or 0, ())
                subject = f"{item.city.name if item.city else ''}年度工作清单：{item.title}"
            item_facts.append(
                rules.ItemFact(
                    item.pk,
                    subject,
                    item.due,
                    False,
                    any(n.is_open for n in item.notices.all()),
                    responsible,
                    ids,
                )
            )
        found += rules.items_overdue(item_facts, today)
    return found


def _department_officers() -> list[tuple[int, int]]:
    officers = users_holding_role(Role.DEPARTMENT_OFFICER).filter(organisation__isnull=False)
    return list(officers.values_list("pk", "organisation_id"))


def explained_keys(programme: Programme) -> dict[str, WarningExplanation]:
    return {
        e.key: e
        for e in WarningExplanation.objects.filter(programme=programme).select_related("explained_by")
    }


def warnings_open(
    programme: Programme,
    *,
    today: dt.date | None = None,
    progress_rows: list[TargetProgress] | None = None,
    kinds: frozenset[str] | None = None,
) -> list[rules.Warning]:
    """The open warnings: raised by the rules and not closed by an explanation."""
    return rules.open_warnings(
        warnings_all(programme, today=today, progress_rows=progress_rows, kinds=kinds),
        explained_keys(programme),
    )


def _kinds_for(user: Any, programme: Programme) -> frozenset[str] | None:
    """The kinds whose warnings may name the user (warnings_all's responsible_ids): every kind for
    the programme's admins, overdue items for a department officer (their lead unit's), else none.
    Computing only those spares an officer's workbench the targets' and grades' reads."""
    if user.pk in _admin_ids(programme):
        return None
    kinds: set[str] = set()
    if user.pk in {uid for uid, _org in _department_officers()}:
        kinds.add(rules.Kind.ITEM_OVERDUE)
    from xiandao.accounts.selectors import user_scope

    if user_scope(user).has_role(Role.CITY_OFFICER):
        # A city's officers answer for their zones' reports, figures and grades, and the city's work list.
        kinds |= {
            rules.Kind.REPORT_MISSING,
            rules.Kind.INDICATOR_FALLING,
            rules.Kind.SECOND_A,
            rules.Kind.REMOVAL_RISK,
            rules.Kind.ITEM_OVERDUE,
        }
    return frozenset(kinds)


#: The warnings computed during the current request, by (user, day): the workbench asks twice (its
#: to-dos and its notices) and each computation reads every programme's data. Only set between
#: Django's request_started and request_finished (apps.py), so nothing outlives a request: outside
#: one (a command, a test calling the selectors) every call computes afresh.
_request_warnings: ContextVar[dict[tuple[int, dt.date], list[tuple[Programme, rules.Warning]]] | None] = (
    ContextVar("supervision_request_warnings", default=None)
)


def warnings_request_started(**_kwargs: Any) -> None:
    _request_warnings.set({})


def warnings_request_finished(**_kwargs: Any) -> None:
    _request_warnings.set(None)


def warnings_for_user(user: Any) -> list[tuple[Programme, rules.Warning]]:
    """The open warnings the user is responsible for, over the programmes they follow (once a request)."""
    cache = _request_warnings.get()
    key = (user.pk, timezone.localdate())
    if cache is not None and key in cache:
        return list(cache[key])
    found = []
    for programme in programme_list_for_user(user):
        kinds = _kinds_for(user, programme)
        if kinds is not None and not kinds:
            continue
        for warning in warnings_open(programme, kinds=kinds):
            if user.pk in warning.responsible_ids:
                found.append((programme, warning))
    if cache is not None:
        cache[key] = list(found)
    return found


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


# --- 六个一 ----------------------------------------------------------------------------------------------


#: The six lists drawn from the registries (Fuzhou 五(一)): registry key and, for enterprises, the tiers kept.
SIX_FROM_REGISTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    SixList.ENTERPRISES: ("enterprise", ("leading", "hidden_champion")),
    SixList.PROJECTS: ("project", ()),
    SixList.INNOVATION: ("platform", ()),
}


@dataclass(frozen=True)
class Industry:
    """An industry of the programme and the units keeping its six lists (由各牵头部门负责), the first leading."""

    code: str
    name: str
    units: tuple[Organisation, ...]
    #: Where the units come from: the lead units of the industry's tasks, or the definition's override.
    source: str  # "tasks" | "definition" | ""
    #: Units the definition names that match no organisation (shown as written, kept by nobody).
    unresolved: tuple[str, ...] = ()

    @property
    def lead(self) -> Organisation | None:
        return self.units[0] if self.units else None

    @property
    def unit_names(self) -> str:
        return "、".join([u.name for u in self.units] + list(self.unresolved))


def _override_units(programme: Programme) -> dict[str, list[str]]:
    section = programme.supervision or {}
    return {
        str(item.get("field")): [str(u) for u in item.get("units") or []]
        for item in section.get("six_list_units") or []
        if isinstance(item, dict)
    }


def six_list_industries(programme: Programme) -> list[Industry]:
    """Every industry of the programme's latest taxonomy with its responsible units.

    The units are the lead units of the tasks whose fields include the industry, in the order the
    document names them (a task earlier in the document first); collective units the document
    says implement every task (the standing units, a fan-out such as 各县（市）区人民政府) keep no list.
    ``supervision.six_list_units`` in the definition replaces them for an industry.
    """
    from xiandao.accounts.selectors import organisation_resolve
    from xiandao.programmes.selectors import field_list_for_programme

    fields: dict[str, str] = {}
    for f in field_list_for_programme(programme):
        fields.setdefault(f.code, f.name)
    standing = set(settings_of(programme).standing_units)
    derived: dict[str, list[Organisation]] = defaultdict(list)
    tasks = (
        programme.tasks.public()
        .filter(kind=TaskKind.TASK)
        .order_by("position")
        .prefetch_related(task_unit_prefetch())
    )
    for task in tasks:
        leads = [
            org
            for unit in task.units_by_role()[UnitRole.LEAD]
            if not unit.fan_out and unit.written not in standing
            for org in unit.organisations.all()
        ]
        for code in task.field_codes or ():
            for org in leads:
                if org not in derived[code]:
                    derived[code].append(org)
    overrides = _override_units(programme)
    industries = []
    for code, name in fields.items():
        if code in overrides:
            resolved = [(w, organisation_resolve(w, within=programme.jurisdiction)) for w in overrides[code]]
            units = tuple(dict.fromkeys(org for _w, org in resolved if org is not None))
            missing = tuple(w for w, org in resolved if org is None)
            industries.append(Industry(code, name, units, "definition", missing))
        else:
            industries.append(
                Industry(code, name, tuple(derived.get(code, ())), "tasks" if code in derived else "")
            )
    return industries


def six_list_industry(programme: Programme, field_code: str) -> Industry | None:
    return next((i for i in six_list_industries(programme) if i.code == field_code), None)


def six_list_keepers(user: Any, programme: Programme, industry: Industry) -> list[Organisation]:
    """The units this user may keep the industry's lists as: every responsible unit for the programme's
    admin, their own unit for a department officer of one, none for anyone else."""
    from xiandao.accounts.selectors import user_scope

    if not programme_supervision_policy.user_may(user, SupervisionAction.VIEW, programme):
        return []
    if programme_supervision_policy.user_may(user, SupervisionAction.MANAGE, programme):
        return list(industry.units)
    scope = user_scope(user)
    if not scope.has_role(Role.DEPARTMENT_OFFICER):
        return []
    return [u for u in industry.units if u.pk in scope.organisation_ids]


@dataclass(frozen=True)
class SixListRow:
    """A line of one list: a registry's entry (``entry`` None) or one the responsible unit keeps."""

    name: str
    detail: str = ""
    region: str = ""
    document: str = ""
    keeper: str = "登记库"
    entry: SixListEntry | None = None


#: What a line of each list names (the column heading of its name).
SIX_LIST_NAME_LABELS: dict[str, str] = {
    SixList.ENTERPRISES: "企业名称",
    SixList.INVESTMENT: "目标企业",
    SixList.PROJECTS: "项目名称",
    SixList.INNOVATION: "平台或机构",
    SixList.POLICIES: "政策措施",
    SixList.ADVISORS: "咨询机构",
}


@dataclass(frozen=True)
class SixListColumn:
    kind: str
    label: str
    rows: list[SixListRow]
    #: The registry feeding the list ("" for the lists only the unit keeps).
    registry: str = ""

    @property
    def name_label(self) -> str:
        return SIX_LIST_NAME_LABELS[self.kind]

    @property
    def kept(self) -> list[SixListRow]:
        return [r for r in self.rows if r.entry is not None]


def six_list_entries(programme: Programme, field_code: str = "") -> QuerySet[SixListEntry]:
    entries = SixListEntry.objects.filter(programme=programme).select_related("keeper")
    return entries.filter(field_code=field_code) if field_code else entries


def six_list_entry_get(user: Any, entry_id: int | str) -> SixListEntry:
    """A kept entry of a programme the user follows (404 otherwise)."""
    from django.http import Http404

    entry = (
        SixListEntry.objects.filter(
            pk=entry_id,
            programme__in=programme_supervision_policy.instances_for(user, SupervisionAction.VIEW),
        )
        .select_related("programme", "keeper")
        .first()
    )
    if entry is None or not six_lists_apply(entry.programme):
        raise Http404("未找到该对象，或您无权访问。")
    return entry


def six_lists(programme: Programme, field_code: str, user: Any = None) -> list[SixListColumn]:
    """A Fuzhou industry's six lists side by side: enterprises (头部企业, 隐形冠军), projects and platforms from
    the registries, each list also holding what the responsible unit keeps.

    The registries' lines are the programme's confirmed entries valid today in the industry, shown to
    whoever follows the programme's supervision: the lists are the industry's shared working lists
    (a department keeping them sees the enterprises it works with), and names and cities only.
    """
    from xiandao.registries.selectors import entry_names_in_field, registry_get

    kept: dict[str, list[SixListEntry]] = defaultdict(list)
    for entry in six_list_entries(programme, field_code):
        kept[entry.list_kind].append(entry)
    lists = []
    for kind in SixList:
        rows: list[SixListRow] = []
        registry = ""
        if kind in SIX_FROM_REGISTRIES:
            key, tiers = SIX_FROM_REGISTRIES[kind]
            registry = registry_get(key).label
            if user is not None and programme_supervision_policy.user_may(
                user, SupervisionAction.VIEW, programme
            ):
                rows += [
                    SixListRow(name=name, detail=city)
                    for name, city in entry_names_in_field(
                        None, key, field_code, tiers=tiers, programme_id=programme.pk, limit=200
                    )
                ]
        rows += [
            SixListRow(
                name=e.name,
                detail=e.detail,
                region=e.region,
                document=e.document,
                keeper=e.keeper.name,
                entry=e,
            )
            for e in kept.get(kind, [])
        ]
        lists.append(SixListColumn(str(kind.value), str(kind.label), rows, registry))
    return lists


@dataclass(frozen=True)
class IndustryCounts:
    industry: Industry
    counts: list[int]  # per list, in SixList order

    @property
    def total(self) -> int:
        return sum(self.counts)


def six_list_overview(programme: Programme, user: Any) -> list[IndustryCounts]:
    """Every industry with its responsible units and how many lines each of its six lists holds
    (the registries' confirmed entries, as :func:`six_lists`, plus kept entries): a query per registry and one for the kept."""
    from django.db.models import Count

    from xiandao.registries.selectors import entry_counts_by_field

    follows = programme_supervision_policy.user_may(user, SupervisionAction.VIEW, programme)
    from_registries = {
        kind: entry_counts_by_field(None, key, programme_id=programme.pk, tiers=tiers) if follows else {}
        for kind, (key, tiers) in SIX_FROM_REGISTRIES.items()
    }
    kept: dict[tuple[str, str], int] = {
        (row["field_code"], row["list_kind"]): row["n"]
        for row in SixListEntry.objects.filter(programme=programme)
        .values("field_code", "list_kind")
        .annotate(n=Count("pk"))
    }
    return [
        IndustryCounts(
            industry,
            [
                from_registries.get(kind, {}).get(industry.code, 0) + kept.get((industry.code, kind), 0)
                for kind in SixList
            ],
        )
        for industry in six_list_industries(programme)
    ]


def six_lists_apply(programme: Programme) -> bool:
    """Does the programme run the 六个一 mechanism (Fuzhou: its tasks' industries kept in six lists)?"""
    return programme.code == "fuzhou" or bool(_override_units(programme))


# --- workbench ---------------------------------------------------------------------------------------------


def supervision_todos(user: Any) -> list[Any]:
    """What waits: items due in 30 days or overdue on my department's tasks, 督办 to answer, my warnings."""
    from django.urls import reverse

    from xiandao.accounts.selectors import user_scope
    from xiandao.core.providers import TodoItem

    from .permissions import work_item_policy

    scope = user_scope(user)
    if not scope.has_role(Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER, Role.PROGRAMME_ADMIN):
        return []
    today = timezone.localdate()
    items: list[Any] = []
    mine = work_item_policy.instances_for(user, SupervisionAction.ANSWER).filter(done_on__isnull=True)
    due = mine.filter(due__lte=today + dt.timedelta(days=30))
    count = due.count()
    if count:
        first = due.order_by("due").first()
        items.append(
            TodoItem(
                "本部门待完成的年度工作事项",
                reverse("supervision:my_tasks"),
                first.due.isoformat() if first else "",
                count,
            )
        )
    notices = SupervisionNotice.objects.filter(item__in=mine, answered_at__isnull=True)
    count = notices.count()
    if count:
        items.append(TodoItem("待反馈的督办", reverse("supervision:my_tasks") + "#notices", "", count))
    if scope.has_role(Role.DEPARTMENT_OFFICER, Role.PROGRAMME_ADMIN):
        # Every open warning I am responsible for, counted (the notices show the most severe).
        warnings = warnings_for_user(user)
        if warnings:
            items.append(
                TodoItem(
                    "我负责的提示预警（待处理或说明）",
                    reverse("supervision:warnings"),
                    "",
                    len(warnings),
                )
            )
    if scope.has_role(Role.PROGRAMME_ADMIN):
        overdue = work_item_policy.instances_for(user, SupervisionAction.MANAGE).filter(
            done_on__isnull=True, due__lt=today
        )
        count = overdue.exclude(notices__answered_at__isnull=True, notices__isnull=False).count()
        if count:
            items.append(
                TodoItem(
                    "逾期未办结、尚未督办的工作事项",
                    reverse("supervision:warnings") + "?kind=item_overdue",
                    "",
                    count,
                )
            )
    return items


def supervision_notices(user: Any) -> list[Any]:
    """The warnings the user is responsible for, as notices on the workbench."""
    from django.urls import reverse

    from xiandao.accounts.selectors import user_scope
    from xiandao.core.providers import NoticeItem

    if not user_scope(user).has_role(Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER, Role.PROGRAMME_ADMIN):
        return []
    found = []
    for programme, warning in warnings_for_user(user)[:8]:
        found.append(
            NoticeItem(
                f"【{warning.level_label}预警】{warning.kind_label}：{warning.subject}",
                reverse("supervision:warnings_programme", kwargs={"programme_code": programme.code}),
                warning.since.isoformat(),
                "提示预警",
            )
        )
    return found
