"""Who may see, add, confirm and retire registry entries, scoped by jurisdiction and zone.

* programme admins: everything in their jurisdictions; they give the province's confirmation;
* city officers: the entries of their cities; they confirm them;
* zone operators: the entries of the pilot zones hosted in their parks; they add, never confirm;
* third-party evaluators: read the entries of their jurisdictions (they check the data);
* everyone else, and the public: aggregated counts only (no entry is visible).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import UserScope, user_scope
from xiandao.core.permissions import PermissionPolicy
from xiandao.geo.selectors import city_list, jurisdiction_ancestor_ids, jurisdiction_ids_hosting_parks
from xiandao.pilot_zones.selectors import zone_list, zone_list_in_jurisdictions, zone_list_in_parks

from .models import RegistryEntry

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction
    from xiandao.pilot_zones.models import PilotZone


class RegistryAction(StrEnum):
    VIEW = "view"  # see an entry and its history
    ADD = "add"  # add or import entries, add tags, TRL and progress
    CONFIRM = "confirm"  # the city's confirmation
    CONFIRM_PROVINCE = "confirm_province"  # the province's, where the programme requires it
    RETIRE = "retire"  # retire an entry with a date and a reason


ROLES_FOR: dict[RegistryAction, frozenset[str]] = {
    RegistryAction.VIEW: frozenset(
        {Role.PROGRAMME_ADMIN, Role.CITY_OFFICER, Role.ZONE_OPERATOR, Role.EVALUATOR}
    ),
    RegistryAction.ADD: frozenset({Role.PROGRAMME_ADMIN, Role.CITY_OFFICER, Role.ZONE_OPERATOR}),
    RegistryAction.CONFIRM: frozenset({Role.PROGRAMME_ADMIN, Role.CITY_OFFICER}),
    RegistryAction.CONFIRM_PROVINCE: frozenset({Role.PROGRAMME_ADMIN}),
    RegistryAction.RETIRE: frozenset({Role.PROGRAMME_ADMIN, Role.CITY_OFFICER}),
}


def actions_for(user: Any) -> set[RegistryAction]:
    """The actions a user may take on some entry (for menus and buttons)."""
    scope = user_scope(user)
    return {action for action, roles in ROLES_FOR.items() if scope.has_role(*roles)}


def _jurisdiction_roles(scope: UserScope, action: RegistryAction) -> bool:
    roles = ROLES_FOR[action] - {Role.ZONE_OPERATOR}
    return bool(scope.roles & roles)


def zones_for(user: Any) -> QuerySet[PilotZone]:
    """The pilot zones a user may enter data for: hosted in their parks, or in their jurisdictions."""
    scope = user_scope(user)
    if scope.is_superuser:
        return zone_list()
    zones = zone_list().none()
    if Role.ZONE_OPERATOR in scope.roles and scope.park_ids:
        zones |= zone_list_in_parks(scope.park_ids)
    if _jurisdiction_roles(scope, RegistryAction.ADD) and scope.jurisdiction_ids:
        zones |= zone_list_in_jurisdictions(scope.jurisdiction_ids)
    return zones


def cities_for(user: Any, action: RegistryAction = RegistryAction.ADD) -> QuerySet[Jurisdiction]:
    """The cities a user may record entries in (a zone operator: the cities of their parks)."""
    scope = user_scope(user)
    cities = city_list()
    if scope.is_superuser:
        return cities
    ids: set[int] = set()
    if _jurisdiction_roles(scope, action):
        ids |= set(scope.jurisdiction_ids)
    if (
        action in (RegistryAction.ADD, RegistryAction.VIEW)
        and Role.ZONE_OPERATOR in scope.roles
        and scope.park_ids
    ):
        for jurisdiction_id in jurisdiction_ids_hosting_parks(scope.park_ids):
            ids.add(jurisdiction_id)
            ids.update(jurisdiction_ancestor_ids(jurisdiction_id))
    return cities.filter(pk__in=ids)


class RegistryEntryPolicy(PermissionPolicy[RegistryEntry]):
    """One policy for every registry: ``instances_for(user, action)`` of the registry's model."""

    actions = tuple(RegistryAction)

    def __init__(self, model: type[RegistryEntry]) -> None:
        self.model = model

    def instances_for(self, user: Any, action: str) -> QuerySet[RegistryEntry]:
        entries = self.model._default_manager.all()
        if not getattr(user, "is_authenticated", False):
            return entries.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return entries
        act = RegistryAction(action)
        condition = Q(pk__in=[])
        if _jurisdiction_roles(scope, act) and scope.jurisdiction_ids:
            condition |= Q(city_id__in=scope.jurisdiction_ids)
        if Role.ZONE_OPERATOR in ROLES_FOR[act] and Role.ZONE_OPERATOR in scope.roles and scope.park_ids:
            condition |= Q(zone__in=zone_list_in_parks(scope.park_ids).values("pk"))
        return entries.filter(condition)


_POLICIES: dict[type[RegistryEntry], RegistryEntryPolicy] = {}


def policy_for(model: type[RegistryEntry]) -> RegistryEntryPolicy:
    if model not in _POLICIES:
        _POLICIES[model] = RegistryEntryPolicy(model)
    return _POLICIES[model]
