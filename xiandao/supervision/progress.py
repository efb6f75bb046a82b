"""Target progress maths (pure): the path expected from a base year to a target year, and a status.

A target's path runs from the first day of its base year (the programme's first year) to the
last day of its target year. Linear by default: the expected value on a date is the base plus
the elapsed share of the period times the distance to the target. The basis decides the base:
a stock target (存量) starts from the level counted at the start; an increment (新增) or a
cumulative (累计) target starts from zero, its current value counting what was added since.

The status compares the current value with the expected one: a shortfall within the programme's
``behind`` tolerance is on track; beyond it and within ``at_risk`` it is behind; beyond that, at
risk. A target already reached is met. Tolerances are percentages of the expected progress.
Figures are Decimal, rounded half-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)


class Status(StrEnum):
    MET = "met"  # 已完成
    ON_TRACK = "on_track"  # 进度正常
    BEHIND = "behind"  # 进度滞后
    AT_RISK = "at_risk"  # 存在风险
    NO_DATA = "no_data"  # 暂无数据
    NOT_STARTED = "not_started"  # 尚未开始


STATUS_LABELS: dict[str, str] = {
    Status.MET: "已完成",
    Status.ON_TRACK: "进度正常",
    Status.BEHIND: "进度滞后",
    Status.AT_RISK: "存在风险",
    Status.NO_DATA: "暂无数据",
    Status.NOT_STARTED: "尚未开始",
}

#: Bootstrap colour names by status (badges and chart bars).
STATUS_TONES: dict[str, str] = {
    Status.MET: "success",
    Status.ON_TRACK: "success",
    Status.BEHIND: "warning",
    Status.AT_RISK: "danger",
    Status.NO_DATA: "secondary",
    Status.NOT_STARTED: "secondary",
}


@dataclass(frozen=True)
class Tolerances:
    """Shortfalls (percent of the expected progress) that make a target behind, then at risk."""

    behind: int = 10
    at_risk: int = 25

    def __post_init__(self) -> None:
        if not 0 <= self.behind <= self.at_risk:
            raise ValueError("滞后容差应不大于风险容差，且不小于0。")


@dataclass(frozen=True)
class Path:
    """A straight path from ``base`` on 1 January of ``base_year`` to ``target`` on 31 December of ``target_year``."""

    base_year: int
    target_year: int
    base: Decimal
    target: Decimal

    @property
    def start(self) -> dt.date:
        return dt.date(self.base_year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.target_year, 12, 31)

    def elapsed_share(self, on: dt.date) -> Decimal:
        """The share of the period elapsed on ``on`` (0 before the start, 1 from the end), 4 places."""
        if on <= self.start:
            return Decimal(0)
        if on >= self.end:
            return Decimal(1)
        total = (self.end - self.start).days
        return rounded(Decimal((on - self.start).days) / Decimal(total), 4)

    def expected(self, on: dt.date) -> Decimal:
        """The value expected on ``on``, rounded half-up to two places."""
        return rounded(self.base + (self.target - self.base) * self.elapsed_share(on))

    def points(self) -> list[tuple[int, Decimal]]:
        """The expected value at the end of each year of the path (for the trend chart)."""
        return [
            (year, self.expected(dt.date(year, 12, 31)))
            for year in range(self.base_year, self.target_year + 1)
        ]


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """Half-up, as Excel rounds."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def path_for(
    *, basis: str, base_year: int, target_year: int, target: Decimal, base_level: Decimal | None
) -> Path:
    """The path of a target: a stock starts from the level at its start; an increment or cumulative from 0."""
    base = (base_level or Decimal(0)) if basis == "stock" else Decimal(0)
    return Path(base_year, max(target_year, base_year), base, target)


def shortfall_percent(current: Decimal, expected: Decimal, base: Decimal) -> Decimal:
    """How far ``current`` falls short of ``expected``, as a percentage of the progress expected since the base."""
    due = expected - base
    if due <= 0:
        return Decimal(0)
    return rounded(max(Decimal(0), (expected - current)) * HUNDRED / due, 1)


def status_of(
    *, current: Decimal | None, path: Path, on: dt.date, tolerances: Tolerances, direction: str = "up"
) -> Status:
    """The status of a target on a date; ``direction`` "down" for a target to reduce (lower is better)."""
    if current is None:
        return Status.NO_DATA
    if direction == "down":
        mirrored = Path(path.base_year, path.target_year, -path.base, -path.target)
        return status_of(current=-current, path=mirrored, on=on, tolerances=tolerances)
    if current >= path.target:
        return Status.MET
    if on < path.start:
        return Status.NOT_STARTED
    short = shortfall_percent(current, path.expected(on), path.base)
    if short <= tolerances.behind:
        return Status.ON_TRACK
    if short <= tolerances.at_risk:
        return Status.BEHIND
    return Status.AT_RISK


def behind_since(
    measured: Sequence[tuple[dt.date, Decimal]], path: Path, tolerances: Tolerances, direction: str = "up"
) -> dt.date | None:
    """The date of the first measurement in the latest unbroken run behind the path (behind or at risk),
    or None when the latest measurement is not behind. ``measured``: (date, value), oldest first."""
    since = None
    for on, value in measured:
        status = status_of(current=value, path=path, on=on, tolerances=tolerances, direction=direction)
        behind = status in (Status.BEHIND, Status.AT_RISK)
        since = (since or on) if behind else None
    return since


def share_of_path(current: Decimal | None, path: Path, on: dt.date) -> Decimal | None:
    """Current progress as a share of the progress expected by ``on`` (1 = exactly on the path), 4 places."""
    if current is None:
        return None
    due = path.expected(on) - path.base
    if due <= 0:
        return Decimal(1) if current >= path.base else Decimal(0)
    return rounded((current - path.base) / due, 4)


def share_of_target(current: Decimal | None, path: Path) -> Decimal | None:
    """Current progress as a share of the whole way to the target, 4 places (may exceed 1)."""
    if current is None:
        return None
    distance = path.target - path.base
    if distance <= 0:
        return Decimal(1)
    return rounded((current - path.base) / distance, 4)
