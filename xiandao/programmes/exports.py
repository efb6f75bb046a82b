"""Excel downloads of exactly what a list shows, as government users expect of every table.

The format (title row, widths, frozen header, autofilter, formula escaping, Chinese file name)
is the shared one in :mod:`xiandao.core.excel`; this module keeps the programmes' entry point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from xiandao.core import excel
from xiandao.core.excel import Column, export_filename

__all__ = ["Column", "export_filename", "xlsx_response"]


def xlsx_response(
    filename: str,
    title: str,
    headers: Sequence[excel.Column | str],
    rows: Iterable[Sequence[Any]],
    *,
    heading: str = "",
    subtitle: str = "",
) -> HttpResponse:
    """An .xlsx attachment: sheet ``title``, a title row ``heading`` (else ``title``), the rows."""
    return excel.xlsx_response(
        filename=filename, title=heading or title, sheet=title, columns=headers, rows=rows, subtitle=subtitle
    )
