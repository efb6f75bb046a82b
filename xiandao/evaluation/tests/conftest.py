from __future__ import annotations

from typing import Any

import pytest

from xiandao.evaluation import services
from xiandao.evaluation.models import EvaluationSettings
from xiandao.evaluation.tests.factories import sources_replaced, values_make, zones_make


@pytest.fixture
def anhui(shipped_programmes: dict[str, Any]) -> Any:
    programme = shipped_programmes["anhui"]
    EvaluationSettings.objects.update_or_create(programme=programme, defaults={"draws": 20})
    return programme


@pytest.fixture
def zones(anhui: Any) -> list[Any]:
    return zones_make(anhui, 4)


@pytest.fixture
def data(anhui: Any, zones: list[Any]) -> Any:
    strong = {zones[0].pk: 1.6, zones[1].pk: 1.1, zones[2].pk: 0.8, zones[3].pk: 0.5}
    with sources_replaced(values_make(anhui, zones, range(2022, 2027), strong=strong)) as found:
        yield found


@pytest.fixture
def compute(django_capture_on_commit_callbacks: Any) -> Any:
    """Create and compute a run (the job runs inline once the transaction commits)."""

    def run(actor: Any, programme: Any, year: int, **kwargs: Any) -> Any:
        created = services.run_create(actor=actor, programme=programme, year=year, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            services.run_start(actor=actor, run=created)
        created.refresh_from_db()
        return created

    return run
