"""The Excel template of a report form, written with openpyxl in write-only mode (a 100,000-row file
in seconds, without holding every cell in memory).

Three sheets: 填报说明 (how to fill in, and every indicator's unit, range, definition and formula),
填报数据 (one row per zone, indicator and disaggregation; headers and reference columns locked by
sheet protection, only 本期值 and 说明 open; data validation on 本期值; the definition and formula
as a comment on the indicator's name; last period's value and the annual target beside), and a
very hidden marker sheet naming the programme, the period and the template version, so a wrong or
outdated template is recognised when it comes back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import layout
from .spec import TEMPLATE_VERSION, FormSpec, IndicatorSpec, ValueKind, ZoneRow

#: Up to this many data rows every row's indicator name carries its comment; beyond, only the
#: first zone's rows do (every definition is also on the 填报说明 sheet), to keep large files light.
COMMENT_ROWS = 5_000
AUTHOR = "先导平台"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E9EEF5")
_OPEN_FILL = PatternFill("solid", fgColor="FFF8DC")
_COUNTED_FILL = PatternFill("solid", fgColor="EDEDED")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _text(ws: Worksheet, value: str) -> str | WriteOnlyCell:
    """Text as a cell holds it: text that starts like a formula is marked as text (Excel's apostrophe),
    so retyping the cell (F2, Enter) never turns it into one."""
    if not value.startswith(FORMULA_TRIGGERS):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would write a string starting with = as a formula
    cell.quotePrefix = True
    return cell


def bounds_text(indicator: IndicatorSpec) -> str:
    """数值范围 in words: 非负整数, 0至100之间的数值, 不小于0的数值…"""
    kind = "整数" if indicator.kind == ValueKind.INTEGER else "数"
    low, high = indicator.minimum, indicator.maximum
    if low is not None and high is not None:
        text = f"{_number(low)}至{_number(high)}之间的{kind}"
    elif low is not None and low == 0:
        text = f"非负{kind}"
    elif low is not None:
        text = f"不小于{_number(low)}的{kind}"
    elif high is not None:
        text = f"不大于{_number(high)}的{kind}"
    else:
        text = kind
    if indicator.kind == ValueKind.DECIMAL and indicator.decimal_places is not None:
        text += f"（最多{indicator.decimal_places}位小数）"
    return text


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _comment_text(indicator: IndicatorSpec) -> str:
    parts = [f"{indicator.name}（{indicator.unit}）"]
    if indicator.definition:
        parts.append(f"指标解释：{indicator.definition}")
    if indicator.formula:
        parts.append(f"计算公式：{indicator.formula}")
    parts.append(f"填写要求：{bounds_text(indicator)}")
    if indicator.read_only:
        parts.append("本指标由登记库自动统计，无需填写。")
    return "\n".join(parts)


def _validation(indicator: IndicatorSpec) -> DataValidation:
    """Excel's own check of 本期值 for one kind of bounds, with a Chinese message."""
    kind = "whole" if indicator.kind == ValueKind.INTEGER else "decimal"
    low, high = indicator.minimum, indicator.maximum
    if low is not None and high is not None:
        operator, first, second = "between", _number(low), _number(high)
    elif low is not None:
        operator, first, second = "greaterThanOrEqual", _number(low), None
    elif high is not None:
        operator, first, second = "lessThanOrEqual", _number(high), None
    else:  # any number: between the extremes Excel takes
        operator, first, second = "between", "-1E+300", "1E+300"
    words = bounds_text(indicator)
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=first,
        formula2=second,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle="数值不符合要求",
        error=f"请填写{words}。"[:255],
        promptTitle="本期值",
        prompt=f"请填写{words}。"[:255],
    )


def _ranges(rows: list[int], letter: str) -> str:
    """Cells of one column as Excel's space-separated ranges, consecutive rows merged (J3:J9 J12)."""
    parts: list[str] = []
    start = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(f"{letter}{start}" if start == previous else f"{letter}{start}:{letter}{previous}")
        if row is not None:
            start = previous = row
    return " ".join(parts)


def _instructions(ws: Worksheet, form: FormSpec) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 26
    ws.column_dimensions["E"].width = 50
    ws.column_dimensions["F"].width = 50
    title = WriteOnlyCell(ws, value=f"{form.programme_name} {form.period_label} 统计监测填报说明")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for line in (
        "1. 请在“填报数据”工作表中填写“本期值”列（浅黄色单元格），其他列已锁定，请勿修改。",
        "2. 每行对应一个先导区的一个指标（有分类的指标按分类逐行填写）；“上期值”“本年度目标”供对照。",
        "3. 请直接填写数值，不要使用公式；如从其他表格复制，请使用“选择性粘贴—数值”。",
        "4. 暂无数据的指标请留空，并在“说明”列写明原因；数值变化较大时也请在“说明”列说明。",
        "5. 灰色单元格的指标由平台登记库自动统计，无需填写。",
        "6. 上传后平台将检查整个文件，列出全部问题（工作表、行、列）；文件全部正确后才会保存。",
        "7. 请勿增删、重命名工作表，请勿修改表头；本模板仅用于本期填报，其他期次请重新下载。",
    ):
        ws.append([line])
    ws.append([])
    header = []
    for text in ("指标代码", "指标名称", "单位", "填写要求", "指标解释", "计算公式"):
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    ws.append(header)
    for indicator in form.indicators:
        cells = []
        requirement = "登记库自动统计" if indicator.read_only else bounds_text(indicator)
        if indicator.disaggregations:
            requirement += "；按" + "、".join(d.name for d in indicator.disaggregations) + "分别填写"
        for value in (
            indicator.code,
            indicator.name,
            indicator.unit,
            requirement,
            indicator.definition,
            indicator.formula,
        ):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            cell.quotePrefix = value.startswith(FORMULA_TRIGGERS)
            cell.alignment = _WRAP
            cells.append(cell)
        ws.append(cells)
    ws.protection.sheet = True


def _data_rows(form: FormSpec) -> Iterable[tuple[ZoneRow, IndicatorSpec, str]]:
    for zone in form.zones:
        for indicator in form.indicators:
            for code in indicator.disaggregation_codes():
                yield zone, indicator, code


def template_write(form: FormSpec) -> bytes:
    """The template of ``form`` as .xlsx bytes: every zone × indicator × disaggregation one row."""
    workbook = Workbook(write_only=True)
    _instructions(workbook.create_sheet(layout.INSTRUCTIONS_SHEET), form)

    ws = workbook.create_sheet(layout.DATA_SHEET)
    for col in layout.COLUMNS:
        ws.column_dimensions[col.letter].width = col.width
    ws.freeze_panes = f"{layout.INDICATOR_NAME.letter}{layout.FIRST_DATA_ROW}"
    title = WriteOnlyCell(ws, value=f"{form.programme_name} {form.period_label} 统计监测填报表")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    header = []
    for col in layout.COLUMNS:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, Alignment(wrap_text=True)
        header.append(cell)
    ws.append(header)

    total_rows = len(form.zones) * sum(len(i.disaggregation_codes()) for i in form.indicators)
    comment_everywhere = total_rows <= COMMENT_ROWS
    comments = {i.code: _comment_text(i) for i in form.indicators}
    open_rows: dict[IndicatorSpec, list[int]] = defaultdict(list)
    row_number = layout.FIRST_DATA_ROW
    first_zone = form.zones[0].zone_id if form.zones else None
    for zone, indicator, code in _data_rows(form):
        key = (indicator.code, code)
        name = WriteOnlyCell(ws, value=indicator.name)
        name.data_type = "s"
        name.quotePrefix = indicator.name.startswith(FORMULA_TRIGGERS)
        if comment_everywhere or zone.zone_id == first_zone:
            name.comment = Comment(comments[indicator.code], AUTHOR, width=320, height=160)
        value = WriteOnlyCell(
            ws, value=zone.counted.get(key) if indicator.read_only else zone.current.get(key)
        )
        comment = WriteOnlyCell(ws, value=None)
        comment.protection, comment.fill = _UNLOCKED, _OPEN_FILL
        if indicator.read_only:
            value.fill = _COUNTED_FILL
        else:
            value.protection, value.fill = _UNLOCKED, _OPEN_FILL
            open_rows[indicator].append(row_number)
        ws.append(
            [
                zone.zone_id,
                _text(ws, zone.name),
                _text(ws, indicator.code),
                name,
                _text(ws, code),
                _text(ws, indicator.disaggregation_name(code)),
                _text(ws, indicator.unit),
                zone.previous.get(key),
                zone.targets.get(key),
                value,
                comment,
            ]
        )
        row_number += 1
    for indicator, rows in open_rows.items():
        validation = _validation(indicator)
        validation.sqref = _ranges(rows, layout.VALUE.letter)
        ws.data_validations.append(validation)
    ws.protection.sheet = True
    # Sorting, filtering and widening columns stay possible; editing locked cells does not.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.auto_filter.ref = (
        f"A{layout.HEADER_ROW}:{layout.COLUMNS[-1].letter}{max(row_number - 1, layout.HEADER_ROW)}"
    )

    marker = workbook.create_sheet(layout.MARKER_SHEET)
    marker.sheet_state = "veryHidden"
    marker_rows: tuple[tuple[str, str], ...] = (
        ("format", layout.MARKER_FORMAT),
        ("version", TEMPLATE_VERSION),
        ("programme", form.programme_code),
        ("period", form.period_key),
        ("period_label", form.period_label),
    )
    for marker_key, marker_text in marker_rows:
        marker.append([marker_key, marker_text])
    workbook.active = 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
