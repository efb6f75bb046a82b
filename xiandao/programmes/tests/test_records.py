"""One shape per entity: the API, the export and the comparison read a target or task the same way."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from xiandao.programmes.definition.values import plain_data, plain_number
from xiandao.programmes.state import programme_definition_export


@pytest.mark.parametrize(
    ("stored", "plain"),
    [
        (Decimal("30.000000"), 30),
        (Decimal("0.2500"), 0.25),
        (Decimal("1000"), 1000),
        (Decimal("3.5"), 3.5),
        (7, 7),
    ],
)
def test_a_stored_decimal_reads_as_the_number_written(stored: Decimal, plain: int | float) -> None:
    number = plain_number(stored)
    assert number == plain and type(number) is type(plain)


def test_plain_data_reaches_inside_lists_and_dicts() -> None:
    assert plain_data({"w": [Decimal("0.50"), {"x": Decimal("2.0")}], "s": "a"}) == {
        "w": [0.5, {"x": 2}],
        "s": "a",
    }


@pytest.mark.django_db
def test_the_api_serves_targets_and_tasks_in_the_exported_definitions_shape(
    client: Any, shipped_programmes: Any
) -> None:
    for code, programme in shipped_programmes.items():
        exported = programme_definition_export(programme)
        targets = client.get(f"/api/v1/programmes/{code}/targets").json()
        assert targets == [t.model_dump(mode="json") for t in exported.targets]
        tasks = client.get(f"/api/v1/programmes/{code}/tasks").json()
        shared = [{k: v for k, v in t.items() if k not in ("lead_units", "cooperating_units")} for t in tasks]
        assert shared == [t.model_dump(mode="json") for t in exported.tasks]
