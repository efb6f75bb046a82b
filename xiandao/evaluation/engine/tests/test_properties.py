"""Property tests: what must hold for any data, not just the golden cases."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from xiandao.evaluation.engine.grading import decide
from xiandao.evaluation.engine.method import Grading, Method, Normalisation, Weighting
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.normalisation import normalise
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.rounding import round_half_up, round_half_up_array
from xiandao.evaluation.engine.statistics import kurtosis, rank, skewness
from xiandao.evaluation.engine.tests.fixtures import FRAMEWORK
from xiandao.evaluation.engine.weights import compute_weights

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
# Values as statistics are reported: up to two decimals. (Subnormal spreads such as 5e-324
# would collapse under any affine change, in any floating-point engine.)
reported = st.integers(0, 100_000).map(lambda cents: cents / 100)
cube_values = arrays(np.float64, (3, 2, 4), elements=reported)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _snapshot(cube: np.ndarray) -> Snapshot:
    rows = [
        (f"Z{z}", 2023 + t, code, float(cube[z, t, i]))
        for z in range(cube.shape[0])
        for t in range(cube.shape[1])
        for i, code in enumerate(FRAMEWORK.indicator_codes)
    ]
    return Snapshot(FRAMEWORK, pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]))


@FAST
@given(
    cube=cube_values, scale=st.floats(0.01, 1000), shift=st.floats(-1000, 1000), indicator=st.integers(0, 3)
)
def test_min_max_is_invariant_to_a_positive_affine_change_of_an_indicator(
    cube: np.ndarray, scale: float, shift: float, indicator: int
) -> None:
    changed = cube.copy()
    changed[:, :, indicator] = scale * changed[:, :, indicator] + shift
    directions = FRAMEWORK.directions()
    before = normalise(cube, directions, Normalisation())
    after = normalise(changed, directions, Normalisation())
    np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-6)


@FAST
@given(cube=cube_values, zone=st.integers(0, 2), year=st.integers(0, 1), raise_by=st.floats(0, 1000))
def test_raising_an_indicator_where_higher_is_better_never_lowers_the_composite(
    cube: np.ndarray, zone: int, year: int, raise_by: float
) -> None:
    raised = cube.copy()
    raised[zone, year, 0] += raise_by  # indicator a: higher is better
    before = run(_snapshot(cube)).result(f"Z{zone}", 2023 + year).composite
    after = run(_snapshot(raised)).result(f"Z{zone}", 2023 + year).composite
    assert before is not None and after is not None
    assert after >= before - 1e-9


@FAST
@given(cube=cube_values, kind=st.sampled_from(["expert", "equal", "entropy", "pca"]))
def test_weights_sum_to_one(cube: np.ndarray, kind: str) -> None:
    scores = normalise(cube, FRAMEWORK.directions(), Normalisation()).reshape(-1, 4)
    weights = compute_weights(kind, FRAMEWORK, scores)  # type: ignore[arg-type]
    assert weights.effective.sum() == pytest.approx(1.0)
    assert weights.dimension.sum() == pytest.approx(1.0)
    for dimension in range(2):
        assert weights.within[weights.dimension_of == dimension].sum() == pytest.approx(1.0)
    assert (weights.effective >= 0).all()


@FAST
@given(cube=cube_values)
def test_a_grade_always_agrees_with_its_thresholds(cube: np.ndarray) -> None:
    for result in run(_snapshot(cube)).zone_years:
        if result.figure_shown is None:
            continue
        shown = Decimal(result.figure_shown)
        expected = "AAA" if shown >= 125 else "AA" if shown >= 100 else "A"
        assert result.grade == expected


@given(value=finite, decimals=st.integers(0, 4))
def test_vectorised_rounding_agrees_with_decimal_rounding(value: float, decimals: int) -> None:
    assert round_half_up_array(np.array([value]), decimals)[0] == float(round_half_up(value, decimals))


@given(cents=st.integers(-(10**9), 10**9))
def test_rounding_of_exact_ties_goes_away_from_zero(cents: int) -> None:
    # x.xx5 written in decimal is a tie on its repr, whatever the binary float underneath.
    value = float(f"{cents / 100:.2f}5")
    expected = Decimal(f"{cents / 100:.2f}5").quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert round_half_up_array(np.array([value]), 2)[0] == float(expected)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2.675, "2.68"),  # Python's round() gives 2.67: the float is just below 2.675
        (1.005, "1.01"),
        (124.995, "125.00"),
        (124.99499999999999, "124.99"),
        (124.99999999999999, "125.00"),
        (-0.125, "-0.13"),
        (99.995, "100.00"),
    ],
)
def test_rounding_as_excel_shows_it(value: float, shown: str) -> None:
    assert str(round_half_up(value)) == shown
    assert round_half_up_array(np.array([value]))[0] == float(shown)


@pytest.mark.parametrize(
    ("index", "grade"),
    [(124.995, "AAA"), (124.99499999999999, "AA"), (124.99999999999999, "AAA"), (99.995, "AA"), (99.99, "A")],
)
def test_a_zone_shown_at_the_threshold_is_graded_at_it(index: float, grade: str) -> None:
    grading = Grading()
    position = decide(np.array([index]), grading, np.array([2]))[0]
    assert grading.scale[position] == grade


@given(data=arrays(np.float64, (7, 3), elements=st.sampled_from([1.0, 2.0, 3.0, np.nan, 5.0])))
def test_ranks_agree_with_scipy(data: np.ndarray) -> None:
    for method in ("min", "average"):
        expected = stats.rankdata(data, method=method, axis=0, nan_policy="omit")
        np.testing.assert_array_equal(rank(data, method), expected)


@given(data=arrays(np.float64, st.integers(4, 30), elements=st.floats(-100, 100)))
def test_skewness_and_kurtosis_are_excels(data: np.ndarray) -> None:
    if np.ptp(data) < 1e-3:
        return
    assert skewness(data) == pytest.approx(stats.skew(data, bias=False), rel=1e-9, abs=1e-9)
    assert kurtosis(data) == pytest.approx(stats.kurtosis(data, bias=False), rel=1e-9, abs=1e-9)


def test_same_inputs_same_results_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    cube = rng.gamma(2.0, 10.0, size=(3, 2, 4))
    method = Method(weighting=Weighting(kind="entropy"))
    assert run(_snapshot(cube), method).to_json() == run(_snapshot(cube), method).to_json()
