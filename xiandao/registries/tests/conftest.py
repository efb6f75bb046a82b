"""Fixtures of the registries' tests: the Anhui programme with its demo zones, and the personas."""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.pilot_zones.demo import demo_zones_create
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Programme
from xiandao.programmes.tests.loading import load


@pytest.fixture
def anhui(personas: dict[str, Any]) -> Programme:
    programme = load("anhui").programme
    load("zhejiang")
    demo_zones_create()
    return programme


@pytest.fixture
def quantum_zone(anhui: Programme) -> PilotZone:
    """示例量子精密测量先导区, hosted in 合肥高新区 (the zone operator's park)."""
    return PilotZone.objects.get(name="示例量子精密测量先导区")


@pytest.fixture
def wuhu_zone(anhui: Programme) -> PilotZone:
    """A zone in Wuhu: outside the zone operator's and the Hefei officer's reach."""
    return PilotZone.objects.get(name="示例低空智能装备先导区")
