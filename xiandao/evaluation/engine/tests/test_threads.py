"""The engine caps BLAS at one thread while it computes, and gives the setting back after.

No environment variable is involved: a Celery worker or the demo's job thread that imported
numpy long before gets the cap too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from xiandao.evaluation.engine import pipeline, sensitivity, uncertainty
from xiandao.evaluation.engine.method import Method, MethodError, Normalisation, Uncertainty
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.sensitivity import sobol_sensitivity
from xiandao.evaluation.engine.tests.fixtures import snapshot
from xiandao.evaluation.engine.uncertainty import monte_carlo

SMALL = Method(uncertainty=Uncertainty(draws=20, sobol_base_samples=8))


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.fixture
def two_blas_threads() -> Iterator[None]:
    """As a worker started without OPENBLAS_NUM_THREADS on a 2-core machine has."""
    if not blas_threads():
        pytest.skip("numpy has no BLAS that threadpoolctl can see")
    with threadpool_limits(limits=2, user_api="blas"):
        yield


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The BLAS thread counts in force each time an analysis prepares its data."""
    found: list[set[int]] = []
    prepare = pipeline.prepare

    def spy(*arguments: object) -> object:
        found.append(blas_threads())
        return prepare(*arguments)  # type: ignore[arg-type]

    for module in (pipeline, uncertainty, sensitivity):
        monkeypatch.setattr(module, "prepare", spy)
    return found


def test_each_entry_point_computes_on_one_blas_thread(two_blas_threads: None, seen: list[set[int]]) -> None:
    run(snapshot())
    monte_carlo(snapshot(), SMALL)
    sobol_sensitivity(snapshot(), SMALL)
    assert seen == [{1}, {1}, {1}]
    assert blas_threads() == {2}


def test_a_run_in_a_job_thread_is_capped_and_leaves_the_setting_as_it_found_it(seen: list[set[int]]) -> None:
    before = blas_threads()
    thread = threading.Thread(target=run, args=(snapshot(),))
    thread.start()
    thread.join(timeout=30)
    assert seen == [{1}]
    assert blas_threads() == before


def test_the_cap_is_lifted_when_a_run_fails(two_blas_threads: None, seen: list[set[int]]) -> None:
    with pytest.raises(MethodError):  # goalposts without any goalpost
        run(snapshot(), Method(normalisation=Normalisation(kind="goalposts")))
    assert seen == [{1}]
    assert blas_threads() == {2}
