"""The Excel round trip of a report form, with no Django: a template written with openpyxl, a filled
one read back with python-calamine, every problem listed by sheet, row and column in Chinese.

``template_write(form)`` and ``workbook_read(data, form)`` are the two entry points; the form is a
:class:`FormSpec` that the ``monitoring`` app builds from a reporting period.
"""

from .reader import workbook_read
from .safety import WorkbookLimits
from .spec import (
    TEMPLATE_VERSION,
    Disaggregation,
    FormSpec,
    IndicatorSpec,
    Problem,
    ReadResult,
    ValueKey,
    ValueKind,
    ZoneRow,
)
from .writer import template_write

__all__ = [
    "TEMPLATE_VERSION",
    "Disaggregation",
    "FormSpec",
    "IndicatorSpec",
    "Problem",
    "ReadResult",
    "ValueKey",
    "ValueKind",
    "WorkbookLimits",
    "ZoneRow",
    "template_write",
    "workbook_read",
]
