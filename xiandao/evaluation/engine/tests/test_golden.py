"""Golden cases computed by hand for every normalisation, weighting and aggregation method.

The data are in ``fixtures.py``. The expected figures were worked out from the formulas in
docs/algorithms/evaluation.md with plain arithmetic, not with the engine; the min-max case is
the worked example of that document:

    scores (min-max over both years, d reversed)     Z1 2023: a 0, b 0, c 50, d 25
    D1 = 0.4 a + 0.6 b = 0; D2 = 0.5 c + 0.5 d = 37.5; composite = 0.6 × 0 + 0.4 × 37.5 = 15
    reference = mean of 2023 composites = (15 + 39 + 36) / 3 = 30; index = 100 × 15 / 30 = 50

Every other method's expected figures are computed below from its formula (exact fractions
where the formula is rational), never copied from the engine; the index is 100 × composite ÷
reference, the reference the mean composite of 2023.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from xiandao.evaluation.engine.method import Aggregation, Goalpost, Method, Normalisation, Weighting
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.tests.fixtures import TARGETS, VALUES, snapshot

GOALPOSTS = (
    Goalpost("a", 0.0, 50.0),
    Goalpost("b", 0.0, 10.0),
    Goalpost("c", 0.0, 50.0),
    Goalpost("d", 12.0, 0.0),
)

METHODS = {
    "minmax": Method(),
    "zscore": Method(normalisation=Normalisation(kind="zscore")),
    "rank": Method(normalisation=Normalisation(kind="rank")),
    "percentile": Method(normalisation=Normalisation(kind="percentile")),
    "goalposts": Method(normalisation=Normalisation(kind="goalposts", goalposts=GOALPOSTS)),
    "target": Method(normalisation=Normalisation(kind="target")),
    "equal": Method(weighting=Weighting(kind="equal")),
    "entropy": Method(weighting=Weighting(kind="entropy")),
    # Two indicators per dimension: the first component loads both equally, so PCA weights
    # are 0.5 / 0.5 inside each dimension, and the dimension weights stay the framework's.
    "pca": Method(weighting=Weighting(kind="pca")),
    "geometric": Method(aggregation=Aggregation(kind="geometric")),
}

# --- the formulas, by hand ----------------------------------------------------------------------
# Each method's indicator scores are written from the formulas of docs/algorithms/evaluation.md
# in plain Python over the six zone-years of the fixture (exact fractions where the formula is
# rational); aggregation is written out as the weighted means it is.

ROWS = list(VALUES)  # (zone, year) in the fixture's order
DIRECTION = {"a": 1, "b": 1, "c": 1, "d": -1}
WITHIN = {"a": Fraction(4, 10), "b": Fraction(6, 10), "c": Fraction(1, 2), "d": Fraction(1, 2)}
DIMENSION = {"D1": Fraction(6, 10), "D2": Fraction(4, 10)}
MEMBERS = {"D1": ("a", "b"), "D2": ("c", "d")}


def column(code: str) -> list[Fraction]:
    return [Fraction(VALUES[key]["abcd".index(code)]) for key in ROWS]


def minmax(code: str) -> list[Fraction]:
    x = column(code)
    low, high = min(x), max(x)
    return [100 * ((v - low) if DIRECTION[code] > 0 else (high - v)) / (high - low) for v in x]


def tscore(code: str) -> list[float]:
    """50 + 10 z, z from the window's mean and sample standard deviation."""
    x = [float(v) for v in column(code)]
    mean, sd = statistics.mean(x), statistics.stdev(x)
    return [50 + 10 * DIRECTION[code] * (v - mean) / sd for v in x]


def average_rank(code: str) -> list[Fraction]:
    """1 for the worst value; tied values share the mean of their ranks."""
    x = [DIRECTION[code] * v for v in column(code)]
    return [1 + sum(w < v for w in x) + Fraction(sum(w == v for w in x) - 1, 2) for v in x]


def percentile(code: str) -> list[Fraction]:
    return [100 * (r - 1) / (len(ROWS) - 1) for r in average_rank(code)]


def goalpost(code: str) -> list[Fraction]:
    post = {g.indicator: g for g in GOALPOSTS}[code]
    worst, best = Fraction(post.worst), Fraction(post.best)
    return [100 * min(max((v - worst) / (best - worst), Fraction(0)), Fraction(1)) for v in column(code)]


def distance_to_target(code: str) -> list[Fraction]:
    """The share of the way from the window's worst value to the zone's own target, in [0, 1]."""
    x = column(code)
    worst = min(x) if DIRECTION[code] > 0 else max(x)
    shares = []
    for (zone, _), v in zip(ROWS, x, strict=True):
        target = Fraction(TARGETS[zone]["abcd".index(code)])
        shares.append(min(max((v - worst) / (target - worst), Fraction(0)), Fraction(1)))
    return [100 * share for share in shares]


def arithmetic(scores: dict[str, list], within: dict = WITHIN, dimension: dict = DIMENSION) -> list[tuple]:
    """(composite, D1, D2) per row: weighted means inside each dimension, then over them."""
    rows = []
    for n in range(len(ROWS)):
        d = {key: sum(within[code] * scores[code][n] for code in MEMBERS[key]) for key in MEMBERS}
        rows.append((dimension["D1"] * d["D1"] + dimension["D2"] * d["D2"], d["D1"], d["D2"]))
    return rows


def geometric(scores: dict[str, list]) -> list[tuple]:
    """exp of the weighted mean of logs at each level, scores floored at 1."""
    rows = []
    for n in range(len(ROWS)):
        d = {
            key: math.exp(
                sum(float(WITHIN[c]) * math.log(max(float(scores[c][n]), 1.0)) for c in MEMBERS[key])
            )
            for key in MEMBERS
        }
        composite = math.exp(sum(float(DIMENSION[key]) * math.log(d[key]) for key in MEMBERS))
        rows.append((composite, d["D1"], d["D2"]))
    return rows


def entropy_weights() -> tuple[dict[str, float], dict[str, float]]:
    """熵值法 on the min-max scores: p = s / Σ s, e = −Σ p ln p / ln n, d = 1 − e; split in two levels."""
    divergence = {}
    for code in "abcd":
        s = [float(v) for v in minmax(code)]
        p = [v / sum(s) for v in s]
        divergence[code] = 1 + sum(q * math.log(q) for q in p if q > 0) / math.log(len(s))
    totals = {key: sum(divergence[c] for c in MEMBERS[key]) for key in MEMBERS}
    within = {c: divergence[c] / totals[key] for key in MEMBERS for c in MEMBERS[key]}
    dimension = {key: totals[key] / sum(totals.values()) for key in MEMBERS}
    return within, dimension


def _expected(name: str) -> list[tuple]:
    scores_of: dict[str, Callable[[str], list[Any]]] = {"zscore": tscore, "rank": average_rank, "percentile": percentile,
                 "goalposts": goalpost, "target": distance_to_target}  # fmt: skip
    if name in scores_of:
        return arithmetic({code: scores_of[name](code) for code in "abcd"})
    scores = {code: minmax(code) for code in "abcd"}
    if name == "equal":
        return arithmetic(
            scores, {c: Fraction(1, 2) for c in "abcd"}, {"D1": Fraction(1, 2), "D2": Fraction(1, 2)}
        )
    if name == "entropy":
        return arithmetic(scores, *entropy_weights())
    if name == "pca":
        return arithmetic(scores, {c: Fraction(1, 2) for c in "abcd"})
    if name == "geometric":
        return geometric(scores)
    return arithmetic(scores)


# The grades of each method, zone-years in the fixture's order.
GRADES = {
    "minmax": ("A", "AAA", "AA", "AAA", "AAA", "AAA"),
    "zscore": ("A", "AA", "AA", "AAA", "AA", "AA"),
    "rank": ("A", "AA", "AA", "AAA", "AAA", "AAA"),
    "percentile": ("A", "AAA", "AA", "AAA", "AAA", "AAA"),
    "goalposts": ("A", "AA", "AA", "AAA", "AAA", "AAA"),
    "target": ("A", "AAA", "AA", "AAA", "AAA", "AAA"),
    "equal": ("A", "AA", "AA", "AAA", "AAA", "AAA"),
    "entropy": ("A", "AA", "AA", "AAA", "AAA", "AAA"),
    "pca": ("A", "AAA", "AAA", "AAA", "AAA", "AAA"),
    "geometric": ("A", "AA", "AAA", "AAA", "AAA", "AAA"),
}


def test_the_minmax_formulas_give_the_worked_example() -> None:
    assert [float(c) for c, _, _ in _expected("minmax")] == [15, 39, 36, 82, 66, 51]


@pytest.mark.parametrize("name", list(GRADES))
def test_golden_case(name: str) -> None:
    expected = _expected(name)
    # The index's 100: the mean composite of the zones in the window's first year (2023).
    first_year = [float(c) for (zone, year), (c, _, _) in zip(ROWS, expected, strict=True) if year == 2023]
    reference = sum(first_year) / len(first_year)
    result = run(snapshot(), METHODS[name])
    assert result.reference == pytest.approx(reference, rel=1e-12)
    for (zone, year), (composite, d1, d2), grade in zip(ROWS, expected, GRADES[name], strict=True):
        zone_year = result.result(zone, year)
        assert zone_year.composite == pytest.approx(float(composite), rel=1e-12), (zone, year)
        assert zone_year.index == pytest.approx(100 * float(composite) / reference, rel=1e-12), (zone, year)
        assert zone_year.dimension_scores == pytest.approx(
            {"D1": float(d1), "D2": float(d2)}, rel=1e-12, abs=1e-12
        )
        assert zone_year.grade == grade, (zone, year)


# What the committee reads for each zone-year of the worked example (min-max, default grading):
# the index as shown, half-up to two decimals, against the thresholds as written.
GOLDEN_REASONS = {
    ("Z1", 2023): [("threshold", "AA", "绩效指数 50.00 低于 AA 门槛 100，评为 A")],
    ("Z2", 2023): [("threshold", "AAA", "绩效指数 130.00 ≥ AAA 门槛 125，评为 AAA")],
    ("Z3", 2023): [
        ("threshold", "AA", "绩效指数 120.00 ≥ AA 门槛 100，评为 AA"),
        ("threshold", "AAA", "绩效指数 120.00 低于 AAA 门槛 125"),
    ],
    ("Z1", 2024): [("threshold", "AAA", "绩效指数 273.33 ≥ AAA 门槛 125，评为 AAA")],
    ("Z2", 2024): [("threshold", "AAA", "绩效指数 220.00 ≥ AAA 门槛 125，评为 AAA")],
    ("Z3", 2024): [("threshold", "AAA", "绩效指数 170.00 ≥ AAA 门槛 125，评为 AAA")],
}


@pytest.mark.parametrize(("zone", "year"), list(GOLDEN_REASONS))
def test_golden_reasons_in_chinese(zone: str, year: int) -> None:
    reasons = run(snapshot()).result(zone, year).reasons
    assert [(r.kind, r.code, r.detail) for r in reasons] == GOLDEN_REASONS[(zone, year)]


def test_golden_strengths_and_weaknesses_in_chinese() -> None:
    # Min-max scores of Z1 2023: a 0, b 0, c 50, d 25; c is best of the three zones, the rest worst.
    zone_year = run(snapshot()).result("Z1", 2023)
    assert zone_year.strengths == ("c",)
    assert zone_year.strength_notes == ("优势指标“c”：得分 50.00，在 3 个先导区中排第 1",)
    assert zone_year.weaknesses == ("a", "b", "d")
    assert zone_year.weakness_notes == (
        "劣势指标“a”：得分 0.00，在 3 个先导区中排第 3",
        "劣势指标“b”：得分 0.00，在 3 个先导区中排第 3",
        "劣势指标“d”：得分 25.00，在 3 个先导区中排第 3",
    )


def test_entropy_weights_are_reported_as_effective_weights() -> None:
    result = run(snapshot(), METHODS["entropy"])
    weights = {w.indicator: w for w in result.effective_weights}
    # Hand computation: divergences 1 - e_j of the min-max scores, split into two levels.
    within, dimension = entropy_weights()
    assert weights["a"].within_dimension == pytest.approx(within["a"], rel=1e-12)
    assert weights["c"].within_dimension == pytest.approx(within["c"], rel=1e-12)
    assert weights["a"].dimension_weight == pytest.approx(dimension["D1"], rel=1e-12)
    assert sum(w.effective for w in weights.values()) == pytest.approx(1.0)


def test_expert_weights_follow_the_framework() -> None:
    result = run(snapshot())
    assert [
        (w.indicator, w.dimension_weight, w.within_dimension, w.effective) for w in result.effective_weights
    ] == [
        ("a", 0.6, 0.4, pytest.approx(0.24)),
        ("b", 0.6, 0.6, pytest.approx(0.36)),
        ("c", 0.4, 0.5, 0.2),
        ("d", 0.4, 0.5, 0.2),
    ]


def test_pca_index_at_exactly_125_is_aaa() -> None:
    zone_year = run(snapshot(), METHODS["pca"]).result("Z2", 2023)
    assert (zone_year.index, zone_year.figure_shown, zone_year.grade) == (125.0, "125.00", "AAA")
    assert [r.detail for r in zone_year.reasons] == ["绩效指数 125.00 ≥ AAA 门槛 125，评为 AAA"]


def test_min_max_window_fixed_to_one_year_changes_the_scores() -> None:
    method = replace(Method(), normalisation=Normalisation(window=(2024, 2024)))
    result = run(snapshot(), method)
    assert result.years == (2024,)
    # 2024 alone: a 20/50/40 → 0/100/66.67; b 6/5/4 → 100/50/0; c 50/10/40 → 100/0/75; d 2/4/10 → 100/75/0.
    assert result.result("Z1", 2024).composite == pytest.approx(0.6 * 60 + 0.4 * 100)
