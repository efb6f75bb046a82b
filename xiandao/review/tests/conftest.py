"""A programme with a pool of every kind and two applications under review (Hefei and Wuhu)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from xiandao.geo.models import Jurisdiction, Park
from xiandao.review.services import expert_create

from .factories import UnderReviewApplicationFactory

KINDS = ("scientist", "entrepreneur", "investor")


@dataclass
class World:
    programme: Any
    hefei: Any
    wuhu: Any
    bengbu: Any
    hefei_park: Any
    applications: list[Any]
    experts: list[Any]
    personas: dict[str, Any]


@pytest.fixture
def world(shipped_programmes, personas) -> World:
    programme = shipped_programmes["anhui"]
    hefei, wuhu, bengbu = (Jurisdiction.objects.get(code=c) for c in ("340100", "340200", "340300"))
    hefei_park = Park.objects.get(name="合肥高新技术产业开发区")
    applications = [
        UnderReviewApplicationFactory(
            programme=programme, city=hefei, name="示例合肥申报", parks=[hefei_park]
        ),
        UnderReviewApplicationFactory(programme=programme, city=wuhu, name="示例芜湖申报"),
    ]
    admin = personas["province_admin"]
    experts = [
        expert_create(
            actor=admin,
            programme=programme,
            name=f"示例{KINDS[i % 3]}{i}",
            kind=KINDS[i % 3],
            city=bengbu,
        )
        for i in range(9)
    ]
    return World(programme, hefei, wuhu, bengbu, hefei_park, applications, experts, personas)


def persona_experts(world: World) -> dict[str, Any]:
    """The three expert personas as pool members (outside Hefei and Wuhu, so never in conflict)."""
    admin = world.personas["province_admin"]
    out = {}
    for key, kind in (
        ("scientist_expert", "scientist"),
        ("entrepreneur_expert", "entrepreneur"),
        ("investor_expert", "investor"),
    ):
        user = world.personas[key]
        out[kind] = expert_create(
            actor=admin,
            programme=world.programme,
            name=user.display_name,
            kind=kind,
            city=world.bengbu,
            user=user,
        )
    return out


DEADLINE = dt.date.today() + dt.timedelta(days=10)
