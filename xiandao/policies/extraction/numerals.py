"""Numbers with their units in Chinese policy text: 三, 两, 十余, 一百二十, 2000亿元, 3.5万家.

LABELLING.md keeps the unit as written, with a 万/亿 multiplier in it (`2000亿元` → value 2000,
unit `亿元`; likewise `3.5万家` → 3.5, `万家`). A number only counts as a quantity when a unit
follows it, which already rules out most names that hold a number (“613”, 7+N, 6G, 3D打印).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


def chinese_to_number(text: str) -> int | None:
    """Convert a Chinese numeral (三, 两, 一百二十, 三千五百, 两万) to an int; None if malformed."""
    if not text:
        return None
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 10**12
    for char in text:
        if char in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[char] != 0:
                return None  # 四五: two digits in a row is a list, not a number
            digit = _DIGITS[char]
        elif char in _SMALL_UNITS:
            unit = _SMALL_UNITS[char]
            if unit >= last_unit:
                return None
            section += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        elif char in _BIG_UNITS:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[char]
            section, digit, last_unit = 0, None, 10**12
        else:
            return None
    number = total + section + (digit or 0)
    return None if number == 0 and not any(c in "零〇" for c in text) else number


_MULTIPLIER = r"(?:万亿|千亿|百亿|十亿|千万|百万|万|亿)"
_MEASURE_WORDS = (
    "个百分点|百分点|个|家|项|件|款|种|套|台|座|所|条|支|名|人次|人|处|只|部|篇|张|户|辆|架|艘|颗|枚|组|倍|"
    "吨|千瓦时|千瓦|兆瓦|吉瓦|GW|MW|平方公里|平方米|立方米|公顷|亩|公里|千米|标准机架|PB"
)
UNIT_PATTERN = (
    rf"(?:{_MULTIPLIER}?(?:元|美元|人民币)"
    rf"|(?:万|亿|千)?(?:{_MEASURE_WORDS})"
    r"|%"
    r"|万|亿)"
)
_NUMBER_PATTERN = r"(?P<arabic>\d+(?:,\d{3})*(?:\.\d+)?)|(?P<chinese>[零〇一二两三四五六七八九十百千]+)"
QUANTITY_RE = re.compile(
    rf"(?:{_NUMBER_PATTERN})[ ]*(?P<approx>余|多)?[ ]*(?P<unit>{UNIT_PATTERN})"
    r"[ ]*(?P<after>左右|以上|以下|以内|上下)?"
)
# Characters before a number that make it part of a name, a code or an ordinal:
# 7+N, 1+6+2, 0551-6, 4.0版, 第三代, 前10名, Wi-Fi 6.
_NAME_BEFORE = set("+-—–/._·第前Vv") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# After the unit: 千亿级 (a size class), 5G / 3D (a name) — not quantities.
_NAME_AFTER_RE = re.compile(r"[ ]*(?:级|[A-Za-z+]|”|\"|号|期)")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, as written, and offsets into the text it was found in."""

    value: float
    unit: str
    approx: str | None
    after: str | None
    start: int
    end: int
    number_end: int


def parse_value(arabic: str | None, chinese: str | None) -> float | None:
    """Return the value of an Arabic (1,000 / 3.5) or Chinese (一百二十) number."""
    if arabic is not None:
        return float(arabic.replace(",", ""))
    if chinese is None:
        return None
    number = chinese_to_number(chinese)
    return None if number is None else float(number)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> Iterator[Quantity]:
    """Yield each number followed by a unit in `text[start:end]` that is not part of a name."""
    end = len(text) if end is None else end
    for match in QUANTITY_RE.finditer(text, start, end):
        arabic, chinese = match.group("arabic"), match.group("chinese")
        if match.start() > 0 and text[match.start() - 1] in _NAME_BEFORE:
            continue
        if match.start() > 0 and arabic is not None and text[match.start() - 1].isdigit():
            continue
        if chinese is not None and not _plausible_chinese(text, match.start(), chinese):
            continue
        if _NAME_AFTER_RE.match(text, match.end()):
            continue
        value = parse_value(arabic, chinese)
        if value is None:
            continue
        number_end = match.end("arabic") if arabic is not None else match.end("chinese")
        yield Quantity(
            value=value,
            unit=match.group("unit"),
            approx=match.group("approx"),
            after=match.group("after"),
            start=match.start(),
            end=match.end(),
            number_end=number_end,
        )


def _plausible_chinese(text: str, start: int, numeral: str) -> bool:
    """Reject Chinese numerals that are words: 一批/一体 (一 as an article), 千家万户, 统一."""
    if numeral == "一" or numeral[0] in "百千" or set(numeral) <= set("零〇"):
        return False  # 一批, 百千, and 零部件 (零 alone is a word, not zero)
    # A numeral glued to a preceding digit or inside a word like 统一 / 万一 is not a count.
    return not (start > 0 and text[start - 1] in CHINESE_NUMERAL_CHARS + "统唯同之万逐")
