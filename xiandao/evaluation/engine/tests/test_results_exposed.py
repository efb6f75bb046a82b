"""What the platform reads from one call of ``evaluate``: per zone the probability of each grade
(summing to 1), the rank interval, the Sobol indices, strengths and weaknesses and the reason
that decided the grade — all through the JSON it stores."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from xiandao.evaluation.engine import Method, Results, evaluate
from xiandao.evaluation.engine.method import Gate, Grading, ScoringRules, Uncertainty, Veto
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.tests.fixtures import long_table, snapshot

SMALL = Method(uncertainty=Uncertainty(draws=200, sobol_base_samples=32))


def test_one_call_gives_probabilities_rank_intervals_and_sobol_indices_and_stores_as_json() -> None:
    results = evaluate(snapshot(), SMALL, uncertainty=True, sensitivity=True)
    assert results.uncertainty is not None and results.sensitivity is not None
    for zone_year in results.uncertainty.zone_years:
        total = sum(zone_year.grade_probabilities.values()) + zone_year.no_grade_probability
        assert total == pytest.approx(1.0)
        assert set(zone_year.grade_probabilities) == {"A", "AA", "AAA"}
        assert zone_year.rank_low is not None and zone_year.rank_high is not None
        assert 1 <= zone_year.rank_low <= zone_year.rank_high <= 3
    sensitivity = results.sensitivity
    assert sensitivity.year == 2024
    assert [f.factor for f in sensitivity.factors] == [
        "weights",
        "imputation",
        "outliers",
        "normalisation",
        "aggregation",
    ]
    assert set(sensitivity.per_zone) == {"Z1", "Z2", "Z3"}
    assert sensitivity.evaluations == 32 * (5 + 2)
    assert Results.from_json(results.to_json()) == results


def test_without_sensitivity_there_is_none_and_old_stored_results_still_load() -> None:
    results = evaluate(snapshot(), SMALL)
    assert results.sensitivity is None
    stored = results.to_json().replace(', "sensitivity": null', "")
    assert '"sensitivity"' not in stored
    assert Results.from_json(stored) == results


def test_strengths_weaknesses_and_the_threshold_that_decided() -> None:
    run = evaluate(snapshot(), Method()).run
    zone_year = run.result("Z3", 2023)
    assert zone_year.strengths == ("a",)
    assert zone_year.strength_notes == ("优势指标“a”：得分 50.00，在 3 个先导区中排第 1",)
    weakest = run.result("Z1", 2023)
    assert weakest.weaknesses and len(weakest.weakness_notes) == len(weakest.weaknesses)
    decided = zone_year.decided_by()
    assert decided is not None
    assert (decided.kind, decided.code, decided.detail) == (
        "threshold",
        "AA",
        "绩效指数 120.00 ≥ AA 门槛 100，评为 AA",
    )


def test_the_lowest_grade_is_decided_by_the_threshold_it_missed() -> None:
    decided = evaluate(snapshot(), Method()).run.result("Z1", 2023).decided_by()
    assert decided is not None
    assert (decided.kind, decided.detail) == ("threshold", "绩效指数 50.00 低于 AA 门槛 100，评为 A")


def test_a_gate_that_lowers_the_grade_decided_it() -> None:
    gates = (Gate("AA", "dimension:D2", 40.0), Gate("AAA", "attainment", 80.0))
    zone_year = evaluate(snapshot(), Method(grading=replace(Grading(), gates=gates))).run.result("Z2", 2023)
    assert zone_year.grade == "A"
    decided = zone_year.decided_by()
    assert decided is not None
    # Two gates failed: the one that lowered the grade furthest (to A) decided it.
    assert (decided.kind, decided.code) == ("gate", "dimension:D2")
    assert sum(r.decisive for r in zone_year.reasons) == 1


def test_a_veto_that_caps_the_grade_decided_it() -> None:
    values = pd.concat(
        [
            long_table(),
            pd.DataFrame([["Z2", 2024, "safety", 1.0]], columns=["zone", "year", "indicator", "value"]),
        ]
    )
    veto = Veto("major_safety_incident", "safety", grade_cap="A", description="重大安全事故")
    method = Method(scoring_rules=ScoringRules(vetoes=(veto,)))
    zone_year = evaluate(Snapshot(snapshot().framework, values), method).run.result("Z2", 2024)
    decided = zone_year.decided_by()
    assert decided is not None
    assert (zone_year.grade, decided.kind, decided.code) == ("A", "veto", "major_safety_incident")
