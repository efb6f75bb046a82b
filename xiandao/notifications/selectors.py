"""Reads: a user's notifications (unread first), their e-mail preferences, the notices that reach them,
and the users a programme's notice reaches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from xiandao.accounts.models import ScopeKind
from xiandao.accounts.selectors import role_assignment_list_within, role_assignments_today
from xiandao.geo.selectors import jurisdiction_descendant_ids, jurisdiction_parent_ids, park_jurisdiction_ids
from xiandao.programmes.selectors import programme_content_type_id, programme_jurisdiction_ids

from .audience import Reach, notice_reaches, places_up
from .kinds import KindSpec, notification_kinds
from .models import Notice, Notification, NotificationPreference
from .permissions import notification_policy, programmes_for_publishing

if TYPE_CHECKING:
    from xiandao.accounts.models import RoleAssignment, User
    from xiandao.programmes.models import Programme

BELL_LIMIT = 8


# -- notifications ------------------------------------------------------------------------------


def notification_list_for_user(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first within each."""
    notifications = notification_policy.instances_for(user, "view")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def notification_unread_count(user: Any) -> int:
    return notification_policy.instances_for(user, "view").filter(read_at__isnull=True).count()


def notification_preferences_for_user(user: Any) -> list[tuple[KindSpec, bool]]:
    """Every registered kind with whether this user gets it by e-mail (their choice, else the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [(spec, chosen.get(spec.code, spec.email_by_default)) for spec in notification_kinds()]


def email_wanted(users: Iterable[Any], spec: KindSpec) -> set[int]:
    """The ids of those users who want this kind by e-mail and have an address."""
    users = [u for u in users if u.email]
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=spec.code).values_list("user_id", "email")
    )
    return {u.pk for u in users if chosen.get(u.pk, spec.email_by_default)}


# -- who a programme reaches -------------------------------------------------------------------------


def _reaches(assignments: Iterable[RoleAssignment], *, on: dt.date) -> dict[int, list[Reach]]:
    """Each user's reach (role and places) from their role assignments, in a constant number of queries."""
    assignments = list(assignments)
    parents = jurisdiction_parent_ids(on=on)
    park_ids = {a.park_id for a in assignments if a.scope_kind == ScopeKind.PARK and a.park_id}
    park_places = park_jurisdiction_ids(park_ids, on=on)
    programme_type_id = programme_content_type_id()
    programme_ids = {
        a.object_id
        for a in assignments
        if a.scope_kind == ScopeKind.PROGRAMME
        and a.object_type_id == programme_type_id
        and a.object_id is not None
    }
    programme_places = programme_jurisdiction_ids(programme_ids)
    reaches: dict[int, list[Reach]] = {}
    for a in assignments:
        if a.scope_kind == ScopeKind.JURISDICTION and a.jurisdiction_id:
            starts: set[int] = {a.jurisdiction_id}
        elif a.scope_kind == ScopeKind.PARK and a.park_id:
            starts = park_places.get(a.park_id, set())
        elif a.scope_kind == ScopeKind.ORGANISATION and a.organisation_id and a.organisation is not None:
            starts = {a.organisation.jurisdiction_id}
        elif a.scope_kind == ScopeKind.PROGRAMME and a.object_id in programme_places:
            starts = {programme_places[a.object_id]}
        elif a.user.organisation is not None:
            # Zone, review-assignment and evaluation-run scopes: the place of the user's organisation.
            starts = {a.user.organisation.jurisdiction_id}
        else:
            starts = set()
        reaches.setdefault(a.user_id, []).append(Reach(a.role, places_up(starts, parents)))
    return reaches


def programme_users(
    programme: Programme, *, roles: Collection[str] = (), city_ids: Collection[int] = ()
) -> list[User]:
    """The active users a programme reaches today, narrowed by roles and cities when given.

    The one answer to "who are this programme's users?", used by notices and by any app that
    must tell, say, every admin of a programme that something changed.
    """
    on = timezone.localdate()
    subtree = jurisdiction_descendant_ids([programme.jurisdiction_id], on=on)
    # Never the three back-office administrators (三员): they run the platform, not the programme.
    candidates = list(role_assignment_list_within(subtree, on=on, programme=programme))
    users = {a.user_id: a.user for a in candidates}
    reaches = _reaches(candidates, on=on)
    return sorted(
        (
            users[user_id]
            for user_id, user_reaches in reaches.items()
            if notice_reaches(
                programme_jurisdiction_id=programme.jurisdiction_id,
                roles=roles,
                city_ids=city_ids,
                reaches=user_reaches,
            )
        ),
        key=lambda u: u.pk,
    )


def notice_audience(notice: Notice) -> list[User]:
    return programme_users(notice.programme, roles=notice.roles, city_ids=[c.pk for c in notice.cities.all()])


# -- notices a user sees ---------------------------------------------------------------------------


def notice_ids_reaching(user: Any) -> list[int]:
    """The notices addressed to this user (not counting those they see as the programme's admin)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Notice.objects.values_list("pk", flat=True))
    on = timezone.localdate()
    assignments = role_assignments_today(user)
    for a in assignments:
        a.user = user
    reaches = _reaches(assignments, on=on).get(user.pk, [])
    places = frozenset().union(*(r.places for r in reaches)) if reaches else frozenset()
    notices = Notice.objects.filter(programme__jurisdiction_id__in=places).select_related("programme")
    return [
        n.pk
        for n in notices.prefetch_related("cities")
        if notice_reaches(
            programme_jurisdiction_id=n.programme.jurisdiction_id,
            roles=n.roles,
            city_ids=[c.pk for c in n.cities.all()],
            reaches=reaches,
        )
    ]


def notice_list_for_user(user: Any) -> QuerySet[Notice]:
    """Notices the user sees, newest first, with programme, cities and publisher loaded."""
    from .permissions import notice_policy

    return (
        notice_policy.instances_for(user, "view")
        .select_related("programme", "published_by", "published_by__organisation")
        .prefetch_related("cities")
        .order_by("-published_at", "-id")
        .distinct()
    )


def notices_for_workbench(user: Any) -> list[Any]:
    """The newest notices for the workbench's 通知公告 card (the workbench's notice provider)."""
    from xiandao.core.providers import NoticeItem

    return [
        NoticeItem(
            title=n.title,
            url=reverse("notifications:notice_detail", args=[n.pk]),
            date=timezone.localtime(n.published_at).date().isoformat(),
            source=n.programme.name,
        )
        for n in notice_list_for_user(user)[:5]
    ]


def programme_list_for_publishing(user: Any) -> QuerySet[Programme]:
    """The programmes the user may publish notices to, with their jurisdiction, by code."""
    return programmes_for_publishing(user)
