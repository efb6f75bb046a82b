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
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from threadpoolctl import threadpool_limits

from xiandao.evaluation.engine.method import Method
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.pipeline import _run
from xiandao.evaluation.engine.results import RunResult
from xiandao.evaluation.engine.serialise import from_data, to_data
from xiandao.evaluation.engine.uncertainty import UncertaintyResult, _monte_carlo


@dataclass(frozen=True)
class Results:
    """What an evaluation produces: the published run and, if asked for, its uncertainty."""

    method_version: str
    run: RunResult
    uncertainty: UncertaintyResult | None = None

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
    progress: Callable[[int], object] | None = None,
) -> Results:
    """Evaluate every zone in every year of the window with ``method`` (the default if None).

    ``uncertainty`` also runs the method's Monte Carlo and indicator-removal analysis;
    ``progress`` is called with the number of draws done after each batch. Both run on one
    BLAS thread (see ``pipeline.run``). Problems with the data or the method raise an
    :class:`~xiandao.evaluation.engine.errors.EngineError` whose message is Chinese.
    """
    method = method or Method()
    with threadpool_limits(limits=1):
        published = _run(data, method)
        simulated = _monte_carlo(data, method, progress) if uncertainty else None
    return Results(method.method_version, published, simulated)
