"""Golden cases computed by hand for every normalisation, weighting and aggregation method.

The data are in ``fixtures.py``. The expected figures were worked out from the formulas in
docs/algorithms/evaluation.md with plain arithmetic, not with the engine; the min-max case is
the worked example of that document:

    scores (min-max over both years, d reversed)     Z1 2023: a 0, b 0, c 50, d 25
    D1 = 0.4 a + 0.6 b = 0; D2 = 0.5 c + 0.5 d = 37.5; composite = 0.6 × 0 + 0.4 × 37.5 = 15
    reference = mean of 2023 composites = (15 + 39 + 36) / 3 = 30; index = 100 × 15 / 30 = 50

Each row: zone, year, composite, D1, D2, grade. The index is 100 × composite ÷ reference.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from xiandao.evaluation.engine.method import Aggregation, Goalpost, Method, Normalisation, Weighting
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.tests.fixtures import snapshot

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

GOLDEN = {
    "minmax": (
        30.0,
        [
            ("Z1", 2023, 15.0, 0.0, 37.5, "A"),
            ("Z2", 2023, 39.0, 40.0, 37.5, "AAA"),
            ("Z3", 2023, 36.0, 35.0, 37.5, "AA"),
            ("Z1", 2024, 82.0, 70.0, 100.0, "AAA"),
            ("Z2", 2024, 66.0, 85.0, 37.5, "AAA"),
            ("Z3", 2024, 51.0, 60.0, 37.5, "AAA"),
        ],
    ),
    "zscore": (
        45.05273115899827,
        [
            ("Z1", 2023, 40.74268024797655, 36.53269967552521, 47.05765110665357, "A"),
            ("Z2", 2023, 47.73230314085177, 47.735445931710814, 47.7275889545632, "AA"),
            ("Z3", 2023, 46.68321008816648, 46.210270126538546, 47.392620030608384, "AA"),
            ("Z1", 2024, 59.08118389193478, 56.22072730594938, 63.371868770912876, "AAA"),
            ("Z2", 2024, 55.169324340627995, 60.13048126467119, 47.7275889545632, "AA"),
            ("Z3", 2024, 50.59129829044243, 53.170375695604875, 46.72268218269876, "AA"),
        ],
    ),
    "rank": (
        2.58,
        [
            ("Z1", 2023, 1.8000000000000003, 1.0, 3.0, "A"),
            ("Z2", 2023, 3.06, 3.1, 3.0, "AA"),
            ("Z3", 2023, 2.88, 2.8, 3.0, "AA"),
            ("Z1", 2024, 5.16, 4.6, 6.0, "AAA"),
            ("Z2", 2024, 4.44, 5.4, 3.0, "AAA"),
            ("Z3", 2024, 3.6599999999999997, 4.1, 3.0, "AAA"),
        ],
    ),
    "percentile": (
        31.599999999999998,
        [
            ("Z1", 2023, 16.0, 0.0, 40.0, "A"),
            ("Z2", 2023, 41.2, 42.0, 40.0, "AAA"),
            ("Z3", 2023, 37.599999999999994, 36.0, 40.0, "AA"),
            ("Z1", 2024, 83.19999999999999, 72.0, 100.0, "AAA"),
            ("Z2", 2024, 68.8, 88.0, 40.0, "AAA"),
            ("Z3", 2024, 53.199999999999996, 62.0, 40.0, "AAA"),
        ],
    ),
    "goalposts": (
        38.4,
        [
            ("Z1", 2023, 30.666666666666668, 20.0, 46.666666666666664, "A"),
            ("Z2", 2023, 41.33333333333333, 40.0, 43.33333333333333, "AA"),
            ("Z3", 2023, 43.2, 42.0, 45.0, "AA"),
            ("Z1", 2024, 67.86666666666667, 52.0, 91.66666666666667, "AAA"),
            ("Z2", 2024, 59.33333333333333, 70.0, 43.33333333333333, "AAA"),
            ("Z3", 2024, 52.93333333333334, 56.0, 48.33333333333333, "AAA"),
        ],
    ),
    "target": (
        43.33333333333333,
        [
            ("Z1", 2023, 26.666666666666664, 0.0, 66.66666666666666, "A"),
            ("Z2", 2023, 55.99999999999999, 59.99999999999999, 50.0, "AAA"),
            ("Z3", 2023, 47.33333333333333, 40.0, 58.33333333333333, "AA"),
            ("Z1", 2024, 88.0, 80.0, 100.0, "AAA"),
            ("Z2", 2024, 80.0, 100.0, 50.0, "AAA"),
            ("Z3", 2024, 62.0, 70.0, 50.0, "AAA"),
        ],
    ),
    "equal": (
        31.25,
        [
            ("Z1", 2023, 18.75, 0.0, 37.5, "A"),
            ("Z2", 2023, 37.5, 37.5, 37.5, "AA"),
            ("Z3", 2023, 37.5, 37.5, 37.5, "AA"),
            ("Z1", 2024, 81.25, 62.5, 100.0, "AAA"),
            ("Z2", 2024, 62.5, 87.5, 37.5, "AAA"),
            ("Z3", 2024, 50.0, 62.5, 37.5, "AAA"),
        ],
    ),
    "entropy": (
        29.84763059416562,
        [
            ("Z1", 2023, 23.43222693599207, 0.0, 41.42918137229635, "A"),
            ("Z2", 2023, 30.38856977387607, 36.47692001417671, 25.712455883110962, "AA"),
            ("Z3", 2023, 35.72209507262872, 38.52307998582329, 33.57081862770366, "AA"),
            ("Z1", 2024, 82.3766065646107, 59.43076004253013, 100.0, "AAA"),
            ("Z2", 2024, 52.99756996572343, 88.52307998582329, 25.712455883110962, "AAA"),
            ("Z3", 2024, 55.471501461045094, 63.52307998582329, 49.287544116889045, "AAA"),
        ],
    ),
    "pca": (
        30.0,
        [
            ("Z1", 2023, 15.0, 0.0, 37.5, "A"),
            ("Z2", 2023, 37.5, 37.5, 37.5, "AAA"),
            ("Z3", 2023, 37.5, 37.5, 37.5, "AAA"),
            ("Z1", 2024, 77.5, 62.5, 100.0, "AAA"),
            ("Z2", 2024, 67.5, 87.5, 37.5, "AAA"),
            ("Z3", 2024, 52.5, 62.5, 37.5, "AAA"),
        ],
    ),
    "geometric": (
        19.69146049224183,
        [
            ("Z1", 2023, 4.162766037009366, 1.0, 35.35533905932737, "A"),
            ("Z2", 2023, 20.99650725352435, 37.892914162759965, 8.660254037844386, "AA"),
            ("Z3", 2023, 33.91510818619178, 32.98769776932235, 35.35533905932737, "AAA"),
            ("Z1", 2024, 71.69776240079138, 57.43491774985177, 100.00000000000004, "AAA"),
            ("Z2", 2024, 33.88709245079557, 84.14663590846499, 8.660254037844386, "AAA"),
            ("Z3", 2024, 27.331039980130228, 58.80395112623366, 8.660254037844386, "AAA"),
        ],
    ),
}


@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden_case(name: str) -> None:
    reference, rows = GOLDEN[name]
    result = run(snapshot(), METHODS[name])
    assert result.reference == pytest.approx(reference, rel=1e-12)
    for zone, year, composite, d1, d2, grade in rows:
        zone_year = result.result(zone, year)
        assert zone_year.composite == pytest.approx(composite, rel=1e-12), (zone, year)
        assert zone_year.index == pytest.approx(100 * composite / reference, rel=1e-12), (zone, year)
        assert zone_year.dimension_scores == pytest.approx({"D1": d1, "D2": d2}, rel=1e-12, abs=1e-12)
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
    assert weights["a"].within_dimension == pytest.approx(0.5409231994329315, rel=1e-12)
    assert weights["c"].within_dimension == pytest.approx(0.6571672548918539, rel=1e-12)
    assert weights["a"].dimension_weight == pytest.approx(0.43440284939684626, rel=1e-12)
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
