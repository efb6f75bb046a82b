"""The sides of a monitoring validation rule, written in a programme definition (pure).

A side is a sum of terms, as DHIS2 writes its left and right sides: an indicator code, an
indicator code of an earlier period (``ec-listed[-1]``, the period before), a number, or a
number times either (``1.5 * ia-revenue[-1]``), joined by ``+`` and ``-``::

    ec-listed
    ia-revenue - ia-revenue[-1]
    100
    2 * fs-fiscal-support + 1

Indicator codes may contain hyphens, so a minus sign between two terms needs spaces around it
(``a - b``); ``a-b`` is one code. The programme's loader checks every side (``parse_side``)
and that each code is an indicator of the framework; ``monitoring.checks`` evaluates them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CODE = r"[a-z0-9][a-z0-9_-]*"
_TERM = re.compile(
    rf"^(?:(?P<factor>\d+(?:\.\d+)?)\s*\*\s*)?(?:(?P<code>{CODE})(?:\[(?P<offset>-\d+)\])?|(?P<number>\d+(?:\.\d+)?))$"
)


class SideError(ValueError):
    """A side that cannot be read, with the reason in Chinese."""


@dataclass(frozen=True)
class Term:
    """``factor × code[offset]`` (``code`` empty: the constant ``factor``)."""

    sign: int
    factor: Decimal
    code: str = ""
    offset: int = 0  # 0: this period; -1: the period before


@dataclass(frozen=True)
class Side:
    text: str
    terms: tuple[Term, ...]

    def codes(self) -> set[str]:
        return {t.code for t in self.terms if t.code}

    def refers_back(self) -> bool:
        return any(t.offset for t in self.terms)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", text))


def parse_side(text: str) -> Side:
    """The terms of ``text``; :class:`SideError` naming what is wrong."""
    source = text.strip()
    if not source:
        raise SideError("表达式不能为空")
    if source[0] in "+-*":
        raise SideError(f"“{source}”不能以运算符开头")
    tokens = [t.strip() for t in re.split(r"\s+([+-])\s+", source)]
    sign = 1
    terms: list[Term] = []
    expect_term = True
    for token in tokens:
        if token in ("+", "-"):
            if expect_term:
                raise SideError(f"“{source}”中运算符“{token}”连续出现")
            sign = -1 if token == "-" else 1
            expect_term = True
            continue
        if not expect_term:
            raise SideError(f"“{source}”中“{token}”前缺少“+”或“-”（减号两侧须有空格）")
        match = _TERM.match(token)
        if match is None:
            raise SideError(f"“{token}”不是指标编码、数值或“系数 * 指标编码”")
        try:
            factor = Decimal(match["factor"] or match["number"] or "1")
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
            raise SideError(f"“{token}”中的数值无法读取") from exc
        code = match["code"] or ""
        if code and _is_number(code):
            code, factor = "", Decimal(code) * (Decimal(match["factor"]) if match["factor"] else 1)
        offset = int(match["offset"] or 0)
        terms.append(Term(sign, factor, code, offset))
        sign = 1
        expect_term = False
    if expect_term:
        raise SideError(f"“{source}”以运算符结尾")
    return Side(source, tuple(terms))


OPERATORS: dict[str, str] = {
    "==": "等于",
    "!=": "不等于",
    ">": "大于",
    ">=": "大于或等于",
    "<": "小于",
    "<=": "小于或等于",
}
