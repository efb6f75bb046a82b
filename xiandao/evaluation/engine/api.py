"""The engine's entry point for the platform: ``evaluate(data, method) -> Results``.

The platform's evaluation runs load a snapshot (framework with its tree and denominators,
values, targets, peer groups), pick a method, call :func:`evaluate`, and store the
:class:`Results` as JSON with the method version. Everything below is pure: no Django, no
database, no files.

    from xiandao.evaluation.engine import Method, Snapshot, evaluate

    results = evaluate(snapshot, Method(), uncertainty=True)
    results.run.result("Z1", 2024).grade           # the published grade
    results.run.result("Z1", 2024).aggregate_scores  # every level of the tree
    results.uncertainty.zone_years[0].grade_probabilities
    results.sensitivity.factors                    # with sensitivity=True: Sobol indices

Beside a run, for the report card and the workbenches:

    path_to_next_grade(snapshot, method, year=2025)  # -> PathsResult (paths.py)
    removal_risk(snapshot, method, year=2025, grades=published)  # -> RiskResult (forecast.py)

Every result is frozen dataclasses that ``serialise.to_data`` turns into JSON-compatible data
and ``serialise.from_data`` rebuilds, so the platform stores them as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine.forecast import RiskResult, removal_risk
from xiandao.evaluation.engine.method import Method
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.paths import IndicatorUnit, PathsResult, apply_path, path_to_next_grade
from xiandao.evaluation.engine.pipeline import _run
from xiandao.evaluation.engine.results import RunResult
from xiandao.evaluation.engine.sensitivity import SensitivityResult, _sobol_sensitivity
from xiandao.evaluation.engine.serialise import from_data, to_data
from xiandao.evaluation.engine.uncertainty import UncertaintyResult, _monte_carlo

__all__ = [
    "IndicatorUnit",
    "PathsResult",
    "Results",
    "RiskResult",
    "apply_path",
    "evaluate",
    "path_to_next_grade",
    "removal_risk",
]


@dataclass(frozen=True)
class Results:
    """What an evaluation produces: the published run and, if asked for, its uncertainty and
    the Sobol indices of the methodological choices (for the admin)."""

    method_version: str
    run: RunResult
    uncertainty: UncertaintyResult | None = None
    sensitivity: SensitivityResult | None = None

    def to_json(self) -> str:
        return json.dumps(to_data(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Results:
        data: dict[str, Any] = json.loads(text)
        return from_data(cls, data)


def evaluate(
    data: Snapshot,
    method: Method | None = None,
    *,
    uncertainty: bool = False,
    sensitivity: bool = False,
    progress: Callable[[int], object] | None = None,
) -> Results:
    """Evaluate every zone in every year of the window with ``method`` (the default if None).

    ``uncertainty`` also runs the method's Monte Carlo and indicator-removal analysis;
    ``progress`` is called with the number of draws done after each batch. Both run on one
    BLAS thread (see ``pipeline.run``). ``sensitivity`` also computes the Sobol indices of
    each zone's rank in the last year (``sensitivity.sobol_sensitivity``; N × (k + 2) draws). Problems with the data or the method raise an
    :class:`~xiandao.evaluation.engine.errors.EngineError` whose message is Chinese.
    """
    method = method or Method()
    with threadpool_limits(limits=1):
        published = _run(data, method)
        simulated = _monte_carlo(data, method, progress) if uncertainty else None
        explained = _sobol_sensitivity(data, method) if sensitivity else None
    return Results(method.method_version, published, simulated, explained)
