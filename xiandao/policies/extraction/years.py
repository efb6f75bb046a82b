"""Deadline years (到2027年), the document's own date, and the scope the document speaks for.

LABELLING.md: the year is the deadline the clause names, or the one the paragraph introducing a
list of goals names. A bare year at the head of a clause (「2023年，全省…」) is a deadline only
when it lies after the document's own date; otherwise it reports the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .model import Scope

MarkerKind = Literal["deadline", "past"]

_YEAR = r"(?:19|20)\d{2}"
_MARKER_RE = re.compile(
    rf"(?P<lead>力争|争取)?[ ]*(?P<prep>到|至|截至|截止到|截止|于)?[ ]*"
    rf"(?P<y1>{_YEAR})[ ]*年?[ ]*(?:(?:、|和|及|与)[ ]*(?P<y2>{_YEAR})[ ]*年)?"
    r"(?P<tail>[ ]*(?:底|末|年底|年末)?[ ]*前?)"
)
# 「十四五」 and 「十五五」 plan periods end in 2025 and 2030.
_PLAN_PERIOD_RE = re.compile(r"(?P<lead>力争|争取)?[ ]*(?:到|至)[ ]*“?(?P<plan>十四五|十五五|十六五)”?[ ]*(?:末|期末|时期末)")
_PLAN_YEARS = {"十四五": 2025, "十五五": 2030, "十六五": 2035}
_DATE_RE = re.compile(rf"(?P<y>{_YEAR})[ ]*年[ ]*\d{{1,2}}[ ]*月[ ]*\d{{1,2}}[ ]*日|〔(?P<n>{_YEAR})〕")


@dataclass(frozen=True, slots=True)
class YearMarker:
    """A year phrase in a paragraph: where it is, which years, and whether it looks ahead."""

    start: int
    end: int
    years: tuple[int, ...]
    kind: MarkerKind
    strive: bool


def reference_year(norm: str) -> int | None:
    """Return the document's own year: its latest date (2024年9月30日) or document number (〔2023〕)."""
    years = [int(m.group("y") or m.group("n")) for m in _DATE_RE.finditer(norm)]
    return max(years) if years else None


def year_markers(norm: str, start: int, end: int, ref_year: int | None) -> list[YearMarker]:
    """Return the year markers in `norm[start:end]` that set or end a goal context."""
    markers: list[YearMarker] = []
    for match in _MARKER_RE.finditer(norm, start, end):
        after = norm[match.end() : match.end() + 2]
        prep, tail = match.group("prep"), match.group("tail").strip()
        has_year_char = "年" in norm[match.start("y1") : match.end()]
        if not has_year_char or after[:1] in ("月", "—", "-", "～", "~") or norm[match.end() - 1] == "—":
            continue  # a date (2024年9月30日) or a period (2024—2027年), not a deadline
        years = tuple(int(y) for y in (match.group("y1"), match.group("y2")) if y)
        kind: MarkerKind
        if prep in ("截至", "截止", "截止到"):
            kind = "past"
        elif prep in ("到", "至") or tail.endswith("前"):
            kind = "deadline"
        elif _at_clause_head(norm, match.start(), start) and after[:1] in ("，", " ", "、", "全", "我"):
            future = ref_year is not None and min(years) > ref_year
            kind = "deadline" if future else "past"
        elif after.startswith(("以来", "比", "同比", "较")):
            kind = "past"
        else:
            continue
        markers.append(YearMarker(match.start(), match.end(), years, kind, bool(match.group("lead"))))
    for match in _PLAN_PERIOD_RE.finditer(norm, start, end):
        year = _PLAN_YEARS[match.group("plan")]
        markers.append(YearMarker(match.start(), match.end(), (year,), "deadline", bool(match.group("lead"))))
    return sorted(markers, key=lambda m: m.start)


def _at_clause_head(norm: str, position: int, floor: int) -> bool:
    """True when only spaces lie between `position` and the previous clause break."""
    index = position - 1
    while index >= floor and norm[index] == " ":
        index -= 1
    return index < floor or norm[index] in "，；。：！？—"


_PROVINCE_RE = re.compile(r"全省|我省|省政府|省委|省级")
_CITY_RE = re.compile(r"全市|我市|市政府|市委|市级|市直")
_NATIONAL_RE = re.compile(r"全国|我国|国务院")
_ISSUER_RE = re.compile(r"[\u4e00-\u9fff]{2,6}(?P<level>省|市|自治区)(?:人民政府|委员会|数字经济|发展和改革|工业和信息化)")


def document_scope(norm: str) -> Scope:
    """Return whose document this is: `city` when it speaks for a city, else `province`/`national`."""
    head = norm[:600]
    issuer = _ISSUER_RE.search(head)
    province = len(_PROVINCE_RE.findall(norm))
    city = len(_CITY_RE.findall(norm))
    national = len(_NATIONAL_RE.findall(norm))
    if issuer is not None:
        if issuer.group("level") == "市":
            city += 5
        else:
            province += 5
    if national > 2 * max(province, city, 1):
        return "national"
    return "city" if city > province else "province"
