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
    "个百分点|百分点|个|家|项|件|款|种|套|台|座|所|条|支|名|人年|人次|人|岁|处|只|部|篇|张|户|辆|架|艘|颗|枚|组|倍|"
    "吨|千瓦时|千瓦|兆瓦|吉瓦|GW|MW|平方公里|平方米|立方米|公顷|亩|公里|千米|标准机架|EFLOPS|PFLOPS|TFLOPS|EFlops|PFlops|TFlops|EB|PB|TB"
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
_NAME_BEFORE = set("+-—–~～/._·第前Vv") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# After the unit: 千亿级 (a size class), 5G / 3D (a name) — not quantities.
_AGE_BEFORE_RE = re.compile(r"寿命|年龄")
_NAME_AFTER_RE = re.compile(r"[ ]*(?:级|[A-Za-z+]|”|\"|号|期)|(?<=部)(?:门|委)")


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
    level: bool = False  # 「10万亿元级」: a size class, only a goal for the items a count names


def parse_value(arabic: str | None, chinese: str | None) -> float | None:
    """Return the value of an Arabic (1,000 / 3.5) or Chinese (一百二十) number."""
    if arabic is not None:
        return float(arabic.replace(",", ""))
    if chinese is None:
        return None
    number = chinese_to_number(chinese)
    return None if number is None else float(number)


# A magnitude word standing for the number where it states a goal (issue 11): 「突破百项关键技术」 is
# 100 项, 「形成万家…企业」 1 万家, 「产值突破万亿元」 1 万亿元, 「规模达到万亿级」 1 万亿级. Only right
# after a goal verb or qualifier, so 千家万户 or 百家争鸣 are never read.
_GOAL_BEFORE_RE = re.compile(
    r"(?:突破|达到|达|超过|超|过|逾|近|约|形成|培育|打造|建设|建成|引进|引育|集聚|开拓|制定|推出|"
    r"攻克|新增|带动|发展|汇聚|聚集|招引|孵化|落地|实施|组建|布局|迈上|迈入|跨上|跃上|力争|争取|"
    r"稳定在|保持在|达到|提高到|提升到|增长到|增至)[ ]*$"
)
_MAGNITUDE_RE = re.compile(
    rf"(?P<hundreds>百|千)(?P<measure>{_MEASURE_WORDS})"
    rf"|(?P<unit>(?:万亿|千亿|百亿|十亿|千万|百万|万|亿)(?:元|美元|{_MEASURE_WORDS})|(?:万亿|千亿|百亿)级"
    r"|(?:万亿|千亿|百亿)(?=[ ]*(?:[，；。！？\n]|$)))"
)
# After an amount: a noun or 的 makes it a size class (「超千亿元的战略性新兴产业」, 「过千亿元产业」).
_LEVEL_END_RE = re.compile(r"[ ]*(?:$|[，；。、：！？\n（]|台阶|行列|水平|左右|以上)")


def _magnitudes(text: str, start: int, end: int) -> Iterator[Quantity]:
    """Yield magnitude words used as numbers (see _MAGNITUDE_RE)."""
    for char in ("百", "千", "万", "亿"):
        if text.find(char, start, end) != -1:
            break
    else:
        return
    for match in _MAGNITUDE_RE.finditer(text, start, end):
        if match.start() > 0 and text[match.start() - 1] in CHINESE_NUMERAL_CHARS + "0123456789.万亿":
            continue
        if not _GOAL_BEFORE_RE.search(text, max(0, match.start() - 4), match.start()):
            continue
        if match.group("hundreds"):
            value, unit = float(_SMALL_UNITS[match.group("hundreds")]), match.group("measure")
        else:
            value, unit = 1.0, match.group("unit")
            is_amount = unit.endswith(("元", "级", "亿"))
            if is_amount and not _LEVEL_END_RE.match(text, match.end()):
                continue
        after = _AFTER_RE.match(text, match.end())
        yield Quantity(
            value=value,
            unit=unit,
            approx=None,
            after=after.group(1) if after else None,
            start=match.start(),
            end=after.end() if after else match.end(),
            number_end=match.start(),
        )


_AFTER_RE = re.compile(r"[ ]*(左右|以上|以下|以内|上下)")


# An index has no unit: 「区域科技创新指数达到160以上」 is a goal of 160 (LABELLING.md: unit null).
_INDEX_VALUE_RE = re.compile(
    r"(?<=指数|系数|得分|评分|分值)(?:力争)?(?:达到|达|提高到|提升到|提升至|提高至|保持在|稳定在|突破|超过)[ ]*"
    r"(?P<number>\d+(?:\.\d+)?)[ ]*(?P<after>左右|以上)?(?=[，；。、\s]|$)"
)


def _index_values(text: str, start: int, end: int) -> Iterator[Quantity]:
    """Yield unit-less values of an index (see _INDEX_VALUE_RE)."""
    if text.find("指数", start, end) == -1 and not any(
        w in text[start:end] for w in ("系数", "得分", "评分", "分值")
    ):
        return
    for match in _INDEX_VALUE_RE.finditer(text, start, end):
        yield Quantity(
            value=float(match.group("number")),
            unit="",
            approx=None,
            after=match.group("after"),
            start=match.start("number"),
            end=match.end(),
            number_end=match.end("number"),
        )


def find_quantities(text: str, start: int = 0, end: int | None = None) -> Iterator[Quantity]:
    """Yield each number followed by a unit in `text[start:end]` that is not part of a name,
    and each magnitude word that stands for a number (「突破百项」), in text order."""
    end = len(text) if end is None else end
    found = list(_numbers(text, start, end))
    magnitudes = [*_magnitudes(text, start, end), *_index_values(text, start, end)]
    if magnitudes:
        taken = [(q.start, q.end) for q in found]
        found += [m for m in magnitudes if not any(a < m.end and m.start < b for a, b in taken)]
        found.sort(key=lambda q: q.start)
    yield from found


def _numbers(text: str, start: int, end: int) -> Iterator[Quantity]:
    """Yield each written number followed by a unit (see find_quantities)."""
    for match in QUANTITY_RE.finditer(text, start, end):
        arabic, chinese = match.group("arabic"), match.group("chinese")
        if match.start() > 0 and text[match.start() - 1] in _NAME_BEFORE:
            continue
        if match.start() > 0 and arabic is not None and text[match.start() - 1].isdigit():
            continue
        if chinese is not None and not _plausible_chinese(text, match.start(), chinese):
            continue
        if match.group("unit") == "岁" and not _AGE_BEFORE_RE.search(
            text, max(0, match.start() - 8), match.start()
        ):
            continue  # 「3岁以下婴幼儿」 describes who is counted; only 寿命/年龄 are measured in 岁
        level = False
        name_after = _NAME_AFTER_RE.match(text, match.end())
        if name_after is not None:
            if not (name_after.group().strip() == "级" and match.group("unit").endswith("元")):
                continue
            level = True
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
            end=name_after.end() if level and name_after is not None else match.end(),
            number_end=number_end,
            level=level,
        )


def _plausible_chinese(text: str, start: int, numeral: str) -> bool:
    """Reject Chinese numerals that are words: 一批/一体 (一 as an article), 千家万户, 统一."""
    if numeral == "一" or numeral[0] in "百千" or set(numeral) <= set("零〇"):
        return False  # 一批, 百千, and 零部件 (零 alone is a word, not zero)
    # A numeral glued to a preceding digit or inside a word like 统一 / 万一 is not a count.
    return not (start > 0 and text[start - 1] in CHINESE_NUMERAL_CHARS + "统唯同之万逐")
