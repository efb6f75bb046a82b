"""The path to the next grade and the removal-risk forecast, stored on each zone's result.

Both are the engine's (``engine/paths.py``, ``engine/forecast.py``); this module feeds them the
run's frozen snapshot, the indicators' units and the published grades of earlier years, and
stores what they say as plain JSON on ``ZoneResult`` (``path_to_next``, ``removal_risk``). It
runs when the run is computed (on the engine's grades) and again at publication (on the final,
possibly adjusted, grades).
"""

from __future__ import annotations

import json
from typing import Any

from xiandao.evaluation.engine.forecast import removal_risk
from xiandao.evaluation.engine.paths import IndicatorUnit, path_to_next_grade
from xiandao.evaluation.engine.serialise import to_data

from .models import EvaluationRun, RunStatus, ZoneResult

#: Units counted in whole numbers: the path suggests 4 more platforms, never 3.6.
COUNT_UNITS = {"家", "个", "项", "件", "人", "名", "次", "户"}


def available() -> dict[str, bool]:
    return {"paths": True, "forecast": True}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(to_data(value), ensure_ascii=False, default=str))


def units_of(data: dict[str, Any]) -> dict[str, IndicatorUnit]:
    return {
        code: IndicatorUnit(unit=unit, integer=unit in COUNT_UNITS)
        for code, unit in (data.get("units") or {}).items()
    }


def published_grades(run: EvaluationRun, *, final: bool) -> dict[str, dict[int, str | None]]:
    """Zone → year → grade: earlier published runs, and this run's (final or engine's) grades."""
    found: dict[str, dict[int, str | None]] = {}
    rows = ZoneResult.objects.filter(
        run__programme=run.programme, run__status=RunStatus.PUBLISHED, run__year__lt=run.year
    ).values_list("zone_id", "run__year", "final_grade")
    for zone_id, year, grade in rows:
        found.setdefault(str(zone_id), {})[year] = grade or None
    for result in run.zone_results.all():
        grade = (result.final_grade or result.proposed_grade) if final else result.proposed_grade
        found.setdefault(str(result.zone_id), {})[run.year] = grade or None
    return found


def forecasts_store(run: EvaluationRun, *, final: bool = False) -> None:
    """Compute and store both for every zone of the run."""
    from .services.snapshot import engine_inputs

    data = json.loads(run.snapshot)
    snapshot, method = engine_inputs(data)
    units = units_of(data)
    results = {str(r.zone_id): r for r in run.zone_results.all()}
    paths: dict[str, Any] = {}
    try:
        found = path_to_next_grade(snapshot, method, year=run.year, zones=list(results), units=units)
        for path in found.paths:
            paths[path.zone] = {
                **_plain(path),
                "definition": found.definition,
                "assumptions": list(found.assumptions),
            }
    except Exception as exc:  # the engine's refusal is shown, in its Chinese
        paths = {zone: {"problem": getattr(exc, "message", None) or str(exc)} for zone in results}
    risks: dict[str, Any] = {}
    removal = (data.get("consequences") or {}).get("removal") or {}
    consecutive = (removal.get("consecutive_years") or {}).get("value")
    if consecutive and int(consecutive) >= 2:
        try:
            found_risk = removal_risk(
                snapshot,
                method,
                year=run.year,
                consecutive=int(consecutive),
                grade=removal.get("grade") or None,
                grades=published_grades(run, final=final),
                units=units,
            )
            for risk in found_risk.zones:
                risks[risk.zone] = {
                    **_plain(risk),
                    "next_year": found_risk.next_year,
                    "model": found_risk.model,
                }
        except Exception as exc:
            run_problem = getattr(exc, "message", None) or str(exc)
            risks = {code: {"problem": run_problem} for code in results}
    for zone, result in results.items():
        result.path_to_next = paths.get(zone, {})
        result.removal_risk = risks.get(zone, {})
        result.save(update_fields=["path_to_next", "removal_risk"])
