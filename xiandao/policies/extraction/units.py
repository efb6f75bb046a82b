"""Responsible units: reading a responsibility bracket and telling a unit from a generic party.

LABELLING.md: 责任单位 and 牵头 name the lead, 配合单位 the cooperating units; a list that is
「…按职责分工负责」 with no lead goes to lead. AMBIGUITIES.md: a trailing 等 is stripped, the
name is otherwise kept as written, and generic parties (各相关单位, 相关部门, 第三方机构…) are
not units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .lexicon import BODY_SUFFIX_RE
from .normalise import compact

Role = Literal["lead", "cooperating", "responsible"]

_LABEL_RE = re.compile(
    r"^(?:主要)?(?P<label>责任单位|责任部门|牵头单位|牵头部门|主责单位|主办单位|责任主体|"
    r"配合单位|配合部门|协同单位|协助单位|参与单位|协办单位|支持单位)[ ]*[：:]?[ ]*"
)
LABEL_SEARCH_RE = re.compile(
    r"(?:责任单位|责任部门|牵头单位|牵头部门|主责单位|主办单位|配合单位|配合部门|协同单位|参与单位|协办单位)"
)
_COOPERATING_LABELS = ("配合", "协同", "协助", "参与", "协办", "支持")
_ROLE_SUFFIX_RE = re.compile(
    r"(?:等)?(?P<role>按职责分工负责|按职责分工落实|按职责负责|分工负责|负责落实|共同负责|负责|"
    r"牵头负责|牵头|协同配合|配合|参与|协助)$"
)
RESPONSIBILITY_END_RE = re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|分工负责|负责|牵头|配合)$")
# Generic parties: a vague head (单位, 部门…) after a vague determiner (各, 有关…), or a kind of actor.
_GENERIC_RE = re.compile(
    r"^(?:各|有关|相关|其他|其它|省有关|市有关|县有关|省直有关|市直有关|省直|市直|各有关|各相关|第三方)"
    r".*(?:单位|部门|方面|机构|企业|高校|院所|力量)$"
    r"|^(?:第三方|各牵头)"
    r"|^(?:企业|高校|院所|科研院所|龙头企业|骨干企业|社会资本|金融机构|行业协会)$"
)
_ENTERPRISE_RE = re.compile(r"(?:企业|高校|院所|大学|学院|机构|联盟|协会|专家|领导)$")


@dataclass(frozen=True, slots=True)
class UnitGroup:
    """Units read from one bracket or sentence, in the order written."""

    lead: tuple[str, ...]
    cooperating: tuple[str, ...]


def split_top_level(text: str, separators: str) -> list[tuple[str, str]]:
    """Split at `separators` outside brackets (「有关县（市、区）区人民政府」 stays whole).

    Returns `(piece, separator_after)` pairs.
    """
    if not any(bracket in text for bracket in "（〔("):
        parts = _separator_re(separators).split(text)
        return [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    pieces: list[tuple[str, str]] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "（〔(":
            depth += 1
        elif char in "）〕)":
            depth = max(depth - 1, 0)
        if depth == 0 and char in separators:
            pieces.append(("".join(current), char))
            current = []
        else:
            current.append(char)
    pieces.append(("".join(current), ""))
    return pieces


@lru_cache(maxsize=16)
def _separator_re(separators: str) -> re.Pattern[str]:
    """A compiled splitter that keeps the separators."""
    return re.compile(f"([{re.escape(separators)}])")


def clean_unit(name: str) -> str:
    """Strip spaces, quote marks and a trailing 等 (AMBIGUITIES.md), keeping the name as written."""
    name = compact(name).strip("“”\"'。.，,；;：:")
    return re.sub(r"等+$", "", name)


def is_generic(name: str) -> bool:
    """True for parties AMBIGUITIES.md says are not units (各相关单位, 第三方机构, 龙头企业…)."""
    return bool(_GENERIC_RE.search(name))


def is_body(name: str) -> bool:
    """True for a name that reads as a government body, for units named in running text."""
    if len(name) < 3 or is_generic(name) or _ENTERPRISE_RE.search(name):
        return False
    return bool(BODY_SUFFIX_RE.search(name))


def read_bracket(content: str) -> UnitGroup | None:
    """Read the units of a responsibility bracket's content, or None when it names no units."""
    # The standing phrase after the first full stop (「。以下均需…不再列出」) adds no units.
    content = split_top_level(content, "。")[0][0]
    content = re.split(r"以下(?:任务)?均", content)[0]
    lead: list[str] = []
    cooperating: list[str] = []
    responsible: list[str] = []
    role: Role = "lead"
    for segment, _ in split_top_level(content, "，；,;"):
        segment = compact(segment)
        label = _LABEL_RE.match(segment)
        if label is not None:
            name = label.group("label")
            role = "cooperating" if name.startswith(_COOPERATING_LABELS) else "lead"
            segment = segment[label.end() :]
        suffix = _ROLE_SUFFIX_RE.search(segment)
        segment_role: Role = role
        if suffix is not None:
            word = suffix.group("role")
            if word in ("牵头", "牵头负责"):
                segment_role = "lead"
            elif word in ("协同配合", "配合", "参与", "协助"):
                segment_role = "cooperating"
            elif label is None:
                segment_role = "responsible"
            segment = segment[: suffix.start()]
            role = segment_role
        names = [clean_unit(piece) for piece, _ in split_top_level(segment, "、")]
        names = [n for n in names if n and not is_generic(n)]
        {"lead": lead, "cooperating": cooperating, "responsible": responsible}[segment_role].extend(names)
    # LABELLING.md: units 「按职责分工负责」 go to lead when no lead is named, else they cooperate.
    if lead:
        cooperating = responsible + cooperating if responsible else cooperating
    else:
        lead = responsible
    lead = _unique(lead)
    cooperating = [c for c in _unique(cooperating) if c not in lead]
    if not lead and not cooperating:
        return None
    return UnitGroup(tuple(lead), tuple(cooperating))


def _unique(names: list[str]) -> list[str]:
    """Drop repeats, keeping the first place."""
    return list(dict.fromkeys(names))
