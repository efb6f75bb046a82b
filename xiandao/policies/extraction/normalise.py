"""Punctuation and line-break normalisation that keeps every offset into the original text.

Texts copied from web pages use half-width `,:;()` where the published documents use
full-width ones, and PDFs or page-broken reprints cut sentences across lines. Every rule here
maps one character to one character, so the normalised text has the same length as the
original and an offset found in one is the same offset in the other: quotes are always sliced
from the original.
"""

from __future__ import annotations

import re

from .structure import HEADING_MARKER_RE

# One-to-one replacements; `.` is not here because it is also the decimal point (3.5万家).
_HALF_TO_FULL = {
    ",": "，",
    ":": "：",
    ";": "；",
    "(": "（",
    ")": "）",
    "!": "！",
    "?": "？",
    "[": "〔",
    "]": "〕",
    "［": "〔",
    "］": "〕",
    "【": "〔",
    "】": "〕",
    "．": ".",
    "％": "%",
    "﹪": "%",
    "＋": "+",
    "\u3000": " ",
    "\xa0": " ",
    "\t": " ",
    "\r": " ",
    "\ufeff": " ",
    # Markdown emphasis in texts copied from web pages (**建设东南沿海创新策源地。**).
    "*": " ",
    '"': "“",
    "«": "“",
    "»": "”",
}
_FULL_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULL_LETTERS = {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)} | {
    chr(0xFF41 + i): chr(0x61 + i) for i in range(26)
}
_MAPPING = _HALF_TO_FULL | _FULL_DIGITS | _FULL_LETTERS
_MAPPED_RE = re.compile("[" + re.escape("".join(_MAPPING)) + "]")

# A thousands separator or a time (1,000 / 9:30) is not a clause boundary: keep it half-width.
_DIGIT_SEPARATOR_RE = re.compile(r"(?<=\d)[,:](?=\d{2,3}(?!\d))")

_DATELINE_RE = re.compile(r"[\u4e00-\u9fff]{2,12}\d{1,2}月\d{1,2}日电")
_DATE_LINE_RE = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}")
_LABELLED_LINE_RE = re.compile(r"[\u4e00-\u9fff]{2,6}[：:]")
_SENTENCE_END = set("。；：！？…")
_BREAK_RE = re.compile(r"[ \t\u3000\xa0\r]*\n[\s]*")


def normalise(text: str) -> str:
    """Return `text` with full-width punctuation and soft line breaks turned into spaces.

    The result has exactly `len(text)` characters.
    """

    def replace(match: re.Match[str]) -> str:
        char = match.group()
        if char in ",:" and _DIGIT_SEPARATOR_RE.match(text, match.start()):
            return char  # 1,000 or 9:30 stays as it is
        return _MAPPING[char]

    return _join_soft_breaks(_MAPPED_RE.sub(replace, text), text)


def _join_soft_breaks(text: str, original: str) -> str:
    """Blank the line breaks that cut a sentence (page breaks, PDF lines) so paragraphs stay whole."""
    pieces = _BREAK_RE.split(text)
    breaks = _BREAK_RE.findall(text)
    rows = _BREAK_RE.split(original) if "\t" in original else None
    out = [pieces[0]]
    for index, separator in enumerate(breaks):
        if rows is not None and len(rows) == len(pieces) and ("\t" in rows[index] or "\t" in rows[index + 1]):
            out.append(separator)  # rows of a table with tab-separated cells
            out.append(pieces[index + 1])
            continue
        soft = _is_soft_break(pieces[index].strip(), pieces[index + 1].strip())
        out.append(" " * len(separator) if soft else separator)
        out.append(pieces[index + 1])
    return "".join(out)


def _is_soft_break(before: str, after: str) -> bool:
    """Decide whether the break between two lines falls inside a sentence."""
    if not before or not after:
        return False
    if before[-1] in _SENTENCE_END or before[-1] in "）〕":
        return False
    if HEADING_MARKER_RE.match(after):
        return False
    # A heading line without a full stop is a title of its own ("（一）推动前沿新材料产业跨越发展");
    # an inline heading ("1. 新一代光电。重点瞄准…") can still wrap onto the next line.
    if HEADING_MARKER_RE.match(before) and "。" not in before and len(before) < 40:
        return False
    if after.startswith(("——", "（", "〔", "专栏", "附件", "备注")):
        return False
    if "|" in before or "|" in after:
        return False  # rows of a table copied from a web page
    if _DATELINE_RE.match(after) or _LABELLED_LINE_RE.match(after) or _DATE_LINE_RE.match(after):
        return False  # a news headline, then 「新华社杭州7月5日电」 or 「更新时间：…」, 「观点网讯：…」
    # A short line with no punctuation is a title or a table cell, not half a sentence.
    return len(before) >= 20 or any(c in before for c in "，、")


_FULL_TO_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")"})
_HALF_TO_FULL_BASIC = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def to_half_width(text: str) -> str:
    """Return `text` with `，：；（）` half-width, as text copied from many web pages has it."""
    return text.translate(_FULL_TO_HALF)


def to_full_width(text: str) -> str:
    """Return `text` with `,:;()` full-width, as the published documents have it."""
    return text.translate(_HALF_TO_FULL_BASIC)


_SPACE_RE = re.compile(r"\s+")
_SPACE_BETWEEN_WORDS_RE = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])")


def compact(text: str) -> str:
    """Return `text` without layout spaces, keeping one between two Latin words (AI 辅助 → AI辅助)."""
    text = _SPACE_BETWEEN_WORDS_RE.sub("\x00", text.strip())
    return _SPACE_RE.sub("", text).replace("\x00", " ")
