from __future__ import annotations

from typing import Any

import pytest

from xiandao.monitoring.tests.factories import zone_in_park


@pytest.fixture
def anhui(shipped_programmes: dict[str, Any]) -> Any:
    return shipped_programmes["anhui"]


@pytest.fixture
def hefei_zone(anhui: Any, personas: dict[str, Any]) -> Any:
    """A zone in the zone operator persona's park (合肥高新区), hence in Hefei."""
    return zone_in_park(anhui, name="示例监测量子先导区")
