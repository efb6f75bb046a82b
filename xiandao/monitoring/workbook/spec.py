"""What a report form holds, as the workbook writes and reads it: no Django, frozen values only.

The ``monitoring`` app builds a :class:`FormSpec` from a reporting period (the programme's
indicator framework for that year, the zones that report, their last period's values and this
year's annual targets); :func:`~.writer.template_write` turns it into an Excel template and
:func:`~.reader.workbook_read` reads a filled one back against the same spec.

A value is keyed by :data:`ValueKey` ``(zone_id, indicator_code, disaggregation_code)``; the
disaggregation code is ``""`` for an indicator's single (undisaggregated) value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

#: (zone id, indicator code, disaggregation code or "" for the undisaggregated value).
ValueKey = tuple[int, str, str]

#: Bumped when the layout of the data sheet changes; a file of another version is refused.
TEMPLATE_VERSION = "1"


class ValueKind(StrEnum):
    """How a value is typed: a decimal figure or a whole count."""

    DECIMAL = "decimal"
    INTEGER = "integer"


@dataclass(frozen=True)
class Disaggregation:
    """One category an indicator is broken down by (e.g. 国家级 / 省级), reported as its own value."""

    code: str
    name: str


@dataclass(frozen=True)
class IndicatorSpec:
    """A reported indicator with what a person filling it in needs to know, and its bounds.

    ``read_only`` indicators are counted from the registries: the template shows the count, locked,
    and the reader never takes a value for them. ``decimal_places`` caps the precision accepted
    (None: any); ``minimum``/``maximum`` are inclusive bounds (None: unbounded).
    """

    code: str
    name: str
    unit: str
    definition: str = ""
    formula: str = ""
    kind: ValueKind = ValueKind.DECIMAL
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    decimal_places: int | None = 4
    disaggregations: tuple[Disaggregation, ...] = ()
    read_only: bool = False

    def disaggregation_codes(self) -> tuple[str, ...]:
        """The value slots of the indicator: one per disaggregation, or the single ``""``."""
        return tuple(d.code for d in self.disaggregations) or ("",)

    def disaggregation_name(self, code: str) -> str:
        """The Chinese name of a slot (合计 for the undisaggregated value)."""
        for item in self.disaggregations:
            if item.code == code:
                return item.name
        return "合计"


@dataclass(frozen=True)
class ZoneRow:
    """A zone that reports in the period, with what the template shows beside each field.

    ``previous`` holds last period's values, ``targets`` this year's annual targets (both keyed by
    ``(indicator_code, disaggregation_code)``; targets usually only for ``""``), ``counted`` the
    registry counts of read-only indicators, and ``current`` values already entered online (the
    template starts from them, so downloading does not lose what was typed).
    """

    zone_id: int
    name: str
    previous: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    targets: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    counted: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    current: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class FormSpec:
    """The form of one reporting period: programme, period, indicators and the zones that report."""

    programme_code: str
    programme_name: str
    period_label: str
    indicators: tuple[IndicatorSpec, ...]
    zones: tuple[ZoneRow, ...] = ()
    #: Identifies the period beyond its label (e.g. the period's id); written into the marker.
    period_key: str = ""

    def indicator(self, code: str) -> IndicatorSpec | None:
        """The indicator of that code, or None."""
        for item in self.indicators:
            if item.code == code:
                return item
        return None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file, where Excel shows it: sheet, row (1-based), column letters.

    ``row`` and ``column`` are None for a problem of the whole file or sheet.
    """

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”" if self.sheet else ""
        if self.row is not None and self.column:
            where += f"第{self.row}行{self.column}列"
        elif self.row is not None:
            where += f"第{self.row}行"
        elif self.column:
            where += f"{self.column}列"
        return f"{where}：{self.message}" if where else self.message


@dataclass(frozen=True)
class ReadResult:
    """What a filled template gave: every problem, and values and comments only when there is none.

    ``values`` maps each filled key to its value; ``comments`` the 说明 written beside a value or
    a missing one. ``refused`` says the file was refused as a whole (not a workbook, macros, too
    large, a zip bomb, a wrong template, formulas) before any value was read.
    """

    problems: tuple[Problem, ...] = ()
    values: Mapping[ValueKey, Decimal] = field(default_factory=dict)
    comments: Mapping[ValueKey, str] = field(default_factory=dict)
    refused: bool = False
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems
