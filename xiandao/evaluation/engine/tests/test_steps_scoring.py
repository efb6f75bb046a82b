"""Table-driven tests of scoring: target attainment, itemised rules and vetoes, grading, validation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from xiandao.evaluation.engine.attainment import indicator_attainment, overall_attainment
from xiandao.evaluation.engine.grading import reasons
from xiandao.evaluation.engine.method import (
    Aggregation,
    Attainment,
    Gate,
    Goalpost,
    Grading,
    Method,
    MethodError,
    Normalisation,
    ScoringItem,
    ScoringRules,
    Threshold,
    Veto,
)
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, InputError, Snapshot
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.tests.fixtures import FRAMEWORK, VALUES, snapshot

NAN = np.nan


# --- target attainment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "direction", "cap", "expected"),
    [
        (80.0, 100.0, 1, 1.0, 0.8),
        (120.0, 100.0, 1, 1.0, 1.0),
        (120.0, 100.0, 1, 1.2, 1.2),
        (5.0, 4.0, -1, 1.0, 0.8),  # lower is better: target ÷ value
        (0.0, 4.0, -1, 1.0, 1.0),
        (0.0, 0.0, -1, 1.0, 1.0),  # zero incidents against a target of zero: met
        (1.0, 0.0, -1, 1.0, 0.0),
        (NAN, 10.0, 1, 1.0, 0.0),  # not reported: not attained
        (10.0, NAN, 1, 1.0, NAN),  # no target
    ],
)
def test_indicator_attainment(
    value: float, target: float, direction: int, cap: float, expected: float
) -> None:
    result = indicator_attainment(
        np.array([value]), np.array([target]), np.array([float(direction)]), Attainment(cap=cap)
    )
    assert result[0] == pytest.approx(expected, nan_ok=True)


def test_overall_attainment_is_weighted_by_effective_weights_over_indicators_with_targets() -> None:
    attainment = np.array([[1.0, 0.5, NAN]])
    assert overall_attainment(attainment, np.array([0.2, 0.6, 0.2]))[0] == pytest.approx((0.2 + 0.3) / 0.8)


def test_golden_attainment_of_the_small_case() -> None:
    zone_year = run(snapshot()).result("Z1", 2023)
    # a 10/30, b 2/5, c 30/30 = 1, d (lower better) 4/8; weights 0.24, 0.36, 0.2, 0.2.
    assert zone_year.attainment == pytest.approx({"a": 1 / 3, "b": 0.4, "c": 1.0, "d": 0.5})
    assert zone_year.overall_attainment == pytest.approx(0.24 / 3 + 0.36 * 0.4 + 0.2 + 0.1)


# --- itemised scoring rules and vetoes --------------------------------------------------------

RULES = ScoringRules(
    items=(
        ScoringItem("a_points", "a", points=1.0, max_points=25.0),  # 1 point per unit, at most 25
        ScoringItem("b_target", "b", points=10.0, basis="attainment"),  # 10 points × attainment
        ScoringItem("c_bonus", "c", points=0.1, kind="bonus"),
        ScoringItem("d_penalty", "d", points=1.0, kind="penalty"),
        ScoringItem("safety_penalty", "safety", points=5.0, kind="penalty"),
    ),
    bonus_cap=3.0,
    penalty_cap=10.0,
    vetoes=(
        Veto("major_safety_incident", "safety", grade_cap="A", at_least=1.0, description="重大安全事故"),
    ),
)


def _with_safety(incidents: dict[tuple[str, int], float]) -> Snapshot:
    """The small case plus a count of major safety incidents, outside the framework."""
    base = snapshot()
    extra = pd.DataFrame(
        [(zone, year, "safety", value) for (zone, year), value in incidents.items()],
        columns=["zone", "year", "indicator", "value"],
    )
    return replace(base, values=pd.concat([base.values, extra], ignore_index=True))


@pytest.mark.parametrize(
    ("zone", "year", "expected"),
    [
        # a 10 → 10; b 2/5 → 4; bonus 30 × 0.1 = 3; penalty d 8 + safety 0 = 8 → 10 + 4 + 3 − 8 = 9
        ("Z1", 2023, 9.0),
        # a 50 → capped 25; b 5/5 → 10; bonus 10 × 0.1 = 1; penalty 4 + 5 × 1 = 9 → 27
        ("Z2", 2024, 27.0),
        # a 40 → 25; b 4/5 → 8; bonus 40 × 0.1 = 4 → capped 3; penalty 10 + 5 × 2 = 20 → capped 10 → 26
        ("Z3", 2024, 26.0),
    ],
)
def test_itemised_score(zone: str, year: int, expected: float) -> None:
    method = Method(scoring_rules=RULES)
    snap = _with_safety({("Z2", 2024): 1.0, ("Z3", 2024): 2.0})
    result = run(snap, method)
    assert result.result(zone, year).itemised_score == pytest.approx(expected)


def test_a_veto_caps_the_grade_whatever_the_score() -> None:
    snap = _with_safety({("Z2", 2024): 1.0})
    zone_year = run(snap, Method(scoring_rules=RULES)).result("Z2", 2024)
    assert zone_year.index == pytest.approx(220.0)
    assert zone_year.grade == "A"
    assert [(r.kind, r.code, r.detail) for r in zone_year.reasons] == [
        ("threshold", "AAA", "绩效指数 220.00 ≥ AAA 门槛 125，评为 AAA"),
        ("veto", "major_safety_incident", "一票否决“重大安全事故”：等次不高于 A"),
    ]


def test_a_veto_without_a_description_is_named_by_its_code() -> None:
    rules = replace(RULES, vetoes=(Veto("安全事故", "safety", grade_cap="AA"),))
    zone_year = run(_with_safety({("Z2", 2024): 2.0}), Method(scoring_rules=rules)).result("Z2", 2024)
    assert zone_year.grade == "AA"
    assert zone_year.reasons[-1].detail == "一票否决“安全事故”：等次不高于 AA"


def test_grading_on_the_itemised_score() -> None:
    grading = Grading(basis="itemised_score", thresholds=(Threshold("AAA", 26.0), Threshold("AA", 9.0)))
    snap = _with_safety({("Z2", 2024): 1.0, ("Z3", 2024): 2.0})
    result = run(snap, Method(scoring_rules=replace(RULES, vetoes=()), grading=grading))
    assert [result.result(*key).grade for key in [("Z1", 2023), ("Z2", 2024), ("Z3", 2024)]] == [
        "AA",
        "AAA",
        "AAA",
    ]
    assert [r.detail for r in result.result("Z1", 2023).reasons] == [
        "评分细则得分 9.00 ≥ AA 门槛 9，评为 AA",
        "评分细则得分 9.00 低于 AAA 门槛 26",
    ]


def test_no_itemised_score_without_items_says_so() -> None:
    grading = Grading(basis="itemised_score")
    zone_year = run(snapshot(), Method(grading=grading)).result("Z1", 2023)
    assert zone_year.grade is None
    assert [(r.kind, r.code, r.detail) for r in zone_year.reasons] == [
        ("threshold", "no_figure", "没有评分细则得分（方法中未设评分项），不评等次")
    ]


# --- grading ----------------------------------------------------------------------------------


def test_gate_on_attainment_lowers_the_grade_and_says_why() -> None:
    gate = Gate("AAA", "attainment", 80.0)  # AAA needs 80 % overall attainment
    result = run(snapshot(), Method(grading=replace(Grading(), gates=(gate,))))
    zone_year = result.result("Z2", 2023)  # index 130, attainment a 20/30, b 4/5, c 10/30, d 1
    assert zone_year.overall_attainment == pytest.approx(0.24 * 2 / 3 + 0.36 * 0.8 + 0.2 / 3 + 0.2)
    assert zone_year.grade == "AA"
    assert [(r.kind, r.code, r.detail) for r in zone_year.reasons] == [
        ("threshold", "AAA", "绩效指数 130.00 ≥ AAA 门槛 125，评为 AAA"),
        ("gate", "attainment", "目标达成度 71.47% 低于 AAA 的最低要求 80%，降为 AA"),
    ]


def test_gate_without_targets_fails_for_lack_of_evidence() -> None:
    method = Method(grading=replace(Grading(), gates=(Gate("AA", "attainment", 50.0),)))
    result = run(snapshot(targets=False), method)
    assert {r.grade for r in result.zone_years} == {"A"}
    assert (
        result.result("Z2", 2023).reasons[-1].detail == "目标达成度无数据，达不到 AA 的最低要求 50%，降为 A"
    )


def test_gate_on_a_dimension_score() -> None:
    method = Method(grading=replace(Grading(), gates=(Gate("AAA", "dimension:D2", 40.0),)))
    result = run(snapshot(), method)
    assert result.result("Z1", 2024).grade == "AAA"  # D2 = 100
    assert result.result("Z2", 2024).grade == "AA"  # D2 = 37.5
    assert (
        result.result("Z2", 2024).reasons[-1].detail == "维度“D2”得分 37.50 低于 AAA 的最低要求 40，降为 AA"
    )


def test_failed_gates_are_listed_highest_grade_first_and_name_the_dimension() -> None:
    framework = replace(FRAMEWORK, dimensions=(Dimension("D1", 60.0), Dimension("D2", 40.0, name="产业生态")))
    gates = (Gate("AA", "dimension:D2", 40.0), Gate("AAA", "attainment", 80.0))  # the AA gate first
    snap = replace(snapshot(), framework=framework)
    zone_year = run(snap, Method(grading=replace(Grading(), gates=gates))).result("Z2", 2023)
    assert zone_year.grade == "A"
    assert [(r.kind, r.code, r.detail) for r in zone_year.reasons] == [
        ("threshold", "AAA", "绩效指数 130.00 ≥ AAA 门槛 125，评为 AAA"),
        ("gate", "attainment", "目标达成度 71.47% 低于 AAA 的最低要求 80%，降为 AA"),
        ("gate", "dimension:D2", "维度“产业生态”得分 37.50 低于 AA 的最低要求 40，降为 A"),
    ]


@pytest.mark.parametrize(
    ("grading", "message"),
    [
        (
            lambda: Grading(thresholds=(Threshold("AAA", 90.0), Threshold("AA", 100.0))),
            "grading.thresholds：AAA的门槛90低于AA的门槛100，等次越高门槛应越高",
        ),
        (
            lambda: Grading(thresholds=(Threshold("A", 10.0),)),
            "grading.thresholds[0].grade：等次“A”不能设门槛：它是最低等次或不在 grading.scale 中，可设：AA、AAA",
        ),
        (
            lambda: Grading(gates=(Gate("A", "attainment", 3.0),)),
            "grading.gates[0].grade：等次“A”不能设门槛条件：它是最低等次或不在 grading.scale 中，可设：AA、AAA",
        ),
        (
            lambda: Grading(gates=(Gate("AA", "rank", 3.0),)),
            "grading.gates[0].measure：“rank”无法识别，应为“attainment”（目标达成度）或“dimension:维度编码”",
        ),
        (lambda: Grading(scale=("A", "A")), "grading.scale：应列出互不相同的等次，由低到高排列"),
        (
            lambda: Grading(reference="fixed"),
            "grading.reference_value：基准为固定值（fixed）时，须填写不为0的 reference_value",
        ),
    ],
)
def test_inconsistent_grading_is_refused_in_chinese(grading: object, message: str) -> None:
    with pytest.raises(MethodError) as error:
        grading()  # type: ignore[operator]
    assert str(error.value) == message


def test_another_grade_scale_with_a_below_grade_band() -> None:
    # The EIS-style four bands: below 70 is not graded ("rectify").
    grading = Grading(
        scale=("rectify", "A", "AA", "AAA"),
        thresholds=(Threshold("AAA", 125.0), Threshold("AA", 100.0), Threshold("A", 70.0)),
    )
    result = run(snapshot(), Method(grading=grading))
    assert result.result("Z1", 2023).grade == "rectify"  # index 50
    assert result.result("Z3", 2023).grade == "AA"
    assert [r.detail for r in result.result("Z1", 2023).reasons] == [
        "绩效指数 50.00 低于 A 门槛 70，评为 rectify"
    ]


def test_a_zone_year_with_no_value_says_why_it_has_no_grade() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z1", 2023)] = (None, None, None, None)
    zone_year = run(snapshot(values)).result("Z1", 2023)
    assert [(r.kind, r.code, r.detail) for r in zone_year.reasons] == [
        ("threshold", "no_figure", "没有绩效指数（本年没有可用数据），不评等次")
    ]
    assert (zone_year.strengths, zone_year.strength_notes, zone_year.weakness_notes) == ((), (), ())


def test_the_figure_is_shown_and_graded_as_rounded_half_up() -> None:
    # 124.995 is shown as 125.00, and so graded AAA; a threshold written 99.5 is shown as written.
    grading = Grading(thresholds=(Threshold("AAA", 125.0), Threshold("AA", 99.5)))
    assert [r.detail for r in reasons(124.995, grading, {}, (), {})] == [
        "绩效指数 125.00 ≥ AAA 门槛 125，评为 AAA"
    ]
    assert [r.detail for r in reasons(99.494, grading, {}, (), {})] == [
        "绩效指数 99.49 低于 AA 门槛 99.5，评为 A"
    ]


def test_tied_ranks_are_said_to_be_shared() -> None:
    values: dict[tuple[str, int], tuple[float | None, ...]] = dict(VALUES)
    values[("Z3", 2023)] = (30, 4, 20, 6)  # b: Z2 and Z3 both 4, the best that year
    zone_year = run(snapshot(values)).result("Z3", 2023)
    assert "优势指标“b”：得分 50.00，在 3 个先导区中并列第 1" in zone_year.strength_notes


# --- framework validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Framework((Dimension("D"),), (Indicator("a", "E"),)), "指标“a”所属的维度“E”不存在"),
        (
            lambda: Framework((Dimension("D"),), (Indicator("a", "D", direction=0),)),
            "指标“a”的方向须为1（越大越好）或-1（越小越好）",
        ),
        (
            lambda: Framework((Dimension("D"),), (Indicator("a", "D"), Indicator("a", "D"))),
            "指标“a”出现了两次",
        ),
        (
            lambda: Framework((Dimension("D"), Dimension("D")), (Indicator("a", "D"),)),
            "维度“D”出现了两次",
        ),
        (
            lambda: Framework((Dimension("D"), Dimension("E")), (Indicator("a", "D"),)),
            "维度“E”下没有任何指标",
        ),
        (
            lambda: Framework((Dimension("D"),), (Indicator("a", "D", weight=0.0),)),
            "维度“D”下各指标的权重之和为0，至少一个须大于0",
        ),
        (
            lambda: Framework((Dimension("D", weight=-1.0),), (Indicator("a", "D"),)),
            "维度“D”的权重须为不小于0的数字",
        ),
        (
            lambda: Framework((Dimension("D"),), (Indicator("a", "D", weight=float("nan")),)),
            "指标“a”的权重须为不小于0的数字",
        ),
        (lambda: Framework((Dimension("D"),), ()), "指标体系中没有任何指标"),
    ],
)
def test_inconsistent_framework_is_refused_in_chinese(build: object, message: str) -> None:
    with pytest.raises(InputError) as error:
        build()  # type: ignore[operator]
    assert str(error.value) == message


def test_framework_fixture_is_valid() -> None:
    assert FRAMEWORK.dimension_codes == ("D1", "D2")


# --- settings found wrong while computing: Chinese, naming the setting ----------------------


@pytest.mark.parametrize(
    ("method", "message"),
    [
        (
            lambda: Method(normalisation=Normalisation(kind="goalposts")),
            "normalisation.goalposts：按固定上下限标准化（goalposts）时，缺少指标“a”的上下限",
        ),
        (
            lambda: Method(
                normalisation=Normalisation(
                    kind="goalposts",
                    goalposts=(Goalpost("a", 50, 0), Goalpost("b", 0, 9), Goalpost("c", 0, 9), Goalpost("d", 9, 0)),
                )
            ),
            "normalisation.goalposts：指标“a”的上下限与其方向矛盾：越大越好的指标 best 应大于 worst，越小越好的反之",
        ),
        (
            lambda: Method(normalisation=Normalisation(window=(1990, 1999))),
            "评价期内没有任何数据，请检查数据的年份与 normalisation.window 的设置",
        ),
        (
            lambda: Method(scoring_rules=ScoringRules(items=(ScoringItem("s1", "zzz", 1.0, basis="attainment"),))),
            "scoring_rules.items[0].indicator：指标“zzz”不在指标体系中，无法计算其目标达成度",
        ),
        (
            lambda: Method(scoring_rules=ScoringRules(vetoes=(Veto("v1", "a", "B"),))),
            "scoring_rules.vetoes[0].grade_cap：一票否决项“v1”的封顶等次“B”不在等次表中（可用：A、AA、AAA）",
        ),
        (
            lambda: Method(aggregation=Aggregation(geometric_floor=0.0)),
            "aggregation.geometric_floor：必须大于0（几何平均要取对数）",
        ),
        (
            lambda: Method(grading=replace(Grading(), gates=(Gate("AA", "dimension:D9", 50.0),))),
            "grading.gates[0].measure：“dimension:D9”所指的维度不在指标体系中，或因数据不足已被剔除",
        ),
    ],
)  # fmt: skip
def test_a_setting_found_wrong_while_computing_is_named_in_chinese(method: object, message: str) -> None:
    with pytest.raises((MethodError, InputError)) as error:
        run(snapshot(targets=False), method())  # type: ignore[operator]
    assert str(error.value) == message
