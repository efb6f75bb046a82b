"""Targets: every number a policy document sets as a goal (LABELLING.md, Targets).

A number becomes a target when (1) a unit follows it (numerals.py; a magnitude word such as
百项 or 万亿元 counts where it states a goal), (2) it stands in a goal context — after a deadline
(到2027年, a bare year in a goal clause, “十四五”期间) in its paragraph, in a goal section (发展目标,
「2025年工作安排」) that names the year once for the list, in the items that follow a paragraph
setting a deadline or announcing goals, or in a clause that says 力争 or 计划建设 — and (3) it is
neither a count that only enumerates named items (「…等3个」), a rule (「按不低于…70%」), a ranking
or an approval, nor a past, present or forecast figure. Table rows are read by tables.py, the
words of a metric by metrics.py.
Method version 2 (issue 11: web copies of documents the seeds do not cover).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon as lx
from .metrics import ENUMERABLE_UNITS, enumerated_items, last_separator, metric_after, metric_before
from .model import Qualifier, Scope, TargetProposal
from .normalise import compact, normalise
from .numerals import Quantity, find_quantities
from .structure import Outline, Paragraph, paragraphs
from .tables import flat_table_targets, is_table_row, table_targets
from .years import YearMarker, document_scope, reference_year, year_markers

_GOAL_TITLE_RE = re.compile(
    r"目标|(?:19|20)\d{2}年(?:工作安排|重点工作|主要任务|重点任务|工作任务|目标任务|工作计划)"
)
_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")
_ANNOUNCES_GOALS_RE = re.compile(r"目标(?:如下)?[。：]\s*$")
_STATES_GOALS_RE = re.compile(
    r"\s*[\u4e00-\u9fff]{0,12}(?:主要|预期|发展|总体|工作|具体)目标(?:是|为|如下)?[：]"
)
# A count of categories (「十个方面」, 「6个领域」) enumerates what follows; it sets no level to reach.
_CATEGORY_RE = re.compile(
    r"(?:方面|领域|方向|板块|维度|层级|类别|环节|部分)(?:工作|任务)?|(?:子|重点|主要)?任务|举措|措施"
)
_TITLE_RE = re.compile(r"《[^《》\n]{2,80}》")
# 「总量超过五千亿规模」: a bare dimension word after the number leaves the metric before it.
_REFERENCE_BEFORE = set("占居列于比较超高低在")
_REFERENCE_AFTER_RE = re.compile(r"(?:的)?(?:比重|份额|比例|平均|前列|前|第|首位|领先|之最)")
_DIMENSION_RE = re.compile(r"(?:产值|营收|营业收入|收入|产业)?规模|产值|营收|营业收入")
_GENERIC_AFTER_RE = re.compile(r"规模|总量|水平|体量|量级")
_QUOTED_RE = re.compile(r"“[^“”\n]{0,30}”|《[^《》\n]{0,80}》|〔[^〔〕\n]{0,80}〕")
_INNER_YEAR_PREFIX_RE = re.compile(r"^\s*(?:力争|争取)?(?:到|至)?(?:19|20)\d{2}年(?:底|末)?前?")
_SUBJECT_END_RE = re.compile(r"在|实现|达到|分别|要|将|力争|均|的基础上|比")
_COUNT_AFTER_RE = re.compile(r"[^\d、，；。]{1,12}\d")
_SERIES_TAIL_RE = re.compile(r"(?:[\d.,]+[^\d、，和及与]{0,4}(?:、|和|及|与))+$")
_DESCRIBED_GAP_RE = re.compile(r"[^、，；和及与达到突破超过实现为]{2,16}")
_SUBJECT_GAP_RE = re.compile(r"[^、，；和及与]{2,}(?:实现|达到|突破|超过)[^、，；和及与]*")
# An item that opens with a short title sentence without numbers (「产业能级高。」,
# 「加快“新基建”，数字基础设施支撑能力显著增强。」).
_ITEM_TITLE_RE = re.compile(
    r"\s*(?:[^，。；：！？\d\s]{3,12}|[^，。；：！？\d\s]{2,12}，[^，。；：！？\d\s]{2,16})。"
)
_BULLET_RE = re.compile(r"\s*(?:——|—|●|•|·|▪|◆|■|□|-)")
_RISE_TO_RE = re.compile(r"^(?:增加|增长|提高|提升|扩大|上升|发展)(?:到|至)$")
_FROM_TO_RE = re.compile(r"(?:由|从)[^，；。]*?(?:增加|增长|提高|提升|扩大|上升|发展)(?:到|至)")


@dataclass(frozen=True, slots=True)
class _Goal:
    """The goal context of one quantity: its years and whether 力争 governs it."""

    years: tuple[int | None, ...]
    marker: YearMarker | None


def extract_targets(text: str, norm: str | None = None) -> tuple[TargetProposal, ...]:
    """Return the targets `text` sets, in document order, each repeated target once."""
    norm = normalise(text) if norm is None else norm
    reader = _TargetReader(text, norm)
    rows = list(paragraphs(norm))
    in_tables = [
        *table_targets(text, norm, rows, reader.ref_year, reader.doc_scope),
        *flat_table_targets(text, norm, rows, reader.ref_year, reader.doc_scope),
    ]
    flat = {(t.start, t.end) for t in in_tables}
    read = [t for t in reader.read() if not any(a <= t.start < b for a, b in flat)]
    proposals = sorted([*read, *in_tables], key=lambda t: t.start)
    seen: dict[tuple[int | None, float, str | None], list[str]] = {}
    found: list[TargetProposal] = []
    for target in proposals:
        # LABELLING.md: the same target repeated in two places is labelled once, at its first place;
        # a repeat may name its metric longer or shorter (「比重」 / 「战略性新兴产业增加值…比重」).
        key = (target.year, target.value, target.unit)
        metrics = seen.setdefault(key, [])
        if any(_same_metric(target.metric, m) for m in metrics):
            continue
        metrics.append(target.metric)
        found.append(target)
    return tuple(found)


def _last_deadline(markers: list[YearMarker]) -> int | None:
    """The last deadline year among a paragraph's markers, if any."""
    return next((m.years[-1] for m in reversed(markers) if m.kind == "deadline"), None)


def _is_reference(words: str, match: re.Match[str]) -> bool:
    """True when a scope word names what the goal is compared with, not whose goal it is:
    「长沙经济总量占全省比重达到30%」, 「居全省前列」, 「高于全国平均水平」."""
    before = words[match.start() - 1 : match.start()]
    after = words[match.end() : match.end() + 4]
    return before in _REFERENCE_BEFORE or bool(_REFERENCE_AFTER_RE.match(after))


@lru_cache(maxsize=256)
def _is_goal_title(title: str) -> bool:
    """True for a heading over goals: 发展目标, 主要目标, or a year's work (「2025年工作安排」)."""
    return bool(_GOAL_TITLE_RE.search(title))


def _same_metric(left: str, right: str) -> bool:
    """True when two metric names are the same or one is the other with more words (≥ 4 characters)."""
    if left == right:
        return True
    shorter, longer = sorted((left, right), key=len)
    return len(shorter) >= 4 and longer.endswith(shorter)


class _TargetReader:
    """Walks the paragraphs of one document keeping the goal context."""

    def __init__(self, text: str, norm: str) -> None:
        self.text = text
        self.norm = norm
        self.ref_year = reference_year(norm)
        self.doc_scope: Scope = document_scope(norm)
        # Only a document about the pilot zones sets goals for the zones taken together.
        # (it names them throughout: at least 5 times and once every 400 characters).
        # Or its title does: the first line, or the first 《title》 it names.
        mentions = len(lx.ZONE_RE.findall(norm))
        first_line = norm.lstrip().split("\n", 1)[0]
        title = _TITLE_RE.search(norm, 0, 300)
        self.zone_document = (mentions >= 5 and mentions * 400 >= len(norm)) or bool(
            lx.ZONE_RE.search(first_line if title is None else title.group())
        )

    def read(self) -> Iterator[TargetProposal]:
        """Yield targets paragraph by paragraph."""
        outline = Outline([])
        goal_years: dict[int, int | None] = {}
        list_year: int | None = None
        previous: Paragraph | None = None
        previous_markers: list[YearMarker] = []
        previous_item = False
        for paragraph in paragraphs(self.norm):
            if is_table_row(self.text, self.norm, paragraph):
                continue  # tables.py reads the rows of a table
            outline.enter(paragraph)
            markers = year_markers(self.norm, paragraph.start, paragraph.end, self.ref_year)
            goal_heading = next(
                (p for p in reversed(outline.stack) if p.title and _is_goal_title(p.title)), None
            )
            has_body = bool(self.norm[paragraph.body_start : paragraph.end].strip())
            deadlines = [m for m in markers if m.kind == "deadline"]
            if goal_heading is not None and goal_heading.start not in goal_years and has_body:
                # AMBIGUITIES.md: the year of the heading paragraph applies to the whole list of goals;
                # a heading that names its year (「二、2025年工作安排」) gives it to its section.
                titled = self._title_year(goal_heading)
                goal_years[goal_heading.start] = (
                    titled if titled is not None else (deadlines[-1].years[-1] if deadlines else None)
                )
            section_year = goal_years.get(goal_heading.start) if goal_heading is not None else None
            # A list of bullets after 「到2025年，主要目标是：」 shares that year; so do the items
            # (「——优质主体不断壮大。…」, 「产业能级高。…」) that follow a paragraph setting a deadline.
            item = self._is_list_item(paragraph)
            if previous is not None and self.norm[previous.start : previous.end].rstrip().endswith("："):
                list_year = _last_deadline(previous_markers)
            elif item and list_year is None and previous is not None and not deadlines:
                if not previous_item:
                    list_year = _last_deadline(previous_markers)
            elif not item:
                list_year = None
            inherited = section_year if section_year is not None else list_year
            # 「经济社会发展主要预期目标是：…」 states goals, and so does the paragraph after one
            # that ends by announcing them (「…提出重点突破方向和目标。」).
            announced = previous is not None and bool(
                _ANNOUNCES_GOALS_RE.search(self.norm, previous.start, previous.end)
            )
            stated = bool(_STATES_GOALS_RE.match(self.norm, paragraph.body_start, paragraph.end))
            in_goal = goal_heading is not None or list_year is not None or announced or stated
            # Only a deadline, a goal section or 力争 makes a number a goal: skip the other paragraphs.
            if in_goal or deadlines or lx.has_goal_word(self.norm, paragraph.start, paragraph.end):
                yield from self._paragraph(paragraph, markers, inherited, in_goal)
            previous, previous_markers, previous_item = paragraph, markers, item

    def _title_year(self, heading: Paragraph) -> int | None:
        """The year a heading's title names (「2025年工作安排」), unless it lies before the document's."""
        match = _TITLE_YEAR_RE.search(heading.title or "")
        if match is None:
            return None
        year = int(match.group(1))
        return year if self.ref_year is None or year >= self.ref_year else None

    def _is_list_item(self, paragraph: Paragraph) -> bool:
        """True for a bullet (——, ●) or an item opening with a short title sentence (「产业能级高。」)."""
        if _BULLET_RE.match(self.norm, paragraph.start):
            return True
        return bool(_ITEM_TITLE_RE.match(self.norm, paragraph.start, paragraph.end))

    def _paragraph(
        self, paragraph: Paragraph, markers: list[YearMarker], inherited: int | None, in_goal: bool
    ) -> Iterator[TargetProposal]:
        """Yield the targets of one paragraph."""
        norm = self.norm
        body_start = paragraph.title_end if paragraph.title else paragraph.start
        quoted = [m.span() for m in _QUOTED_RE.finditer(norm, paragraph.start, paragraph.end)]
        quantities = [
            q
            for q in find_quantities(norm, body_start, paragraph.end)
            if not any(a <= q.start < b for a, b in quoted)
        ]
        consumed: set[int] = set()
        previous_target: TargetProposal | None = None
        previous_clause = -1
        for index, quantity in enumerate(quantities):
            if index in consumed:
                continue
            clause_start, clause_end = self._clause(quantity, paragraph)
            goal = self._goal(quantity, markers, inherited, in_goal, clause_start, clause_end)
            if goal is None:
                continue
            siblings = [q for q in quantities if clause_start <= q.start < clause_end]
            position = siblings.index(quantity)
            seg_start = self._segment_start(siblings, position, clause_start)
            prefix = compact(norm[seg_start : quantity.start])
            if self._is_excluded(quantity, prefix, paragraph, clause_start, clause_end, goal):
                continue
            following = siblings[position + 1] if position + 1 < len(siblings) else None
            if (
                following is not None
                and "元" in quantity.unit
                and "元" not in following.unit
                and not norm[quantity.end : following.start].strip()
            ):
                continue  # 「其中过5000亿元1个」: the amount qualifies the count that follows it
            if (
                following is not None
                and following.unit in ENUMERABLE_UNITS
                and following.unit != quantity.unit
                and quantity.unit not in ENUMERABLE_UNITS
                and _DESCRIBED_GAP_RE.fullmatch(compact(norm[quantity.end : following.start]))
            ):
                continue  # 「培育年产10万辆以上新能源整车生产企业3家」: a threshold the counted items meet
            if following is not None and _SUBJECT_GAP_RE.fullmatch(
                compact(norm[quantity.end : following.start])
            ):
                # 「14个工业重点产业实现主营业务收入2.5万亿元」: the count names the subject, the goal follows.
                continue
            if (
                quantity.unit not in ENUMERABLE_UNITS
                and quantity.after in ("以上", "以下")
                and _COUNT_AFTER_RE.match(compact(norm[quantity.end : clause_end]))
            ):
                continue  # 「其中10亿元以上规模企业2~5家」: a threshold of the items a count (or range) follows
            if quantity.level:
                continue  # a size class (「10万亿元级的新支柱」) is a goal only for the items a count names
            items = enumerated_items(prefix, quantity)
            if items is not None:
                # AMBIGUITIES.md: 「A、B、C3个1000亿元未来产业」 is one target per item, and so is
                # 「A、B…等5个产值规模10万亿元级的新支柱」; a count of named items with no amount
                # (「…等3个」) is not a target.
                gap = compact(norm[quantity.end : following.start]) if following is not None else ""
                dimension = _DIMENSION_RE.fullmatch(gap)
                if following is not None and "元" in following.unit and (len(gap) <= 1 or dimension):
                    consumed.add(quantities.index(following))
                    yield from self._per_item(
                        items,
                        following,
                        siblings,
                        seg_start,
                        clause_start,
                        clause_end,
                        goal,
                        dimension.group() if dimension else None,
                    )
                continue
            years = goal.years
            respectively = "分别" in norm[clause_start:clause_end]
            if len(years) == 2 and respectively and len(siblings) == 2:
                years = (years[position],)  # 「到2025年、2030年分别达到100家、200家」
            series = (
                previous_target is not None
                and previous_clause == clause_start
                and position > 0
                and "、" in norm[siblings[position - 1].end : quantity.start]
            )
            for year in years:
                target = self._target(quantity, siblings, seg_start, clause_start, clause_end, goal, year)
                subjects = (
                    self._respective_subjects(paragraph, clause_start, len(siblings))
                    if respectively
                    else None
                )
                if target is None and subjects:
                    # 「A和B在…基础上实现“双倍增”，分别超过90家和870家」: each value has its own subject
                    target = self._target(
                        quantity,
                        siblings,
                        seg_start,
                        clause_start,
                        clause_end,
                        goal,
                        year,
                        subjects[position],
                    )
                if target is None and (respectively or series) and previous_target is not None:
                    # 「A、B分别达到100家、200家」: later values share the first one's metric.
                    target = self._target(
                        quantity,
                        siblings,
                        seg_start,
                        clause_start,
                        clause_end,
                        goal,
                        year,
                        previous_target.metric,
                    )
                if target is not None:
                    previous_target = target
                    previous_clause = clause_start
                    yield target

    def _respective_subjects(self, paragraph: Paragraph, clause_start: int, count: int) -> list[str] | None:
        """The subjects named before a clause that gives their values 分别 (「A和B…，分别…」), when
        the clause before it in the sentence lists exactly `count` of them."""
        norm = self.norm
        sentence_start = max(norm.rfind("。", paragraph.start, clause_start) + 1, paragraph.start)
        pieces = [p for p in re.split(r"[，；：]", norm[sentence_start:clause_start]) if p.strip()]
        if not pieces or "分别" not in norm[clause_start : clause_start + 4]:
            return None
        words = compact(_INNER_YEAR_PREFIX_RE.sub("", pieces[-1]))
        words = _SUBJECT_END_RE.split(words, maxsplit=1)[0]
        words = lx.SCOPE_PREFIX_RE.sub("", words)
        subjects = [lx.LEADING_VERB_RE.sub("", w) for w in re.split(r"和|、|及|与", words)]
        if len(subjects) != count or not all(len(w) >= 2 for w in subjects):
            return None
        return subjects

    def _clause(self, quantity: Quantity, paragraph: Paragraph) -> tuple[int, int]:
        """Return the bounds of the clause around `quantity` (between ，；。：)."""
        norm = self.norm
        start = quantity.start
        while start > paragraph.start and norm[start - 1] not in lx.CLAUSE_BREAK:
            start -= 1
            if norm[start] == "）":
                opening = norm.rfind("（", max(paragraph.start, start - 20), start)
                start = opening if opening != -1 else start
        end = quantity.end
        while end < paragraph.end and norm[end] not in lx.CLAUSE_BREAK:
            if norm[end] == "（":
                # A remark in brackets (「5000亿元（人民币，下同）左右」) does not end the clause.
                closing = norm.find("）", end, min(paragraph.end, end + 20))
                end = closing if closing != -1 else end
            end += 1
        return start, end

    def _goal(
        self,
        quantity: Quantity,
        markers: list[YearMarker],
        inherited: int | None,
        in_goal: bool,
        clause_start: int,
        clause_end: int,
    ) -> _Goal | None:
        """Return the goal context of `quantity`, or None when it stands outside any goal."""
        marker = next((m for m in reversed(markers) if m.end <= quantity.start), None)
        if marker is not None:
            if marker.kind == "past":
                return None
            return _Goal(marker.years, marker)
        if in_goal:
            return _Goal((inherited,), None)
        if lx.has_goal_word(self.norm, clause_start, clause_end):
            return _Goal((None,), None)
        return None

    def _segment_start(self, siblings: list[Quantity], position: int, clause_start: int) -> int:
        """Return where this quantity's own goal starts: after the 、 that ends the previous goal."""
        if position == 0:
            return clause_start
        previous = siblings[position - 1]
        gap = self.norm[previous.end : siblings[position].start]
        if not gap.strip() and "元" in previous.unit:
            return self._segment_start(siblings, position - 1, clause_start)  # 「过5000亿元1个」
        if _RISE_TO_RE.match(compact(gap)):
            return clause_start  # 「数量由目前的500家增加到1000家」: the metric stands before 由
        separator = last_separator(gap)
        if separator is None:
            return previous.end
        return previous.end + separator.end()

    def _is_excluded(
        self,
        quantity: Quantity,
        prefix: str,
        paragraph: Paragraph,
        clause_start: int,
        clause_end: int,
        goal: _Goal,
    ) -> bool:
        """Apply LABELLING.md's exclusions: rules, baselines, past or present figures, forecasts."""
        norm = self.norm
        clause = compact(norm[clause_start:clause_end])
        if lx.RULE_RE.search(clause):
            return True
        if lx.BASELINE_BEFORE_RE.search(prefix):
            return True
        own = _FROM_TO_RE.sub("", compact(norm[clause_start : quantity.start]))
        if lx.PAST_OR_FORECAST_RE.search(own):
            return True
        if "将达" in own and goal.marker is None:
            return (
                True  # 「…将达到…」 with no deadline is a forecast; 「到2025年…将达到…」 is the plan's goal
            )
        sentence_start = max(norm.rfind("。", paragraph.start, quantity.start) + 1, paragraph.start)
        if lx.PRESENT_SENTENCE_RE.match(norm, sentence_start):
            return True
        if lx.FORECAST_RE.search(norm, sentence_start, quantity.start):
            return True  # 「《纲要》预计在“十四五”期间，全省将累计新增…约600万人」
        if lx.RANK_OR_APPROVAL_RE.search(clause) and not lx.has_strive(norm, clause_start, clause_end):
            return True  # 「分别以795家…位居前三甲」, 「获批…120家」: a ranking or an approval, not a goal
        head = norm[sentence_start : goal.marker.start] if goal.marker is not None else ""
        return bool(re.search(r"预计|预测|有望|估计", head))

    def _target(
        self,
        quantity: Quantity,
        siblings: list[Quantity],
        seg_start: int,
        clause_start: int,
        clause_end: int,
        goal: _Goal,
        year: int | None,
        shared_metric: str | None = None,
    ) -> TargetProposal | None:
        """Build one target, taking its metric after the number, or before it when none follows."""
        norm = self.norm
        after_end = self._after_end(quantity, siblings, clause_end)
        after = metric_after(norm[quantity.end : after_end], quantity.unit)
        if shared_metric is not None:
            metric = shared_metric
            quote_start, quote_end = clause_start, quantity.end
        elif after and not (
            _GENERIC_AFTER_RE.fullmatch(after) and metric_before(norm[seg_start : quantity.start])
        ):
            metric = after
            quote_start = self._quote_start(seg_start, quantity.start)
            quote_end = after_end
        else:
            metric = metric_before(norm[seg_start : quantity.start])
            quote_start, quote_end = seg_start, quantity.end
        if not metric or _CATEGORY_RE.fullmatch(metric):
            return None
        start, end = self._trim(quote_start, quote_end)
        return TargetProposal(
            year=year,
            metric=metric,
            value=quantity.value,
            unit=quantity.unit or None,
            qualifier=self._qualifier(quantity, clause_start, clause_end, goal),
            strive=self._strive(quantity, clause_start, clause_end, goal),
            cumulative="累计" in norm[clause_start:clause_end],
            scope=self._scope(quantity, metric, clause_start),
            quote=self.text[start:end],
            start=start,
            end=end,
        )

    def _per_item(
        self,
        items: list[str],
        amount: Quantity,
        siblings: list[Quantity],
        seg_start: int,
        clause_start: int,
        clause_end: int,
        goal: _Goal,
        dimension: str | None = None,
    ) -> Iterator[TargetProposal]:
        """Yield one target per named item of 「A、B、C3个1000亿元未来产业」."""
        after_end = self._after_end(amount, siblings, clause_end)
        noun = dimension or metric_after(self.norm[amount.end : after_end], amount.unit)
        start, end = self._trim(self._quote_start(seg_start, seg_start), after_end)
        for item in items:
            metric = item + noun if noun else item
            for year in goal.years:
                yield TargetProposal(
                    year=year,
                    metric=metric,
                    value=amount.value,
                    unit=amount.unit,
                    qualifier=self._qualifier(amount, clause_start, clause_end, goal),
                    strive=self._strive(amount, clause_start, clause_end, goal),
                    cumulative="累计" in self.norm[clause_start:clause_end],
                    scope=self._scope(amount, metric, clause_start),
                    quote=self.text[start:end],
                    start=start,
                    end=end,
                )

    def _after_end(self, quantity: Quantity, siblings: list[Quantity], clause_end: int) -> int:
        """Return where the words after `quantity` stop: the clause end or the next goal's 、."""
        later = [q for q in siblings if q.start >= quantity.end]
        if not later:
            return clause_end
        gap = self.norm[quantity.end : later[0].start]
        separator = last_separator(gap)
        return quantity.end + (separator.start() if separator is not None else len(gap))

    def _quote_start(self, seg_start: int, number_start: int) -> int:
        """Start the quote at the verb before the number when the clause opens with a long preamble."""
        norm = self.norm
        if len(compact(norm[seg_start:number_start])) <= 12:
            return seg_start
        window_start = max(seg_start, number_start - 8)
        best = number_start
        for verb in lx.LEADING_VERBS:
            found = norm.rfind(verb, window_start, number_start)
            if found != -1 and found < best:
                best = found
        return best

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Move the quote's ends off spaces and punctuation so it starts and ends on words."""
        norm = self.norm
        while start < end and (norm[start].isspace() or norm[start] in "，、；：。—●•·"):
            start += 1
        while end > start and (norm[end - 1].isspace() or norm[end - 1] in "，、；：。"):
            end -= 1
        return start, end

    def _qualifier(self, quantity: Quantity, clause_start: int, clause_end: int, goal: _Goal) -> Qualifier:
        """LABELLING.md: 左右 about, 以上/超过/不少于 at_least, 突破 exceed, bare number exactly;
        力争 alone gives strive, and any other qualifier wins over it."""
        after = quantity.after
        if after is None and self.norm.startswith("（", quantity.end):
            closing = self.norm.find("）", quantity.end, quantity.end + 20)
            if closing != -1:
                tail = self.norm[closing + 1 : closing + 3]
                after = tail if tail in lx.AFTER_QUALIFIERS else None
        if after in lx.AFTER_QUALIFIERS:
            return lx.AFTER_QUALIFIERS[after]  # type: ignore[return-value]
        if quantity.approx:
            return "at_least"  # 十余家, 100多个
        before = compact(self.norm[clause_start : quantity.start])
        # 「分别超过90家和870家」: the later values of a series share the qualifier before the first
        before = _SERIES_TAIL_RE.sub("", before)
        for name, pattern in lx.BEFORE_QUALIFIERS:
            if pattern.search(before):
                return name  # type: ignore[return-value]
        if quantity.unit == "倍":
            # 「不高于理论时延1.5倍」: the qualifier stands before what the multiple is of
            for name, pattern in lx.MULTIPLE_QUALIFIERS:
                if pattern.search(before):
                    return name  # type: ignore[return-value]
        return "strive" if self._strive(quantity, clause_start, clause_end, goal) else "exactly"

    def _strive(self, quantity: Quantity, clause_start: int, clause_end: int, goal: _Goal) -> bool:
        """AMBIGUITIES.md: 力争 counts only for its own clause; 「力争到2023年，…」 reaches until ；."""
        if lx.has_strive(self.norm, clause_start, clause_end):
            return True
        marker = goal.marker
        if marker is None or not marker.strive:
            return False
        between = self.norm[marker.end : quantity.start]
        return "；" not in between and "。" not in between

    def _scope(self, quantity: Quantity, metric: str, clause_start: int) -> Scope:
        """Whose target: the clause's own 全省/全市, the pilot zones, or the document's jurisdiction."""
        norm = self.norm
        own = compact(norm[clause_start : quantity.start])
        for name, pattern in lx.SCOPE_WORDS:
            for match in pattern.finditer(own):
                if not _is_reference(own, match):
                    return name  # type: ignore[return-value]
        if (
            self.zone_document
            and not lx.ZONE_RE.search(metric)
            and "园区" not in metric
            and self._zone_sentence(clause_start)
        ):
            return "zone"
        return self.doc_scope

    def _zone_sentence(self, clause_start: int) -> bool:
        """AMBIGUITIES.md: goals in a sentence about the pilot zones (「打造一批…先导区，培育30家…」)
        belong to the zones taken together, unless the zones are themselves what is counted."""
        norm = self.norm
        line_start = norm.rfind("\n", 0, clause_start) + 1
        sentence_start = max(norm.rfind("。", line_start, clause_start) + 1, line_start)
        for clause in re.split(r"[，；：]", norm[sentence_start:clause_start]):
            if lx.ZONE_RE.search(clause) and not any(True for _ in find_quantities(clause)):
                return True
        return False
