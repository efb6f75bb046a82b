"""Early-warning rules (提示预警), pure: facts in, warnings out, computed whenever they are read.

Each rule takes plain facts (no database) and returns :class:`Warning` values with a kind, a level,
the subject (in words and as a stable key), who is responsible and since when. A warning is closed
by the data changing (the rule no longer fires) or by a recorded explanation for its key
(:func:`open_warnings`). Levels: red (严重), orange (较重), yellow (一般).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    REPORT_MISSING = "report_missing"
    INDICATOR_FALLING = "indicator_falling"
    TARGET_BEHIND = "target_behind"
    SECOND_A = "second_a"
    ITEM_OVERDUE = "item_overdue"
    REMOVAL_RISK = "removal_risk"


KIND_LABELS: dict[str, str] = {
    Kind.REPORT_MISSING: "统计报表逾期未报",
    Kind.INDICATOR_FALLING: "指标同比下降",
    Kind.TARGET_BEHIND: "目标进度滞后",
    Kind.SECOND_A: "连续第二年A等次",
    Kind.ITEM_OVERDUE: "工作事项逾期",
    Kind.REMOVAL_RISK: "存在移出创建名单风险",
}


class Level(StrEnum):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"


LEVEL_LABELS: dict[str, str] = {Level.RED: "红色", Level.ORANGE: "橙色", Level.YELLOW: "黄色"}
LEVEL_TONES: dict[str, str] = {Level.RED: "danger", Level.ORANGE: "warning", Level.YELLOW: "info"}
LEVEL_ORDER: dict[str, int] = {Level.RED: 0, Level.ORANGE: 1, Level.YELLOW: 2}


@dataclass(frozen=True)
class Warning:
    kind: str
    level: str
    subject: str  # in words: 合肥市某先导区2025年度统计报表
    key: str  # stable: kind:subject-id[:period]
    responsible: str  # the unit (and person) who must act
    since: dt.date
    detail: str = ""
    url: str = ""
    responsible_ids: tuple[int, ...] = ()  # user ids told on their workbench and in the digest

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def tone(self) -> str:
        return LEVEL_TONES.get(self.level, "secondary")


@dataclass(frozen=True)
class ReportFact:
    zone_id: int
    zone: str
    year: int
    deadline: dt.date
    submitted: bool
    responsible: str
    responsible_ids: tuple[int, ...] = ()


def reports_missing(facts: Iterable[ReportFact], today: dt.date) -> list[Warning]:
    """A report not submitted by its deadline: orange, red after 30 days."""
    found = []
    for f in facts:
        if f.submitted or today <= f.deadline:
            continue
        late = (today - f.deadline).days
        found.append(
            Warning(
                Kind.REPORT_MISSING,
                Level.RED if late > 30 else Level.ORANGE,
                f"{f.zone}{f.year}年度统计报表",
                f"{Kind.REPORT_MISSING}:{f.zone_id}:{f.year}",
                f.responsible,
                f.deadline + dt.timedelta(days=1),
                f"截止日期已过{late}天仍未提交",
                responsible_ids=f.responsible_ids,
            )
        )
    return found


@dataclass(frozen=True)
class SeriesFact:
    zone_id: int
    zone: str
    indicator_code: str
    indicator: str
    values: Mapping[int, Decimal]  # year → approved value
    responsible: str
    direction: str = "up"
    responsible_ids: tuple[int, ...] = ()


def _plain(value: Decimal) -> str:
    """A figure without trailing zeros: 0.43, 3, 12.5."""
    normal = value.normalize()
    return format(normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal, "f")


def indicators_falling(facts: Iterable[SeriesFact], *, drop_percent: int, on: dt.date) -> list[Warning]:
    """The latest year's value below the year before (against the indicator's direction): yellow; red beyond ``drop_percent``."""
    found = []
    for f in facts:
        years = sorted(f.values)
        if len(years) < 2 or years[-1] - years[-2] != 1:
            continue
        last, before = f.values[years[-1]], f.values[years[-2]]
        change = (before - last) if f.direction != "down" else (last - before)
        if change <= 0:
            continue
        percent = (change * 100 / abs(before)) if before else Decimal(100)
        found.append(
            Warning(
                Kind.INDICATOR_FALLING,
                Level.ORANGE if percent > drop_percent else Level.YELLOW,
                f"{f.zone}·{f.indicator}",
                f"{Kind.INDICATOR_FALLING}:{f.zone_id}:{f.indicator_code}:{years[-1]}",
                f.responsible,
                dt.date(years[-1] + 1, 1, 1) if dt.date(years[-1] + 1, 1, 1) <= on else on,
                f"{years[-1]}年{_plain(last)}，{years[-2]}年{_plain(before)}，同比{'下降' if f.direction != 'down' else '上升'}"
                f"{percent.quantize(Decimal('0.1'))}%"
                + ("（逆向指标，越低越好）" if f.direction == "down" else ""),
                responsible_ids=f.responsible_ids,
            )
        )
    return found


@dataclass(frozen=True)
class TargetFact:
    target_id: int
    subject: str
    status: str  # progress.Status value
    shortfall: Decimal | None
    responsible: str
    since: dt.date
    responsible_ids: tuple[int, ...] = ()


def targets_behind(facts: Iterable[TargetFact]) -> list[Warning]:
    """A target behind its path beyond tolerance: yellow when behind, red when at risk."""
    found = []
    for f in facts:
        if f.status not in ("behind", "at_risk"):
            continue
        found.append(
            Warning(
                Kind.TARGET_BEHIND,
                Level.RED if f.status == "at_risk" else Level.YELLOW,
                f.subject,
                f"{Kind.TARGET_BEHIND}:{f.target_id}",
                f.responsible,
                f.since,
                f"低于预期进度{f.shortfall}%" if f.shortfall is not None else "",
                responsible_ids=f.responsible_ids,
            )
        )
    return found


@dataclass(frozen=True)
class GradeFact:
    zone_id: int
    zone: str
    history: Sequence[tuple[int, str]]  # (year, grade) of published runs, oldest first
    responsible: str
    responsible_ids: tuple[int, ...] = ()


def second_consecutive(facts: Iterable[GradeFact], *, grade: str = "A") -> list[Warning]:
    """A zone on its second consecutive ``grade`` in the two latest years: orange."""
    found = []
    for f in facts:
        if len(f.history) < 2:
            continue
        (y1, g1), (y2, g2) = f.history[-2], f.history[-1]
        if g1 == g2 == grade and y2 - y1 == 1:
            found.append(
                Warning(
                    Kind.SECOND_A,
                    Level.ORANGE,
                    f"{f.zone}",
                    f"{Kind.SECOND_A}:{f.zone_id}:{y2}",
                    f.responsible,
                    dt.date(y2 + 1, 1, 1),
                    f"{y1}年、{y2}年连续评为{grade}等次",
                    responsible_ids=f.responsible_ids,
                )
            )
    return found


@dataclass(frozen=True)
class ItemFact:
    item_id: int
    subject: str
    due: dt.date
    done: bool
    noticed: bool  # a supervision notice (督办) already issued
    responsible: str
    responsible_ids: tuple[int, ...] = ()


def items_overdue(facts: Iterable[ItemFact], today: dt.date) -> list[Warning]:
    """A work-list item past its due date and not done: yellow, orange after 30 days or once a notice is issued."""
    found = []
    for f in facts:
        if f.done or today <= f.due:
            continue
        late = (today - f.due).days
        found.append(
            Warning(
                Kind.ITEM_OVERDUE,
                Level.ORANGE if late > 30 or f.noticed else Level.YELLOW,
                f.subject,
                f"{Kind.ITEM_OVERDUE}:{f.item_id}",
                f.responsible,
                f.due + dt.timedelta(days=1),
                f"已逾期{late}天" + ("，已督办" if f.noticed else ""),
                responsible_ids=f.responsible_ids,
            )
        )
    return found


@dataclass(frozen=True)
class RiskFact:
    zone_id: int
    zone: str
    year: int
    streak: int
    n: int
    responsible: str
    responsible_ids: tuple[int, ...] = ()


def streak_of(history: Sequence[tuple[int, str]], grade: str) -> int:
    """How many consecutive years, ending in the latest one of ``history`` (oldest first), were ``grade``."""
    streak = 0
    for year, found in reversed(history):
        if found != grade or year != history[-1][0] - streak:
            break
        streak += 1
    return streak


def removal_risks(facts: Iterable[RiskFact]) -> list[Warning]:
    """One more removal grade and the zone leaves the list (or it already meets the removal rule): red."""
    return [
        Warning(
            Kind.REMOVAL_RISK,
            Level.RED,
            f.zone,
            f"{Kind.REMOVAL_RISK}:{f.zone_id}:{f.year}",
            f.responsible,
            dt.date(f.year + 1, 1, 1),
            f"已连续{f.streak}年处于移出等次，再有1年将被移出（连续{f.n}年移出）"
            if f.streak < f.n
            else f"已连续{f.streak}年处于移出等次，已达到移出条件（连续{f.n}年移出）",
            responsible_ids=f.responsible_ids,
        )
        for f in facts
        if f.streak >= f.n - 1
    ]


def open_warnings(warnings: Iterable[Warning], explained: Iterable[str]) -> list[Warning]:
    """The warnings not closed by an explanation, most severe first, then oldest."""
    closed = set(explained)
    kept = [w for w in warnings if w.key not in closed]
    return sorted(kept, key=lambda w: (LEVEL_ORDER.get(w.level, 9), w.since, w.key))
