"""The path to the next grade and the removal-risk forecast, stored on each zone's result.

Both are computed by the engine (``engine/paths.py`` and ``engine/forecast.py``, written by the
engine's own work); this module only feeds them the run's snapshot and stores what they say.
Where the engine does not provide them, nothing is stored and the pages say the forecast is not
available — never an invented figure.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from .models import EvaluationRun, RunStatus, ZoneResult


def _engine_module(name: str) -> Any:
    try:
        return importlib.import_module(f"xiandao.evaluation.engine.{name}")
    except ImportError:
        return None


def available() -> dict[str, bool]:
    return {"paths": _engine_module("paths") is not None, "forecast": _engine_module("forecast") is not None}


def _plain(value: Any) -> Any:
    """An engine dataclass as JSON-ready data."""
    from xiandao.evaluation.engine.serialise import to_data

    try:
        return json.loads(json.dumps(to_data(value), ensure_ascii=False, default=str))
    except Exception:
        return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def forecasts_store(run: EvaluationRun) -> None:
    """Compute and store both for every zone of the run, where the engine offers them."""
    paths, forecast = _engine_module("paths"), _engine_module("forecast")
    if paths is None and forecast is None:
        return
    from .services.snapshot import engine_inputs

    data = json.loads(run.snapshot)
    snapshot, method = engine_inputs(data)
    previous = _previous_grades(run)
    for result in run.zone_results.all():
        zone = str(result.zone_id)
        if paths is not None and hasattr(paths, "path_to_next_grade"):
            try:
                result.path_to_next = _plain(paths.path_to_next_grade(snapshot, method, zone, run.year))
            except Exception as exc:  # the engine's refusal is shown, in its Chinese
                result.path_to_next = {"problem": getattr(exc, "message", None) or str(exc)}
        grades = [*previous.get(result.zone_id, []), result.proposed_grade]
        if forecast is not None and hasattr(forecast, "removal_risk"):
            try:
                result.removal_risk = _plain(forecast.removal_risk(snapshot, method, zone, run.year, grades))
            except Exception as exc:
                result.removal_risk = {"problem": getattr(exc, "message", None) or str(exc)}
        result.save(update_fields=["path_to_next", "removal_risk"])


def _previous_grades(run: EvaluationRun) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = (
        ZoneResult.objects.filter(
            run__programme=run.programme, run__status=RunStatus.PUBLISHED, run__year__lt=run.year
        )
        .order_by("run__year")
        .values_list("zone_id", "final_grade")
    )
    for zone_id, grade in rows:
        found.setdefault(zone_id, []).append(grade)
    return found
