"""Responsible units in the forms web copies and 分工方案 use besides the seeds' brackets (issue 11).

The sentences are written for these tests in the style of task-division documents.
"""

from __future__ import annotations

import pytest

from xiandao.policies.extraction import extract_tasks


def read(text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    found = extract_tasks(text)
    for task in found:
        assert text[task.start : task.end] == task.quote
    return [(t.task, t.lead, t.cooperating) for t in found]


@pytest.mark.parametrize(
    "text",
    [
        "二、重点任务\n（一）构建创新策源体系。加快建设实验室。（牵头单位：省发展改革委；配合单位：省科技厅、省财政厅）\n",
        "二、重点任务\n(一)构建创新策源体系。加快建设实验室。(牵头单位:省发展改革委;配合单位:省科技厅、省财政厅)\n",
    ],
    ids=["full-width", "half-width"],
)
def test_a_bracket_with_lead_and_cooperating_units(text: str) -> None:
    assert read(text) == [("构建创新策源体系", ("省发展改革委",), ("省科技厅", "省财政厅"))]


def test_a_label_on_its_own_line_after_the_task() -> None:
    text = "二、重点任务\n1.构建创新策源体系。加快建设实验室。\n责任单位:省科技厅、省教育厅\n"
    assert read(text) == [("构建创新策源体系", ("省科技厅", "省教育厅"), ())]


def test_labels_without_brackets_in_a_task_division() -> None:
    text = "1.全力扩大有效投资。实施重大项目1000个以上。牵头单位:省发展改革委;责任单位:省直有关部门,各市人民政府。\n"
    # 省直有关部门 is a generic party (AMBIGUITIES.md); 责任单位 names the lead (LABELLING.md).
    assert read(text) == [("全力扩大有效投资", ("省发展改革委", "各市人民政府"), ())]


def test_a_task_table_with_lead_and_cooperating_columns() -> None:
    text = (
        "| 序号 | 工作任务 | 牵头单位 | 配合单位 |\n"
        "| 1 | 实施重大项目1000个以上 | 省发展改革委 | 省财政厅、省自然资源厅 |\n"
        "| 2 | 培育高新技术企业 | 省科技厅 | 省财政厅、相关部门 |\n"
    )
    assert read(text) == [
        ("实施重大项目1000个以上", ("省发展改革委",), ("省财政厅", "省自然资源厅")),
        ("培育高新技术企业", ("省科技厅",), ("省财政厅",)),
    ]


def test_a_table_without_a_unit_column_names_no_task() -> None:
    text = "| 指标 | 2025年 | 2027年 |\n| 高新技术企业(家) | 1200 | 1500 |\n"
    assert read(text) == []


def test_a_label_inside_a_bracket_is_read_once() -> None:
    text = "1.构建创新策源体系。加快建设实验室。（责任单位：省科技厅）省发展改革委牵头推进。\n"
    tasks = read(text)
    assert ("构建创新策源体系", ("省科技厅",), ()) in tasks
    assert sum(t[1] == ("省科技厅",) for t in tasks) == 1
