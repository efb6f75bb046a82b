"""Reads of statistical monitoring: the form of a period, a report with everything beside each field,
its checks, what is due, the figures, and what the evaluation reads (``approved_values``, ``report_states``).

Every page's read is a fixed number of queries whatever the number of zones and years: values,
last period's values, peers and registry counts are each read for all fields at once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from xiandao.geo.selectors import jurisdiction_list_by_ids, jurisdiction_parent_ids, park_jurisdiction_ids
from xiandao.pilot_zones import selectors as zone_selectors
from xiandao.pilot_zones.models import ZoneStatus
from xiandao.programmes.models import IndicatorSource
from xiandao.programmes.selectors import framework_for_year
from xiandao.registries.counting import MeasureError, indicator_basis, parse_measure
from xiandao.registries.selectors import CountSpec, counted_entries

from . import checks
from .checks import Check, MonitoringSettings
from .models import Flag, Report, ReportingPeriod, ReportStatus, ReportStep, ReportValue, ValueVersion
from .permissions import (
    MonitoringAction,
    PeriodAction,
    people_who,
    period_policy,
    programme_settings,
    report_policy,
)

if TYPE_CHECKING:
    from xiandao.pilot_zones.models import PilotZone
    from xiandao.programmes.models import Programme

#: The zone statuses that report: on the creation list, or recognised.
REPORTING_STATUSES = (ZoneStatus.CREATING, ZoneStatus.RECOGNISED)


# --- the form -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One indicator of a period's form, as the framework had it that year."""

    code: str
    name: str
    unit: str
    definition: str
    formula: str
    dimension: str
    counted: bool  # counted from a registry: read-only
    measure: str = ""
    categories: tuple[tuple[str, str], ...] = ()  # disaggregation (code, name)
    categories_name: str = ""
    direction: int = 1


@dataclass(frozen=True)
class FormSpec:
    """What a period's report asks for (also what the Excel template lists)."""

    programme_code: str
    programme_name: str
    year: int
    quarter: int
    period_label: str
    fields: tuple[FormField, ...]

    def field(self, code: str) -> FormField | None:
        return next((f for f in self.fields if f.code == code), None)

    @property
    def entered(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if not f.counted)


def form_spec(programme: Programme, year: int, quarter: int = 0) -> FormSpec:
    """The form of a period: every indicator the framework of ``year`` holds, registry counts read-only."""
    settings = programme_settings(programme)
    fields: list[FormField] = []
    for dimension, indicators in framework_for_year(programme, year):
        for indicator in indicators:
            split = settings.disaggregation(indicator.code)
            fields.append(
                FormField(
                    code=indicator.code,
                    name=indicator.name,
                    unit=indicator.unit,
                    definition=indicator.definition,
                    formula=indicator.formula,
                    dimension=dimension.name,
                    counted=indicator.source == IndicatorSource.REGISTRY_COUNT and bool(indicator.measure),
                    measure=indicator.measure,
                    categories=split.categories if split else (),
                    categories_name=split.name if split else "",
                    direction=indicator.direction,
                )
            )
    label = f"{year}年第{quarter}季度" if quarter else f"{year}年"
    return FormSpec(programme.code, programme.name, year, quarter, label, tuple(fields))


def period_form_spec(period: ReportingPeriod) -> FormSpec:
    cached: FormSpec | None = getattr(period, "_form_spec", None)
    if cached is None:
        cached = form_spec(period.programme, period.year, period.quarter)
        period._form_spec = cached  # type: ignore[attr-defined]
    return cached


# --- periods ----------------------------------------------------------------------------------------


def period_end(year: int, quarter: int = 0) -> dt.date:
    """The last day a period covers."""
    if not quarter:
        return dt.date(year, 12, 31)
    month = quarter * 3
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def default_deadline(settings: MonitoringSettings, year: int, quarter: int = 0) -> dt.date:
    return period_end(year, quarter) + dt.timedelta(days=settings.due_days)


def period_list_for_user(user: Any, programme: Programme | None = None) -> QuerySet[ReportingPeriod]:
    periods = period_policy.instances_for(user, PeriodAction.VIEW).select_related("programme")
    if programme is not None:
        periods = periods.filter(programme=programme)
    return periods.order_by("programme__code", "-year", "-quarter")


def period_get(user: Any, period_id: int | str, action: str = PeriodAction.VIEW) -> ReportingPeriod:
    return period_policy.get_or_404(user, action, pk=period_id)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The period before: the year before for annual periods, the quarter before for quarterly ones."""
    if period.quarter:
        year, quarter = (period.year, period.quarter - 1) if period.quarter > 1 else (period.year - 1, 4)
    else:
        year, quarter = period.year - 1, 0
    return ReportingPeriod.objects.filter(
        programme_id=period.programme_id, year=year, quarter=quarter
    ).first()


def zones_reporting(programme: Programme) -> list[PilotZone]:
    """The zones that report in a programme: on its creation list, or recognised."""
    return list(
        zone_selectors.zone_list()
        .filter(programme=programme, status__in=REPORTING_STATUSES)
        .select_related("field", "zone_type")
        .order_by("name")
    )


def zone_divisions(zones: Iterable[PilotZone], on: dt.date) -> dict[int, tuple[int | None, int | None]]:
    """Zone id → (city id, county id) as the zone's places stood on ``on`` (a handful of queries for any number)."""
    zones = list(zones)
    every_place = list(zone_selectors.zone_place_list(zones))
    places = [p for p in every_place if p.valid_from <= on and (p.valid_to is None or p.valid_to > on)]
    # A period before a zone's first place (a baseline year reported on creation) takes its first places.
    placed = {p.zone_id for p in places}
    first: dict[int, dt.date] = {}
    for place in every_place:
        if place.zone_id not in placed:
            first[place.zone_id] = min(first.get(place.zone_id, place.valid_from), place.valid_from)
    places += [p for p in every_place if p.zone_id in first and p.valid_from == first[p.zone_id]]
    park_places = park_jurisdiction_ids({p.park_id for p in places if p.park_id}, on=on)
    parents = jurisdiction_parent_ids(on=on)
    direct: dict[int, set[int]] = defaultdict(set)
    for place in places:
        if place.jurisdiction_id:
            direct[place.zone_id].add(place.jurisdiction_id)
        if place.park_id:
            direct[place.zone_id] |= park_places.get(place.park_id, set())
    every = set(parents) | set(parents.values()) | {j for ids in direct.values() for j in ids}
    levels = {j.pk: j.level for j in jurisdiction_list_by_ids(every)}
    found: dict[int, tuple[int | None, int | None]] = {}
    for zone in zones:
        city = county = None
        for start in sorted(direct.get(zone.pk, ())):
            node: int | None = start
            while node is not None:
                if levels.get(node) == "county" and county is None:
                    county = node
                if levels.get(node) == "city" and city is None:
                    city = node
                node = parents.get(node)
            if city:
                break
        found[zone.pk] = (city, county)
    return found


# --- registry counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    count: int
    url: str


#: Above this many zones, :func:`registry_counts` groups all the programme's entries rather than list ids.
MANY_ZONES = 200


def registry_counts(
    period: ReportingPeriod, fields: Iterable[FormField], zone_ids: Iterable[int]
) -> dict[tuple[int, str], Counted]:
    """(zone id, indicator code) → the registry's count at the period's end and the link to the counted entries.

    One query per counted indicator, for every zone at once.
    """
    ids = list(zone_ids)
    on = period_end(period.year, period.quarter)
    start = dt.date(period.programme.start_year, 1, 1)
    found: dict[tuple[int, str], Counted] = {}
    for item in fields:
        if not item.counted:
            continue
        try:
            measure = parse_measure(item.measure)
        except MeasureError:
            continue
        basis = indicator_basis(item.definition)
        since = start if basis == "cumulative" else None
        spec = CountSpec(measure, basis, on, since, None, period.programme_id)
        entries = counted_entries(spec)
        if len(ids) <= MANY_ZONES:
            entries = entries.filter(zone_id__in=ids)
        # for many zones, every zone's count (the programme's entries grouped by zone) is cheaper
        # than a list of thousands of ids in the query; only the asked zones' counts are kept below
        rows = dict(entries.values_list("zone_id").annotate(n=Count("pk")).values_list("zone_id", "n"))
        url = spec.url  # one reverse() per indicator, not per zone
        for zone_id in ids:
            found[(zone_id, item.code)] = Counted(int(rows.get(zone_id, 0)), f"{url}&zone={zone_id}")
    return found


# --- one report ---------------------------------------------------------------------------------------


def report_list_for_user(user: Any, action: str = MonitoringAction.VIEW) -> QuerySet[Report]:
    return (
        report_policy.instances_for(user, action)
        .select_related("period", "period__programme", "zone", "zone__field", "city", "county")
        .order_by("-period__year", "-period__quarter", "zone__name")
    )


def report_get(user: Any, report_id: int | str, action: str = MonitoringAction.VIEW) -> Report:
    report = report_policy.get_or_404(user, action, pk=report_id)
    return Report.objects.select_related(
        "period", "period__programme", "zone", "zone__field", "city", "county"
    ).get(pk=report.pk)


def report_value_map(report: Report) -> dict[tuple[str, str], ReportValue]:
    return {(v.indicator_code, v.category): v for v in report.values.prefetch_related("evidence")}


def values_of(reports: Iterable[Report]) -> dict[int, dict[str, Decimal | None]]:
    """Report id → indicator code → total (one query)."""
    found: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for report_id, code, value in ReportValue.objects.filter(
        report__in=list(reports), category=""
    ).values_list("report_id", "indicator_code", "value"):
        found[report_id][code] = value
    return found


def previous_report(report: Report) -> Report | None:
    before = previous_period(report.period)
    if before is None:
        return None
    return Report.objects.filter(period=before, zone_id=report.zone_id).first()


def _targets(zone: PilotZone, year: int) -> dict[str, Decimal]:
    """This year's annual targets from the zone's plan (``pilot_zones.selectors.zone_annual_targets``)."""
    provider = getattr(zone_selectors, "zone_annual_targets", None)
    return dict(provider(zone, year)) if provider is not None else {}


def peer_reports(report: Report, settings: MonitoringSettings) -> QuerySet[Report]:
    """The reports of the same period by zones of the same field (or zone type), this one included."""
    peers = Report.objects.filter(period_id=report.period_id)
    if settings.peer_group == "zone_type":
        if report.zone.zone_type_id is None:
            return peers.filter(pk=report.pk)
        return peers.filter(zone__zone_type_id=report.zone.zone_type_id)
    return peers.filter(zone__field__code=report.zone.field.code)


def _peer_label(settings: MonitoringSettings) -> str:
    return "同类型先导区" if settings.peer_group == "zone_type" else "同领域先导区"


def report_checks(
    report: Report,
    current: dict[str, Decimal | None],
    previous: dict[str, Decimal | None],
    peers: dict[str, list[Decimal]],
    parts: dict[str, dict[str, Decimal | None]],
    stats: Mapping[str, checks.PeerStats] | None = None,
) -> list[Check]:
    """Every check of a report on these values: rules, counts, disaggregations, year on year, peers.

    ``stats``, by indicator, are the peer group's median and MAD when the caller has them for many
    reports at once (``peers`` is then only read for the indicators ``stats`` lacks).
    """
    settings = programme_settings(report.period.programme)
    spec = period_form_spec(report.period)
    names, rules = _spec_rules(spec, settings)
    stats = stats or {}
    found: list[Check] = []
    for rule in rules:
        found.append(checks.rule_check(rule, current, previous, names))
    for item in spec.fields:
        value = current.get(item.code)
        found.append(checks.value_check(item.code, value, item.unit, item.name))
        if item.categories:
            found.append(
                checks.disaggregation_check(
                    item.code,
                    value,
                    {c: parts.get(item.code, {}).get(c) for c, _ in item.categories},
                    item.name,
                )
            )
        found.append(
            checks.year_on_year_check(item.code, value, previous.get(item.code), settings.factor, item.name)
        )
        found.append(
            checks.peer_check(
                item.code,
                value,
                peers.get(item.code, []),
                threshold=settings.threshold,
                min_peers=settings.min_peers,
                group=_peer_label(settings),
                name=item.name,
                stats=stats.get(item.code),
            )
        )
    return found


def _spec_rules(spec: FormSpec, settings: MonitoringSettings) -> tuple[dict[str, str], list[checks.Rule]]:
    """The form's indicator names and the programme's rules over them, worked out once per form
    (kept on the frozen spec, as ``period_form_spec`` keeps the spec on the period)."""
    cached: tuple[MonitoringSettings, dict[str, str], list[checks.Rule]] | None = getattr(
        spec, "_names_rules", None
    )
    if cached is None or cached[0] is not settings:
        names = {f.code: f.name for f in spec.fields}
        rules = [r for r in settings.rules if r.left.codes() | r.right.codes() <= set(names)]
        cached = (settings, names, rules)
        object.__setattr__(spec, "_names_rules", cached)
    return cached[1], cached[2]


@dataclass
class FieldRow:
    """One line of the report form: the field, its value now, last period's, this year's target, its checks."""

    field: FormField
    value: ReportValue | None
    previous: Decimal | None
    target: Decimal | None
    counted: Counted | None
    parts: list[tuple[str, str, ReportValue | None]] = dataclass_field(default_factory=list)
    checks: list[Check] = dataclass_field(default_factory=list)
    flags: list[Flag] = dataclass_field(default_factory=list)

    @property
    def number(self) -> Decimal | None:
        if (
            self.field.counted
            and self.counted is not None
            and (self.value is None or self.value.value is None)
        ):
            return Decimal(self.counted.count)
        return self.value.value if self.value else None

    @property
    def findings(self) -> list[Check]:
        """What the checks found on this field (a check that could not run is listed apart)."""
        return [c for c in self.checks if c.flagged]

    @property
    def missing(self) -> bool:
        return self.number is None

    @property
    def number_text(self) -> str:
        return checks.text(self.number) if self.number is not None else ""

    @property
    def previous_text(self) -> str:
        return checks.text(self.previous) if self.previous is not None else ""

    @property
    def target_text(self) -> str:
        return checks.text(self.target) if self.target is not None else ""

    @property
    def typed_text(self) -> str:
        """The stored value as a person writes it (6.5, not 6.5000), for the input box."""
        return checks.text(self.value.value) if self.value and self.value.value is not None else ""

    @property
    def parts_text(self) -> list[tuple[str, str, str]]:
        """(category code, name, value as written) of each category."""
        return [(c, n, checks.text(v.value) if v and v.value is not None else "") for c, n, v in self.parts]


@dataclass
class ReportView:
    report: Report
    settings: MonitoringSettings
    spec: FormSpec
    rows: list[FieldRow]
    checks: list[Check]
    flags: list[Flag]
    steps: list[ReportStep]
    previous_label: str

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.blocks]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.flagged and not c.blocks]

    @property
    def cannot(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == "cannot" and c.kind in ("peer", "year_on_year")]

    @property
    def missing_without_comment(self) -> list[FieldRow]:
        return [r for r in self.rows if r.missing and not (r.value and r.value.comment.strip())]

    @property
    def sections(self) -> list[tuple[str, list[FieldRow]]]:
        grouped: dict[str, list[FieldRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.field.dimension, []).append(row)
        return list(grouped.items())

    @property
    def stages(self) -> list[dict[str, Any]]:
        """The step bar: each level of the chain, done, current or to come, with who and when."""
        last: dict[int, ReportStep] = {}
        for step in self.steps:
            last[step.stage] = step
        out = []
        for index, level in enumerate(self.settings.levels):
            if self.report.status == ReportStatus.APPROVED:
                state = "done"
            elif self.report.status == ReportStatus.PENDING:
                state = (
                    "done"
                    if index < self.report.stage
                    else ("current" if index == self.report.stage else "todo")
                )
            else:
                state = "current" if index == 0 else "todo"
            done = last.get(index)
            out.append(
                {
                    "level": self.settings.level_name(level),
                    "state": state,
                    "step": done if state == "done" else None,
                }
            )
        return out


def report_view(report: Report) -> ReportView:
    """Everything the report form shows; a constant number of queries."""
    period = report.period
    programme = period.programme
    settings = programme_settings(programme)
    spec = period_form_spec(period)
    values = report_value_map(report)
    before = previous_report(report)
    previous = values_of([before])[before.pk] if before else {}
    peers_qs = peer_reports(report, settings)
    peer_values: dict[str, list[Decimal]] = defaultdict(list)
    for code, value in ReportValue.objects.filter(
        report__in=peers_qs, category="", value__isnull=False
    ).values_list("indicator_code", "value"):
        if value is not None:
            peer_values[code].append(value)
    counted = registry_counts(period, spec.fields, [report.zone_id]) if not report.locked else {}
    targets = _targets(report.zone, period.year)
    flags = list(report.flags.prefetch_related("comments__author").order_by("-active", "importance", "key"))
    flags_by_code: dict[str, list[Flag]] = defaultdict(list)
    for flag in flags:
        flags_by_code[flag.indicator_code].append(flag)
    rows: list[FieldRow] = []
    current: dict[str, Decimal | None] = {}
    parts: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    for item in spec.fields:
        stored_value = values.get((item.code, ""))
        row = FieldRow(
            field=item,
            value=stored_value,
            previous=previous.get(item.code),
            target=targets.get(item.code),
            counted=counted.get((report.zone_id, item.code)),
            parts=[(c, n, values.get((item.code, c))) for c, n in item.categories],
            flags=flags_by_code.get(item.code, []),
        )
        rows.append(row)
        current[item.code] = row.number
        for c, _, v in row.parts:
            parts[item.code][c] = v.value if v else None
    # a zone's own value stands among its peers as it is now, typed or counted
    for item in spec.fields:
        own = current.get(item.code)
        stored = values.get((item.code, ""))
        if stored is not None and stored.value is not None:
            peer_values[item.code].remove(stored.value)
        if own is not None:
            peer_values[item.code].append(own)
    found = report_checks(report, current, previous, peer_values, parts)
    by_code: dict[str, list[Check]] = defaultdict(list)
    for check in found:
        for code in check.indicators:
            by_code[code].append(check)
    for row in rows:
        row.checks = by_code.get(row.field.code, [])
    steps = list(report.steps.select_related("actor").order_by("at", "pk"))
    label = before.period.label if before else ""
    return ReportView(report, settings, spec, rows, found, flags, steps, label)


def value_history(report: Report) -> list[ValueVersion]:
    """Every version of every value of a report, newest first, with who and when."""
    return list(
        ValueVersion.objects.filter(value__report=report)
        .select_related("value", "changed_by")
        .order_by("value__indicator_code", "value__category", "-version")
    )


def flag_get(user: Any, flag_id: int | str) -> Flag:
    reports = report_policy.instances_for(user, MonitoringAction.COMMENT)
    flag = (
        Flag.objects.filter(report__in=reports, pk=flag_id).select_related("report").first()
        if str(flag_id).isdigit()
        else None
    )
    if flag is None:
        from django.http import Http404

        raise Http404("未找到该对象，或您无权访问。")
    return flag


# --- what is due ------------------------------------------------------------------------------------------


@dataclass
class CityProgress:
    city: str
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0
    late: list[str] = field(default_factory=list)
    waiting: dict[str, int] = field(default_factory=dict)

    @property
    def completeness(self) -> Decimal:
        return Decimal(self.submitted) / Decimal(self.expected) if self.expected else Decimal(0)

    @property
    def timeliness(self) -> Decimal:
        return Decimal(self.on_time) / Decimal(self.expected) if self.expected else Decimal(0)


def report_state_label(report: Report, settings: MonitoringSettings) -> str:
    if report.status == ReportStatus.PENDING:
        return f"待{settings.level_name(settings.levels[report.stage])}审核"
    return report.get_status_display()


def submitted_on_time(report: Report) -> bool:
    if report.submitted_at is None:
        return False
    return timezone.localtime(report.submitted_at).date() <= report.period.deadline


def period_progress(
    period: ReportingPeriod, reports: Iterable[Report] | None = None
) -> tuple[CityProgress, list[CityProgress]]:
    """Completeness and timeliness of a period, in total and per city: who submitted, who is late, who waits for whom."""
    settings = programme_settings(period.programme)
    rows = (
        list(reports)
        if reports is not None
        else list(period.reports.select_related("zone", "city", "period"))
    )
    today = timezone.localdate()
    total = CityProgress("合计")
    cities: dict[str, CityProgress] = {}
    for report in rows:
        name = report.city.name if report.city else "未确定所在市"
        entry = cities.setdefault(name, CityProgress(name))
        for bucket in (total, entry):
            bucket.expected += 1
            if report.submitted_at is not None:
                bucket.submitted += 1
                if submitted_on_time(report):
                    bucket.on_time += 1
            elif today > period.deadline:
                bucket.late.append(report.zone.name)
            if report.status == ReportStatus.APPROVED:
                bucket.approved += 1
            label = report_state_label(report, settings)
            bucket.waiting[label] = bucket.waiting.get(label, 0) + 1
    return total, sorted(cities.values(), key=lambda c: c.city)


def report_rows_for_period(user: Any, period: ReportingPeriod) -> list[Report]:
    """The reports of a period the user may see, each with its state in words."""
    settings = programme_settings(period.programme)
    reports: list[Report] = list(
        report_list_for_user(user)
        .filter(period=period)
        .annotate(active_flags=Count("flags", filter=Q(flags__active=True)))
    )
    for report in reports:
        report.state_label = report_state_label(report, settings)  # type: ignore[attr-defined]
        report.on_time = submitted_on_time(report)  # type: ignore[attr-defined]
    return reports


# --- figures --------------------------------------------------------------------------------------------------


def zone_series(zone: PilotZone, user: Any) -> dict[str, Any]:
    """Each indicator of a zone over the years (approved or not, with the state) and its annual targets."""
    reports = list(
        report_list_for_user(user)
        .filter(zone=zone, period__quarter=0)
        .order_by("period__year")
        .prefetch_related(Prefetch("values", queryset=ReportValue.objects.filter(category="")))
    )
    years = [r.period.year for r in reports]
    spec = (
        form_spec(zone.programme, years[-1])
        if years
        else form_spec(zone.programme, timezone.localdate().year)
    )
    series = []
    targets = {year: _targets(zone, year) for year in years}
    by_year: dict[int, dict[str, Decimal]] = {
        r.period.year: {v.indicator_code: v.value for v in r.values.all() if v.value is not None}
        for r in reports
    }
    for item in spec.fields:
        values = [float(by_year[y][item.code]) if item.code in by_year[y] else None for y in years]
        goal = [float(targets[y][item.code]) if item.code in targets[y] else None for y in years]
        series.append(
            {"code": item.code, "name": item.name, "unit": item.unit, "values": values, "targets": goal}
        )
    return {"zone": zone.name, "years": years, "series": series}


def programme_totals(period: ReportingPeriod, user: Any) -> dict[str, Any]:
    """The period's totals of each entered or counted indicator by city (as of the period) and by field."""
    spec = period_form_spec(period)
    reports = list(report_list_for_user(user).filter(period=period))
    values = values_of(reports)
    by_city: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_field: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for report in reports:
        city = report.city.name if report.city else "未确定所在市"
        for code, value in values.get(report.pk, {}).items():
            if value is None:
                continue
            by_city[code][city] += value
            by_field[code][report.zone.field.name] += value
    indicators = []
    for item in spec.fields:
        if item.unit == "%" or "/" in item.unit:
            continue  # shares and ratios do not add up
        cities = sorted(by_city.get(item.code, {}).items())
        fields = sorted(by_field.get(item.code, {}).items())
        indicators.append(
            {
                "code": item.code,
                "name": item.name,
                "unit": item.unit,
                "by_city": {"names": [c for c, _ in cities], "values": [float(v) for _, v in cities]},
                "by_field": {"names": [f for f, _ in fields], "values": [float(v) for _, v in fields]},
                "city_rows": [[c, checks.text(v)] for c, v in cities],
                "field_rows": [[f, checks.text(v)] for f, v in fields],
            }
        )
    return {"period": period.label, "indicators": indicators}


# --- for the evaluation -----------------------------------------------------------------------------------------


def _year_periods(programme: Programme, year: int) -> QuerySet[ReportingPeriod]:
    periods = ReportingPeriod.objects.filter(programme=programme, year=year)
    last = periods.order_by("-quarter").values_list("quarter", flat=True).first()
    annual = periods.filter(quarter=0)
    return annual if annual.exists() else periods.filter(quarter=last or 0)


def approved_values(programme: Programme, year: int) -> dict[int, dict[str, Decimal]]:
    """Zone id → indicator code → value, only for values whose current version is approved in an approved report.

    A value approved once and changed later is not here until the chain approves it again. For a
    quarterly programme the year's figures are the last quarter's.
    """
    rows = ReportValue.objects.filter(
        report__period__in=_year_periods(programme, year),
        report__status=ReportStatus.APPROVED,
        category="",
        value__isnull=False,
        approved_version__isnull=False,
    ).values_list("report__zone_id", "indicator_code", "value", "version", "approved_version")
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for zone_id, code, value, version, approved in rows:
        if version == approved and value is not None:
            found[zone_id][code] = value
    return dict(found)


def approved_values_by_year(
    programme: Programme, years: Iterable[int]
) -> dict[int, dict[int, dict[str, Decimal]]]:
    """:func:`approved_values` of several years at once (a trend), year → zone id → code → value.

    Two queries whatever the number of years: the periods (each year's annual one, or else its last
    quarter, as :func:`_year_periods` chooses), then their approved values.
    """
    years = list(dict.fromkeys(years))
    if not years:
        return {}
    by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, year, quarter in ReportingPeriod.objects.filter(programme=programme, year__in=years).values_list(
        "pk", "year", "quarter"
    ):
        by_year[year].append((pk, quarter))
    chosen: list[int] = []
    for periods in by_year.values():
        quarter = 0 if any(q == 0 for _, q in periods) else max(q for _, q in periods)
        chosen += [pk for pk, q in periods if q == quarter]
    found: dict[int, dict[int, dict[str, Decimal]]] = {year: defaultdict(dict) for year in years}
    rows = ReportValue.objects.filter(
        report__period__in=chosen,
        report__status=ReportStatus.APPROVED,
        category="",
        value__isnull=False,
        approved_version__isnull=False,
    ).values_list(
        "report__period__year", "report__zone_id", "indicator_code", "value", "version", "approved_version"
    )
    for year, zone_id, code, value, version, approved in rows:
        if version == approved and value is not None:
            found[year][zone_id][code] = value
    return {year: dict(values) for year, values in found.items()}


@dataclass(frozen=True)
class ReportState:
    zone_id: int
    zone_name: str
    status: str
    label: str
    approved: bool
    deadline: dt.date | None = None  # the period's own (an extended deadline counts), None without a period


def report_states(programme: Programme, year: int) -> list[ReportState]:
    """Each reporting zone's report for the year and its state (zones with no report are 未填报)."""
    settings = programme_settings(programme)
    periods = _year_periods(programme, year)
    reports = {
        r.zone_id: r for r in Report.objects.filter(period__in=periods).select_related("zone", "period")
    }
    opened = min(periods.values_list("deadline", flat=True), default=None)
    states = []
    zones = {z.pk: z for z in zones_reporting(programme)}
    for found in reports.values():
        zones.setdefault(found.zone_id, found.zone)
    for zone_id, zone in sorted(zones.items(), key=lambda item: item[1].name):
        report = reports.get(zone_id)
        if report is None:
            states.append(ReportState(zone_id, zone.name, "absent", "未填报", False, opened))
        else:
            states.append(
                ReportState(
                    zone_id,
                    zone.name,
                    report.status,
                    report_state_label(report, settings),
                    report.status == ReportStatus.APPROVED,
                    report.period.deadline,
                )
            )
    return states


# --- workbench ---------------------------------------------------------------------------------------------------


def reports_todo(user: Any) -> list[Any]:
    """To-dos for the workbench: reports to fill in and reports waiting for this user's approval."""
    from django.urls import reverse

    from xiandao.core.providers import TodoItem

    items: list[Any] = []
    to_fill = report_policy.instances_for(user, MonitoringAction.SUBMIT)
    count = to_fill.count()
    if count:
        first = to_fill.select_related("period").order_by("period__deadline").first()
        deadline = first.period.deadline.isoformat() if first else ""
        items.append(
            TodoItem(
                label="待填报的统计报表",
                url=reverse("monitoring:report_list") + "?todo=fill",
                deadline=deadline,
                count=count,
            )
        )
    to_review = report_policy.instances_for(user, MonitoringAction.REVIEW)
    count = to_review.count()
    if count:
        items.append(
            TodoItem(
                label="待审核的统计报表", url=reverse("monitoring:report_list") + "?todo=review", count=count
            )
        )
    return items


# --- reminders ----------------------------------------------------------------------------------------------------

#: Days before the deadline the first reminder goes out; after it, one reminder that the report is overdue.
REMIND_BEFORE_DAYS = 7


def report_reminders(now: dt.datetime) -> list[Any]:
    """Reminders before and after a period's deadline to the operators of zones that have not submitted."""
    from django.urls import reverse

    from xiandao.notifications.services import Reminder

    from .kinds import MonitoringNotification

    today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    periods = ReportingPeriod.objects.filter(
        deadline__gte=today - dt.timedelta(days=30),
        deadline__lte=today + dt.timedelta(days=REMIND_BEFORE_DAYS),
    ).select_related("programme")
    found: list[Any] = []
    for period in periods:
        overdue = today > period.deadline
        stage = "overdue" if overdue else f"{REMIND_BEFORE_DAYS}d"
        for report in period.reports.filter(
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
        ).select_related("zone", "period__programme"):
            title = (
                f"{report.zone.name}{period.label}统计报表已过截止日期（{period.deadline.isoformat()}），请尽快填报"
                if overdue
                else f"{report.zone.name}{period.label}统计报表将于{period.deadline.isoformat()}截止，请按时填报"
            )
            found.append(
                Reminder(
                    key=f"monitoring.report_due:{period.pk}:report-{report.pk}:{stage}",
                    kind=MonitoringNotification.REPORT_DUE,
                    recipients=people_who(report, MonitoringAction.SUBMIT),
                    title=title,
                    url=reverse("monitoring:report_detail", kwargs={"report_id": report.pk}),
                )
            )
    return found


# --- the Excel template's form (the pure ``workbook`` package) --------------------------------------------------

#: Indicators that may fall below zero (a growth rate, a net change).
SIGNED_WORDS = ("增长", "净增", "增速", "变化")


def workbook_form(period: ReportingPeriod, reports: Iterable[Report]) -> Any:
    """The :class:`workbook.FormSpec` of a period for these reports: indicators with bounds, zones with
    last period's values, this year's annual targets, the registry's counts and what was typed online."""
    from .workbook import Disaggregation, FormSpec, IndicatorSpec, ValueKind, ZoneRow

    spec = period_form_spec(period)
    reports = list(reports)
    indicators = tuple(
        IndicatorSpec(
            code=f.code,
            name=f.name,
            unit=f.unit,
            definition=f.definition,
            formula=f.formula,
            kind=ValueKind.INTEGER if f.unit in checks.COUNT_UNITS else ValueKind.DECIMAL,
            minimum=None if any(w in f.name for w in SIGNED_WORDS) else Decimal(0),
            disaggregations=tuple(Disaggregation(c, n) for c, n in f.categories),
            read_only=f.counted,
        )
        for f in spec.fields
    )
    before = previous_period(period)
    previous_reports = {r.zone_id: r for r in Report.objects.filter(period=before)} if before else {}
    every = [*reports, *previous_reports.values()]
    stored: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for report_id, code, category, value in ReportValue.objects.filter(
        report__in=every, value__isnull=False
    ).values_list("report_id", "indicator_code", "category", "value"):
        if value is not None:
            stored[report_id][(code, category)] = value
    counted = registry_counts(period, spec.fields, [r.zone_id for r in reports])
    batch = getattr(zone_selectors, "zones_annual_targets", None)
    all_targets = batch([r.zone_id for r in reports], period.year) if batch is not None else None
    zones = []
    for report in sorted(reports, key=lambda r: r.zone.name):
        zone_targets = (
            all_targets.get(report.zone_id, {})
            if all_targets is not None
            else _targets(report.zone, period.year)
        )
        last = previous_reports.get(report.zone_id)
        zones.append(
            ZoneRow(
                zone_id=report.zone_id,
                name=report.zone.name,
                previous=stored.get(last.pk, {}) if last else {},
                targets={(code, ""): value for code, value in zone_targets.items()},
                counted={
                    (f.code, ""): Decimal(counted[(report.zone_id, f.code)].count)
                    for f in spec.fields
                    if (report.zone_id, f.code) in counted
                },
                current=stored.get(report.pk, {}),
            )
        )
    return FormSpec(
        programme_code=spec.programme_code,
        programme_name=spec.programme_name,
        period_label=spec.period_label,
        indicators=indicators,
        zones=tuple(zones),
        period_key=str(period.pk),
    )
