"""Excel downloads, one way for every list: a Chinese file name, a title row, widths, a frozen
header with autofilter, and no cell Excel would run as a formula.

Every app's export builds its rows (the shape is the app's) and hands them here, so the format
a government user opens is the same whichever list it came from.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Characters that make a spreadsheet read a typed cell as a formula (OWASP "CSV injection"),
#: with tab and carriage return, which some readers strip before looking.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Dates as the pages write them (2024年2月5日), still real dates Excel can sort and filter.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Column:
    """A column: its header, and a fixed width in characters (else fitted to the content)."""

    header: str
    width: float | None = None
    number_format: str | None = None


def safe_cell(value: Any) -> Any:
    """A value as it goes into a cell: numbers and dates as themselves, everything else as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    # Control characters (a stray \x08 in a pasted quote) are not allowed in a worksheet at all.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _display_width(value: Any) -> float:
    """How wide a value shows, in Excel's character units: CJK and full-width characters count two."""
    text = f"{value.year}年{value.month:02}月{value.day:02}日" if isinstance(value, dt.date) else str(value)
    if isinstance(value, dt.datetime):
        text += " 00:00"
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def workbook_bytes(
    *,
    title: str,
    sheet: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    subtitle: str = "",
) -> bytes:
    """The workbook: title (and subtitle) rows, a bold frozen header with autofilter, then the rows."""
    cols = [c if isinstance(c, Column) else Column(c) for c in columns]
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = _UNSAFE_FILENAME.sub("", sheet)[:31] or "Sheet1"
    last = get_column_letter(len(cols))

    ws.append([title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(vertical="center")
    ws.row_dimensions[1].height = 24
    header_row = 2
    if subtitle:
        ws.append([subtitle])
        ws.merge_cells(f"A2:{last}2")
        ws["A2"].font = Font(color="5C6B7A", size=10)
        header_row = 3

    ws.append([c.header for c in cols])
    thin = Side(style="thin", color="B8C2CC")
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9EEF5")
        cell.border = Border(bottom=thin)
        cell.alignment = Alignment(vertical="center", wrap_text=True)

    widths = [_display_width(c.header) for c in cols]
    count = 0
    for row in rows:
        count += 1
        ws.append([safe_cell(v) for v in row])
        for index, cell in enumerate(ws[ws.max_row]):
            if isinstance(cell.value, str):
                # Text is text: never a formula, even one the user re-enters by pressing F2, Enter.
                cell.data_type = "s"
                if cell.value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            if index < len(cols) and cols[index].number_format:
                cell.number_format = cols[index].number_format
            if cell.value is not None and index < len(widths):
                widths[index] = max(widths[index], _display_width(cell.value))
    for index, column in enumerate(cols, start=1):
        width = column.width or min(MAX_WIDTH, max(MIN_WIDTH, widths[index - 1] + 2))
        ws.column_dimensions[get_column_letter(index)].width = width
        if width >= MAX_WIDTH:
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(*parts: str, extension: str = "xlsx") -> str:
    """安徽省未来产业培育-目标.xlsx: the parts joined by a hyphen, without characters a file name cannot hold."""
    stem = "-".join(p.strip() for p in parts if p and p.strip())
    stem = _UNSAFE_FILENAME.sub("_", stem).strip(". ") or "导出"
    return f"{stem}.{extension}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip(" -_") or "export"
    if not ascii_name.lower().endswith(filename.rsplit(".", 1)[-1].lower()):
        ascii_name = f"export.{filename.rsplit('.', 1)[-1]}"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(
    *,
    filename: str,
    title: str,
    sheet: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Any]],
    subtitle: str = "",
) -> HttpResponse:
    """An .xlsx attachment of ``rows`` (see :func:`workbook_bytes`), named ``filename``."""
    body = workbook_bytes(title=title, sheet=sheet, columns=columns, rows=rows, subtitle=subtitle)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
