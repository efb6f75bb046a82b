"""The template as a person opens it: sheets, locked headers, open value cells, validation, comments,
last period's values and annual targets, and the hidden marker."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl

from xiandao.monitoring.workbook import layout, template_write

from .fixtures import form, row_of


def _open(spec=None):
    spec = spec or form()
    return spec, openpyxl.load_workbook(io.BytesIO(template_write(spec)))


def test_the_template_has_instructions_data_and_a_hidden_marker() -> None:
    _, workbook = _open()
    assert workbook.sheetnames == [layout.INSTRUCTIONS_SHEET, layout.DATA_SHEET, layout.MARKER_SHEET]
    assert workbook[layout.MARKER_SHEET].sheet_state == "veryHidden"
    assert workbook.active.title == layout.DATA_SHEET
    marker = {r[0]: r[1] for r in workbook[layout.MARKER_SHEET].iter_rows(values_only=True)}
    assert marker["programme"] == "anhui"
    assert marker["period"] == "2025"
    instructions = [
        c for r in workbook[layout.INSTRUCTIONS_SHEET].iter_rows(values_only=True) for c in r if c
    ]
    assert "先导区内规模以上企业当年研发经费内部支出合计。" in instructions
    assert "0至100之间的数（最多1位小数）" in instructions


def test_headers_are_locked_and_only_value_and_comment_cells_are_open() -> None:
    spec, workbook = _open()
    sheet = workbook[layout.DATA_SHEET]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[layout.HEADER_ROW]] == list(layout.HEADERS)
    row = row_of(spec, 10, "rnd_spend")
    assert sheet[f"A{layout.HEADER_ROW}"].protection.locked
    assert sheet[f"H{row}"].protection.locked
    assert not sheet[f"J{row}"].protection.locked
    assert not sheet[f"K{row}"].protection.locked
    counted = row_of(spec, 10, "platforms")
    assert sheet[f"J{counted}"].protection.locked, "a registry count is not typed in"
    assert sheet[f"J{counted}"].value == 4


def test_last_period_and_the_annual_target_stand_beside_the_value() -> None:
    spec, workbook = _open()
    sheet = workbook[layout.DATA_SHEET]
    row = row_of(spec, 11, "rnd_spend")
    assert [sheet[f"{c}{row}"].value for c in "ABCDEFGHI"] == [
        11,
        "示例先导区1",
        "rnd_spend",
        "研发经费投入",
        None,
        "合计",
        "亿元",
        12.5,
        15,
    ]
    national = row_of(spec, 11, "high_tech", "national")
    assert sheet[f"F{national}"].value == "国家级"
    assert sheet[f"H{national}"].value == 30


def test_definitions_and_formulas_are_comments_on_the_indicator_name() -> None:
    spec, workbook = _open()
    comment = workbook[layout.DATA_SHEET][f"D{row_of(spec, 10, 'rnd_spend')}"].comment
    assert comment is not None
    assert "指标解释：先导区内规模以上企业当年研发经费内部支出合计。" in comment.text
    assert "计算公式：Σ 企业研发经费内部支出" in comment.text


def test_value_cells_carry_excel_validation_of_their_range() -> None:
    spec, workbook = _open()
    validations = workbook[layout.DATA_SHEET].data_validations.dataValidation
    by_cell = {}
    for validation in validations:
        for cell_range in validation.sqref.ranges:
            for row, column in cell_range.cells:
                by_cell[(row, column)] = validation
    share = by_cell[(row_of(spec, 10, "local_share"), 10)]
    assert (share.type, share.operator, share.formula1, share.formula2) == ("decimal", "between", "0", "100")
    count = by_cell[(row_of(spec, 11, "high_tech", "provincial"), 10)]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "非负整数" in count.error
    assert (row_of(spec, 10, "platforms"), 10) not in by_cell


def test_text_that_looks_like_a_formula_is_written_as_text() -> None:
    spec = form()
    spec = type(spec)(**{**spec.__dict__, "zones": (type(spec.zones[0])(zone_id=1, name="=HYPERLINK(1)"),)})
    data = template_write(spec)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cell = workbook[layout.DATA_SHEET][f"B{layout.FIRST_DATA_ROW}"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert b"<f>" not in data


def test_values_entered_online_are_in_the_template() -> None:
    spec = form(zones=1)
    zone = spec.zones[0]
    zone = type(zone)(**{**zone.__dict__, "current": {("rnd_spend", ""): Decimal("13.25")}})
    spec = type(spec)(**{**spec.__dict__, "zones": (zone,)})
    workbook = openpyxl.load_workbook(io.BytesIO(template_write(spec)))
    assert workbook[layout.DATA_SHEET][f"J{row_of(spec, 10, 'rnd_spend')}"].value == 13.25
