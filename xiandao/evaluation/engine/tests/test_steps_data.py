"""Table-driven tests of the data steps: missing values, screening, imputation, outliers, weights."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from xiandao.evaluation.engine.aggregation import aggregate
from xiandao.evaluation.engine.imputation import impute
from xiandao.evaluation.engine.method import (
    Imputation,
    Method,
    OutlierTreatment,
    Screening,
)
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Panel
from xiandao.evaluation.engine.outliers import LOGGED, WINSORISED, treat_series
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.screening import screen
from xiandao.evaluation.engine.tests.fixtures import VALUES, snapshot
from xiandao.evaluation.engine.weights import pca_weights

NAN = np.nan


# --- missing values, single values ------------------------------------------------------------


def test_a_missing_value_is_left_out_and_the_weights_rescaled() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2023)] = (10, None, 30, 8)  # b missing: D1 = a alone
    result = run(snapshot(values))
    # a's and the others' windows are unchanged (b's min is now 3, not 2: b scores move).
    # Z1 2023: a 0, c 50, d 25 → D1 = 0 (a alone), D2 = 37.5, composite = 15.
    zone_year = result.result("Z1", 2023)
    assert zone_year.dimension_scores == {"D1": 0.0, "D2": 37.5}
    assert zone_year.indicator_scores["b"] is None
    # Z2 2023: b = 4 over [3, 6] → 33.33; D1 = 0.4 × 25 + 0.6 × 33.33 = 30.
    assert result.result("Z2", 2023).dimension_scores["D1"] == pytest.approx(30.0)


def test_a_dimension_with_no_value_is_left_out_and_the_dimension_weights_rescaled() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2023)] = (10, 2, None, None)
    zone_year = run(snapshot(values)).result("Z1", 2023)
    assert zone_year.dimension_scores == {"D1": 0.0, "D2": None}
    assert zone_year.composite == 0.0  # D1 alone, weight rescaled to 1


def test_a_zone_year_with_no_value_has_no_grade() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2023)] = (None, None, None, None)
    zone_year = run(snapshot(values)).result("Z1", 2023)
    assert (zone_year.composite, zone_year.index, zone_year.grade, zone_year.rank) == (None, None, None, None)


def test_an_indicator_with_one_value_everywhere_scores_50() -> None:
    values = {key: (7, *row[1:]) for key, row in VALUES.items()}
    result = run(snapshot(values))
    assert {r.indicator_scores["a"] for r in result.zone_years} == {50.0}


# --- screening --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("screening", "zones", "indicators", "findings"),
    [
        (Screening(), ("Z1", "Z2"), ("a", "b"), []),
        (
            Screening(min_indicator_availability=0.5),
            ("Z1", "Z2"),
            ("a",),
            [("indicator", "b", 0.25, "指标“b”数据完整率 25.00%，低于要求的 50%，已剔除，不参与评价")],
        ),
        (
            Screening(min_zone_availability=0.6),
            ("Z1",),
            ("a", "b"),
            [("zone", "Z2", 0.25, "先导区“Z2”数据完整率 25.00%，低于要求的 60%，已剔除，不参与评价")],
        ),
        (
            Screening(min_zone_availability=0.6, action="flag"),
            ("Z1", "Z2"),
            ("a", "b"),
            [("zone", "Z2", 0.25, "先导区“Z2”数据完整率 25.00%，低于要求的 60%，已标记，仍参与评价")],
        ),
    ],
)
def test_screening(
    screening: Screening, zones: tuple[str, ...], indicators: tuple[str, ...], findings: list
) -> None:
    # Z1 has all 4 values (2 years × 2 indicators), Z2 has 1; b is present once in 4 cells.
    cube = np.array([[[1.0, 2.0], [3.0, NAN]], [[5.0, NAN], [NAN, NAN]]])
    cube[0, 1, 1] = NAN
    cube[0, 1, 0] = 3.0
    panel = Panel(("Z1", "Z2"), (2023, 2024), ("a", "b"), cube)
    outcome = screen(panel, screening)
    assert outcome.panel.zones == zones
    assert outcome.panel.indicators == indicators
    assert [(f.kind, f.code, f.availability, f.note) for f in outcome.findings] == findings


def test_a_screened_indicator_is_named_as_the_framework_names_it() -> None:
    framework = Framework(
        (Dimension("D1", 60.0), Dimension("D2", 40.0)),
        (
            Indicator("a", "D1", 0.8),
            Indicator("b", "D1", 1.2, name="研发经费投入强度"),
            Indicator("c", "D2"),
            Indicator("d", "D2", direction=-1),
        ),
    )
    values: dict[tuple[str, int], tuple[float | None, ...]] = {
        key: (row[0], None, *row[2:]) for key, row in VALUES.items()
    }
    values[("Z1", 2023)] = (10, 2, 30, 8)
    snap = replace(snapshot(values), framework=framework)
    result = run(snap, Method(screening=Screening(min_indicator_availability=0.5)))
    assert [(f.code, f.note) for f in result.screening] == [
        ("b", "指标“研发经费投入强度”数据完整率 16.67%，低于要求的 50%，已剔除，不参与评价")
    ]


# --- imputation -------------------------------------------------------------------------------


def test_carry_forward_then_back() -> None:
    cube = np.array([[[NAN], [2.0], [NAN], [4.0], [NAN]]])
    filled, imputed = impute(cube, "carry")
    assert filled[0, :, 0].tolist() == [2.0, 2.0, 2.0, 4.0, 4.0]
    assert imputed[0, :, 0].tolist() == [True, False, True, False, True]


@pytest.mark.parametrize(
    ("kind", "groups", "expected"),
    [
        ("mean", None, (3.0 + 5.0 + 10.0) / 3),
        ("median", None, 5.0),
        ("mean", np.array([0, 0, 1, 1]), 3.0),  # Z1's peer group holds only Z2's 3
        ("median", np.array([0, 1, 1, 1]), 5.0),  # Z1 alone in its group: all zones that year
    ],
)
def test_mean_and_median_imputation(kind: str, groups: np.ndarray | None, expected: float) -> None:
    cube = np.array([[[NAN]], [[3.0]], [[5.0]], [[10.0]]])
    filled, imputed = impute(cube, kind, groups)  # type: ignore[arg-type]
    assert filled[0, 0, 0] == pytest.approx(expected)
    assert imputed[:, 0, 0].tolist() == [True, False, False, False]


def test_imputed_values_are_listed_and_reported_values_untouched() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2024)] = (None, 6, 50, 2)
    result = run(snapshot(values), Method(imputation=Imputation(kind="carry")))
    assert [(v.zone, v.year, v.indicator, v.value, v.method, v.note) for v in result.imputed] == [
        ("Z1", 2024, "a", 10.0, "carry", "未报送，沿用 2023 年的值 10.00")
    ]


def _gaps() -> dict[tuple[str, int], tuple[float | None, ...]]:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2024)] = (None, 6, 50, 2)  # a in 2024: Z2 50, Z3 40
    values[("Z2", 2023)] = (20, 4, None, 4)  # c in 2023: Z1 30, Z3 20
    return values


@pytest.mark.parametrize(
    ("imputation", "peer_groups", "expected"),
    [
        (
            Imputation(kind="mean"),
            {},  # no zone has a group: every zone that year
            [
                ("Z1", 2024, "a", 45.0, "mean", "未报送，按当年全部先导区的均值填补为 45.00"),
                ("Z2", 2023, "c", 25.0, "mean", "未报送，按当年全部先导区的均值填补为 25.00"),
            ],
        ),
        (
            Imputation(kind="median", by_peer_group=False),
            {"Z1": "新材料", "Z2": "新材料"},
            [
                ("Z1", 2024, "a", 45.0, "median", "未报送，按当年全部先导区的中位数填补为 45.00"),
                ("Z2", 2023, "c", 25.0, "median", "未报送，按当年全部先导区的中位数填补为 25.00"),
            ],
        ),
        (
            Imputation(kind="mean"),
            {"Z1": "新材料", "Z2": "新材料"},
            [
                ("Z1", 2024, "a", 50.0, "peer_group_mean", "未报送，按当年同类先导区（新材料）的均值填补为 50.00"),
                ("Z2", 2023, "c", 30.0, "peer_group_mean", "未报送，按当年同类先导区（新材料）的均值填补为 30.00"),
            ],
        ),
        (
            Imputation(kind="mean"),
            {"Z1": "新材料"},  # Z1 alone in its group; Z2 and Z3 without one use all zones
            [
                (
                    "Z1", 2024, "a", 45.0, "mean",
                    "未报送；同类先导区（新材料）当年均无数据，按当年全部先导区的均值填补为 45.00",
                ),
                # A zone without a group is imputed from all zones that year: (30 + 20) / 2.
                ("Z2", 2023, "c", (30 + 20) / 2, "mean", "未报送；该先导区未分组，按当年全部先导区的均值填补为 25.00"),
            ],
        ),
    ],
)  # fmt: skip
def test_imputed_values_say_in_chinese_what_they_were_filled_from(
    imputation: Imputation, peer_groups: dict[str, str], expected: list
) -> None:
    snap = replace(snapshot(_gaps()), peer_groups=peer_groups)
    result = run(snap, Method(imputation=imputation))
    assert [(v.zone, v.year, v.indicator, v.value, v.method, v.note) for v in result.imputed] == expected


# --- outliers ---------------------------------------------------------------------------------


def test_one_extreme_point_is_winsorised_to_the_next_value() -> None:
    series = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    treated, codes = treat_series(series, OutlierTreatment(kind="winsorise_or_log"))
    assert treated.tolist() == [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert codes.tolist() == [0] * 9 + [WINSORISED]


def test_log_transform_when_winsorising_the_allowed_points_is_not_enough() -> None:
    # Pulling 1000 in to 900 leaves two points at 900: still outlying, and the next step would
    # treat three points, more than the one allowed.
    series = np.array([1.0] * 20 + [900.0, 1000.0])
    treated, codes = treat_series(series, OutlierTreatment(kind="winsorise_or_log", max_points=1))
    assert (codes == LOGGED).all()
    # ln(1 + 9 (x - min) / (max - min)): the minimum maps to 0, the maximum to ln 10.
    assert treated[0] == 0.0
    assert treated[-1] == pytest.approx(np.log(10.0))


def test_treated_values_are_listed() -> None:
    values = {("Z1", 2023): (10, 2, 30, 8)}
    values.update({(f"Y{n:02d}", 2023): (10 + n, 2, 30, 8) for n in range(9)})
    values[("Y08", 2023)] = (1000, 2, 30, 8)
    result = run(snapshot(values, targets=False), Method(outliers=OutlierTreatment(kind="winsorise_or_log")))
    assert [(t.zone, t.indicator, t.original, t.treated, t.treatment, t.note) for t in result.treated] == [
        ("Y08", "a", 1000.0, 17.0, "winsorised", "异常值缩尾处理：由 1000.00 调整为 17.00")
    ]


def test_log_transformed_values_are_listed_with_a_note() -> None:
    values = {("Z1", 2023): (10, 2, 30, 8)}
    values.update({(f"Y{n:02d}", 2023): (10 + n, 2, 30, 8) for n in range(9)})
    values[("Y08", 2023)] = (1000, 2, 30, 8)
    method = Method(outliers=OutlierTreatment(kind="winsorise_or_log", max_points=0))
    treated = {t.zone: t for t in run(snapshot(values, targets=False), method).treated}
    assert len(treated) == 10  # every value of a, logged together
    # ln(1 + 9 × (1000 − 10) / (1000 − 10)) = ln 10 = 2.302585…
    assert (treated["Y08"].treatment, treated["Y08"].note) == (
        "log",
        "该指标分布严重偏斜，全部取值作对数变换：由 1000.00 变换为 2.30",
    )


# --- weights ----------------------------------------------------------------------------------


def test_pca_weights_of_two_identical_indicators_and_an_unrelated_one() -> None:
    # Correlation matrix [[1, 1, 0], [1, 1, 0], [0, 0, 1]]: first component (1, 1, 0) / √2.
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([1.0, -1.0, -1.0, 1.0])  # uncorrelated with x
    weights = pca_weights(np.column_stack([x, 2 * x + 1, y]))
    assert weights == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)


def test_aggregation_rescales_over_present_weights_for_each_draw() -> None:
    scores = np.array([[10.0, NAN, 40.0]])
    dimension_of = np.array([0, 0, 1])
    within = np.array([[0.25, 0.5], [0.75, 0.5], [1.0, 1.0]])  # two draws
    dimension_weights = np.array([[0.5, 0.2], [0.5, 0.8]])
    dimensions, composite = aggregate(scores, dimension_of, within, dimension_weights)
    assert dimensions[0, :, 0].tolist() == [10.0, 40.0]
    assert composite[0].tolist() == pytest.approx([25.0, 34.0])
