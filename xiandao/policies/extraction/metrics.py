"""Metric wording: the words before or after a number that name what it counts (AMBIGUITIES.md,
"Metric wording"), and the named items a count enumerates (「A、B、C3个」).

The leading verb and descriptive modifiers are dropped and the counted noun is kept as written;
a year, a dateline or a bracketed remark is never part of a metric.
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .normalise import compact
from .numerals import Quantity

ENUMERABLE_UNITS = {"个", "家", "项", "种", "类", "条", "大", "所", "座", "支", "部"}
_ABSTRACT_TAIL_RE = re.compile(
    r"(?:良好|发展|蓬勃|竞相|集聚|新)?(?:态势|格局|局面|氛围|生态|景象)|(?:建设|发展|工作|奋斗|主要)?(?:目标|任务)"
)
_PREDICATE_RE = re.compile(
    r"(?:竞相|协同|集聚|蓬勃|加快|加速|快速|梯次|融合|共同|大量|不断|持续)?(?:发展|涌现|成长|集聚|壮大|落地)$"
)
# 「具备整机生产能力的企业」: a bare head noun after 的 keeps its modifier, or nothing is left to tell.
_GENERIC_HEADS = {"企业", "机构", "平台", "项目", "产品", "人才", "团队", "单位", "园区", "基地"}
_RATIO_TAIL_RE = re.compile(r"比重|比例|份额|占比")
_LEVEL_WORDS_RE = re.compile(r"(?:新)?(?:台阶|行列|水平|阵营|方阵|大关)")
_DATELINE_RE = re.compile(r"[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日")
_PAREN_RE = re.compile(r"（[^（）]{0,20}）")
_INNER_YEAR_RE = re.compile(r"(?:力争|争取)?(?:到|至)?(?:19|20)\d{2}年(?:底|末)?前?")
_YEAR_PHRASE_RE = re.compile(r"^.*(?:\d{4}年(?:底|末)?前?|十四五”?末|十五五”?末)")
_AMOUNT_SUFFIX_RE = re.compile(r"(?:规模|产值|收入|营收|投资|总额|额|值|资金|基金|总量)$")
_CJK_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_METRIC_SEPARATOR_RE = re.compile(r"、|以及|及|和|与")


def last_separator(gap: str) -> re.Match[str] | None:
    """The separator that ends one goal of a list: the last 、 when there is one (及 may sit inside a
    word such as 普及率), else the last 和/及/与."""
    separators = list(_METRIC_SEPARATOR_RE.finditer(gap))
    enumerating = [m for m in separators if m.group() == "、"]
    if enumerating:
        return enumerating[-1]
    return separators[-1] if separators else None


def enumerated_items(prefix: str, quantity: Quantity) -> list[str] | None:
    """Return the named items a count enumerates (「A、B、C3个」, 「…等6个」), else None."""
    if quantity.unit not in ENUMERABLE_UNITS:
        return None
    if prefix.endswith("等"):
        # 「…等6个」 counts the named items: they are returned when the count matches them
        named = prefix.rstrip("等")
        return enumerated_items(named, quantity) or [] if "、" in named else []
    if "、" not in prefix or prefix.endswith(("、", "和", "及")):
        return None
    items = [item for item in prefix.split("、") if item]
    if len(items) + 1 == int(quantity.value):
        # 「A、B、C和D4个领域」: the last two items are joined by 和/及/与
        last = re.split(r"和|及|与", items[-1], maxsplit=1)
        if len(last) == 2 and all(last):
            items[-1:] = last
    if len(items) != int(quantity.value):
        return None
    items[0] = lx.LEADING_VERB_RE.sub("", items[0])
    return items if all(_CJK_RE.search(item) for item in items) else None


def metric_after(raw: str, unit: str) -> str:
    """Metric from the words after the number: modifiers up to the last 的 dropped (AMBIGUITIES.md)."""
    words = compact(raw).strip("，、；：。")
    words = _PAREN_RE.sub("", words).strip("，、；：。")  # 「5000亿元（人民币，下同）左右」
    words = re.sub(r"^(?:左右|以上|上下)", "", words)
    if words.startswith("等"):
        return ""  # 「…15%左右等定量目标」: 等 closes a list, what follows names the list, not a metric
    if _LEVEL_WORDS_RE.fullmatch(words):
        return ""  # 「规模迈上万亿级台阶」: the metric stands before the number
    words = re.split(r"〔\d{1,3}〕|[ ]-[ ]", words, maxsplit=1)[
        0
    ]  # a citation mark 〔2〕 or a « - » item ends it
    year = _INNER_YEAR_RE.search(words) or _DATELINE_RE.search(words)
    if year is not None:
        words = words[: year.start()]  # a year starts the next goal (or a joined dateline), not the metric
    words = re.sub(r"^(?:的|之)", "", words)
    if _ABSTRACT_TAIL_RE.fullmatch(words):
        return ""  # 「力争…比例达到50%以上的建设目标」: the metric stands before the number
    if "的" in words:
        head, tail = words.rsplit("的", 1)
        if _ABSTRACT_TAIL_RE.fullmatch(tail) and len(_CJK_RE.findall(_PREDICATE_RE.sub("", head))) >= 2:
            # 「形成万家科技型企业竞相发展的态势」: the counted noun stands before 的, not the 态势
            words = _PREDICATE_RE.sub("", head)
        elif len(tail) >= 3 or (len(tail) == 2 and tail not in _GENERIC_HEADS):
            words = tail
    words = re.sub(r"(?:等+)$", "", words)
    if len(_CJK_RE.findall(words)) < 2:
        return ""
    if "元" in unit and not _AMOUNT_SUFFIX_RE.search(words):
        words += "规模"  # 1000亿元未来产业 counts the industry's size (AMBIGUITIES.md)
    return words


def _strip_metric_words(words: str) -> str:
    """The words of a metric candidate without scope, verbs and linking words."""
    words = lx.SCOPE_PREFIX_RE.sub("", words)
    words = lx.LEADING_VERB_RE.sub("", words)
    return lx.LINKING_WORDS_RE.sub("", words)


def metric_before(raw: str) -> str:
    """Metric from the words before the number: year, scope, leading verbs and linking words dropped."""
    words = compact(raw).strip("，、；：。")
    year = _INNER_YEAR_RE.search(words)
    if year is not None:
        # 「科技型中小企业2024年突破3万家」: the metric may stand before the year, not after it.
        after = _strip_metric_words(words[year.end() :].lstrip("，、 "))
        before = _strip_metric_words(_YEAR_PHRASE_RE.sub("", words[: year.start()]).lstrip("，、 "))
        words = (
            words[year.end() :].lstrip("，、 ") if len(_CJK_RE.findall(after)) >= 2 else words[: year.start()]
        )
        if not _CJK_RE.search(after) and len(_CJK_RE.findall(before)) < 2:
            return ""
    words = _YEAR_PHRASE_RE.sub("", words).lstrip("，、 ")
    words = re.split(r"由|从", words)[0]
    words = lx.SCOPE_PREFIX_RE.sub("", words)
    words = lx.LEADING_VERB_RE.sub("", words)
    words = lx.LINKING_WORDS_RE.sub("", words)
    if "的" in words:
        tail = words.rsplit("的", 1)[1]
        # 「…增加值占国内生产总值的比重」: 的 belongs to the ratio, it does not end a modifier
        if len(tail) >= 2 and not (_RATIO_TAIL_RE.fullmatch(tail) and "占" in words):
            words = tail
    return words if len(_CJK_RE.findall(words)) >= 2 else ""
