"""Who may do what in the committee's review.

- The programme's admins keep the pool, run rounds and draws, see results and write opinions.
- A round's panel list is confidential until its results are published: only the programme's
  admins and the round's supervisor (监督人) see it.
- An expert sees only their own assignments, and never one with a conflict or one they recused
  from: those answer 404 like anything outside their scope.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.permissions import programme_policy

from .models import (
    Assignment,
    AssignmentStatus,
    Expert,
    MemberStatus,
    ReviewRound,
    RoundStatus,
)


class ReviewAction(StrEnum):
    VIEW = "view"  # read the pool or a round's page
    MANAGE = "manage"  # keep the pool; run a round, its draw, its panel; write opinions; publish
    PANEL_VIEW = "panel_view"  # see who sits on a round's panel (confidential until published)
    OPEN = "open"  # an expert opens their assignment (declares or recuses)
    SCORE = "score"  # an expert scores an assignment they declared for


def programmes_administered(user: Any) -> QuerySet[Any]:
    """The programmes whose review this user runs: the programmes they administer."""
    scope = user_scope(user)
    if not scope.has_role(Role.PROGRAMME_ADMIN):
        return programme_policy.instances_for(user, "change").none()
    return programme_policy.instances_for(user, "change")


class ExpertPolicy(PermissionPolicy[Expert]):
    model = Expert
    actions = (ReviewAction.VIEW, ReviewAction.MANAGE)

    def instances_for(self, user: Any, action: str) -> QuerySet[Expert]:
        return Expert.objects.filter(programme__in=programmes_administered(user))


class RoundPolicy(PermissionPolicy[ReviewRound]):
    model = ReviewRound
    actions = (ReviewAction.VIEW, ReviewAction.MANAGE, ReviewAction.PANEL_VIEW)

    def instances_for(self, user: Any, action: str) -> QuerySet[ReviewRound]:
        if not getattr(user, "is_authenticated", False):
            return ReviewRound.objects.none()
        administered = Q(programme__in=programmes_administered(user))
        if action == ReviewAction.MANAGE:
            return ReviewRound.objects.filter(administered)
        # The supervisor of a draw sees the round and its panel; after publication so do its experts.
        supervised = Q(supervisor=user)
        if action == ReviewAction.PANEL_VIEW:
            published = Q(status=RoundStatus.PUBLISHED, members__expert__user=user)
            return ReviewRound.objects.filter(administered | supervised | published).distinct()
        return ReviewRound.objects.filter(administered | supervised).distinct()

    def candidate_users(self, instance: ReviewRound, action: str) -> QuerySet[Any]:
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(is_active=True, role_assignments__role=Role.PROGRAMME_ADMIN)
            .distinct()
        )


class AssignmentPolicy(PermissionPolicy[Assignment]):
    model = Assignment
    actions = (ReviewAction.OPEN, ReviewAction.SCORE, ReviewAction.VIEW)

    def instances_for(self, user: Any, action: str) -> QuerySet[Assignment]:
        if not getattr(user, "is_authenticated", False) or not user_scope(user).has_role(Role.EXPERT):
            return Assignment.objects.none()
        mine = (
            Assignment.objects.filter(
                member__expert__user=user,
                member__expert__active=True,
                member__status=MemberStatus.ACCEPTED,
                member__round__status__in=[RoundStatus.SCORING, RoundStatus.CLOSED, RoundStatus.PUBLISHED],
                conflicted=False,
            )
            .exclude(status=AssignmentStatus.RECUSED)
            .select_related("member__round", "member__expert", "application")
        )
        if action == ReviewAction.SCORE:
            return mine.filter(status=AssignmentStatus.DECLARED, member__round__status=RoundStatus.SCORING)
        return mine

    def candidate_users(self, instance: Assignment, action: str) -> QuerySet[Any]:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=instance.member.expert.user_id or 0)


expert_policy = ExpertPolicy()
round_policy = RoundPolicy()
assignment_policy = AssignmentPolicy()
