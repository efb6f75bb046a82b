"""The path to the next grade: re-run the engine with the suggested values, and brute-force
search small cases for a smaller change."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from xiandao.evaluation.engine import Method, evaluate
from xiandao.evaluation.engine.method import Aggregation, Gate, Grading, ScoringRules, Threshold, Veto
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.paths import (
    GradePath,
    IndicatorUnit,
    PathsResult,
    apply_path,
    path_to_next_grade,
)
from xiandao.evaluation.engine.serialise import to_data
from xiandao.evaluation.engine.tests.fixtures import FRAMEWORK, snapshot

SCALE = ("A", "AA", "AAA")

# One dimension, three indicators (r lower is better); the index's 100 is a composite of 50.
LINEAR = Framework(
    dimensions=(Dimension("D"),),
    indicators=(
        Indicator("p", "D", 1.2, name="研发投入强度"),
        Indicator("q", "D", 1.0, name="省级以上平台"),
        Indicator("r", "D", 0.8, direction=-1, name="单位产值能耗"),
    ),
)
LINEAR_VALUES = {
    ("Z1", 2024): (0.0, 0.0, 10.0),
    ("Z2", 2024): (10.0, 10.0, 0.0),
    ("Z3", 2024): (5.0, 5.0, 5.0),
    ("Z4", 2024): (8.0, 2.0, 3.0),
    ("Z1", 2025): (1.0, 1.0, 9.0),  # every score 10: composite 10, index 20, A
    ("Z2", 2025): (10.0, 10.0, 0.0),  # the best everywhere: AAA
    ("Z3", 2025): (6.0, 4.0, 5.0),  # scores 60, 40, 50: composite 51, index 102, AA
    ("Z4", 2025): (3.0, 3.0, 7.0),
}
FIXED = Method(grading=Grading(reference="fixed", reference_value=50.0))


def table(framework: Framework, values: Mapping[tuple[str, int], tuple[float, ...]]) -> pd.DataFrame:
    codes = framework.indicator_codes
    rows = [(z, y, code, v) for (z, y), row in values.items() for code, v in zip(codes, row, strict=True)]
    return pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"])


def linear_snapshot() -> Snapshot:
    return Snapshot(LINEAR, table(LINEAR, LINEAR_VALUES))


def grade_with(
    data: Snapshot, method: Method, zone: str, year: int, changes: Mapping[str, float]
) -> str | None:
    """The grade the engine gives with some of one zone-year's values replaced."""
    values = data.values.copy()
    for code, value in changes.items():
        values.loc[(values.zone == zone) & (values.year == year) & (values.indicator == code), "value"] = (
            value
        )
    changed = Snapshot(data.framework, values, data.targets, data.peer_groups)
    return evaluate(changed, method).run.result(zone, year).grade


def reaches_next(data: Snapshot, method: Method, path: GradePath, changes: Mapping[str, float]) -> bool:
    grade = grade_with(data, method, path.zone, path.year, changes)
    return grade is not None and SCALE.index(grade) >= SCALE.index(path.next_grade or "")


def bounds(data: Snapshot, zone: str, year: int) -> dict[str, tuple[float, float, float]]:
    """Per indicator: the zone's value, the best other value in the window, the window's range."""
    found = {}
    for indicator in data.framework.indicators:
        rows = data.values[data.values.indicator == indicator.code]
        mine = (rows.zone == zone) & (rows.year == year)
        others = rows[~mine].value
        best = float(others.max() if indicator.direction > 0 else others.min())
        start = float(rows[mine].value.iloc[0])
        if (best - start) * indicator.direction > 0:  # an indicator at its best cannot move
            found[indicator.code] = (start, best, float(rows.value.max() - rows.value.min()))
    return found


def assert_no_smaller_change(data: Snapshot, method: Method, path: GradePath, grid: int = 13) -> None:
    """Brute force: no fewer indicators at their best reach the next grade, and no grid point on
    the same number of indicators with less effort (less one display step each) does."""
    limits = bounds(data, path.zone, path.year)
    size = len(path.improvements)
    for smaller in range(1, size):
        for subset in itertools.combinations(limits, smaller):
            assert not reaches_next(data, method, path, {c: limits[c][1] for c in subset}), subset
    slack = sum(0.01 / limits[i.indicator][2] for i in path.improvements)
    for subset in itertools.combinations(limits, size):
        axes = [np.linspace(limits[c][0], limits[c][1], grid) for c in subset]
        for point in itertools.product(*axes):
            effort = sum(abs(v - limits[c][0]) / limits[c][2] for c, v in zip(subset, point, strict=True))
            if effort < (path.effort or 0.0) - slack - 1e-9:
                assert not reaches_next(data, method, path, dict(zip(subset, point, strict=True))), (
                    subset,
                    point,
                )


def reaches_with_path(data: Snapshot, method: Method, path: GradePath) -> str | None:
    return evaluate(apply_path(data, path), method).run.result(path.zone, path.year).grade


# --- exact paths ------------------------------------------------------------------------------


def test_a_zone_needing_two_indicators_gets_the_least_effort_pair() -> None:
    data = linear_snapshot()
    result = path_to_next_grade(data, FIXED, year=2025, units={"p": IndicatorUnit("%", decimals=1)})
    path = result.path("Z1")
    assert (path.status, path.mode, path.exhaustive) == ("path", "exact", True)
    assert (path.grade, path.next_grade) == ("A", "AA")
    # Composite 10 → 50 needs 40 points; no single indicator gains enough (p at the window's
    # best gains 90 × 0.4 = 36): p goes to 10, and q (weight 1/3, same effort per point of
    # range) the rest, 4 / (1/3) = 12 score points, 1.2 in value.
    assert [(i.indicator, i.value_to) for i in path.improvements] == [("p", 10.0), ("q", pytest.approx(2.2))]
    assert reaches_with_path(data, FIXED, path) == "AA"
    assert_no_smaller_change(data, FIXED, path)


def test_the_sentence_is_in_the_indicators_own_units() -> None:
    data = linear_snapshot()
    units = {"p": IndicatorUnit("%", decimals=1), "q": IndicatorUnit("个", integer=True)}
    path = path_to_next_grade(data, FIXED, year=2025, zones=["Z1"], units=units).path("Z1")
    by_code = {i.indicator: i for i in path.improvements}
    assert re.fullmatch(r"研发投入强度由1\.0%提高到\d+\.\d%", by_code["p"].text) or "p" not in by_code
    if "q" in by_code:
        assert float(by_code["q"].value_to).is_integer()
        assert re.fullmatch(r"省级以上平台增加\d+个，达到\d+个", by_code["q"].text)
    assert path.sentence.endswith(f"绩效指数可由 20.00 提高到 {path.figure_to}，等次由 A 提升为 AA")
    assert reaches_with_path(data, FIXED, path) == "AA"


def test_a_lower_is_better_indicator_goes_down() -> None:
    data = linear_snapshot()
    # Only r may move: p and q are held at the values they have by bounding them there.
    units = {"p": IndicatorUnit(maximum=6.0), "q": IndicatorUnit(maximum=4.0)}
    path = path_to_next_grade(data, FIXED, year=2025, zones=["Z3"], units=units).path("Z3")
    assert [i.indicator for i in path.improvements] == ["r"]
    improvement = path.improvements[0]
    assert improvement.change < 0
    assert improvement.text == f"单位产值能耗由5.00降低到{improvement.shown_to}"
    assert reaches_with_path(data, FIXED, path) == "AAA"
    # One display step less (higher) and the zone stays AA.
    assert grade_with(data, FIXED, "Z3", 2025, {"r": improvement.value_to + 0.01}) == "AA"


def test_the_golden_case_single_indicator_path_is_verified_and_minimal() -> None:
    data = snapshot()
    path = path_to_next_grade(data, Method(), year=2023).path("Z3")  # AA at 120.00
    assert (path.status, path.mode, path.next_grade) == ("path", "exact", "AAA")
    assert reaches_with_path(data, Method(), path) == "AAA"
    # One display step less on the indicator and the zone stays AA.
    improvement = path.improvements[0]
    less = improvement.value_to - 0.01 * improvement.direction
    assert grade_with(data, Method(), "Z3", 2023, {improvement.indicator: less}) == "AA"
    assert_no_smaller_change(data, Method(), path, grid=41)


def test_a_gate_is_met_by_the_path() -> None:
    method = replace(FIXED, grading=replace(FIXED.grading, gates=(Gate("AAA", "dimension:D", 70.0),)))
    data = linear_snapshot()
    zone_year = evaluate(data, method).run.result("Z3", 2025)
    assert zone_year.grade == "AA"
    path = path_to_next_grade(data, method, year=2025, zones=["Z3"]).path("Z3")
    # The threshold (composite 62.5) and the gate (D ≥ 70) are two constraints: a linear programme.
    assert (path.status, path.mode) == ("path", "exact")
    assert reaches_with_path(data, method, path) == "AAA"
    assert_no_smaller_change(data, method, path)


# --- no path ----------------------------------------------------------------------------------


def test_a_zone_at_the_top_grade_gets_no_path() -> None:
    path = path_to_next_grade(linear_snapshot(), FIXED, year=2025).path("Z2")
    assert (path.status, path.improvements, path.next_grade) == ("top", (), None)
    assert path.sentence == "已是最高等次 AAA，无需提档"


def test_a_veto_cannot_be_made_up_by_other_indicators() -> None:
    values = table(LINEAR, LINEAR_VALUES)
    incident = pd.DataFrame([["Z1", 2025, "safety", 1.0]], columns=values.columns)
    data = Snapshot(LINEAR, pd.concat([values, incident], ignore_index=True))
    veto = Veto("major_safety_incident", "safety", grade_cap="A", description="重大安全事故")
    method = replace(FIXED, scoring_rules=ScoringRules(vetoes=(veto,)))
    path = path_to_next_grade(data, method, year=2025, zones=["Z1"]).path("Z1")
    assert path.status == "vetoed"
    assert path.improvements == ()
    assert path.reason.startswith("一票否决“重大安全事故”：等次不高于 A。一票否决不能通过提高其他指标来弥补")


def test_an_unreachable_threshold_says_how_far_the_best_gets() -> None:
    method = replace(
        FIXED, grading=replace(FIXED.grading, thresholds=(Threshold("AAA", 500.0), Threshold("AA", 400.0)))
    )
    path = path_to_next_grade(linear_snapshot(), method, year=2025, zones=["Z1"]).path("Z1")
    assert path.status == "unreachable"
    assert path.reason == "即使全部可改进的指标都达到上限（3项），绩效指数也只有 200.00，仍低于 AA 门槛 400"


def test_an_unreachable_gate_says_which() -> None:
    method = replace(FIXED, grading=replace(FIXED.grading, gates=(Gate("AA", "dimension:D", 101.0),)))
    path = path_to_next_grade(linear_snapshot(), method, year=2025, zones=["Z1"]).path("Z1")
    assert path.status == "unreachable"
    assert "维度“D”得分仍达不到 AA 的最低要求 101" in path.reason


# --- searched ---------------------------------------------------------------------------------


def test_a_non_linear_method_is_searched_and_says_so() -> None:
    method = replace(FIXED, aggregation=Aggregation(kind="geometric"))
    data = linear_snapshot()
    path = path_to_next_grade(data, method, year=2025, zones=["Z1"]).path("Z1")
    assert (path.status, path.mode, path.exhaustive) == ("path", "searched", False)
    assert path.sentence.endswith("（搜索所得，不保证为最小改进）")
    assert reaches_with_path(data, method, path) in ("AA", "AAA")


def test_a_per_unit_indicator_is_improved_in_its_ratio_and_written_back_as_numerator() -> None:
    framework = Framework(
        dimensions=(Dimension("D"),),
        indicators=(
            Indicator("rd", "D", name="研发投入强度", denominator="gdp", scale=100.0),
            Indicator("n", "D", name="企业数"),
        ),
    )
    rows = []
    for zone, rd, gdp, n in (("Z1", 2.0, 100.0, 5.0), ("Z2", 6.0, 200.0, 9.0), ("Z3", 4.0, 50.0, 7.0)):
        rows += [(zone, 2025, "rd", rd * gdp / 100.0), (zone, 2025, "gdp", gdp), (zone, 2025, "n", n)]
    data = Snapshot(framework, pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]))
    path = path_to_next_grade(data, Method(), zones=["Z3"]).path("Z3")  # index 100.00, AA
    assert (path.status, path.mode) == ("path", "exact")
    assert [(i.indicator, i.value_from, i.shown_to) for i in path.improvements] == [("rd", 4.0, "5.72")]
    changed = apply_path(data, path).values
    numerator = changed[(changed.zone == "Z3") & (changed.indicator == "rd")].value.iloc[0]
    assert numerator == pytest.approx(5.72 * 50.0 / 100.0)
    assert reaches_with_path(data, Method(), path) == "AAA"


def test_paths_round_trip_through_json() -> None:
    result = path_to_next_grade(linear_snapshot(), FIXED, year=2025)
    data = json.loads(json.dumps(to_data(result), ensure_ascii=False))
    assert PathsResult.from_data(data) == result
    assert result.assumptions[0] == "其他先导区的数据、本先导区其他年份的数据保持不变"
    assert result.definition.startswith("“最小改进”指：先使需要改进的指标个数最少")


# --- properties -------------------------------------------------------------------------------

reported = st.integers(0, 10_000).map(lambda cents: cents / 100)


@given(arrays(np.float64, (3, 2, 4), elements=reported))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_path_reaches_the_next_grade_when_the_engine_is_run_again(cube: np.ndarray) -> None:
    rows = [
        (f"Z{z}", 2023 + t, code, float(cube[z, t, i]))
        for z in range(3)
        for t in range(2)
        for i, code in enumerate(FRAMEWORK.indicator_codes)
    ]
    data = Snapshot(FRAMEWORK, pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]))
    published = evaluate(data, Method()).run
    for path in path_to_next_grade(data, Method(), year=2024).paths:
        grade = published.result(path.zone, 2024).grade
        assert path.grade == grade
        if path.status == "top":
            assert grade == "AAA"
        elif path.status == "path":
            reached = reaches_with_path(data, Method(), path)
            assert reached is not None and SCALE.index(reached) > SCALE.index(grade or "")
            directions = {i.code: i.direction for i in FRAMEWORK.indicators}
            for improvement in path.improvements:
                assert improvement.change * directions[improvement.indicator] > 0
            if path.mode == "exact" and len(path.improvements) == 1:
                # Brute force: no single indicator on a grid reaches the grade with less effort.
                assert_no_smaller_change(data, Method(), path, grid=9)
        else:
            assert path.reason
