"""Reads of the jurisdiction tree, always as of a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Jurisdiction, JurisdictionLevel, JurisdictionMembership, Park, ParkLocation, active_on


def _today() -> dt.date:
    return timezone.localdate()


def jurisdiction_descendant_ids(roots: Iterable[int], *, on: dt.date | None = None) -> set[int]:
    """The roots and every division under them on a date (one query per level, three levels at most)."""
    on = on or _today()
    found = set(roots)
    frontier = set(found)
    while frontier:
        children = set(
            JurisdictionMembership.objects.filter(active_on(on), parent_id__in=frontier).values_list(
                "child_id", flat=True
            )
        )
        frontier = children - found
        found |= frontier
    return found


def jurisdiction_with_ancestor_ids(ids: Iterable[int], *, on: dt.date | None = None) -> set[int]:
    """These divisions and every division above them on a date (county → city → province), one query per level."""
    on = on or _today()
    found = set(ids)
    frontier = set(found)
    while frontier:
        parents = set(
            JurisdictionMembership.objects.filter(active_on(on), child_id__in=frontier).values_list(
                "parent_id", flat=True
            )
        )
        frontier = parents - found
        found |= parents
    return found


def jurisdiction_ancestor_ids(jurisdiction_id: int, *, on: dt.date | None = None) -> list[int]:
    """The chain from a division up to its province, nearest first (excluding itself)."""
    on = on or _today()
    chain: list[int] = []
    current = jurisdiction_id
    for _ in range(5):
        parent = (
            JurisdictionMembership.objects.filter(active_on(on), child_id=current)
            .values_list("parent_id", flat=True)
            .first()
        )
        if parent is None or parent in chain:
            break
        chain.append(parent)
        current = parent
    return chain


def jurisdiction_children(parent: Jurisdiction, *, on: dt.date | None = None) -> QuerySet[Jurisdiction]:
    on = on or _today()
    return Jurisdiction.objects.filter(
        parent_links__in=JurisdictionMembership.objects.filter(active_on(on), parent=parent)
    ).order_by("code")


def city_list() -> QuerySet[Jurisdiction]:
    """Every city (设区市), unordered; the caller filters and orders further."""
    return Jurisdiction.objects.filter(level=JurisdictionLevel.CITY)


def city_find(text: str) -> Jurisdiction | None:
    """The city whose code, name or short name (合肥, 合肥市) is ``text``, if any."""
    text = text.strip()
    if not text:
        return None
    return city_list().filter(Q(code=text) | Q(name=text) | Q(short_name=text) | Q(name=f"{text}市")).first()


def jurisdiction_ids_hosting_parks(park_ids: Iterable[int], *, on: dt.date | None = None) -> set[int]:
    """The divisions in which these parks lie on a date (their locations, not the divisions above)."""
    on = on or _today()
    return set(
        ParkLocation.objects.filter(active_on(on), park_id__in=list(park_ids)).values_list(
            "jurisdiction_id", flat=True
        )
    )


def park_ids_in_jurisdictions(jurisdiction_ids: Iterable[int], *, on: dt.date | None = None) -> set[int]:
    on = on or _today()
    return set(
        ParkLocation.objects.filter(active_on(on), jurisdiction_id__in=list(jurisdiction_ids)).values_list(
            "park_id", flat=True
        )
    )


def park_list_in(jurisdiction_ids: Iterable[int], *, on: dt.date | None = None) -> QuerySet[Park]:
    return Park.objects.filter(pk__in=park_ids_in_jurisdictions(jurisdiction_ids, on=on)).order_by("name")


def jurisdiction_counts_by_level(jurisdiction_ids: Iterable[int]) -> dict[str, int]:
    """How many of these jurisdictions are provinces, cities, counties (one query)."""
    rows = (
        Jurisdiction.objects.filter(pk__in=list(jurisdiction_ids))
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {str(level): int(n) for level, n in rows}


def park_list_named(names: Iterable[str]) -> list[Park]:
    """The parks with these names, with their current location's jurisdiction, in the order named."""
    wanted = list(names)
    current = ParkLocation.objects.filter(valid_to__isnull=True).select_related("jurisdiction")
    parks = Park.objects.filter(name__in=wanted).prefetch_related(
        Prefetch("locations", queryset=current, to_attr="current_locations")
    )
    return sorted(parks, key=lambda park: wanted.index(park.name))


def jurisdiction_parent_ids(*, on: dt.date | None = None) -> dict[int, int]:
    """The whole tree on a date as child id → parent id (one query), to walk up from many places in memory."""
    on = on or _today()
    return dict(JurisdictionMembership.objects.filter(active_on(on)).values_list("child_id", "parent_id"))


def park_jurisdiction_ids(park_ids: Iterable[int], *, on: dt.date | None = None) -> dict[int, set[int]]:
    """The divisions each of these parks lies in on a date, park id → jurisdiction ids (one query).

    A park with no location that day is absent.
    """
    on = on or _today()
    places: dict[int, set[int]] = {}
    for park_id, jurisdiction_id in ParkLocation.objects.filter(
        active_on(on), park_id__in=list(park_ids)
    ).values_list("park_id", "jurisdiction_id"):
        places.setdefault(park_id, set()).add(jurisdiction_id)
    return places


def jurisdiction_list_by_ids(ids: Iterable[int]) -> list[Jurisdiction]:
    """The divisions with these ids (an unknown id is simply absent), in no particular order."""
    return list(Jurisdiction.objects.filter(pk__in=list(ids)))


def jurisdiction_ids_by_code(codes: Iterable[str]) -> dict[str, int]:
    """The divisions with these codes, code → id (an unknown code is simply absent; one query)."""
    return dict(Jurisdiction.objects.filter(code__in=list(codes)).values_list("code", "pk"))


def city_list_within(roots: Iterable[int], *, on: dt.date | None = None) -> QuerySet[Jurisdiction]:
    """The cities (设区市) among these divisions and those under them on a date, by code."""
    return city_list().filter(pk__in=jurisdiction_descendant_ids(roots, on=on)).order_by("code")
