"""Score sheets and the committee's figures: ranges in Chinese, weights, items, spread and dissent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.review.scoring import Item, Rules, Sheet, SheetInvalid, overall, result_of, sheet_check

RULES = Rules(0, 100, {"direction": 25, "attainability": 25, "soundness": 25, "feasibility": 25})
D = Decimal


def sheet(**points):
    return {"direction": "80", "attainability": "70", "soundness": "90", "feasibility": "60", **points}


def test_the_worked_example():
    assert overall(RULES, sheet_check(RULES, sheet())) == D("75.00")
    result = result_of(
        [
            Sheet("甲", "scientist", D("75.00"), {}, "recommend"),
            Sheet("乙", "investor", D("85.00"), {}, "recommend"),
        ]
    )
    assert (result.mean, result.std_dev, result.minimum, result.maximum) == (
        D("80.00"),
        D("5.00"),
        D("75.00"),
        D("85.00"),
    )
    assert not result.dissent


def test_weights_are_relative_shares():
    rules = Rules(0, 100, {"direction": 40, "attainability": 20, "soundness": 20, "feasibility": 20})
    expected = (D(80) * 40 + D(70) * 20 + D(90) * 20 + D(60) * 20) / 100
    assert overall(rules, sheet_check(rules, sheet())) == expected.quantize(D("0.01"))


def test_a_score_outside_the_range_is_refused_in_chinese_with_every_problem():
    with pytest.raises(SheetInvalid) as caught:
        sheet_check(RULES, sheet(direction="101", soundness="", feasibility="很好"))
    problems = caught.value.problems
    assert problems["direction"] == "“发展方向”的评分应在0～100分之间（填写的是101）"
    assert problems["soundness"] == "请填写“任务合理性”的评分（0～100分）"
    assert problems["feasibility"] == "“措施可行性”的评分应为数字（填写的是“很好”）"
    assert "attainability" not in problems


def test_itemised_rules_fold_into_their_criteria():
    items = (
        Item("d1", "direction", "方向契合度", 30),
        Item("d2", "direction", "前沿性", 20),
        Item("a1", "attainability", "目标可及", 50),
        Item("s1", "soundness", "任务合理", 50),
        Item("f1", "feasibility", "措施可行", 50),
    )
    rules = Rules(0, 100, RULES.weights, items)
    values = sheet_check(rules, {"d1": "30", "d2": "10", "a1": "25", "s1": "50", "f1": "40"})
    # direction 40/50 → 80; attainability 50%; soundness 100%; feasibility 80% → mean 77.5
    assert overall(rules, values) == D("77.50")
    with pytest.raises(SheetInvalid, match="“前沿性”的评分应在0～20分之间"):
        sheet_check(rules, {"d1": "30", "d2": "21", "a1": "25", "s1": "50", "f1": "40"})


def test_dissent_names_who_disagrees_with_the_majority():
    result = result_of(
        [
            Sheet("甲", "scientist", D(80), {}, "recommend"),
            Sheet("乙", "entrepreneur", D(82), {}, "recommend"),
            Sheet("丙", "investor", D(55), {}, "reject"),
        ]
    )
    assert result.dissent and result.dissenters == ("丙",)
    assert result.recommendations == {"recommend": 2, "reject": 1}


def test_no_sheets_no_figures():
    assert result_of([]).mean is None


scores = st.decimals(min_value=0, max_value=100, places=1)


@given(st.lists(scores, min_size=4, max_size=4))
def test_an_overall_score_stays_within_the_scale(values):
    points = dict(
        zip(("direction", "attainability", "soundness", "feasibility"), map(str, values), strict=True)
    )
    total = overall(RULES, sheet_check(RULES, points))
    assert D(0) <= total <= D(100)
    assert min(values) - D("0.01") <= total <= max(values) + D("0.01")


@given(st.lists(scores, min_size=1, max_size=9))
def test_the_mean_lies_in_the_range_and_the_spread_is_zero_only_when_all_agree(values):
    result = result_of([Sheet(str(i), "scientist", v, {}, "recommend") for i, v in enumerate(values)])
    assert result.minimum is not None and result.mean is not None and result.maximum is not None
    assert result.std_dev is not None
    assert result.minimum <= result.mean <= result.maximum
    assert (result.std_dev == 0) == (len(set(values)) == 1) or result.std_dev < D("0.01")
