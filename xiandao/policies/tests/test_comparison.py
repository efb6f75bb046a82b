"""The comparison of a new version with the programme, on hand-made cases (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.policies.comparison import Change, compare_field_sets, compare_target_sets, compare_task_sets


def target(id_: Any, metric: str, value: float, *, year: int | None = 2030, **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "year": year,
        "metric": metric,
        "value": value,
        "unit": extra.pop("unit", "家"),
        "qualifier": extra.pop("qualifier", "about"),
        "strive": extra.pop("strive", False),
        "cumulative": extra.pop("cumulative", False),
        "scope": extra.pop("scope", "zone"),
        "quote": extra.pop("quote", f"培育{value}家左右{metric}"),
        **extra,
    }


def task(
    id_: Any, name: str, lead: list[str], cooperating: list[str] | None = None, quote: str = ""
) -> dict[str, Any]:
    return {"id": id_, "task": name, "lead": lead, "cooperating": cooperating or [], "quote": quote or name}


def changes(comparison: Any) -> list[tuple[Any, Any, str, tuple[str, ...]]]:
    return [
        ((r.proposed or {}).get("id"), (r.current or {}).get("id"), r.change.value, r.differences)
        for r in comparison.rows
    ]


TARGET_CASES = [
    pytest.param(
        [target("p1", "上市企业", 30)],
        [target("c1", "上市企业", 30)],
        [("p1", "c1", "unchanged", ())],
        id="same",
    ),
    pytest.param(
        # The extractor's metric wording differs from the curated one: still the same target.
        [target("p1", "标准", 100, unit="项")],
        [target("c1", "标准规范", 100, unit="项")],
        [("p1", "c1", "unchanged", ())],
        id="metric-wording-is-not-a-change",
    ),
    pytest.param(
        [target("p1", "上市企业", 40)],
        [target("c1", "上市企业", 30)],
        [("p1", "c1", "changed", ("value",))],
        id="value-moved",
    ),
    pytest.param(
        [target("p1", "上市企业", 30, year=2027)],
        [target("c1", "上市企业", 30, year=2030)],
        [("p1", "c1", "changed", ("year",))],
        id="year-moved",
    ),
    pytest.param(
        [target("p1", "上市企业", 30, qualifier="at_least")],
        [target("c1", "上市企业", 30)],
        [("p1", "c1", "changed", ("qualifier",))],
        id="qualifier-changed",
    ),
    pytest.param(
        [target("p1", "上市企业", 40, year=2027)],
        [target("c1", "上市企业", 30, year=2030)],
        [("p1", None, "new", ()), (None, "c1", "removed", ())],
        id="both-value-and-year-moved-is-another-target",
    ),
    pytest.param(
        [target("p1", "高层次人才团队", 50, unit="个"), target("p2", "上市企业", 30)],
        [target("c1", "上市企业", 30), target("c2", "标准", 100, unit="项")],
        [("p1", None, "new", ()), ("p2", "c1", "unchanged", ()), (None, "c2", "removed", ())],
        id="new-and-removed",
    ),
    pytest.param(
        # Two proposals could pair with one current target: the closer metric wins, the other is new.
        [
            target("p1", "省级未来产业先导区", 10, unit="个"),
            target("p2", "国家级未来产业先导区", 10, unit="个"),
        ],
        [target("c1", "国家级未来产业先导区", 10, unit="个")],
        [("p1", None, "new", ()), ("p2", "c1", "unchanged", ())],
        id="best-pair-first",
    ),
]


@pytest.mark.parametrize(("proposed", "current", "expected"), TARGET_CASES)
def test_targets_are_paired_and_classified(proposed, current, expected):
    assert sorted(changes(compare_target_sets(proposed, current)), key=str) == sorted(expected, key=str)


def test_a_no_unit_target_matches_a_current_target_stored_without_one():
    proposed = [target("p1", "未来产业规模", 5000, unit=None)]
    current = [target("c1", "未来产业规模", 5000.0, unit=None)]
    assert changes(compare_target_sets(proposed, current)) == [("p1", "c1", "unchanged", ())]


def test_fixed_pairs_are_kept_and_not_offered_again():
    accepted = target("p1", "上市企业", 40)
    written = target("c1", "上市企业", 40)
    other = target("p2", "上市企业", 40)  # the same clause proposed twice
    comparison = compare_target_sets([other], [], fixed=[(accepted, written)])
    assert changes(comparison) == [("p1", "c1", "unchanged", ()), ("p2", None, "new", ())]


def test_a_reworded_quote_is_flagged_but_not_a_change():
    row = compare_target_sets(
        [target("p1", "上市企业", 30, quote="培育上市企业30家左右")], [target("c1", "上市企业", 30)]
    ).rows[0]
    assert row.change == Change.UNCHANGED and row.reworded


TASK_CASES = [
    pytest.param(
        [task("p1", "论证创建方案", ["省发展改革委"])],
        [task("c1", "论证创建方案", ["省发展改革委"])],
        [("p1", "c1", "unchanged", ())],
        id="same",
    ),
    pytest.param(
        # One department leads many tasks: the same units alone do not make the same task.
        [task("p1", "加强人才引育", ["省发展改革委"])],
        [task("c1", "论证创建方案", ["省发展改革委"])],
        [("p1", None, "new", ()), (None, "c1", "removed", ())],
        id="same-units-different-task",
    ),
    pytest.param(
        [task("p1", "论证创建方案", ["省发展改革委"], ["省科技厅"])],
        [task("c1", "论证创建方案", ["省发展改革委"])],
        [("p1", "c1", "changed", ("cooperating",))],
        id="cooperating-unit-added",
    ),
    pytest.param(
        [
            task(
                "p1",
                "设区市发展改革委负责日常协调服务",
                ["设区市发展改革委"],
                quote="设区市发展改革委负责日常协调服务工作，及时报告",
            )
        ],
        [
            task(
                "c1",
                "细化责任分工",
                ["设区市发展改革委"],
                quote="设区市发展改革委负责日常协调服务工作，及时报告进展",
            )
        ],
        [("p1", "c1", "unchanged", ())],
        id="alike-quotes-pair-when-names-differ",
    ),
]


@pytest.mark.parametrize(("proposed", "current", "expected"), TASK_CASES)
def test_tasks_are_paired_and_classified(proposed, current, expected):
    assert sorted(changes(compare_task_sets(proposed, current)), key=str) == sorted(expected, key=str)


def test_fields_pair_by_name_and_compare_directions():
    proposed = [
        {"id": "p1", "name": "量子科技", "directions": ["量子通信", "量子计算"]},
        {"id": "p2", "name": "生命科学", "directions": []},
    ]
    current = [
        {"id": "c1", "name": "量子科技", "directions": ["量子计算", "量子通信"]},
        {"id": "c2", "name": "未来网络", "directions": ["高速全光通信"]},
    ]
    result = changes(compare_field_sets(proposed, current))
    assert sorted(result, key=str) == sorted(
        [("p1", "c1", "unchanged", ()), ("p2", None, "new", ()), (None, "c2", "removed", ())], key=str
    )
    changed = compare_field_sets(
        [{"id": "p1", "name": "量子科技", "directions": ["量子通信"]}],
        [{"id": "c1", "name": "量子科技", "directions": ["量子计算"]}],
    )
    assert changes(changed) == [("p1", "c1", "changed", ("directions",))]
    fewer = compare_field_sets(
        [{"id": "p1", "name": "量子科技", "directions": ["量子通信"]}],
        [{"id": "c1", "name": "量子科技", "directions": ["量子通信", "量子计算"]}],
    )
    assert changes(fewer) == [("p1", "c1", "unchanged", ())]


def test_rows_follow_the_document_with_removed_items_last():
    proposed = [target("p2", "标准", 100, unit="项", start=50), target("p1", "上市企业", 30, start=10)]
    current = [target("c9", "专利", 5, unit="件")]
    order = [
        ((r.proposed or {}).get("id"), (r.current or {}).get("id"))
        for r in compare_target_sets(proposed, current).rows
    ]
    assert order == [("p1", None), ("p2", None), (None, "c9")]
