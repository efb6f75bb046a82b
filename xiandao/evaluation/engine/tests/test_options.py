"""The method options of issue 8, each against a case worked by hand.

Screening before or after imputation, counted by weight or by indicators; COINr's outlier
rule; what imputation does with an empty or a missing peer group; a constant indicator; and
the fixes (the record of imputed values, significant digits, entropy weights in every draw).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xiandao.evaluation.engine.diagnostics import _pairwise_correlations
from xiandao.evaluation.engine.grading import reaches
from xiandao.evaluation.engine.imputation import impute
from xiandao.evaluation.engine.method import (
    Imputation,
    Method,
    Normalisation,
    OutlierTreatment,
    Screening,
    Uncertainty,
    Weighting,
)
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator
from xiandao.evaluation.engine.outliers import LOGGED, WINSORISED, treat_series
from xiandao.evaluation.engine.pipeline import prepare, run, scores_for, transform
from xiandao.evaluation.engine.rounding import round_half_up_array
from xiandao.evaluation.engine.tests.fixtures import VALUES, snapshot
from xiandao.evaluation.engine.texts import shown_value
from xiandao.evaluation.engine.uncertainty import BatchEvaluator, monte_carlo
from xiandao.evaluation.engine.weights import compute_weights

NAN = np.nan

# --- screening: before or after imputation, by weight or by indicators --------------------------


def _z1_gaps() -> dict[tuple[str, int], tuple[float | None, ...]]:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2023)] = (10, None, None, 8)  # b (weight 0.36) and c (0.2) missing in 2023
    return values


def test_screening_before_imputation_drops_a_zone_that_screening_after_keeps() -> None:
    # Z1 has 6 of its 8 values: 75 % < 80 %, dropped before imputation; imputed, it has all 8.
    imputation = Imputation(kind="mean")
    before = run(
        snapshot(_z1_gaps()), Method(imputation=imputation, screening=Screening(0.8, count="indicators"))
    )
    assert before.zones == ("Z2", "Z3")
    # Over Z2 and Z3 alone, Z2 2023 scores a (20 in 20–50) 0, b (4 in 3–5) 50, c (10 in 10–40) 0,
    # d (4 in 4–10, lower is better) 100: 0.6 (0.4 × 0 + 0.6 × 50) + 0.4 (0.5 × 0 + 0.5 × 100).
    assert before.result("Z2", 2023).composite == pytest.approx(0.6 * (0.6 * 50) + 0.4 * (0.5 * 100))

    after_screening = Screening(0.8, count="indicators", after_imputation=True)
    after = run(snapshot(_z1_gaps()), Method(imputation=imputation, screening=after_screening))
    assert after.zones == ("Z1", "Z2", "Z3")
    # Z1 2023 b = (4 + 3) / 2 = 3.5 in 3–6, c = (10 + 20) / 2 = 15 in 10–50, a 0, d (10 − 8) / 8.
    b, c, d = 100 * (3.5 - 3) / 3, 100 * (15 - 10) / 40, 100 * (10 - 8) / 8
    assert after.result("Z1", 2023).composite == pytest.approx(0.6 * (0.6 * b) + 0.4 * (0.5 * c + 0.5 * d))
    assert {(v.zone, v.indicator, v.value) for v in after.imputed} == {("Z1", "b", 3.5), ("Z1", "c", 15.0)}


@pytest.mark.parametrize(
    ("count", "share", "kept"),
    [
        # Z1 lacks 0.36 + 0.2 of its weight in one year of two: (0.44 + 1) / 2 = 0.72 < 0.74.
        ("weight", (1 - 0.36 - 0.2 + 1) / 2, False),
        # Z1 lacks 2 of 8 values: 0.75 ≥ 0.74.
        ("indicators", 6 / 8, True),
    ],
)
def test_a_zone_is_screened_by_the_share_of_weight_or_of_indicators(
    count: str, share: float, kept: bool
) -> None:
    result = run(snapshot(_z1_gaps()), Method(screening=Screening(0.74, count=count)))  # type: ignore[arg-type]
    assert result.zone_availability["Z1"] == pytest.approx(share)
    assert ("Z1" in result.zones) == kept


# --- COINr's outlier rule -----------------------------------------------------------------------

COINR = OutlierTreatment(kind="coinr")


def test_coinr_winsorises_tied_maxima_together_and_takes_the_step_that_crosses_the_limit() -> None:
    # 1…20 and two points at 100: skewness 2.82 and kurtosis 7.13 (Excel's SKEW, KURT), failing.
    # Both 100s are pulled in to 20 in one step — two points, over a limit of one: COINr takes
    # the step (it stops only once the limit is reached), and the result passes.
    series = np.array([*range(1, 21), 100.0, 100.0])
    treated, codes = treat_series(series, replace(COINR, max_points=1))
    assert treated.tolist() == [*range(1, 21), 20.0, 20.0]
    assert codes.tolist() == [0] * 20 + [WINSORISED, WINSORISED]
    # The engine's first rule refuses a step over the limit, so it logs instead.
    _, first_rule = treat_series(series, OutlierTreatment(kind="winsorise_or_log", max_points=1))
    assert (first_rule == LOGGED).all()


def test_coinr_falls_back_to_its_log_of_the_original_values() -> None:
    # Pulling 1000 in to 900 treats one point, the limit; 20 × 1 and 2 × 900 still fail.
    series = np.array([1.0] * 20 + [900.0, 1000.0])
    treated, codes = treat_series(series, replace(COINR, max_points=1))
    assert (codes == LOGGED).all()
    # log(x − min + 0.01 (max − min)) of the original values, min 1, max 1000.
    expected = [math.log(x - 1 + 0.01 * (1000 - 1)) for x in series]
    assert treated.tolist() == pytest.approx(expected, rel=1e-15)


def test_coinr_passes_an_indicator_within_either_bound() -> None:
    series = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    treated, codes = treat_series(series, COINR)
    assert treated is series and not codes.any()


def test_imputed_values_are_recorded_as_imputed_not_as_treated_afterwards() -> None:
    # a of Z1: 1000 in 2023, missing in 2024 and carried: both 1000s are then winsorised to 18.
    values: dict[tuple[str, int], tuple[float | None, ...]] = {}
    for n in range(9):
        values[(f"Y{n}", 2023)] = values[(f"Y{n}", 2024)] = (10 + n, 2, 30, 8)
    values[("Z1", 2023)], values[("Z1", 2024)] = (1000, 2, 30, 8), (None, 2, 30, 8)
    method = Method(imputation=Imputation(kind="carry"), outliers=COINR)
    result = run(snapshot(values, targets=False), method)
    assert [(v.zone, v.year, v.value, v.note) for v in result.imputed] == [
        ("Z1", 2024, 1000.0, "未报送，沿用 2023 年的值 1000.00")
    ]
    assert {(t.zone, t.year, t.original, t.treated) for t in result.treated} == {
        ("Z1", 2023, 1000.0, 18.0),
        ("Z1", 2024, 1000.0, 18.0),
    }


# --- imputation and normalisation options -------------------------------------------------------


@pytest.mark.parametrize(
    ("empty_group", "expected"),
    [("all_zones", (3.0 + 5.0 + 10.0) / 3), ("missing", NAN)],
)
def test_an_empty_peer_group_falls_back_to_all_zones_or_leaves_the_value_missing(
    empty_group: str, expected: float
) -> None:
    cube = np.array([[[NAN]], [[3.0]], [[5.0]], [[10.0]]])
    filled, imputed = impute(cube, "mean", np.array([0, 1, 1, 1]), empty_group=empty_group)  # type: ignore[arg-type]
    assert filled[0, 0, 0] == pytest.approx(expected, nan_ok=True)
    assert bool(imputed[0, 0, 0]) == (empty_group == "all_zones")


def test_a_zone_without_a_peer_group_is_imputed_from_all_zones() -> None:
    cube = np.array([[[NAN]], [[3.0]], [[5.0]], [[10.0]]])
    filled, _ = impute(cube, "mean", np.array([-1, 0, 0, -1]))
    assert filled[0, 0, 0] == pytest.approx((3.0 + 5.0 + 10.0) / 3)  # not Z4's 10 alone


def test_the_fallbacks_are_flagged_in_the_record() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2024)] = (None, 6, 50, 2)
    values[("Z2", 2023)] = (20, 4, None, 4)
    snap = replace(snapshot(values), peer_groups={"Z1": "新材料"})
    result = run(snap, Method(imputation=Imputation(kind="mean")))
    assert [(v.zone, v.fallback) for v in result.imputed] == [("Z1", "empty_group"), ("Z2", "no_group")]
    missing = run(snap, Method(imputation=Imputation(kind="mean", empty_group="missing")))
    assert [(v.zone, v.fallback) for v in missing.imputed] == [("Z2", "no_group")]
    assert missing.result("Z1", 2024).indicator_scores["a"] is None


def test_a_constant_indicator_scores_fifty_or_is_left_out() -> None:
    values = {key: (7, *row[1:]) for key, row in VALUES.items()}
    fifty = run(snapshot(values))
    left_out = run(snapshot(values), Method(normalisation=Normalisation(constant="missing")))
    # Z1 2023: b 0, c 50, d 25. With a at 50: D1 = 0.4 × 50; left out: D1 = b alone.
    assert fifty.result("Z1", 2023).dimension_scores["D1"] == pytest.approx(0.4 * 50 + 0.6 * 0)
    assert left_out.result("Z1", 2023).indicator_scores["a"] is None
    assert left_out.result("Z1", 2023).dimension_scores["D1"] == 0.0


# --- the fixes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0155, "0.0155"),
        (0.012345, "0.0123"),
        (0.5, "0.500"),
        (0.0009995, "0.00100"),
        (0.9996, "1.00"),
        (12.5, "12.50"),
        (-0.0155, "-0.0155"),
        (0.0, "0.00"),
    ],
)
def test_a_value_in_a_note_keeps_enough_significant_digits(value: float, shown: str) -> None:
    assert shown_value(value) == shown


def test_a_small_imputed_value_is_shown_with_significant_digits() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = {
        key: (row[0] / 1000, *row[1:]) for key, row in VALUES.items()
    }
    values[("Z1", 2024)] = (None, 6, 50, 2)  # a in 2024: Z2 0.05, Z3 0.04
    note = run(snapshot(values), Method(imputation=Imputation(kind="mean"))).imputed[0].note
    assert note == "未报送，按当年全部先导区的均值填补为 0.0450"


def test_entropy_weights_are_recomputed_in_each_draw() -> None:
    # Every draw uses z-scores: with the weights recomputed from them, each draw ranks as the
    # deterministic run with z-scores and entropy weights does — not as the min-max weights would.
    settings = Uncertainty(
        draws=8, weight_noise=0.0, normalisations=("zscore",), aggregations=("arithmetic",),
        imputations=("none",), outlier_treatments=("none",),
    )  # fmt: skip
    method = Method(weighting=Weighting(kind="entropy"), uncertainty=settings)
    zscore = run(snapshot(), replace(method, normalisation=Normalisation(kind="zscore")))
    for zone_year in monte_carlo(snapshot(), method).zone_years:
        expected = zscore.result(zone_year.zone, zone_year.year).rank
        assert zone_year.rank_low == zone_year.rank_high == expected


@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
def test_reaching_a_threshold_agrees_with_rounding_every_figure(decimals: int) -> None:
    rng = np.random.default_rng(decimals)
    ties = np.array([124.995, 124.99499999999999, 99.995, 125.0, 100.0, 99.5, 124.5, 125.5])
    figures = np.concatenate([rng.uniform(90, 130, 2000), ties, [NAN]])
    for minimum in (125.0, 100.0, 99.5, 124.999, 0.0):
        assert (
            reaches(figures, minimum, decimals) == (round_half_up_array(figures, decimals) >= minimum)
        ).all()


@given(
    data=arrays(np.float64, (12, 4), elements=st.sampled_from([1.0, 2.5, 3.0, 7.0, 40.0, np.nan])),
)
def test_correlations_agree_with_pandas_pairwise_complete(data: np.ndarray) -> None:
    expected = pd.DataFrame(data).corr(min_periods=3).to_numpy()
    found = _pairwise_correlations(data, data)
    np.testing.assert_allclose(found, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("outliers", ["winsorise_or_log", "coinr"])
@pytest.mark.parametrize("normalisation", ["rank", "percentile"])
def test_order_scores_after_treatment_are_those_computed_directly(outliers: str, normalisation: str) -> None:
    # Skewed indicators: some winsorised (a few extreme points), some logged (heavy tails).
    rng = np.random.default_rng(5)
    values: dict[tuple[str, int], tuple[float | None, ...]] = {}
    for z in range(40):
        for year in (2023, 2024):
            row = rng.lognormal(0.0, [0.3, 3.0, 0.3, 4.0])
            if z == 0:
                row[0] *= 50.0  # one extreme point: winsorised
            values[(f"Z{z:02d}", year)] = tuple(float(v) for v in row)
    method = Method(imputation=Imputation(kind="mean"))
    snap = snapshot(values, targets=False)
    evaluator = BatchEvaluator(prepare(snap, method), method)
    evaluator.scores("mean", "none", normalisation)  # what the draws compute first
    shortcut = evaluator.scores("mean", outliers, normalisation)
    direct = scores_for(
        evaluator.prepared,
        transform(evaluator.prepared, "mean", outliers, method),  # type: ignore[arg-type]
        method,
        normalisation,  # type: ignore[arg-type]
    ).reshape(shortcut.shape)
    treatment = transform(evaluator.prepared, "mean", outliers, method).treatment  # type: ignore[arg-type]
    assert (treatment == WINSORISED).any() and (treatment == LOGGED).any()
    np.testing.assert_array_equal(shortcut, direct)


def test_pca_weights_are_recomputed_in_each_draw() -> None:
    # Three indicators in D1, so the first component's loadings depend on the scores.
    framework = Framework(
        (Dimension("D1", 60.0), Dimension("D2", 40.0)),
        (
            Indicator("a", "D1"),
            Indicator("b", "D1"),
            Indicator("c", "D1"),
            Indicator("d", "D2", direction=-1),
        ),
    )
    method = Method(weighting=Weighting(kind="pca"))
    evaluator = BatchEvaluator(prepare(replace(snapshot(), framework=framework), method), method)
    key = ("none", "none", "percentile")
    expected = compute_weights("pca", framework, evaluator.scores(*key))
    assert evaluator.weights(key).within == pytest.approx(expected.within)
    assert evaluator.weights(key).within != pytest.approx(evaluator.nominal_weights.within)


def test_the_monte_carlo_may_draw_coinr_s_outlier_rule() -> None:
    settings = Uncertainty(draws=20, outlier_treatments=("none", "coinr", "winsorise_or_log"))
    result = monte_carlo(snapshot(), Method(uncertainty=settings))
    assert set(result.choices["outliers"]) == {"none", "coinr", "winsorise_or_log"}
    assert sum(result.choices["outliers"].values()) == 20
