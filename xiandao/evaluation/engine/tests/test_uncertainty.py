"""Monte Carlo, indicator removal and Sobol indices."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.analyze import sobol as salib_sobol

from xiandao.evaluation.engine.method import Method, MethodError, Uncertainty
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.sensitivity import (
    saltelli_indices,
    saltelli_matrices,
    sobol_design,
    sobol_sensitivity,
)
from xiandao.evaluation.engine.tests.fixtures import snapshot
from xiandao.evaluation.engine.uncertainty import monte_carlo


def test_monte_carlo_is_bit_identical_for_the_same_seed() -> None:
    method = Method(uncertainty=Uncertainty(draws=300, seed=11, batch_size=64))
    assert monte_carlo(snapshot(), method) == monte_carlo(snapshot(), method)


def test_a_different_seed_gives_different_draws() -> None:
    first = monte_carlo(snapshot(), Method(uncertainty=Uncertainty(draws=300, seed=1)))
    second = monte_carlo(snapshot(), Method(uncertainty=Uncertainty(draws=300, seed=2)))
    assert first.choices != second.choices


def test_monte_carlo_summary_is_consistent() -> None:
    result = monte_carlo(snapshot(), Method(uncertainty=Uncertainty(draws=400)))
    nominal = run(snapshot())
    assert sum(result.choices["normalisation"].values()) == 400
    for zone_year in result.zone_years:
        assert sum(zone_year.grade_probabilities.values()) == pytest.approx(1.0)
        assert zone_year.rank_low <= zone_year.median_rank <= zone_year.rank_high  # type: ignore[operator]
        # The nominal grade and rank are the deterministic run's.
        published = nominal.result(zone_year.zone, zone_year.year)
        assert (zone_year.nominal_grade, zone_year.nominal_rank) == (published.grade, published.rank)


def test_without_any_uncertainty_every_draw_is_the_nominal_result() -> None:
    settings = Uncertainty(
        draws=50, weight_noise=0.0, normalisations=("minmax",), aggregations=("arithmetic",),
        imputations=("none",), outlier_treatments=("none",),
    )  # fmt: skip
    result = monte_carlo(snapshot(), Method(uncertainty=settings))
    for zone_year in result.zone_years:
        assert zone_year.grade_probabilities[zone_year.nominal_grade or ""] == 1.0
        assert zone_year.rank_low == zone_year.rank_high == zone_year.nominal_rank


def test_removing_an_indicator_reports_the_grades_it_changes() -> None:
    result = monte_carlo(snapshot(), Method(uncertainty=Uncertainty(draws=10)))
    effects = {effect.indicator: effect for effect in result.removal}
    # Without d, D2 is c alone: Z2 2023 scores 0.6 × 40 + 0.4 × 0 = 24 against a reference of
    # (20 + 24 + 31) / 3 = 25, an index of 96: AAA becomes A.
    changes = {(c.zone, c.year): (c.grade_with, c.grade_without) for c in effects["d"].changes}
    assert changes == {("Z2", 2023): ("AAA", "A")}
    assert effects["a"].grades_changed == 0


def ishigami(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = (
        np.sin(x[..., 0]) + 7 * np.sin(x[..., 1]) ** 2 + 0.1 * x[..., 2] ** 4 * np.sin(x[..., 0])
    )
    return result


def _ishigami_indices(base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    a, b = sobol_design(3, base, seed=5)
    a, b = -np.pi + 2 * np.pi * a, -np.pi + 2 * np.pi * b
    f_a, f_b = ishigami(a)[:, None], ishigami(b)[:, None]
    f_ab = ishigami(saltelli_matrices(a, b))[:, :, None]
    first, total = saltelli_indices(f_a, f_b, f_ab)
    return first[:, 0], total[:, 0], f_a, f_b, f_ab


def test_saltelli_estimator_recovers_the_ishigami_indices() -> None:
    # Analytic values for a = 7, b = 0.1 (Ishigami and Homma 1990).
    first, total, *_ = _ishigami_indices(2**14)
    assert first == pytest.approx([0.3139, 0.4424, 0.0], abs=0.02)
    assert total == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.02)


def test_saltelli_estimator_agrees_with_salib_on_the_same_samples() -> None:
    base = 2**10
    first, total, f_a, f_b, f_ab = _ishigami_indices(base)
    # SALib's layout without second order: for each base row, A, then each A_B^(i), then B.
    stacked = np.concatenate([f_a[None], f_ab, f_b[None]], axis=0)[:, :, 0]  # (k + 2) × N
    outputs = stacked.T.reshape(-1)
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    analysed = salib_sobol.analyze(problem, outputs, calc_second_order=False, num_resamples=10, seed=1)
    assert first == pytest.approx(analysed["S1"], rel=1e-9)
    assert total == pytest.approx(analysed["ST"], rel=1e-9)


def test_sobol_indices_of_the_methodological_choices() -> None:
    method = Method(uncertainty=Uncertainty(sobol_base_samples=128, seed=9))
    result = sobol_sensitivity(snapshot(), method)
    assert [index.factor for index in result.factors] == [
        "weights", "imputation", "outliers", "normalisation", "aggregation",
    ]  # fmt: skip
    assert result.evaluations == 128 * 7
    assert result.year == 2024
    # Complete data: imputation has nothing to fill, so it explains nothing.
    imputation = next(index for index in result.factors if index.factor == "imputation")
    assert imputation.total == pytest.approx(0.0, abs=1e-12)
    assert result == sobol_sensitivity(snapshot(), method)


@pytest.mark.parametrize(
    ("analysis", "settings", "message"),
    [
        (monte_carlo, Uncertainty(draws=0), "uncertainty.draws：模拟次数至少为1"),
        (
            monte_carlo,
            Uncertainty(normalisations=("minmax", "rank", "minmax")),
            "uncertainty.normalisations：“minmax”列出了两次",
        ),
        (
            sobol_sensitivity,
            Uncertainty(weight_noise=0.0, normalisations=(), aggregations=(), imputations=(), outlier_treatments=()),
            "uncertainty：没有可变的选择：每项只有一个选项，且 weight_noise 为0，无法做敏感性分析",
        ),
    ],
)  # fmt: skip
def test_bad_uncertainty_settings_are_named_in_chinese(
    analysis: object, settings: Uncertainty, message: str
) -> None:
    with pytest.raises(MethodError) as error:
        analysis(snapshot(), Method(uncertainty=settings))  # type: ignore[operator]
    assert str(error.value) == message
