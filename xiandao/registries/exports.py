"""Excel files of the registries: exports of what a list shows, and the import template.

Kept apart so the shared export helper (issue 14) can replace ``xlsx_bytes`` in one place.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from xiandao.core.excel import FORMULA_TRIGGERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_safe(value: Any) -> Any:
    """A value safe to put in a cell: text that Excel would run as a formula is prefixed with '."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_bytes(
    sheets: list[tuple[str, list[str], list[list[Any]]]], *, text_columns: dict[str, set[int]] | None = None
) -> bytes:
    """A workbook of (title, headers, rows) sheets, bold headers, every text cell escaped."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([cell_safe(v) for v in row])
        for index in (text_columns or {}).get(title, set()):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            for cell in sheet[letter]:
                cell.number_format = "@"
            sheet.column_dimensions[letter].width = 22
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
