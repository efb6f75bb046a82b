"""The aggregation tree and denominators: a three-level case worked by hand, and properties.

The case (docs/algorithms/evaluation.md, "A three-level tree with a denominator"), one year,
three zones. Indicators a, b in D1; c in D2; e in D3, where e is 亩均-style: the value divided
by the series ``land`` times 100. Tree: D1 (weight 1) and D2 (3) under P1 (2); D3 (1) under
P2 (1); P1 and P2 under the root R.

    raw          a    b    c    e ÷ land × 100
    Z1          10    1    5    30 ÷ 10 × 100 = 300
    Z2          20    3    –    20 ÷ 4 × 100 = 500
    Z3          30    2   15    10 ÷ 0 → missing (zero denominator)

Min-max over the three zones: a 0/50/100, b 0/100/50, c 0/–/100, e 0/100/–.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiandao.evaluation.engine import Aggregate, Dimension, Framework, Indicator, Method, Snapshot, evaluate
from xiandao.evaluation.engine.model import InputError
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.tests.fixtures import FRAMEWORK, VALUES, long_table, snapshot

TREE = (
    Aggregate("D1", "P1", 1.0),
    Aggregate("D2", "P1", 3.0),
    Aggregate("D3", "P2", 1.0),
    Aggregate("P1", "R", 2.0, name="产业基础"),
    Aggregate("P2", "R", 1.0),
    Aggregate("R", ""),
)
THREE_LEVELS = Framework(
    (Dimension("D1"), Dimension("D2"), Dimension("D3")),
    (
        Indicator("a", "D1"),
        Indicator("b", "D1"),
        Indicator("c", "D2"),
        Indicator("e", "D3", name="亩均税收", denominator="land", scale=100.0),
    ),
    TREE,
)
RAW: dict[str, dict[str, float | None]] = {
    "Z1": {"a": 10, "b": 1, "c": 5, "e": 30, "land": 10},
    "Z2": {"a": 20, "b": 3, "c": None, "e": 20, "land": 4},
    "Z3": {"a": 30, "b": 2, "c": 15, "e": 10, "land": 0},
}


def three_levels(raw: dict[str, dict[str, float | None]] = RAW) -> Snapshot:
    rows = [
        (zone, 2024, code, np.nan if v is None else v) for zone, row in raw.items() for code, v in row.items()
    ]
    return Snapshot(THREE_LEVELS, pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"]))


def test_three_level_golden_with_missing_children_rescaled_within_their_parent() -> None:
    result = run(three_levels())
    d1 = {"Z1": (0 + 0) / 2, "Z2": (50 + 100) / 2, "Z3": (100 + 50) / 2}
    d2 = {"Z1": 0.0, "Z2": None, "Z3": 100.0}
    d3 = {"Z1": 0.0, "Z2": 100.0, "Z3": None}
    # P1 = (1 D1 + 3 D2) / 4; Z2 has no D2, so P1 is D1 alone (rescaled within P1).
    p1 = {"Z1": 0.0, "Z2": d1["Z2"], "Z3": (1 * d1["Z3"] + 3 * 100) / 4}
    p2 = {"Z1": 0.0, "Z2": 100.0, "Z3": None}
    # R = (2 P1 + 1 P2) / 3; Z3 has no P2, so R is P1 alone.
    root = {"Z1": 0.0, "Z2": (2 * p1["Z2"] + 1 * 100) / 3, "Z3": p1["Z3"]}
    for zone in RAW:
        zone_year = result.result(zone, 2024)
        assert zone_year.dimension_scores == pytest.approx({"D1": d1[zone], "D2": d2[zone], "D3": d3[zone]})
        assert zone_year.aggregate_scores == pytest.approx({"P1": p1[zone], "P2": p2[zone], "R": root[zone]})
        assert zone_year.composite == pytest.approx(root[zone])
    # Rescaling across the whole tree instead would give Z2 (1/6 × 75 + 1/3 × 100) / (1/2).
    assert result.result("Z2", 2024).composite != pytest.approx((75 / 6 + 100 / 3) / 0.5)
    assert result.aggregates == ("P1", "P2", "R")
    reference = (root["Z1"] + root["Z2"] + root["Z3"]) / 3
    assert result.result("Z3", 2024).index == pytest.approx(100 * root["Z3"] / reference)


def test_the_weights_of_every_node_are_reported_along_their_paths() -> None:
    result = run(three_levels())
    expected = {
        "D1": ("P1", 1 / 4, 2 / 3 * 1 / 4),
        "D2": ("P1", 3 / 4, 2 / 3 * 3 / 4),
        "D3": ("P2", 1.0, 1 / 3),
        "P1": ("R", 2 / 3, 2 / 3),
        "P2": ("R", 1 / 3, 1 / 3),
        "R": ("", 1.0, 1.0),
    }
    assert [w.code for w in result.aggregate_weights] == list(expected)
    for w in result.aggregate_weights:
        assert (w.parent, w.within_parent, w.in_composite) == (
            expected[w.code][0],
            pytest.approx(expected[w.code][1]),
            pytest.approx(expected[w.code][2]),
        )
    effective = {w.indicator: w.effective for w in result.effective_weights}
    assert effective == pytest.approx({"a": 1 / 12, "b": 1 / 12, "c": 1 / 2, "e": 1 / 3})


def test_a_denominator_divides_before_imputation_and_a_zero_or_missing_one_is_flagged() -> None:
    raw = {zone: dict(row) for zone, row in RAW.items()}
    raw["Z2"]["land"] = None
    result = run(three_levels(raw))
    # 300 is now e's only value: a constant indicator scores the middle of the scale.
    assert result.result("Z1", 2024).indicator_scores["e"] == 50.0
    assert [(f.zone, f.indicator, f.denominator, f.reason, f.note) for f in result.denominator_findings] == [
        ("Z2", "e", "land", "missing", "先导区“Z2”2024年指标“亩均税收”的分母“land”缺失，该值按缺失处理"),
        ("Z3", "e", "land", "zero", "先导区“Z3”2024年指标“亩均税收”的分母“land”为0，该值按缺失处理"),
    ]


def test_a_per_unit_value_is_imputed_from_the_divided_values() -> None:
    method = Method(imputation=replace(Method().imputation, kind="mean"))
    imputed = {(v.zone, v.indicator): v.value for v in run(three_levels(), method).imputed}
    # Z3's e is missing (zero land): the mean of the per-unit values 300 and 500, not of 30 and 20.
    assert imputed[("Z3", "e")] == (300 + 500) / 2


def test_the_two_level_framework_as_an_explicit_tree_gives_the_same_results() -> None:
    tree = (Aggregate("D1", "ROOT", 60.0), Aggregate("D2", "ROOT", 40.0), Aggregate("ROOT", ""))
    flat, explicit = run(snapshot()), run(replace(snapshot(), framework=replace(FRAMEWORK, aggregates=tree)))
    for a, b in zip(flat.zone_years, explicit.zone_years, strict=True):
        assert (a.composite, a.grade, a.dimension_scores) == (
            pytest.approx(b.composite),
            b.grade,
            b.dimension_scores,
        )
        assert b.aggregate_scores == {"ROOT": pytest.approx(a.composite)}


def test_evaluate_returns_results_with_every_level_and_round_trips_through_json() -> None:
    results = evaluate(three_levels())
    assert results.uncertainty is None
    assert results.run.result("Z2", 2024).score_of("P2") == 100.0
    assert type(results).from_json(results.to_json()) == results


def test_monte_carlo_over_a_tree_perturbs_every_level() -> None:
    method = Method(uncertainty=replace(Method().uncertainty, draws=40, imputations=("none",)))
    results = evaluate(three_levels(), method, uncertainty=True)
    assert results.uncertainty is not None
    for zone_year in results.uncertainty.zone_years:
        assert sum(zone_year.grade_probabilities.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ((*TREE[:5], Aggregate("R", "P1")), "指标树第4个节点（“P1”）的 parent：形成了循环：沿上级一路向上又回到了“P1”"),
        ((*TREE, Aggregate("S", "")), "指标树第7个节点（“S”）的 parent：有两个根节点：“R”和“S”的上级都为空，只能有一个"),
        (TREE[1:], "指标树：维度“D1”不在树中，每个维度须作为 code 出现一次"),
        ((Aggregate("D1", "P9"), *TREE[1:]), "指标树第1个节点（“D1”）的 parent：上级“P9”不存在：它须作为 code 出现在树中"),
        ((Aggregate("D1", "P1", -1.0), *TREE[1:]), "指标树第1个节点（“D1”）的 weight：权重须为不小于0的数字"),
        ((*TREE, Aggregate("e", "R")), "指标树第7个节点（“e”）的 code：“e”是指标的编码，树中只列维度及以上各级"),
        ((*TREE, Aggregate("X", "D1")), "指标树第7个节点（“X”）的 parent：上级“D1”是维度，维度之下只能是指标"),
        ((*TREE, Aggregate("P3", "R")), "指标树第7个节点（“P3”）的 code：“P3”不是指标体系中的维度，也没有任何下级"),
    ],
)  # fmt: skip
def test_a_malformed_tree_is_refused_in_chinese(tree: tuple[Aggregate, ...], message: str) -> None:
    with pytest.raises(InputError) as error:
        replace(THREE_LEVELS, aggregates=tree)
    assert str(error.value) == message


def test_a_denominator_that_is_an_indicator_is_refused() -> None:
    with pytest.raises(InputError, match="分母“b”是指标体系中的指标"):
        Framework((Dimension("D1"),), (Indicator("a", "D1", denominator="b"), Indicator("b", "D1")))


# --- properties ----------------------------------------------------------------------------------

scores = st.integers(0, 10_000).map(lambda cents: cents / 100)
positive_weights = st.integers(1, 50).map(float)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tree_snapshot(tree: tuple[Aggregate, ...], cube: list[list[float]]) -> Snapshot:
    framework = replace(FRAMEWORK, aggregates=tree)
    values = {key: tuple(row) for key, row in zip(VALUES, cube, strict=True)}
    return Snapshot(framework, long_table(values))


@PROPERTY
@given(
    depth=st.integers(1, 5), cube=st.lists(st.lists(scores, min_size=4, max_size=4), min_size=6, max_size=6)
)
def test_a_node_with_one_child_scores_as_its_child(depth: int, cube: list[list[float]]) -> None:
    # D1 and D2 under C1, then a chain C1 → C2 → … → Cdepth, each the only child of the next.
    chain = [Aggregate(f"C{n}", f"C{n + 1}" if n < depth else "") for n in range(1, depth + 1)]
    tree = (Aggregate("D1", "C1", 60.0), Aggregate("D2", "C1", 40.0), *chain)
    result = run(_tree_snapshot(tree, cube))
    flat = run(_tree_snapshot((), cube))
    for zone_year, reference in zip(result.zone_years, flat.zone_years, strict=True):
        for n in range(2, depth + 1):
            assert zone_year.aggregate_scores[f"C{n}"] == zone_year.aggregate_scores["C1"]
        assert zone_year.composite == zone_year.aggregate_scores["C1"]
        assert zone_year.composite == pytest.approx(reference.composite, rel=1e-12, abs=1e-12)


@PROPERTY
@given(
    weights=st.lists(positive_weights, min_size=6, max_size=6),
    indicator_weights=st.lists(positive_weights, min_size=4, max_size=4),
    cube=st.lists(st.lists(scores, min_size=4, max_size=4), min_size=6, max_size=6),
)
def test_with_every_leaf_present_the_composite_is_the_sum_of_path_weight_products(
    weights: list[float], indicator_weights: list[float], cube: list[list[float]]
) -> None:
    # D1 under P1, D2 under P2, both pillars under Q, Q and a second branch P3 ← D… no: a tree
    # of depth three where every node's weight is drawn, and no score is missing.
    w_d1, w_d2, w_p1, w_p2, w_q, _ = weights
    tree = (
        Aggregate("D1", "P1", w_d1),
        Aggregate("D2", "P2", w_d2),
        Aggregate("P1", "Q", w_p1),
        Aggregate("P2", "Q", w_p2),
        Aggregate("Q", "", w_q),
    )
    framework = Framework(
        FRAMEWORK.dimensions,
        tuple(replace(i, weight=w) for i, w in zip(FRAMEWORK.indicators, indicator_weights, strict=True)),
        tree,
    )
    values = {key: tuple(row) for key, row in zip(VALUES, cube, strict=True)}
    result = run(Snapshot(framework, long_table(values)))
    a, b, c, d = indicator_weights
    # The product of the normalised weights along each path: indicator × dimension × pillar.
    p1, p2 = w_p1 / (w_p1 + w_p2), w_p2 / (w_p1 + w_p2)
    path = {"a": a / (a + b) * p1, "b": b / (a + b) * p1, "c": c / (c + d) * p2, "d": d / (c + d) * p2}
    for zone_year in result.zone_years:
        scores_of = zone_year.indicator_scores
        flattened = sum(path[code] * (scores_of[code] or 0.0) for code in path)
        assert zone_year.composite == pytest.approx(flattened, rel=1e-9, abs=1e-9)


def test_a_gate_may_read_any_aggregate_of_the_tree() -> None:
    from xiandao.evaluation.engine.method import Gate, Grading

    method = Method(grading=Grading(gates=(Gate("AA", "dimension:P1", 80),)))
    zone_year = run(three_levels(), method).result("Z2", 2024)
    # Z2: index 100 × 83.33 / 59.03 = 141.18 reaches AAA, but P1 (产业基础) = 75 < 80.
    assert zone_year.grade == "A"
    assert [r.detail for r in zone_year.reasons] == [
        "绩效指数 141.18 ≥ AAA 门槛 125，评为 AAA",
        "“产业基础”得分 75.00 低于 AA 的最低要求 80，降为 A",
    ]


def test_screening_that_empties_a_branch_removes_it_from_the_tree() -> None:
    from xiandao.evaluation.engine.method import Screening

    result = run(three_levels(), Method(screening=Screening(min_indicator_availability=0.9)))
    # c and e have 2 values of 3: dropped, and with them D2, D3 and P2; P1 is D1 alone.
    assert (result.indicators, result.dimensions, result.aggregates) == (("a", "b"), ("D1",), ("P1", "R"))
    assert [z.composite for z in result.zone_years] == [0.0, (50 + 100) / 2, (100 + 50) / 2]
