"""Who a notice reaches, decided without a database: pure, so the rule is tested as a table.

A user's reach is one entry per role they hold: the role and the places (jurisdictions, own and
every one above) that role sits in. A notice of a programme reaches a user when one of their
roles sits inside the programme's jurisdiction, is among the notice's roles (if it names any)
and sits in one of its cities (if it names any). A province-wide role therefore does not match a
notice addressed to one city: the notice is for the city's people.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Reach:
    role: str
    places: frozenset[int]


def places_up(jurisdiction_ids: Iterable[int], parents: Mapping[int, int]) -> frozenset[int]:
    """The jurisdictions and every one above them, following the child → parent map."""
    found: set[int] = set()
    for start in jurisdiction_ids:
        current: int | None = start
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return frozenset(found)


def notice_reaches(
    *,
    programme_jurisdiction_id: int,
    roles: Collection[str],
    city_ids: Collection[int],
    reaches: Iterable[Reach],
) -> bool:
    """Does a notice with this audience reach a user holding these roles?"""
    cities = frozenset(city_ids)
    for reach in reaches:
        if programme_jurisdiction_id not in reach.places:
            continue
        if roles and reach.role not in roles:
            continue
        if cities and not reach.places & cities:
            continue
        return True
    return False
