"""Tasks and their units from short texts: brackets in several provinces' styles, running text."""

from __future__ import annotations

import pytest

from xiandao.policies.extraction import extract_tasks


def units(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(task, lead, cooperating) of each task, checking that every quote slices out of the text."""
    found = extract_tasks(text)
    for task in found:
        assert text[task.start : task.end] == task.quote
    return [(t.task, list(t.lead), list(t.cooperating)) for t in found]


@pytest.mark.parametrize(
    ("bracket", "lead", "cooperating"),
    [
        ("（责任单位：省科技厅，配合单位：省财政厅、省教育厅）", ["省科技厅"], ["省财政厅", "省教育厅"]),
        ("(责任单位:省科技厅,配合单位:省财政厅、省教育厅)", ["省科技厅"], ["省财政厅", "省教育厅"]),
        ("（牵头单位：省科技厅；配合单位：省财政厅）", ["省科技厅"], ["省财政厅"]),
        (
            "（省工信厅牵头，省发展改革委、省科技厅按职责分工负责）",
            ["省工信厅"],
            ["省发展改革委", "省科技厅"],
        ),
        ("（责任单位：市发改委牵头，市科技局、市工信局配合）", ["市发改委"], ["市科技局", "市工信局"]),
        ("〔市科技局、市发改委、市工信局等按职责分工负责〕", ["市科技局", "市发改委", "市工信局"], []),
        (
            "（责任单位：各市人民政府，配合单位：省发展改革委、省科技厅等）",
            ["各市人民政府"],
            ["省发展改革委", "省科技厅"],
        ),
        ("〔市委组织部（人才办）、市财政局等按职责分工负责〕", ["市委组织部（人才办）", "市财政局"], []),
        ("（责任单位：省发展改革委、省有关部门）", ["省发展改革委"], []),
    ],
)
def test_bracket_styles(bracket: str, lead: list[str], cooperating: list[str]) -> None:
    text = f"（一）建设创新平台。支持建设一批实验室。{bracket}\n"
    assert units(text) == [("建设创新平台", lead, cooperating)]


def test_standing_phrase_adds_no_units_to_later_tasks() -> None:
    text = (
        "（一）技术策源工程\n支持基础研究。〔市科技局、市发改委等按职责分工负责，有关县（市、区）区人民政府、"
        "功能区管委会。以下任务均需有关县（市、区）区人民政府落实，不再一一列出〕\n"
        "（二）中试孵化工程\n建设中试平台。〔市科技局、市交通局等按职责分工负责〕\n"
    )
    assert units(text) == [
        ("技术策源工程", ["市科技局", "市发改委", "有关县（市、区）区人民政府", "功能区管委会"], []),
        ("中试孵化工程", ["市科技局", "市交通局"], []),
    ]


def test_second_group_under_a_heading_takes_its_own_first_words() -> None:
    text = (
        "5.培育企业梯队。鼓励招引企业。（责任单位：各市人民政府）培育未来产业“新星企业”，强化协同。"
        "（责任单位：省科技厅）\n"
    )
    assert [t[0] for t in units(text)] == ["培育企业梯队", "培育未来产业“新星企业”"]


def test_bracket_after_a_page_break_belongs_to_the_heading_above() -> None:
    text = "（二）以平台建设促进科技创新。一是推动平台建设。二是搭建新模式。\n\n（责任单位：市科技局、市教育局）\n"
    assert units(text) == [("以平台建设促进科技创新", ["市科技局", "市教育局"], [])]


@pytest.mark.parametrize(
    ("sentence", "lead", "cooperating"),
    [
        ("建立由省经信厅牵头,各相关单位参加的工作协调机制。", ["省经信厅"], []),
        ("省经信厅会同相关部门，组织开展验收考核工作。", ["省经信厅"], []),
        ("由省科技厅会同省财政厅对先导区开展评估。", ["省科技厅"], ["省财政厅"]),
        ("设区市人民政府承担先导区创建的主体责任，制定年度工作清单。", ["设区市人民政府"], []),
        ("设区市发展改革委负责日常协调服务工作。", ["设区市发展改革委"], []),
        ("由设区市人民政府组织发展改革、科技等单位编制申请报告。", ["设区市人民政府"], []),
        (
            "省级层面，建立由省发展改革委牵头的机制；市级层面，建立由设区市人民政府统筹的机制。",
            ["省发展改革委", "设区市人民政府"],
            [],
        ),
    ],
)
def test_running_text(sentence: str, lead: list[str], cooperating: list[str]) -> None:
    assert units(f"（一）加强统筹协调。\n{sentence}\n") == [("加强统筹协调", lead, cooperating)]


@pytest.mark.parametrize(
    "sentence",
    [
        "支持科技型骨干企业牵头组建知识产权联盟。",
        "引导行业骨干企业牵头联合高等院校搭建创新联合体。",
        "鼓励在扬高校会同龙头企业共建人才基地。",
        "依托产业链工作机制，由各牵头部门负责，细化行动方案。",
        "委托第三方专业机构定期开展评估。",
        "对承担未来产业发展任务的企业，实施差异化监管。",
        "〔重点布局：生态科技新城、邗江区、江都区〕",
        "以下任务均需有关县（市、区）区人民政府落实，不再一一列出。",
    ],
)
def test_no_task_for_generic_parties(sentence: str) -> None:
    assert units(f"（一）营造氛围。{sentence}\n") == []
