"""Bad definition files are refused with a Chinese message naming the file, the line and the field.

Each case edits one line of the shipped Anhui file and reads it back from a temporary
``programmes/anhui.yaml``; the expected line number is found in the edited text itself.
(A task naming an unknown organisation is the loader's job: it resolves units against the
database, so it is not tested here.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xiandao.programmes.definition import DefinitionError, parse_definition, read_definition
from xiandao.programmes.tests.support import PROGRAMMES

ANHUI = (PROGRAMMES / "anhui.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based number of the first line containing ``needle`` (after the line containing ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def replace_in_block(text: str, block: str, old: str, new: str) -> str:
    """Replace the first ``old`` after the line containing ``block``."""
    head, sep, tail = text.partition(block)
    assert sep, block
    assert old in tail, old
    return head + sep + tail.replace(old, new, 1)


def refused(tmp_path: Path, text: str) -> DefinitionError:
    path = tmp_path / "programmes" / "anhui.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        read_definition(path)
    return info.value


def target_index(code: str) -> int:
    return [t.code for t in read_definition(PROGRAMMES / "anhui.yaml").targets].index(code)


def test_the_shipped_file_is_accepted() -> None:
    assert parse_definition(ANHUI).code == "anhui"


def test_target_year_outside_the_period(tmp_path: Path) -> None:
    text = replace_in_block(ANHUI, "code: ap-2030-key-technologies", "year: 2030", "year: 2035")
    error = refused(tmp_path, text)
    line = line_of(text, "year: 2035")
    index = target_index("ap-2030-key-technologies")
    expected = f"anhui.yaml 第{line}行 targets[{index}].year：目标年份2035不在计划期2024–2030年内；未注明年份的请留空。"
    assert expected in str(error)
    assert len(error.problems) == 1
    assert error.problems[0].file.endswith("programmes/anhui.yaml")


def test_wrong_type(tmp_path: Path) -> None:
    text = replace_in_block(ANHUI, "code: ap-2027-platforms", "value: 80", "value: 八十")
    error = refused(tmp_path, text)
    index = target_index("ap-2027-platforms")
    assert str(error).startswith(f"{tmp_path}/programmes/anhui.yaml 第{line_of(text, 'value: 八十')}行 ")
    assert f"targets[{index}].value：" in str(error)
    assert "文本“八十”" in str(error)


def test_quoted_year_is_a_wrong_type_not_coerced(tmp_path: Path) -> None:
    text = replace_in_block(ANHUI, "code: ap-2027-platforms", "year: 2027", "year: '2027'")
    error = refused(tmp_path, text)
    problem = error.problems[0]
    assert (problem.line, problem.path) == (
        line_of(text, "year: '2027'"),
        f"targets[{target_index('ap-2027-platforms')}].year",
    )
    assert problem.message == "类型错误：应为整数，实际为文本“2027”"


def test_unknown_field_code(tmp_path: Path) -> None:
    block = "code: ap-2030-low-carbon-energy-output"
    text = replace_in_block(ANHUI, block, "field: low-carbon-energy", "field: low-carbon")
    error = refused(tmp_path, text)
    problem = error.problems[0]
    assert problem.line == line_of(text, "field: low-carbon", after=block)
    assert problem.path == f"targets[{target_index('ap-2030-low-carbon-energy-output')}].field"
    assert problem.message.startswith("未知领域编码“low-carbon”")


def test_unknown_field_code_in_a_task(tmp_path: Path) -> None:
    text = (PROGRAMMES / "fuzhou.yaml").read_text(encoding="utf-8")
    text = replace_in_block(text, "code: fz-quantum", "- quantum", "- quantum-computing")
    path = tmp_path / "fuzhou.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        read_definition(path)
    (problem,) = info.value.problems
    assert problem.line == line_of(text, "- quantum-computing")
    assert problem.path.endswith(".fields[0]")
    assert "未知领域编码“quantum-computing”" in problem.message


def test_duplicate_code(tmp_path: Path) -> None:
    text = ANHUI.replace("code: ap-2030-platforms", "code: ap-2027-platforms", 1)
    error = refused(tmp_path, text)
    (problem,) = error.problems
    second = [i for i, line in enumerate(text.splitlines()) if "code: ap-2027-platforms" in line][1] + 1
    assert problem.line == second
    assert problem.path == f"targets[{target_index('ap-2030-platforms')}].code"
    assert problem.message.startswith("目标编码“ap-2027-platforms”重复")


def test_task_naming_an_unknown_document(tmp_path: Path) -> None:
    block = "code: ap-diversified-funding"
    text = replace_in_block(
        ANHUI, block, "document: anhui-action-plan-2024", "document: anhui-action-plan-2025"
    )
    error = refused(tmp_path, text)
    (problem,) = error.problems
    assert problem.line == line_of(text, "document: anhui-action-plan-2025")
    assert problem.path.startswith("tasks[") and problem.path.endswith("].document")
    assert "未知文件编码“anhui-action-plan-2025”" in problem.message


def test_unknown_key_and_missing_key(tmp_path: Path) -> None:
    text = ANHUI.replace("  start_year: 2024\n", "  begin_year: 2024\n", 1)
    error = refused(tmp_path, text)
    messages = {problem.path: (problem.line, problem.message) for problem in error.problems}
    assert messages["period.begin_year"] == (line_of(text, "begin_year"), "未知字段（格式中没有这一项）")
    assert messages["period.start_year"] == (line_of(text, "period:"), "缺少必填字段")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = replace_in_block(ANHUI, "code: ap-2030-key-technologies", "year: 2030", "year: 2035")
    text = replace_in_block(text, "code: ap-2027-platforms", "basis: increment", "basis: cumulative")
    error = refused(tmp_path, text)
    assert [p.path.split(".")[-1] for p in error.problems] == ["basis", "year"]
    first, second = (problem.line or 0 for problem in error.problems)
    assert 0 < first < second


def test_unknown_indicator_measure_and_registry(tmp_path: Path) -> None:
    text = ANHUI.replace("measure: ec-listed", "measure: ec-listed-companies", 1)
    text = text.replace("measure: registry:talent_team", "measure: registry:talents", 1)
    messages = [p.message for p in refused(tmp_path, text).problems]
    assert any(m.startswith("未知指标编码“ec-listed-companies”") for m in messages)
    assert any(m.startswith("未知登记库“talents”") for m in messages)


def test_lifecycle_needs_specified_or_kind(tmp_path: Path) -> None:
    text = ANHUI.replace("  kind: graded_creation\n", "  kind: graded\n", 1)
    (problem,) = refused(tmp_path, text).problems
    assert (problem.path, problem.line) == ("lifecycle", line_of(text, "lifecycle:"))
    assert "specified: false" in problem.message


def test_lifecycle_grade_must_exist(tmp_path: Path) -> None:
    text = ANHUI.replace("support_from_grade: AA", "support_from_grade: B", 1)
    (problem,) = refused(tmp_path, text).problems
    assert problem.path == "lifecycle.consequences.support_from_grade"
    assert problem.line == line_of(text, "support_from_grade: B")


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = ANHUI.replace("  end_year: 2030\n", "  end_year: [2030\n", 1)
    (problem,) = refused(tmp_path, text).problems
    assert problem.message.startswith("YAML 语法错误")
    assert problem.line is not None and problem.line >= line_of(text, "end_year: [2030")


def test_repeated_yaml_key_is_refused(tmp_path: Path) -> None:
    text = ANHUI.replace("  end_year: 2030\n", "  end_year: 2030\n  end_year: 2031\n", 1)
    (problem,) = refused(tmp_path, text).problems
    assert (problem.path, problem.message) == ("period.end_year", "键重复出现")
    assert problem.line == line_of(text, "end_year: 2031")


def test_taxonomy_versions_must_follow_in_time(tmp_path: Path) -> None:
    text = ANHUI.replace("valid_from: 2024-09-30", "valid_from: 2024-01-01", 1)
    (problem,) = refused(tmp_path, text).problems
    assert problem.path == "taxonomy_versions[1].valid_from"
    assert "应晚于" in problem.message


def test_dimension_weights_must_sum_to_one(tmp_path: Path) -> None:
    text = ANHUI.replace("    weight: 0.25\n", "    weight: 0.3\n", 1)
    (problem,) = refused(tmp_path, text).problems
    assert problem.path == "indicator_framework.dimensions"
    assert "各维度权重之和应为1" in problem.message


def test_source_file_must_match_the_document_code(tmp_path: Path) -> None:
    text = ANHUI.replace("source_file: anhui-pilot-zone-plan.txt", "source_file: plan.txt", 1)
    (problem,) = refused(tmp_path, text).problems
    assert problem.path == "documents[0].source_file"
