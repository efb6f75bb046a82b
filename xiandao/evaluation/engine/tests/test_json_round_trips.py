"""JSON round trips that rebuild a method, a snapshot and a run exactly (purity: tests/test_purity.py)."""

from __future__ import annotations

import pytest

from xiandao.evaluation.engine.method import (
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
from xiandao.evaluation.engine.model import Snapshot
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.results import RunResult
from xiandao.evaluation.engine.tests.fixtures import snapshot


def test_method_round_trips_through_json() -> None:
    method = Method(
        normalisation=Normalisation(
            kind="goalposts", window=(2023, 2024), goalposts=(Goalpost("a", 0.0, 50.0),)
        ),
        scoring_rules=ScoringRules(
            items=(ScoringItem("x", "a", 2.0, max_points=10.0),), bonus_cap=5.0, vetoes=(Veto("v", "s", "A"),)
        ),
        grading=Grading(
            thresholds=(Threshold("AAA", 120.0), Threshold("AA", 95.5)),
            gates=(Gate("AAA", "attainment", 90.0),),
        ),
    )
    assert Method.from_json(method.to_json()) == method


def test_default_method_json_names_its_version() -> None:
    assert '"method_version": "xiandao-evaluation/2.0"' in Method().to_json()


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (
            '{"grading": {"thresholds": [{"grade": "AAA", "minimum": "high"}]}}',
            "grading.thresholds[0].minimum",
            "应为数字，而不是“high”",
        ),
        (
            '{"normalisation": {"kind": "softmax"}}',
            "normalisation.kind",
            "“softmax”不是可选的值，可选：minmax、zscore、rank、percentile、goalposts、target",
        ),
        ('{"weighting": {"kind": "equal", "sheme": 1}}', "weighting", "没有“sheme”这一项，可用的项：kind"),
        (
            '{"method_version": "xiandao-evaluation/0.9"}',
            "method_version",
            "方法版本“xiandao-evaluation/0.9”与本程序的版本“xiandao-evaluation/2.0”不符；"
            "评价结果只能由生成它的方法版本重算",
        ),
        (
            '{"grading": ',
            "第1行第13列",
            "不是有效的 JSON：此处缺少一个值（可能多了逗号，或文本没加双引号）",
        ),
    ],
)
def test_a_bad_method_file_says_where_in_chinese(text: str, key: str, problem: str) -> None:
    with pytest.raises(MethodError) as error:
        Method.from_json(text)
    assert (error.value.key, error.value.problem) == (key, problem)
    assert str(error.value) == f"{key}：{problem}"


def test_snapshot_round_trips_through_json() -> None:
    original = snapshot()
    copy = Snapshot.from_json(original.to_json())
    assert copy.framework == original.framework
    assert copy.values.equals(original.values)
    assert run(copy).to_json() == run(original).to_json()


def test_run_result_round_trips_through_json() -> None:
    result = run(snapshot())
    assert RunResult.from_json(result.to_json()) == result
