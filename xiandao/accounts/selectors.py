"""Reads about users: the roles they hold today and the jurisdictions those roles reach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from xiandao.geo.models import Jurisdiction, Park
from xiandao.geo.selectors import jurisdiction_descendant_ids, park_ids_in_jurisdictions

from .models import (
    BACKOFFICE_ROLES,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)


def role_assignments_active(user: Any, *, on: dt.date | None = None) -> QuerySet[RoleAssignment]:
    """The role assignments a user holds on a date (today by default)."""
    if not getattr(user, "is_authenticated", False):
        return RoleAssignment.objects.none()
    on = on or timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("jurisdiction", "park", "organisation")
        .order_by("valid_from", "pk")
    )


def role_assignments_today(user: Any) -> list[RoleAssignment]:
    """Today's role assignments, read once per request (kept on the user object the request holds)."""
    cached: list[RoleAssignment] | None = getattr(user, "_xiandao_assignments_today", None)
    if cached is None:
        cached = list(role_assignments_active(user))
        if getattr(user, "is_authenticated", False):
            user._xiandao_assignments_today = cached
    return cached


def role_assignment_list_within(
    jurisdiction_ids: Collection[int], *, on: dt.date, programme: Model | None = None
) -> QuerySet[RoleAssignment]:
    """The business roles active users hold on a date inside these divisions (pass a whole subtree).

    An assignment is inside when it is scoped to one of the divisions, to a park lying in one
    or an organisation registered in one, to ``programme`` (a programme-scoped role, named by
    its content type), or, whatever its scope, held by a user whose organisation is in one. The
    three back-office administrators (三员) run the platform and sit in no division: never here;
    nor the national observer, who reads every programme from outside them. Users, their organisations and the scoped organisation come loaded (one query, two with
    the parks' locations).
    """
    inside = (
        Q(jurisdiction_id__in=jurisdiction_ids)
        | Q(park_id__in=park_ids_in_jurisdictions(jurisdiction_ids, on=on))
        | Q(organisation__jurisdiction_id__in=jurisdiction_ids)
        | Q(user__organisation__jurisdiction_id__in=jurisdiction_ids)
    )
    if programme is not None:
        inside |= Q(
            scope_kind=ScopeKind.PROGRAMME,
            object_type=ContentType.objects.get_for_model(programme),
            object_id=programme.pk,
        )
    return (
        RoleAssignment.objects.filter(valid_from__lte=on, user__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exclude(role__in=[*BACKOFFICE_ROLES, Role.OBSERVER])
        .filter(inside)
        .select_related("user", "user__organisation", "organisation")
    )


def user_find_by_username(username: str) -> User | None:
    """The user with this login name, if there is one."""
    return User.objects.filter(username=username).first()


@dataclass(frozen=True)
class UserScope:
    """Everything a user's active roles reach, computed once per request."""

    roles: frozenset[str]
    jurisdiction_ids: frozenset[int]
    park_ids: frozenset[int]
    organisation_ids: frozenset[int]
    is_superuser: bool = False

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles.intersection(roles))


def user_scope(user: Any, *, on: dt.date | None = None) -> UserScope:
    """Roles and reach of a user: jurisdiction scopes include everything below them."""
    if not getattr(user, "is_authenticated", False):
        return UserScope(frozenset(), frozenset(), frozenset(), frozenset())
    cache_key = f"_xiandao_scope_{on}"
    cached: UserScope | None = getattr(user, cache_key, None)
    if cached is not None:
        return cached
    assignments = role_assignments_today(user) if on is None else list(role_assignments_active(user, on=on))
    roots = [
        a.jurisdiction_id for a in assignments if a.scope_kind == ScopeKind.JURISDICTION and a.jurisdiction_id
    ]
    jurisdiction_ids = jurisdiction_descendant_ids(roots, on=on) if roots else set()
    park_ids = {a.park_id for a in assignments if a.scope_kind == ScopeKind.PARK and a.park_id}
    park_ids |= park_ids_in_jurisdictions(jurisdiction_ids, on=on) if jurisdiction_ids else set()
    organisation_ids = {
        a.organisation_id for a in assignments if a.scope_kind == ScopeKind.ORGANISATION and a.organisation_id
    }
    if user.organisation_id:
        organisation_ids.add(user.organisation_id)
    scope = UserScope(
        roles=frozenset(a.role for a in assignments),
        jurisdiction_ids=frozenset(jurisdiction_ids),
        park_ids=frozenset(park_ids),
        organisation_ids=frozenset(organisation_ids),
        is_superuser=bool(user.is_superuser),
    )
    setattr(user, cache_key, scope)
    return scope


def primary_role(user: Any) -> RoleAssignment | None:
    """The role a home page is built for: the first active one, in the order roles are listed."""
    assignments = list(role_assignments_today(user))
    order = {value: index for index, value in enumerate(Role.values)}
    assignments.sort(key=lambda a: order.get(a.role, 99))
    return assignments[0] if assignments else None


def organisation_resolve(name: str, *, within: Jurisdiction | None = None) -> Organisation | None:
    """Find the organisation a document means by `name` (full name or alias), inside a jurisdiction tree.

    The same short name (省发展改革委) means a different body in each province, so a
    resolution is always made within the programme's jurisdiction when one is given.
    """
    allowed = jurisdiction_descendant_ids([within.pk]) if within is not None else None
    exact = Organisation.objects.filter(name=name)
    by_alias = Organisation.objects.filter(
        pk__in=OrganisationAlias.objects.filter(alias=name).values("organisation_id")
    )
    for queryset in (exact, by_alias):
        if allowed is not None:
            queryset = queryset.filter(jurisdiction_id__in=allowed)
        found = list(queryset[:2])
        if len(found) == 1:
            return found[0]
    return None


def organisation_names_like(name: str, *, within: Jurisdiction | None = None, limit: int = 3) -> list[str]:
    """The closest known names and aliases, to suggest when a name does not resolve."""
    import difflib

    organisations = Organisation.objects.all()
    if within is not None:
        organisations = organisations.filter(jurisdiction_id__in=jurisdiction_descendant_ids([within.pk]))
    candidates = list(organisations.values_list("name", flat=True)) + list(
        OrganisationAlias.objects.filter(organisation__in=organisations).values_list("alias", flat=True)
    )
    return difflib.get_close_matches(name, candidates, n=limit, cutoff=0.4)


def user_list_in_scope(user: Any) -> QuerySet[User]:
    """Users of the organisations a user's scope reaches."""
    from .permissions import organisation_policy

    return User.objects.filter(organisation__in=organisation_policy.instances_for(user, "view"))


def park_list_for_user(user: Any) -> QuerySet[Park]:
    scope = user_scope(user)
    return Park.objects.filter(pk__in=scope.park_ids).order_by("name")


def organisation_count_in(jurisdiction_ids: Iterable[int]) -> int:
    """How many organisations are registered in these jurisdictions."""
    return Organisation.objects.filter(jurisdiction_id__in=list(jurisdiction_ids)).count()


def account_locked(request: Any, user: Any) -> bool:
    """Is the account locked out now? (Its sessions and API tokens stop working while it is.)"""
    from .locks import account_locked as locked

    return locked(request, user)


def account_step_pending(request: Any) -> str:
    """The login step the user still owes: "verify", "setup", "first", "expired", or "" (none)."""
    from .middleware import account_step_pending as pending

    return pending(request)


def session_idle_seconds() -> int:
    """How long a session may sit idle, from the security administrator's policy."""
    from .policy import session_idle_seconds as idle

    return int(idle())


def organisation_list_departments(
    jurisdiction: Jurisdiction, *, exclude: Organisation | None = None
) -> QuerySet[Organisation]:
    """The government departments of one jurisdiction itself (省科技厅, 省工业和信息化厅…), by name."""
    departments = Organisation.objects.filter(
        jurisdiction=jurisdiction, kind=OrganisationKind.GOVERNMENT_DEPARTMENT
    ).order_by("name")
    return departments.exclude(pk=exclude.pk) if exclude is not None else departments


def users_of_organisations(organisation_ids: Iterable[int], *, role: str | None = None) -> QuerySet[User]:
    """The active users of these organisations (holding ``role`` today, when given)."""
    users = User.objects.filter(organisation_id__in=list(organisation_ids), is_active=True)
    if role is not None:
        today = dt.date.today()
        users = users.filter(
            Q(role_assignments__role=role)
            & Q(role_assignments__valid_from__lte=today)
            & (Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gt=today))
        )
    return users.distinct().order_by("pk")


def users_holding_role(role: str, *, jurisdiction_ids: Iterable[int] | None = None) -> QuerySet[User]:
    """The active users holding ``role`` today, in a scope of one of these divisions when given."""
    today = timezone.localdate()
    held = Q(role_assignments__role=role, role_assignments__valid_from__lte=today) & (
        Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gt=today)
    )
    if jurisdiction_ids is not None:
        held &= Q(role_assignments__jurisdiction_id__in=list(jurisdiction_ids))
    return User.objects.filter(held, is_active=True).distinct().order_by("pk")


def user_list_by_ids(user_ids: Iterable[int]) -> QuerySet[User]:
    """The active users with these ids (an id of an inactive or deleted user is simply absent)."""
    return User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk")


def role_holders_by_jurisdiction(role: str, jurisdiction_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Division id → the active users holding ``role`` today in a scope of exactly that division."""
    today = timezone.localdate()
    found: dict[int, list[int]] = {}
    rows = (
        RoleAssignment.objects.filter(
            role=role, jurisdiction_id__in=list(jurisdiction_ids), user__is_active=True, valid_from__lte=today
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .values_list("jurisdiction_id", "user_id")
        .order_by("jurisdiction_id", "user_id")
    )
    for jurisdiction_id, user_id in rows:
        found.setdefault(jurisdiction_id, []).append(user_id)
    return {j: tuple(dict.fromkeys(ids)) for j, ids in found.items()}


def organisation_find(organisation_id: int) -> Organisation | None:
    """The organisation with this id, if there is one (the caller checks it is one it may choose)."""
    return Organisation.objects.filter(pk=organisation_id).first()
