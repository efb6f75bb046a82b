"""Review objects for the authorization matrix: a foreign programme's pool, round, panel and assignment.

The ``application_id`` provider is the applications' (pilot_zones/tests/authz.py).
Nothing of the review is public: every URL with a parameter answers 404 to an outsider, and no
page shows a foreign expert's name, a round's name or an application's name.
"""

from __future__ import annotations

import datetime as dt

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.pilot_zones.models import Application, ZoneStatus
from xiandao.programmes.tests.authz import foreign_programme
from xiandao.review.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    MemberStatus,
    PanelMember,
    ReviewRound,
    RoundApplication,
    RoundStatus,
)


def foreign_expert(world: ForeignWorld) -> Expert:
    expert, _ = Expert.objects.get_or_create(
        programme=foreign_programme(world),
        name=f"{world.marker}专家",
        defaults={"kind": "scientist", "city": world.city},
    )
    return expert


def foreign_application(world: ForeignWorld) -> Application:
    application, _ = Application.objects.get_or_create(
        programme=foreign_programme(world),
        name=f"{world.marker}先导区申报",
        defaults={"city": world.city, "status": ZoneStatus.UNDER_REVIEW},
    )
    return application


def foreign_round(world: ForeignWorld) -> ReviewRound:
    round_, created = ReviewRound.objects.get_or_create(
        programme=foreign_programme(world),
        name=f"{world.marker}评审批次",
        defaults={"deadline": dt.date(2030, 1, 1), "status": RoundStatus.SCORING},
    )
    if created:
        RoundApplication.objects.create(round=round_, application=foreign_application(world))
    return round_


def foreign_member(world: ForeignWorld) -> PanelMember:
    member, _ = PanelMember.objects.get_or_create(
        round=foreign_round(world),
        expert=foreign_expert(world),
        defaults={"kind": "scientist", "rank": 1, "status": MemberStatus.ACCEPTED},
    )
    return member


@provider("expert_id")
def expert_id(world: ForeignWorld) -> ForeignObject:
    expert = foreign_expert(world)
    return ForeignObject(str(expert.pk), (expert.name,))


@provider("round_id")
def round_id(world: ForeignWorld) -> ForeignObject:
    round_ = foreign_round(world)
    return ForeignObject(str(round_.pk), (round_.name, foreign_application(world).name))


@provider("member_id")
def member_id(world: ForeignWorld) -> ForeignObject:
    member = foreign_member(world)
    return ForeignObject(str(member.pk), (member.expert.name,))


@provider("assignment_id")
def assignment_id(world: ForeignWorld) -> ForeignObject:
    assignment, _ = Assignment.objects.get_or_create(
        member=foreign_member(world),
        application=foreign_application(world),
        defaults={"status": AssignmentStatus.DECLARED},
    )
    return ForeignObject(str(assignment.pk), (assignment.application.name,))
