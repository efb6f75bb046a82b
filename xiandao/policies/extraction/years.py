"""Deadline years (到2027年), the document's own date, and the scope the document speaks for.

LABELLING.md: the year is the deadline the clause names, or the one the paragraph introducing a
list of goals names. A bare year at the head of a clause (「2023年，全省…」) is a deadline only
when it lies after the document's own date; otherwise it reports the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .model import Scope

MarkerKind = Literal["deadline", "past"]

_YEAR = r"(?:19|20)\d{2}"
# Anchored at the year itself: a regex that opens with optional words scans slowly.
_YEAR_RE = re.compile(_YEAR)
_PREFIX_RE = re.compile(r"(?P<lead>力争|争取)?[ ]*(?P<prep>截止到|截至|截止|到|至|于)?[ ]*$")
_SUFFIX_RE = re.compile(
    rf"[ ]*年?[ ]*(?:(?:、|和|及|与)[ ]*(?P<y2>{_YEAR})[ ]*年)?(?P<tail>[ ]*(?:底|末|年底|年末)?[ ]*前?)"
)
# 「十四五」 and 「十五五」 plan periods end in 2025 and 2030.
_PLAN_PERIOD_RE = re.compile(
    r"(?P<lead>力争|争取)?[ ]*(?:(?:到|至)[ ]*“?(?P<plan>十三五|十四五|十五五|十六五)”?[ ]*(?:末|期末|时期末)"
    r"|“?(?P<during>十三五|十四五|十五五|十六五)”?[ ]*(?:期间|时期)(?!以来|内外))"
)
_PLAN_HINT_RE = re.compile(r"十[三四五六]五")
_PLAN_YEARS = {"十三五": 2020, "十四五": 2025, "十五五": 2030, "十六五": 2035}
# A bare year (no 到/至) is a deadline when its clause sets a goal (「2025年装备制造业规模突破1.5万亿元」,
# 「比重2015年力争达到8%」), and reports the past when the clause states an achievement.
_GOAL_VERB_RE = re.compile(
    r"突破|达到|达|超过|超|力争|争取|培育|打造|建成|建设|形成|实现|提升到|提升至|提高到|提高至|"
    r"增长到|增长至|增加到|增加至|增至|新增|引育|引进|不少于|不低于|保持在|稳定在|控制在|过[0-9一二三四五六七八九十百千万亿]|"
    r"将|主要任务|重点任务|目标任务|主要目标|预期目标|年度目标|工作安排|工作任务|重点工作"
)
_ACHIEVED_RE = re.compile(r"已|累计建成|累计培育|较上年|比上年|同比|以来|了|完成|当年")
_STATISTIC_RE = re.compile(r"同比|较上年|比上年|增长了|增速为")
_BASELINE_YEAR_BEFORE = set("比较与从由自同在")
_DATE_RE = re.compile(rf"({_YEAR})[ ]*年[ ]*\d{{1,2}}[ ]*月[ ]*\d{{1,2}}[ ]*日")
_ISO_DATE_RE = re.compile(rf"(?<![\d-])({_YEAR})[-/](?:0?[1-9]|1[0-2])[-/](?:0?[1-9]|[12]\d|3[01])(?![\d-])")
_DOCUMENT_NUMBER_RE = re.compile(rf"〔({_YEAR})〕")


@dataclass(frozen=True, slots=True)
class YearMarker:
    """A year phrase in a paragraph: where it is, which years, and whether it looks ahead."""

    start: int
    end: int
    years: tuple[int, ...]
    kind: MarkerKind
    strive: bool


def reference_year(norm: str) -> int | None:
    """Return the document's own year: its latest date (2024年9月30日, or a web page's 2025-12-30)
    or document number (〔2023〕)."""
    years = [int(y) for y in _DATE_RE.findall(norm)] + [int(y) for y in _DOCUMENT_NUMBER_RE.findall(norm)]
    years += [int(y) for y in _ISO_DATE_RE.findall(norm)]
    return max(years) if years else None


def year_markers(norm: str, start: int, end: int, ref_year: int | None) -> list[YearMarker]:
    """Return the year markers in `norm[start:end]` that set or end a goal context."""
    markers: list[YearMarker] = []
    consumed_until = start
    for year in _YEAR_RE.finditer(norm, start, end):
        if year.start() < consumed_until:
            continue
        if (year.start() > 0 and norm[year.start() - 1].isdigit()) or norm[
            year.end() : year.end() + 1
        ].isdigit():
            continue
        window = max(start, year.start() - 6)
        prefix = _PREFIX_RE.search(norm, window, year.start())
        suffix = _SUFFIX_RE.match(norm, year.end(), end)
        if prefix is None or suffix is None:
            continue
        marker_start, marker_end = prefix.start(), suffix.end()
        consumed_until = marker_end
        after = norm[marker_end : marker_end + 2]
        prep, tail = prefix.group("prep"), suffix.group("tail").strip()
        if "年" not in norm[year.start() : marker_end] or after[:1] in ("月", "—", "-", "～", "~"):
            continue  # a date (2024年9月30日) or a period (2024—2027年), not a deadline
        if norm[marker_end - 1] == "—":
            continue
        years = tuple(int(y) for y in (year.group(), suffix.group("y2")) if y)
        kind: MarkerKind
        if prep in ("截至", "截止", "截止到"):
            kind = "past"
        elif prep in ("到", "至") or tail.endswith("前"):
            kind = "deadline"
        elif after.startswith(("以来", "比", "同比", "较")):
            kind = "past"
        elif marker_start > start and norm[marker_start - 1] in _BASELINE_YEAR_BEFORE:
            continue  # 「比2012年翻一番」: a baseline year, not a deadline
        elif year.start() > 1 and norm[year.start() - 1] in "-—–~～" and norm[year.start() - 2].isdigit():
            continue  # 「(2024-2026年)」: the end of a period, not a deadline
        else:
            goal = _goal_clause(norm, marker_end, end)
            if goal is not None:
                # A goal in the document's own year is still a goal (a plan of April 2024 for 2024).
                reached = ref_year is None or min(years) >= ref_year
                kind = "deadline" if goal and reached else "past"
                if not goal and not _at_clause_head(norm, marker_start, start):
                    continue
            elif _at_clause_head(norm, marker_start, start) and after[:1] in ("，", " ", "、", "全", "我"):
                future = ref_year is not None and min(years) > ref_year
                kind = "deadline" if future else "past"
            else:
                continue
        markers.append(YearMarker(marker_start, marker_end, years, kind, bool(prefix.group("lead"))))
    if _PLAN_HINT_RE.search(norm, start, end):
        latest = _latest_period(norm)
        for match in _PLAN_PERIOD_RE.finditer(norm, start, end):
            year_value = _PLAN_YEARS[match.group("plan") or match.group("during")]
            # 「“十四五”期间要形成…」 sets goals for the period's last year; a period before the one the
            # document plans for (「“十三五”期间…培育…25家」 in a 十四五 plan) is the past.
            past = year_value < latest or (ref_year is not None and year_value < ref_year)
            period_kind: MarkerKind = "past" if past else "deadline"
            markers.append(
                YearMarker(match.start(), match.end(), (year_value,), period_kind, bool(match.group("lead")))
            )
    return sorted(markers, key=lambda m: m.start)


@lru_cache(maxsize=8)
def _latest_period(norm: str) -> int:
    """The last year of the latest plan period (十四五 → 2025) the document names, or 0."""
    return max((year for name, year in _PLAN_YEARS.items() if name in norm), default=0)


def _goal_clause(norm: str, position: int, end: int) -> bool | None:
    """After a bare year: True when its clause sets a goal, False when it states an achievement,
    None when it says neither (the year is then read by its place in the clause)."""
    while position < end and norm[position] == " ":
        position += 1
    if position < end and norm[position] == "，":
        position += 1  # 「2024年，全省科技型企业突破3万家」: the goal is the next clause
    stop = position
    while stop < end and norm[stop] not in "，；。：！？":
        stop += 1
    clause = norm[position:stop]
    if _ACHIEVED_RE.search(clause):
        return False
    sentence_end = stop
    while sentence_end < end and norm[sentence_end] not in "。；〔":
        sentence_end += 1
    if _STATISTIC_RE.search(norm, stop, sentence_end):
        return False  # 「2024年，全省…营收超1300亿元，同比增长超25%」 reports a statistic
    if _GOAL_VERB_RE.search(clause):
        return True
    return None


def _at_clause_head(norm: str, position: int, floor: int) -> bool:
    """True when only spaces lie between `position` and the previous clause break."""
    index = position - 1
    while index >= floor and norm[index] == " ":
        index -= 1
    return index < floor or norm[index] in "，；。：！？—"


_PROVINCE_RE = re.compile(r"全省|我省|省政府|省委|省级")
_CITY_RE = re.compile(r"全市|我市|市政府|市委|市级|市直")
_NATIONAL_RE = re.compile(r"全国|我国|国务院")
_DISTRICT_RE = re.compile(r"全区|我区|区委|区政府")
_LEVELS: dict[str, Scope] = {"省": "province", "自治区": "province", "市": "city"}
# Who issues the document, as its head names it: the issuing body, or the jurisdiction its title names.
_ISSUER_RE = re.compile(
    r"(?P<body>(?<![各设])(?:[\u4e00-\u9fff]{2,8}?|中共[\u4e00-\u9fff]{2,6}?)(?P<level>省|市|自治区)"
    r"(?:人民政府|政府|委员会|委|党委|数字经济|发展和改革|发展改革|工业和信息化|经济和信息化|科学技术|科技厅|工信厅|发改委|"
    r"工信局|科技局|数据局))"
    r"|(?<![\u4e00-\u9fff])(?P<bare>省|市)(?:人民政府|政府|委|工信厅|科技厅|经信厅|发展改革委|发改委|工信局|科技局)"
    r"(?:办公厅|办公室)?(?:近日|日前|印发|确定|提出|发布|关于)"
    r"|(?P<title>《(?:关于)?[\u4e00-\u9fff]{2,5}?(?P<title_level>省|市|自治区)[^》]{2,60}》)"
    r"|(?P<national>国务院(?:办公厅)?(?:印发|关于|日前|近日)|《[^》]{0,8}国家[^》]{2,40}》|"
    r"(?<![省市区县])(?:工业和信息化部|工信部|科技部|教育部|财政部|商务部|国家发展改革委|国家发改委|国家发展和改革委员会)"
    r"(?:、|等|印发|联合|关于|近日|日前))"
)


_CITING_RE = re.compile(r"(?:根据|按照|依据|贯彻|落实|对照|围绕|参照)[^，。；]{0,12}$")


def _cited(norm: str, match: re.Match[str]) -> bool:
    """True when the match is part of a document the text cites (「根据《工业和信息化部等七部门…》」)."""
    opening, closing = norm.rfind("《", 0, match.start()), norm.rfind("》", 0, match.start())
    if not norm.startswith("《", match.start()) and opening > closing:
        return True  # inside a cited title
    return bool(_CITING_RE.search(norm, max(0, match.start() - 14), match.start()))


def document_scope(norm: str) -> Scope:
    """Return whose document this is: the level of the jurisdiction that issues it (a city's plan
    speaks for the city even where it names its province, a province's plan is not national because
    it cites the State Council); when the head names no issuer, the scope words the text uses most."""
    issuer = next((m for m in _ISSUER_RE.finditer(norm, 0, min(len(norm), 800)) if not _cited(norm, m)), None)
    if issuer is not None:
        if issuer.group("national"):
            return "national"
        return _LEVELS[issuer.group("level") or issuer.group("title_level") or issuer.group("bare")]
    province = len(_PROVINCE_RE.findall(norm))
    city = len(_CITY_RE.findall(norm))
    # 全区 is a district of a city, unless the text speaks of an autonomous region (广西, 宁夏…)
    districts = len(_DISTRICT_RE.findall(norm))
    if "自治区" in norm:
        province += districts
    else:
        city += districts
    national = len(_NATIONAL_RE.findall(norm))
    if national > 2 * max(province, city, 1):
        return "national"
    if city == province:
        # Neither kind of scope word prevails: the first jurisdiction the head names (「合肥市2月11日…」),
        # or the place a news headline opens with (「常州:目标到2026年…」).
        named = _NAMED_RE.search(norm, 0, min(len(norm), 300))
        if named is not None:
            return _LEVELS[named.group("level")]
        place = _HEADLINE_PLACE_RE.match(norm)
        if place is not None:
            name = place.group(1)
            if name in _MUNICIPALITIES:
                return "city"
            return "province" if name in _PROVINCES else "city"
    return "city" if city > province else "province"


# The provincial-level divisions by their short names; the four municipalities plan as cities here.
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
_PROVINCES = {
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
}
_HEADLINE_PLACE_RE = re.compile(
    r"\s*(?!时间|来源|作者|编辑|日期|发布|标题|摘要|导读|记者|地址|电话|邮箱|网址|链接|声明|提示|附件|说明|备注|关键)"
    r"([\u4e00-\u9fff]{2,3})[：:]"
)


# A jurisdiction's name: two or three characters and 省/市/自治区 (not 城市, 超市, 上市, 市场, 市民…).
_NAMED_RE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff]{0,4}?[^各全我本该城超上股门夜菜都年月日的在了和与及、\W\d])"
    r"(?P<level>省|市|自治区)(?![场民级区县直委])"
)
