"""Reading a filled template back with python-calamine: every problem at once, values only when none.

The file is first judged as an archive (:mod:`.safety`: size, zip members, macros, content types),
its data sheet scanned for formulas, then the marker sheet checked (the programme, the period and
the template version must be this form's), and only then are the cells read. Each problem names
the sheet, the row and the column as Excel shows them (第12行J列) and says in Chinese what is wrong.
Any failure of a parser on a malformed file becomes a problem too: :func:`workbook_read` never
raises on what a user uploads.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from python_calamine import CalamineWorkbook

from . import layout
from .safety import Refused, WorkbookLimits, archive_open, formula_cells, members_verify, sheet_members
from .spec import TEMPLATE_VERSION, FormSpec, IndicatorSpec, Problem, ReadResult, ValueKey, ValueKind
from .writer import bounds_text

_ZONE = layout.index_of(layout.ZONE_ID)
_INDICATOR = layout.index_of(layout.INDICATOR_CODE)
_DISAGGREGATION = layout.index_of(layout.DISAGGREGATION_CODE)
_VALUE = layout.index_of(layout.VALUE)
_COMMENT = layout.index_of(layout.COMMENT)
_SEPARATORS = str.maketrans("", "", ",， _")


def _refusal(message: str, sheet: str = "") -> ReadResult:
    return ReadResult(problems=(Problem(sheet, None, None, message),), refused=True)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    """A cell's content as a message quotes it (short)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text if len(text) <= 20 else text[:20] + "…"


def _key_text(value: Any) -> str:
    """A code cell as text: calamine gives a typed code like 12 as 12.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class _Bad:
    message: str


def parse_number(value: Any, indicator: IndicatorSpec) -> Decimal | _Bad:
    """A cell's value as the indicator takes it, or what is wrong with it (Chinese)."""
    need = bounds_text(indicator)
    if isinstance(value, bool):
        return _Bad(f"数值应为{need}，不能填写逻辑值")
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _Bad(f"数值应为{need}，实为日期或时间（请将单元格格式设为“常规”或“数值”）")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return _Bad(f"数值应为{need}")
        number = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().translate(_SEPARATORS)
        try:
            number = Decimal(text)
        except InvalidOperation:
            return _Bad(f"数值应为{need}，实为“{_shown(value)}”")
        if not number.is_finite():
            return _Bad(f"数值应为{need}，实为“{_shown(value)}”")
    if indicator.kind == ValueKind.INTEGER and number != number.to_integral_value():
        return _Bad(f"数值应为{need}，实为{_shown(value)}")
    if indicator.minimum is not None and number < indicator.minimum:
        return _Bad(f"数值应为{need}，实为{_shown(value)}")
    if indicator.maximum is not None and number > indicator.maximum:
        return _Bad(f"数值应为{need}，实为{_shown(value)}")
    if indicator.kind == ValueKind.INTEGER:
        return number.to_integral_value()
    places = indicator.decimal_places
    exponent = number.normalize().as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        return _Bad(f"数值最多保留{places}位小数，实为{_shown(value)}")
    return number


def _marker_problems(rows: list[list[Any]], form: FormSpec) -> str | None:
    """Why the marker says this is not this form's template, or None."""
    marker = {str(r[0]): _key_text(r[1]) for r in rows if len(r) >= 2 and not _blank(r[0])}
    if marker.get("format") != layout.MARKER_FORMAT:
        return "该文件不是本平台生成的填报模板，请下载本期填报模板，填写后上传。"
    if marker.get("version") != TEMPLATE_VERSION:
        return "该模板的版本已过期，请重新下载本期填报模板，把数值填入新模板后上传。"
    if marker.get("programme") != form.programme_code or marker.get("period") != form.period_key:
        label = marker.get("period_label") or "其他期次"
        return (
            f"该文件是“{label}”的填报模板，不是本期（{form.period_label}）的模板。"
            "请下载本期填报模板，填写后上传。"
        )
    return None


def workbook_read(data: bytes, form: FormSpec, limits: WorkbookLimits | None = None) -> ReadResult:
    """Read a filled template of ``form``: every problem at once; values only when the whole file is valid."""
    try:
        return _read(data, form, limits or WorkbookLimits())
    except Refused as refusal:
        return _refusal(refusal.message)
    except Exception as error:  # a parser's failure on a malformed file, whatever its type
        return _refusal(
            f"文件无法读取：文件结构已损坏或不符合 Excel 格式规范（{error.__class__.__name__}）。"
            "请用 Excel 打开后另存为 .xlsx 工作簿再上传。"
        )


def _read(data: bytes, form: FormSpec, limits: WorkbookLimits) -> ReadResult:
    archive = archive_open(data, limits)
    members = sheet_members(archive)
    if layout.MARKER_SHEET not in members:
        return _refusal("该文件不是本平台生成的填报模板（缺少模板标识），请下载本期填报模板，填写后上传。")
    if layout.DATA_SHEET not in members:
        return _refusal(
            f"工作簿中没有“{layout.DATA_SHEET}”工作表，请勿重命名或删除工作表；请使用本期填报模板。"
        )
    data_member = members[layout.DATA_SHEET]
    members_verify(archive, skip=frozenset({data_member}))
    formulas = formula_cells(archive, data_member)
    if formulas:
        return ReadResult(
            problems=tuple(
                Problem(
                    layout.DATA_SHEET,
                    row,
                    column,
                    "此处应填写数值，不能使用公式（请复制后用“选择性粘贴—数值”粘贴）",
                )
                for column, row in formulas
            ),
            refused=True,
        )

    workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    marker = workbook.get_sheet_by_name(layout.MARKER_SHEET).to_python(skip_empty_area=False)
    if message := _marker_problems(marker, form):
        return _refusal(message)
    rows = workbook.get_sheet_by_name(layout.DATA_SHEET).to_python(skip_empty_area=False)
    if len(rows) > limits.max_rows + layout.FIRST_DATA_ROW:
        return _refusal(
            f"“{layout.DATA_SHEET}”工作表有{len(rows):,}行，超过上限{limits.max_rows:,}行，请分批上传。",
            layout.DATA_SHEET,
        )
    return _rows_read(rows, form)


def _rows_read(rows: list[list[Any]], form: FormSpec) -> ReadResult:
    sheet = layout.DATA_SHEET
    header = [_key_text(v) for v in (rows[layout.HEADER_ROW - 1] if len(rows) >= layout.HEADER_ROW else [])]
    if header[: len(layout.HEADERS)] != list(layout.HEADERS):
        return ReadResult(
            problems=(
                Problem(
                    sheet,
                    layout.HEADER_ROW,
                    None,
                    "表头与模板不一致（请勿增删列或修改表头），请使用本期填报模板。",
                ),
            ),
            refused=True,
        )
    zones = {z.zone_id: z for z in form.zones}
    indicators = {i.code: i for i in form.indicators}
    problems: list[Problem] = []
    values: dict[ValueKey, Decimal] = {}
    comments: dict[ValueKey, str] = {}
    seen: dict[ValueKey, int] = {}
    width = len(layout.COLUMNS)
    count = 0
    letter_zone, letter_indicator = layout.ZONE_ID.letter, layout.INDICATOR_CODE.letter
    letter_disaggregation, letter_value = layout.DISAGGREGATION_CODE.letter, layout.VALUE.letter
    for number, row in enumerate(rows[layout.FIRST_DATA_ROW - 1 :], start=layout.FIRST_DATA_ROW):
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        if all(_blank(v) for v in row[:width]):
            continue
        count += 1
        raw_zone, value, note = row[_ZONE], row[_VALUE], row[_COMMENT]
        zone_id: int | None = None
        if isinstance(raw_zone, float) and raw_zone.is_integer():
            zone_id = int(raw_zone)
        elif isinstance(raw_zone, int) and not isinstance(raw_zone, bool):
            zone_id = raw_zone
        elif isinstance(raw_zone, str) and raw_zone.strip().isdigit():
            zone_id = int(raw_zone.strip())
        zone = zones.get(zone_id) if zone_id is not None else None
        if zone is None:
            problems.append(
                Problem(sheet, number, letter_zone, f"先导区编号“{_shown(raw_zone)}”不在本期填报范围内")
            )
            continue
        code = _key_text(row[_INDICATOR])
        indicator = indicators.get(code)
        if indicator is None:
            problems.append(
                Problem(sheet, number, letter_indicator, f"指标代码“{_shown(code)}”不在本期报表中")
            )
            continue
        part = _key_text(row[_DISAGGREGATION])
        if part not in indicator.disaggregation_codes():
            problems.append(
                Problem(
                    sheet,
                    number,
                    letter_disaggregation,
                    f"分类代码“{_shown(part)}”不是指标“{indicator.name}”的分类",
                )
            )
            continue
        key: ValueKey = (zone.zone_id, indicator.code, part)
        if key in seen:
            problems.append(
                Problem(
                    sheet,
                    number,
                    letter_indicator,
                    f"与第{seen[key]}行重复（同一先导区、指标和分类只能填写一行）",
                )
            )
            continue
        seen[key] = number
        if indicator.read_only:
            counted = zone.counted.get((indicator.code, part))
            parsed = None if _blank(value) else parse_number(value, indicator)
            if parsed is not None and (isinstance(parsed, _Bad) or parsed != counted):
                problems.append(
                    Problem(
                        sheet,
                        number,
                        letter_value,
                        "该指标由登记库自动统计，不能填写或修改"
                        + (f"（统计值为{_shown(float(counted))}）" if counted is not None else ""),
                    )
                )
            continue
        if not _blank(note):
            comments[key] = str(note).strip()
        if _blank(value):
            continue
        parsed = parse_number(value, indicator)
        if isinstance(parsed, _Bad):
            problems.append(Problem(sheet, number, letter_value, parsed.message))
        else:
            values[key] = parsed
    if problems:
        return ReadResult(problems=tuple(problems), rows=count)
    return ReadResult(values=values, comments=comments, rows=count)
