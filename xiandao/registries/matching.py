"""Matching an enterprise name written without its code against known names. Pure.

Names are compared without their legal-form suffix (股份有限公司 vs 有限公司), brackets and a
leading province or city, so 安徽示例科技股份有限公司 and 示例科技有限公司 meet; a 简称 matches when
it is contained in the core of a full name. Matches are offered to a person, never merged.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团股份公司",
    "股份公司",
    "集团",
    "公司",
)
PLACES = re.compile(
    r"^(中国|安徽省?|浙江省?|江苏省?|合肥市?|芜湖市?|蚌埠市?|杭州市?|宁波市?|扬州市?|抚州市?|江西省?)"
)
BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def name_core(name: str) -> str:
    """示例科技 from 安徽示例科技股份有限公司（合肥）."""
    text = BRACKETS.sub("", "".join(name.split()))
    for suffix in SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return PLACES.sub("", text) or text


def similarity(a: str, b: str) -> float:
    """0–1: how alike two names are, by their cores; a short name inside a core counts as 0.9."""
    core_a, core_b = name_core(a), name_core(b)
    if not core_a or not core_b:
        return 0.0
    if core_a == core_b:
        return 1.0
    if len(core_a) >= 2 and len(core_b) >= 2 and (core_a in core_b or core_b in core_a):
        return 0.9
    return SequenceMatcher(None, core_a, core_b).ratio()


def best_matches(
    name: str, candidates: list[tuple[int, str, str]], *, threshold: float = 0.75, limit: int = 5
) -> list[tuple[int, str, float]]:
    """(id, name, score) of candidates (id, name, short name) like ``name``, best first."""
    scored = []
    for pk, full, short in candidates:
        score = max(similarity(name, full), similarity(name, short) if short else 0.0)
        if score >= threshold:
            scored.append((pk, full, round(score, 2)))
    scored.sort(key=lambda item: (-item[2], item[1]))
    return scored[:limit]
