"""Reads of the registries: scoped lists, counts as of a date by the counting rules, and chart data.

Counting translates :mod:`xiandao.registries.counting` into SQL (one COUNT per distinct measure);
``tests/test_counting.py`` checks that the database and the pure rules agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from xiandao.core.formats import date_zh
from xiandao.core.models import AuditEntry
from xiandao.geo.selectors import jurisdiction_descendant_ids
from xiandao.programmes.models import Basis, TargetScope
from xiandao.programmes.selectors import indicator_list_measured, target_list_measured

from . import counting
from .counting import Measure, MeasureError, parse_measure
from .models import Enterprise, EnterpriseTag, EntryStatus, RegistryEntry
from .permissions import RegistryAction, policy_for
from .registry import BY_KEY, Registry

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme, Target

FAR = dt.date(9999, 12, 31)


# --- counting ---------------------------------------------------------------------------------


def _span_q(basis: str, on: dt.date, since: dt.date | None) -> Q:
    """Entries (not tags) counted for a basis: confirmed, and their own span meets the window."""
    q = Q(confirmed_at__isnull=False)
    start = counting.period_start(basis, on, since)
    if basis == counting.STOCK:
        return q & Q(valid_from__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    assert start is not None
    if start > on:
        return Q(pk__in=[])  # a window that opens after the day counted holds nothing
    if basis == counting.INCREMENT:
        return q & Q(valid_from__gte=start, valid_from__lte=on)
    return q & Q(valid_from__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=start))


def _tag_q(tags: tuple[str, ...], basis: str, on: dt.date, since: dt.date | None) -> Q:
    """Enterprises whose tag span, clipped to their own span, counts for the basis."""
    spans = EnterpriseTag.objects.filter(enterprise=OuterRef("pk"), tag__in=tags, confirmed=True).filter(
        # the clip is not empty: the tag starts before the entry ends, and ends after it starts
        Q(valid_from__lt=Coalesce(OuterRef("ends_on"), Value(FAR))),
        Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("valid_from")),
    )
    entry = Q(confirmed_at__isnull=False)
    if basis == counting.STOCK:
        inside = spans.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        return cast(
            Q, entry & Q(valid_from__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=on)) & Exists(inside)
        )
    start = counting.period_start(basis, on, since)
    assert start is not None
    if start > on:
        return Q(pk__in=[])
    if basis == counting.CUMULATIVE:
        inside = spans.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        return cast(
            Q,
            entry & Q(valid_from__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gt=start)) & Exists(inside),
        )
    # increment: the earliest clipped start falls within [start, on]
    # (a clipped start is the later of the entry's and the tag's starts)
    gained = Exists(spans.filter(valid_from__gte=start, valid_from__lte=on)) | (
        Q(valid_from__gte=start) & Exists(spans.filter(valid_from__lte=on))
    )
    before = spans.filter(valid_from__lt=start)
    return cast(Q, entry & Q(valid_from__lte=on) & gained & ~(Q(valid_from__lt=start) & Exists(before)))


@dataclass(frozen=True)
class CountSpec:
    """One count: a measure, a basis, a window and the place it covers."""

    measure: Measure
    basis: str
    on: dt.date
    since: dt.date | None = None
    jurisdiction_id: int | None = None  # the programme's province or city
    zones_of: int | None = None  # only entries in the zones of this programme
    field_code: str = ""

    @property
    def registry(self) -> Registry:
        return BY_KEY[self.measure.registry]

    def query(self) -> dict[str, str]:
        params = {"measure": self.measure.key, "basis": self.basis, "on": self.on.isoformat()}
        if self.since:
            params["since"] = self.since.isoformat()
        if self.jurisdiction_id:
            params["within"] = str(self.jurisdiction_id)
        if self.zones_of:
            params["zones_of"] = str(self.zones_of)
        if self.field_code:
            params["field_code"] = self.field_code
        return params

    @property
    def url(self) -> str:
        return (
            reverse("registries:entry_list", kwargs={"slug": self.registry.slug})
            + "?"
            + urlencode(self.query())
        )


def spec_q(spec: CountSpec) -> Q:
    """The whole condition of a count: the measure's filter, the basis at its dates, the place."""
    registry = spec.registry
    attrs = spec.measure.filter.as_dict()
    tags = attrs.pop("tag", None)
    condition = Q()
    for name, values in attrs.items():
        try:
            registry.model._meta.get_field(name)
        except Exception as exc:
            raise MeasureError(f"登记库“{registry.label}”没有“{name}”这一项") from exc
        condition &= Q(**{f"{name}__in": values})
    if tags:
        if registry.model is not Enterprise:
            raise MeasureError("只有企业登记库可以按标签计数")
        condition &= _tag_q(tags, spec.basis, spec.on, spec.since)
    else:
        condition &= _span_q(spec.basis, spec.on, spec.since)
    if spec.jurisdiction_id:
        condition &= Q(city_id__in=_descendants(spec.jurisdiction_id))
    if spec.zones_of:
        condition &= Q(zone__programme_id=spec.zones_of)
    if spec.field_code:
        condition &= Q(field__code=spec.field_code)
    return condition


def counted_entries(
    spec: CountSpec, entries: QuerySet[RegistryEntry] | None = None
) -> QuerySet[RegistryEntry]:
    """The entries a count counts (all of them, unscoped, unless ``entries`` narrows them)."""
    queryset = entries if entries is not None else spec.registry.model._default_manager.all()
    return queryset.filter(spec_q(spec))


def count_many(specs: Iterable[CountSpec]) -> dict[CountSpec, int]:
    """Many counts: a registry's plain counts in one query (conditional aggregates), tag counts in another.

    A tag count as a correlated EXISTS inside an aggregate is evaluated for every row by PostgreSQL
    (2.0 s for Anhui's measures at 50,000 entries), and one COUNT per tag count grows with the dates
    asked; :func:`_tag_counts` joins the tags once and counts them all. All give the numbers
    :func:`count` gives.
    """
    by_registry: dict[str, list[CountSpec]] = {}
    found: dict[CountSpec, int] = {}
    tagged: list[CountSpec] = []
    for spec in dict.fromkeys(specs):
        if "tag" in spec.measure.filter.as_dict():
            tagged.append(spec)
        else:
            by_registry.setdefault(spec.measure.registry, []).append(spec)
    found.update(_tag_counts(tagged))
    for key, group in by_registry.items():
        model = BY_KEY[key].model
        totals = model._default_manager.aggregate(
            **{f"c{i}": Count("pk", filter=spec_q(spec)) for i, spec in enumerate(group)}
        )
        for i, spec in enumerate(group):
            found[spec] = totals[f"c{i}"] or 0
    return found


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same condition on a related model's fields (``city_id__in`` → ``enterprise__city_id__in``)."""
    q = Q()
    q.connector, q.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            q.children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            q.children.append((f"{prefix}{lookup}", value))
    return q


def _flag(condition: Q) -> Max:
    """1 if any of an enterprise's tags (joined rows) meets ``condition``, else 0."""
    return Max(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _tag_counts(specs: list[CountSpec]) -> dict[CountSpec, int]:
    """All tag counts in one pass: the enterprises' tags joined once, one flag per count and enterprise.

    Each count reads as :func:`_tag_q` reads (``test_counting`` checks both against the pure rules),
    but as aggregates over the joined tags instead of one correlated EXISTS per count: a trend of
    ten year-ends costs one scan, not ten (or a hundred subqueries on SQLite).
    Grouped by enterprise: flag = MAX(CASE WHEN the entry and one of its tags count THEN 1 ELSE 0);
    the outer query sums each flag. An increment needs three flags (gained in the window, or the
    entry itself new with a tag by then; and no tag before the window).
    """
    found: dict[CountSpec, int] = {}
    flags: dict[str, Any] = {}
    names: dict[CountSpec, str] = {}
    tags_used: set[str] = set()
    for i, spec in enumerate(specs):
        registry = spec.registry
        if registry.model is not Enterprise:
            raise MeasureError("只有企业登记库可以按标签计数")
        attrs = spec.measure.filter.as_dict()
        tags = tuple(attrs.pop("tag"))
        start = counting.period_start(spec.basis, spec.on, spec.since)
        if start is not None and start > spec.on:
            found[spec] = 0  # a window that opens after the day counted holds nothing
            continue
        entry = Q()
        for name, values in attrs.items():
            try:
                registry.model._meta.get_field(name)
            except Exception as exc:
                raise MeasureError(f"登记库“{registry.label}”没有“{name}”这一项") from exc
            entry &= Q(**{f"{name}__in": values})
        if spec.jurisdiction_id:
            entry &= Q(city_id__in=_descendants(spec.jurisdiction_id))
        if spec.zones_of:
            entry &= Q(zone__programme_id=spec.zones_of)
        if spec.field_code:
            entry &= Q(field__code=spec.field_code)
        entry &= Q(valid_from__lte=spec.on)
        tag = Q(tag__in=tags)
        on = spec.on
        if spec.basis == counting.STOCK:
            entry &= Q(ends_on__isnull=True) | Q(ends_on__gt=on)
            tag &= Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            flags[f"f{i}"] = _flag(_prefixed(entry, "enterprise__") & tag)
        elif spec.basis == counting.CUMULATIVE:
            entry &= Q(ends_on__isnull=True) | Q(ends_on__gt=start)
            tag &= Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
            flags[f"f{i}"] = _flag(_prefixed(entry, "enterprise__") & tag)
        else:
            counted = _prefixed(entry, "enterprise__") & tag
            gained = _flag(counted & Q(valid_from__gte=start, valid_from__lte=on))
            new_entry = _flag(counted & Q(enterprise__valid_from__gte=start, valid_from__lte=on))
            before = _flag(counted & Q(enterprise__valid_from__lt=start, valid_from__lt=start))
            # (gained or new_entry) and not before, in integer arithmetic
            flags[f"f{i}"] = Greatest(gained, new_entry) * (Value(1) - before)
        names[spec] = f"f{i}"
        tags_used.update(tags)
    if not names:
        return found
    rows = (
        EnterpriseTag.objects.filter(
            confirmed=True,
            tag__in=sorted(tags_used),
            enterprise__confirmed_at__isnull=False,
            # the clip is not empty: the tag starts before the entry ends, and ends after it starts
            valid_from__lt=Coalesce(F("enterprise__ends_on"), Value(FAR)),
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=F("enterprise__valid_from")))
        .order_by()
        .values("enterprise_id")
        .annotate(**flags)
    )
    totals = rows.aggregate(**{f"c{name}": Sum(name) for name in names.values()})
    for spec, name in names.items():
        found[spec] = int(totals[f"c{name}"] or 0)
    return found


_DESCENDANTS: dict[tuple[int, dt.date], frozenset[int]] = {}


def _descendants(jurisdiction_id: int) -> frozenset[int]:
    key = (jurisdiction_id, timezone.localdate())
    if key not in _DESCENDANTS:
        _DESCENDANTS[key] = frozenset(jurisdiction_descendant_ids([jurisdiction_id]) | {jurisdiction_id})
    return _DESCENDANTS[key]


def count(spec: CountSpec) -> int:
    return counted_entries(spec).count()


@dataclass(frozen=True)
class MeasureCount:
    """A target's or indicator's measure counted at a date."""

    key: str  # the target or indicator code
    kind: str  # "target" or "indicator"
    measure: str
    label: str
    basis: str
    on: dt.date
    since: dt.date | None
    count: int | None  # None: not a registry count (or not counted here)
    url: str
    note: str = ""


def measure_label(measure: Measure) -> str:
    """A measure in words: 省级及以上创新和公共服务平台, 高新技术企业（有效期内）…"""
    return counting.measure_label(measure)


def _programme_specs(programme: Programme, on: dt.date) -> list[tuple[str, str, str, str, str, str]]:
    """(kind, code, measure key, basis, scope, field) of every registry count the programme names."""
    indicators = {i.code: i for i in indicator_list_measured(programme)}
    found: list[tuple[str, str, str, str, str, str]] = []
    target: Target
    for target in target_list_measured(programme):
        key = target.measure
        if not key.startswith("registry:") and key in indicators:
            key = indicators[key].measure
        found.append(("target", target.code, key, target.basis, target.scope, target.field_code))
    for indicator in indicators.values():
        found.append(
            (
                "indicator",
                indicator.code,
                indicator.measure,
                counting.indicator_basis(indicator.definition),
                TargetScope.ZONE,
                "",
            )
        )
    return found


def measure_counts(
    programme: Programme, *, on: dt.date | None = None, kinds: tuple[str, ...] = ("target", "indicator")
) -> list[MeasureCount]:
    """Every measure the programme's targets and indicators name, counted on a date.

    A target's increment and cumulative run from its programme's first year; an indicator's
    increment is over the year of ``on`` (the evaluation's year), its cumulative since the start.
    Identical counts are asked once, all of a registry's in one query.
    """
    on = on or timezone.localdate()
    return measure_counts_at(programme, [on], kinds=kinds)[on]


def measure_counts_at(
    programme: Programme,
    dates: Iterable[dt.date],
    *,
    kinds: tuple[str, ...] = ("target", "indicator"),
) -> dict[dt.date, list[MeasureCount]]:
    """:func:`measure_counts` on several dates at once (a trend: each year's end), date → counts.

    The programme's measures are read once and every date's counts go into the same batch, so
    the number of queries does not grow with the dates (one per registry, one for all tag counts).
    """
    dates = list(dict.fromkeys(dates))
    if not dates:
        return {}
    start = dt.date(programme.start_year, 1, 1)
    within = programme.jurisdiction_id
    named = [row for row in _programme_specs(programme, dates[0]) if row[0] in kinds]
    pending: dict[dt.date, list[tuple[str, str, str, str, CountSpec | None, str]]] = {}
    for on in dates:
        rows = pending[on] = []
        for kind, code, key, basis, scope, field_code in named:
            try:
                measure = parse_measure(key)
            except MeasureError as exc:
                note = (
                    "先导区由先导区名单统计，不在登记库中"
                    if key.startswith("registry:pilot_zone")
                    else str(exc)
                )
                rows.append((kind, code, key, basis, None, note))
                continue
            since = (
                None
                if basis == Basis.STOCK
                else (None if kind == "indicator" and basis == Basis.INCREMENT else start)
            )
            spec = CountSpec(
                measure,
                basis,
                on,
                since,
                within,
                programme.pk if scope == TargetScope.ZONE else None,
                field_code,
            )
            rows.append((kind, code, key, basis, spec, ""))
    totals = count_many(item[4] for rows in pending.values() for item in rows if item[4] is not None)
    results: dict[dt.date, list[MeasureCount]] = {}
    for on, rows in pending.items():
        results[on] = []
        for kind, code, key, basis, found, note in rows:
            if found is None:
                results[on].append(
                    MeasureCount(code, kind, key, _fallback_label(key), basis, on, None, None, "", note)
                )
                continue
            results[on].append(
                MeasureCount(
                    code,
                    kind,
                    key,
                    measure_label(found.measure),
                    basis,
                    on,
                    counting.period_start(basis, on, found.since),
                    totals[found],
                    found.url,
                )
            )
    return results


def _fallback_label(key: str) -> str:
    from xiandao.programmes.selectors import REGISTRY_LABELS, REGISTRY_TAGS

    _, registry, *rest = [*key.split(":"), ""]
    tag = REGISTRY_TAGS.get(rest[0], rest[0]) if rest and rest[0] else ""
    return f"{tag}{REGISTRY_LABELS.get(registry, registry)}"


def measure_counts_for_programme(
    programme: Programme, on: dt.date | None = None
) -> dict[str, dict[str, Any]]:
    """The provider the programmes app calls for its target pages: target code → label, count, link."""
    return {
        m.key: {"label": m.label, "count": m.count, "url": m.url, "note": m.note, "since": m.since}
        for m in measure_counts(programme, on=on, kinds=("target",))
    }


# --- lists ------------------------------------------------------------------------------------


SORTS = {
    "name": "name",
    "-name": "-name",
    "valid_from": "valid_from",
    "-valid_from": "-valid_from",
    "city": "city__code",
    "-city": "-city__code",
    "status": "status",
    "-status": "-status",
}


@dataclass
class ListFilters:
    city: str = ""
    zone: str = ""
    field: str = ""
    kind: str = ""
    level: str = ""
    tier: str = ""
    status: str = ""
    on: dt.date | None = None
    q: str = ""
    sort: str = "-valid_from"


def entry_list_for_user(user: Any, registry: Registry, filters: ListFilters) -> QuerySet[RegistryEntry]:
    """A registry's entries the user may see, filtered and sorted, ready for a page."""
    entries = policy_for(registry.model).instances_for(user, RegistryAction.VIEW)
    entries = entries.select_related("city", "zone", "field")
    if filters.city:
        entries = entries.filter(city__code=filters.city)
    if filters.zone:
        entries = entries.filter(zone_id=int(filters.zone)) if filters.zone.isdigit() else entries.none()
    if filters.field:
        entries = entries.filter(field__code=filters.field)
    if filters.kind and registry.kind_field:
        entries = entries.filter(**{registry.kind_field: filters.kind})
    if filters.level and registry.level_field:
        entries = entries.filter(**{registry.level_field: filters.level})
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.on:
        on = filters.on
        if filters.tier and registry.model is Enterprise:
            entries = entries.filter(
                Exists(
                    EnterpriseTag.objects.filter(
                        enterprise=OuterRef("pk"), tag=filters.tier, valid_from__lte=on
                    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
                )
            )
        entries = entries.filter(Q(valid_from__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    elif filters.tier and registry.model is Enterprise:
        entries = entries.filter(
            Exists(EnterpriseTag.objects.filter(enterprise=OuterRef("pk"), tag=filters.tier))
        )
    if filters.q:
        condition = Q(name__icontains=filters.q)
        if registry.model is Enterprise:
            condition |= Q(credit_code__icontains=filters.q) | Q(short_name__icontains=filters.q)
        entries = entries.filter(condition)
    return entries.order_by(SORTS.get(filters.sort, "-valid_from"), "pk")


def entry_get_for_user(user: Any, registry: Registry, entry_id: int | str) -> RegistryEntry:
    return policy_for(registry.model).get_or_404(user, RegistryAction.VIEW, pk=entry_id)


def entry_history(entry: RegistryEntry) -> list[AuditEntry]:
    """The entry's operation log, newest first, each with its action in words."""
    from .audit_codes import audit_label

    rows = list(
        AuditEntry.objects.filter(object_type=entry._meta.label_lower, object_id=str(entry.pk)).order_by(
            "-occurred_at", "-pk"
        )
    )
    for row in rows:
        row.action_label = audit_label(row.action)  # type: ignore[attr-defined]
    return rows


def tags_current(enterprises: Iterable[Enterprise], on: dt.date) -> dict[int, list[str]]:
    """Labels of the tags each enterprise holds on a date (one query for a page)."""
    ids = [e.pk for e in enterprises]
    found: dict[int, list[str]] = {}
    tags = EnterpriseTag.objects.filter(enterprise_id__in=ids, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    for tag in tags.order_by("tag"):
        found.setdefault(tag.enterprise_id, []).append(tag.get_tag_display())
    return found


# --- charts and public aggregates ---------------------------------------------------------------


def chart_data(
    registry: Registry, *, years: Iterable[int], within: Iterable[int] | None = None
) -> dict[str, Any]:
    """Counts of confirmed entries standing at each year's end, and today by city and by field."""
    model = registry.model
    base = model._default_manager.filter(confirmed_at__isnull=False)
    if within is not None:
        base = base.filter(city_id__in=list(within))
    by_year = []
    for year in years:
        end = dt.date(year, 12, 31)
        by_year.append(base.filter(_span_q(counting.STOCK, end, None)).count())
    today = timezone.localdate()
    standing = base.filter(_span_q(counting.STOCK, today, None))
    by_city = list(standing.values("city__name").annotate(n=Count("pk")).order_by("-n", "city__name"))
    by_field = list(standing.values("field__name").annotate(n=Count("pk")).order_by("-n", "field__name"))
    return {
        "title": registry.label,
        "unit": registry.unit,
        "on": today.isoformat(),
        "on_label": date_zh(today),  # chart titles read as the page does: 2026年12月1日
        "years": [str(y) for y in years],
        "by_year": by_year,
        "by_city": {"names": [r["city__name"] for r in by_city], "values": [r["n"] for r in by_city]},
        "by_field": {
            "names": [r["field__name"] or "未注明领域" for r in by_field],
            "values": [r["n"] for r in by_field],
        },
    }


def status_counts(registry: Registry, entries: QuerySet[RegistryEntry]) -> dict[str, int]:
    return {row["status"]: row["n"] for row in entries.order_by().values("status").annotate(n=Count("pk"))}


def pending_count(user: Any, registry: Registry) -> int:
    return (
        policy_for(registry.model)
        .instances_for(user, RegistryAction.CONFIRM)
        .filter(status__in=[EntryStatus.DRAFT, EntryStatus.CITY_CONFIRMED])
        .count()
    )


def enterprise_matches(user: Any, name: str, *, limit: int = 5) -> list[tuple[int, str, float]]:
    """Known enterprises (visible to the user) whose names are like ``name``: offered, never merged."""
    from .matching import best_matches, name_core

    core = name_core(name)
    if len(core) < 2:
        return []
    visible = cast("QuerySet[Enterprise]", policy_for(Enterprise).instances_for(user, RegistryAction.VIEW))
    probe = Q()
    for i in range(0, max(len(core) - 1, 1)):
        probe |= Q(name__contains=core[i : i + 2]) | Q(short_name__contains=core[i : i + 2])
    rows = list(visible.filter(probe).values_list("pk", "name", "short_name")[:500])
    return best_matches(name, rows, limit=limit)


def entries_waiting_todo(user: Any) -> list[Any]:
    """The workbench's to-do: one line for the registry entries waiting for this user's confirmation."""
    from xiandao.core.providers import TodoItem

    if RegistryAction.CONFIRM not in actions_for_user(user):
        return []
    waiting = {r.label: pending_count(user, r) for r in BY_KEY.values()}
    total = sum(waiting.values())
    if not total:
        return []
    largest = "、".join(f"{label}{n}条" for label, n in sorted(waiting.items(), key=lambda i: -i[1])[:3] if n)
    return [TodoItem(label=f"确认登记库条目（{largest}等）", url=reverse("registries:index"), count=total)]


def actions_for_user(user: Any) -> set[RegistryAction]:
    from .permissions import actions_for

    return actions_for(user)


def registry_get(key: str) -> Registry:
    """The registry of this key (``enterprise``, ``project``, ``platform``…): its label, for other apps' pages and demos."""
    return BY_KEY[key]


def _entries_in_fields(
    user: Any, key: str, *, field_code: str = "", programme_id: int | None = None, tiers: tuple[str, ...] = ()
) -> QuerySet[RegistryEntry]:
    """Entries of a registry in a field: those the user may see, or (``user`` None) the confirmed
    entries valid today in the programme's fields, for a page the caller has already scoped."""
    registry = BY_KEY[key]
    today = timezone.localdate()
    if user is None:
        if programme_id is None:
            raise ValueError("programme_id is required without a user")
        entries = registry.model._default_manager.filter(status=EntryStatus.CONFIRMED, valid_from__lte=today)
        entries = entries.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today)).select_related("city")
        if field_code:
            entries = entries.filter(field__code=field_code)
        entries = entries.order_by("name")
    else:
        entries = entry_list_for_user(user, registry, ListFilters(field=field_code, sort="name"))
    if programme_id is not None:
        # A field code (quantum, metaverse) recurs in several programmes: keep this programme's fields.
        entries = entries.filter(field__version__programme_id=programme_id)
    if tiers and registry.model is Enterprise:
        held = EnterpriseTag.objects.filter(enterprise=OuterRef("pk"), tag__in=tiers)
        if user is None:
            held = held.filter(confirmed=True, valid_from__lte=today).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=today)
            )
        entries = entries.filter(Exists(held))
    return entries


def entry_names_in_field(
    user: Any | None,
    key: str,
    field_code: str,
    *,
    tiers: tuple[str, ...] = (),
    limit: int = 30,
    programme_id: int | None = None,
) -> list[tuple[str, str]]:
    """Names (and city) of a registry's entries in a field the user may see, e.g. for Fuzhou's 六个一 lists.

    ``tiers`` keeps only enterprises holding one of those tags (leading, hidden champion…);
    ``programme_id`` only the fields of that programme's taxonomy. Without a user: the programme's
    confirmed entries valid today (the caller has checked the reader follows the programme).
    """
    entries = _entries_in_fields(user, key, field_code=field_code, programme_id=programme_id, tiers=tiers)
    return [(e.name, e.city.name if e.city_id else "") for e in entries[:limit]]


def entry_counts_by_field(
    user: Any | None, key: str, *, programme_id: int, tiers: tuple[str, ...] = ()
) -> dict[str, int]:
    """How many entries of a registry the user may see in each field of a programme (one query)."""
    entries = _entries_in_fields(user, key, programme_id=programme_id, tiers=tiers)
    rows = entries.order_by().values("field__code").annotate(n=Count("pk", distinct=True))
    return {row["field__code"]: row["n"] for row in rows}
