"""Reads of creation lists, their opinions and objections, and the public view of listed zones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from xiandao.core.formats import date_zh
from xiandao.core.providers import Providers, TodoItem
from xiandao.geo.models import JurisdictionLevel
from xiandao.geo.selectors import jurisdiction_list_by_ids, jurisdiction_parent_ids
from xiandao.programmes.selectors import framework_get, lifecycle_definition, programme_find

from ..lifecycle import Action, LifecycleSwitches, State, moves_from, state_label, switches_from_lifecycle
from ..models import Application, PilotZone, StatusChange, ZonePlace, ZoneTarget
from .models import AcceptanceAssessment, CreationList, EntryDecision, ListEntry, ListStatus

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme

#: The states of a zone that is on a published list (public: its profile page and the API).
LISTED_STATES: frozenset[str] = frozenset(
    {
        State.CREATING,
        State.ACCEPTANCE_ASSESSMENT,
        State.OBSERVATION,
        State.NATIONAL_RECOMMENDED,
        State.RECOGNISED,
    }
)


def programme_switches(programme: Programme) -> LifecycleSwitches:
    """The programme's life-cycle switches from its definition (no life cycle: every switch off)."""
    return switches_from_lifecycle(lifecycle_definition(programme)) or LifecycleSwitches()


def list_word(switches: LifecycleSwitches) -> str:
    """What the programme calls its list: 培育名单 where zones are cultivated, then assessed; else 创建名单."""
    return "培育名单" if switches.acceptance_assessment else "创建名单"


def status_word(status: str, switches: LifecycleSwitches) -> str:
    """A zone's or application's status in the programme's own words (Zhejiang: 培育建设)."""
    state = State._value2member_map_.get(status)
    return state_label(state, switches) if isinstance(state, State) else status  # type: ignore[arg-type]


def assessor_name(programme: Programme) -> str:
    """Who organises the acceptance assessment, as the definition names it (浙: 省经信厅)."""
    definition = lifecycle_definition(programme)
    return str(getattr(definition, "assessor", "") or programme.admin_organisation.name)


#: The moves a whole list makes (the others are an entry's: propose, decline).
LIST_MOVES: tuple[Action, ...] = (Action.CONSULT, Action.PUBLISH_NOTICE, Action.PUBLISH_LIST)


def list_moves_available(creation_list: CreationList, switches: LifecycleSwitches) -> list[Action]:
    """The list moves the programme's switches allow from the list's status (its buttons)."""
    if creation_list.status == ListStatus.PUBLISHED:
        return []
    return [m.action for m in moves_from(creation_list.state, switches) if m.action in LIST_MOVES]


def creation_list_queryset() -> QuerySet[CreationList]:
    return CreationList.objects.select_related("programme", "programme__jurisdiction")


def creation_list_detail(creation_list: CreationList) -> CreationList:
    """The list with its entries (application, city, field, parks), opinions, objections and moves."""
    entries = ListEntry.objects.select_related(
        "application__city", "application__field", "application__zone_type", "zone", "decided_by"
    ).prefetch_related("application__host_parks")
    return (
        CreationList.objects.filter(pk=creation_list.pk)
        .select_related("programme", "programme__jurisdiction", "programme__admin_organisation")
        .prefetch_related(
            Prefetch("entries", queryset=entries),
            "consulted_departments",
            "opinions__organisation",
            "objections__entry__application",
            "status_changes",
        )
        .get()
    )


def applications_to_decide(programme: Programme) -> QuerySet[Application]:
    """The programme's applications the committee has reviewed and no list has taken yet (论证中)."""
    return (
        Application.objects.filter(programme=programme, status=State.UNDER_REVIEW, list_entry__isnull=True)
        .select_related("city", "field", "zone_type")
        .prefetch_related("host_parks")
        .order_by("city__code", "name")
    )


def open_list_for(programme: Programme) -> CreationList | None:
    """The programme's list not yet published, if there is one (one at a time)."""
    return CreationList.objects.filter(programme=programme).exclude(status=ListStatus.PUBLISHED).first()


def consultation_pending(creation_list: CreationList) -> list[Any]:
    """The departments consulted that have not given their opinion yet."""
    answered = {o.organisation_id for o in creation_list.opinions.all()}
    return [d for d in creation_list.consulted_departments.all() if d.pk not in answered]


def department_candidates(programme: Programme) -> QuerySet[Any]:
    """The provincial departments a list can be sent to: the programme's jurisdiction's government departments."""
    from xiandao.accounts.selectors import organisation_list_departments

    return organisation_list_departments(programme.jurisdiction, exclude=programme.admin_organisation)


# --- The committee's results beside each application (contributed by the review app) ---------------


@dataclass(frozen=True)
class ReviewSummary:
    """What the committee concluded on an application, as the draft list shows it."""

    score: Decimal | None = None
    spread: Decimal | None = None
    dissent: bool = False
    recommendation: str = ""
    opinion: str = ""
    url: str = ""


#: ``provider(applications) -> {application_id: ReviewSummary}``: the review app registers one, so
#: the draft list shows weighted scores and the 论证意见 without pilot_zones importing review.
review_summary_providers: Providers[Callable[[list[Application]], dict[int, ReviewSummary]]] = Providers(
    "pilot_zones.lists.review_summaries"
)


def review_summaries(applications: Iterable[Application]) -> dict[int, ReviewSummary]:
    applications = list(applications)
    found: dict[int, ReviewSummary] = {}
    for provider in review_summary_providers:
        found.update(provider(applications))
    return found


# --- Public view -----------------------------------------------------------------------------------


@dataclass
class PublicZone:
    """A listed zone as the public pages and the API show it."""

    zone: PilotZone
    name: str
    field: str
    city: str
    host: list[str]
    zone_type: str | None
    status: str
    url: str
    places: list[ZonePlace] = field(default_factory=list)

    def record(self, base: str = "") -> dict[str, Any]:
        """The keys of the public API (issue 15): name, field, city, host, zone_type, status, url."""
        return {
            "name": self.name,
            "field": self.field,
            "city": self.city,
            "host": self.host,
            "zone_type": self.zone_type,
            "status": self.status,
            "url": f"{base}{self.url}",
        }


def _place_name(place: ZonePlace) -> str:
    if place.park_id:
        return str(place.park.name)
    return str(place.jurisdiction.name) if place.jurisdiction_id else ""


def _cities(zones: list[PilotZone], places: dict[int, list[ZonePlace]]) -> dict[int, str]:
    """Each zone's city: its application's, else the city its first place lies in (one query for all)."""
    found: dict[int, str] = {}
    parents: dict[int, int] | None = None
    wanted: dict[int, int] = {}
    for zone in zones:
        application = zone.application if zone.application_id else None
        if application is not None:
            found[zone.pk] = str(application.city.name)
            continue
        for place in places[zone.pk]:
            if place.jurisdiction_id is None:
                continue
            if place.jurisdiction.level == JurisdictionLevel.CITY:
                found[zone.pk] = str(place.jurisdiction.name)
                break
            if parents is None:
                parents = jurisdiction_parent_ids()
            wanted[zone.pk] = parents.get(place.jurisdiction_id, 0)
            break
    if wanted:
        names = {j.pk: j for j in jurisdiction_list_by_ids(set(wanted.values()))}
        for zone_id, city_id in wanted.items():
            city = names.get(city_id)
            if city is not None and city.level == JurisdictionLevel.CITY:
                found[zone_id] = str(city.name)
    return found


def zone_public_url(zone: PilotZone) -> str:
    return reverse("pilot_zone_public:zone", args=[zone.programme.code, zone.pk])


def _public_zones(zones: Iterable[PilotZone], switches: LifecycleSwitches, on: dt.date) -> list[PublicZone]:
    zones = list(zones)
    places = {
        zone.pk: [
            p for p in zone.places.all() if p.valid_from <= on and (p.valid_to is None or p.valid_to > on)
        ]
        for zone in zones
    }
    cities = _cities(zones, places)
    return [
        PublicZone(
            zone=zone,
            name=zone.name,
            field=zone.field.name,
            city=cities.get(zone.pk, ""),
            host=[_place_name(p) for p in places[zone.pk]],
            zone_type=zone.zone_type.name if zone.zone_type_id else None,
            status=status_word(zone.status, switches),
            url=zone_public_url(zone),
            places=places[zone.pk],
        )
        for zone in zones
    ]


def _zones_queryset() -> QuerySet[PilotZone]:
    return PilotZone.objects.select_related(
        "programme", "field", "zone_type", "application__city"
    ).prefetch_related(
        Prefetch(
            "places",
            queryset=ZonePlace.objects.select_related("park", "jurisdiction").order_by("valid_from", "pk"),
        )
    )


def listed_zones_public(programme: Programme, *, on: dt.date | None = None) -> list[PublicZone]:
    """The programme's zones on a published list (创建中 and after), by name."""
    on = on or timezone.localdate()
    zones = (
        _zones_queryset().filter(programme=programme, status__in=LISTED_STATES).order_by("is_demo", "name")
    )
    return _public_zones(zones, programme_switches(programme), on)


@dataclass
class PublicList:
    creation_list: CreationList
    zones: list[PublicZone]


def published_lists_public(programme: Programme, *, on: dt.date | None = None) -> list[PublicList]:
    """The programme's published lists, newest batch first, each with the zones it listed."""
    on = on or timezone.localdate()
    switches = programme_switches(programme)
    lists = list(
        CreationList.objects.filter(programme=programme, status=ListStatus.PUBLISHED).order_by("-batch")
    )
    entries = (
        ListEntry.objects.filter(creation_list__in=lists, decision=EntryDecision.PROPOSED, zone__isnull=False)
        .order_by("position", "pk")
        .values_list("creation_list_id", "zone_id")
    )
    by_list: dict[int, list[int]] = {}
    for list_id, zone_id in entries:
        by_list.setdefault(list_id, []).append(zone_id)
    zones = {
        z.zone.pk: z
        for z in _public_zones(
            _zones_queryset().filter(pk__in=[z for ids in by_list.values() for z in ids]), switches, on
        )
    }
    return [
        PublicList(creation_list=cl, zones=[zones[z] for z in by_list.get(cl.pk, []) if z in zones])
        for cl in lists
    ]


def zone_public_get(programme: Programme, zone_id: int) -> PublicZone | None:
    """A listed zone's public profile, or None when it is not (or not yet) on a published list."""
    zone = _zones_queryset().filter(programme=programme, pk=zone_id, status__in=LISTED_STATES).first()
    if zone is None:
        return None
    return _public_zones([zone], programme_switches(programme), timezone.localdate())[0]


def figure(value: Decimal | None) -> str:
    """A target as a table shows it: thousands separators, no trailing zeros; — when absent."""
    if value is None:
        return "—"
    text = f"{value.normalize():,f}"
    return text


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    unit: str
    overall: Decimal | None
    annual: dict[int, Decimal]
    #: The annual values in the order of the period's years, then the overall value, as shown.
    cells: tuple[str, ...] = ()


def zone_public_targets(zone: PilotZone) -> tuple[list[int], list[TargetRow]]:
    """The zone's targets per indicator of the framework: the years of its period and one row each."""
    framework = framework_get(zone.programme)
    indicators: dict[str, tuple[str, str]] = {}
    order: dict[str, int] = {}
    if framework is not None:
        for dimension in framework.dimensions.all():
            for indicator in dimension.indicators.all():
                indicators[indicator.code] = (indicator.name, indicator.unit)
                order[indicator.code] = len(order)
    rows: dict[str, dict[int | None, Decimal]] = {}
    for target in ZoneTarget.objects.filter(zone=zone):
        rows.setdefault(target.indicator_code, {})[target.year] = target.value
    years = (
        list(range(zone.creation_start_year, zone.creation_end_year + 1))
        if zone.creation_start_year and zone.creation_end_year
        else sorted({y for values in rows.values() for y in values if y is not None})
    )
    table = [
        TargetRow(
            indicator=indicators.get(code, (code, ""))[0],
            unit=indicators.get(code, (code, ""))[1],
            overall=values.get(None),
            annual={y: v for y, v in values.items() if y is not None},
            cells=(*(figure(values.get(y)) for y in years), figure(values.get(None))),
        )
        for code, values in sorted(rows.items(), key=lambda item: order.get(item[0], 999))
    ]
    return years, table


def zone_status_history(zone: PilotZone) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(zone=zone).order_by("at", "pk")


def programme_public(code: str) -> Programme | None:
    return programme_find(code)


# --- Acceptance assessment (浙五(二)) --------------------------------------------------------------


def zones_for_acceptance(programme: Programme) -> QuerySet[PilotZone]:
    """The programme's zones in cultivation or under assessment, with their assessments."""
    return (
        PilotZone.objects.filter(
            programme=programme,
            status__in=[State.CREATING, State.ACCEPTANCE_ASSESSMENT, State.RECOGNISED],
        )
        .select_related("field", "zone_type")
        .prefetch_related(
            Prefetch(
                "acceptance_assessments",
                queryset=AcceptanceAssessment.objects.prefetch_related("departments").order_by(
                    "-started_on", "-pk"
                ),
            )
        )
        .order_by("status", "name")
    )


# --- Contributions to other pages -------------------------------------------------------------------


def zone_list_for_programme_linked(programme: Programme) -> list[PilotZone]:
    """The programme overview's zones, each listed one carrying ``public_url`` (its profile page)."""
    from ..selectors import zone_list_for_programme

    zones = list(zone_list_for_programme(programme))
    for zone in zones:
        zone.public_url = zone_public_url(zone) if zone.status in LISTED_STATES else ""  # type: ignore[attr-defined]
    return zones


def consultation_todo(user: Any) -> list[TodoItem]:
    """待办 of a department officer: the draft lists their department is asked about and has not answered."""
    from .permissions import ListAction, creation_list_policy

    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return []
    lists = (
        creation_list_policy.instances_for(user, ListAction.OPINE)
        .filter(status=ListStatus.CONSULTATION, consultation_deadline__gte=timezone.localdate())
        .exclude(opinions__organisation_id=user.organisation_id)
        .order_by("consultation_deadline")
    )
    return [
        TodoItem(
            label=f"对“{cl.title}”提出意见",
            url=reverse("pilot_zone_lists:detail", args=[cl.pk]),
            deadline=date_zh(cl.consultation_deadline),
        )
        for cl in lists
    ]
