"""Filling a downloaded template the way a person does: openpyxl opens it, values go into 本期值."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import openpyxl

from xiandao.monitoring.workbook import layout


def rows_by_key(data: bytes) -> dict[tuple[int, str, str], int]:
    """(zone id, indicator code, category) → Excel row of a template."""
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[layout.DATA_SHEET]
    found = {}
    for number, row in enumerate(
        sheet.iter_rows(min_row=layout.FIRST_DATA_ROW, values_only=True), start=layout.FIRST_DATA_ROW
    ):
        if row[0] is None:
            continue
        found[(int(row[0]), str(row[2]), str(row[4] or ""))] = number
    return found


def template_fill(
    data: bytes,
    zone_id: int,
    values: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
) -> bytes:
    """The template with ``values`` ({code or "code/category": value}) typed for one zone."""
    rows = rows_by_key(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[layout.DATA_SHEET]
    for key, value in values.items():
        code, _, category = key.partition("/")
        sheet[f"{layout.VALUE.letter}{rows[(zone_id, code, category)]}"] = value
    for key, text in (comments or {}).items():
        code, _, category = key.partition("/")
        sheet[f"{layout.COMMENT.letter}{rows[(zone_id, code, category)]}"] = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
