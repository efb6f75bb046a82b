"""The removal-risk forecast on synthetic histories: a zone improving fast has a low risk of a
third A, a falling one a high risk; probabilities in [0, 1], seeded and deterministic."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiandao.evaluation.engine import Method
from xiandao.evaluation.engine.forecast import RiskResult, project, removal_risk
from xiandao.evaluation.engine.method import MethodError
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.paths import IndicatorUnit
from xiandao.evaluation.engine.serialise import to_data

FRAMEWORK = Framework(
    (Dimension("D1"), Dimension("D2")),
    (
        Indicator("x", "D1", name="研发投入强度"),
        Indicator("y", "D1"),
        Indicator("z", "D2", name="高新技术企业"),
    ),
)
YEARS = (2022, 2023, 2024, 2025)
# Published grades: both zones were AA, then A twice.
PUBLISHED = {zone: {2022: "AA", 2023: "AA", 2024: "A", 2025: "A"} for zone in ("UP", "DOWN")}


def history(seed: int = 1) -> Snapshot:
    """Four steady zones; UP grows 15 a year from 20, DOWN falls 10 a year from 50."""
    rng = np.random.default_rng(seed)
    series = {
        f"M{m}": [[50 + 5 * m + 2 * t + rng.normal(0, 2) for t in range(4)] for _ in "xyz"] for m in range(4)
    }
    series["UP"] = [[20 + 15 * t + rng.normal(0, 1) for t in range(4)] for _ in "xyz"]
    series["DOWN"] = [[50 - 10 * t + rng.normal(0, 1) for t in range(4)] for _ in "xyz"]
    rows = [
        (zone, year, code, values[i][t])
        for zone, values in series.items()
        for t, year in enumerate(YEARS)
        for i, code in enumerate("xyz")
    ]
    return Snapshot(FRAMEWORK, pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]))


def test_a_zone_improving_fast_has_a_low_risk_and_a_falling_one_a_high_risk() -> None:
    result = removal_risk(history(), Method(), grades=PUBLISHED, scenarios=100)
    assert [z.zone for z in result.zones] == ["DOWN", "UP"]
    down, up = result.zone("DOWN"), result.zone("UP")
    assert down.probability > 0.8
    assert up.probability < 0.2
    for zone in result.zones:
        for p in (zone.probability, zone.probability_from_trend, zone.probability_from_method):
            assert 0.0 <= p <= 1.0
        assert (zone.run, zone.run_years) == (2, (2024, 2025))
    assert {v.trend for v in down.projected} == {"worsening"}
    assert {v.trend for v in up.projected} == {"improving"}
    # DOWN's projection continues its line: about 50 − 10 × 4 = 10.
    assert down.projected[0].projected == pytest.approx(10.0, abs=3.0)
    assert down.drivers and all(d.gap < 0 for d in down.drivers)
    assert down.sentence.startswith(
        "已连续2年（2024、2025年）评为A；按各指标的趋势和评价方法的不确定性，2026年再评为A的概率为"
    )
    assert "若再评为A将连续3年，触发退出规则" in down.sentence
    assert "主要拉低因素：" in down.sentence


def test_only_zones_on_their_second_a_are_flagged_and_the_count_is_a_parameter() -> None:
    grades = PUBLISHED | {"M0": {2024: "AA", 2025: "A"}}
    assert [z.zone for z in removal_risk(history(), grades=grades, scenarios=5).zones] == ["DOWN", "UP"]
    # With a rule of two consecutive A grades, one A this year is enough to be flagged.
    flagged = removal_risk(history(), grades=grades, consecutive=2, scenarios=5).zones
    assert [z.zone for z in flagged] == ["DOWN", "M0", "UP"]
    # With four, two are not enough.
    assert removal_risk(history(), grades=grades, consecutive=4, scenarios=5).zones == ()


def test_the_forecast_is_seeded_and_deterministic() -> None:
    first = removal_risk(history(), grades=PUBLISHED, scenarios=30, seed=7)
    assert removal_risk(history(), grades=PUBLISHED, scenarios=30, seed=7) == first
    assert first.seed == 7


def test_the_forecast_round_trips_through_json() -> None:
    units = {"x": IndicatorUnit("%", decimals=1)}
    result = removal_risk(history(), grades=PUBLISHED, scenarios=10, units=units)
    data = json.loads(json.dumps(to_data(result), ensure_ascii=False))
    assert RiskResult.from_data(data) == result
    assert result.zone("DOWN").projected[0].shown_projected is not None
    assert result.zone("DOWN").projected[0].unit == "%"


def test_a_bad_rule_says_so() -> None:
    with pytest.raises(MethodError, match="连续次数至少为2"):
        removal_risk(history(), consecutive=1)
    with pytest.raises(MethodError, match="不在等次表中"):
        removal_risk(history(), grade="B")


def test_the_projection_is_the_least_squares_line_with_its_prediction_error() -> None:
    values = np.array([[[1.0], [2.0], [4.0], [5.0]]])  # one zone, four years, one series
    projection = project(values, YEARS)
    x = np.array(YEARS, dtype=float)
    slope, intercept = np.polyfit(x, values[0, :, 0], 1)
    assert projection.slope[0, 0] == pytest.approx(slope)
    assert projection.mean[0, 0] == pytest.approx(intercept + slope * 2026)
    residual = values[0, :, 0] - (intercept + slope * x)
    s = np.sqrt((residual**2).sum() / 2)
    expected = s * np.sqrt(1 + 1 / 4 + (2026 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    assert projection.sd[0, 0] == pytest.approx(expected)


@given(st.integers(0, 10_000))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_probabilities_are_shares_in_every_history(seed: int) -> None:
    data = history(seed)
    for zone in removal_risk(data, grades=PUBLISHED, scenarios=4, draws_per_scenario=2, seed=seed).zones:
        assert 0.0 <= zone.probability <= 1.0
        assert 0.0 <= zone.probability_from_trend <= 1.0
