"""The checks of a report, pure (no Django): validation rules, year-on-year jumps, peers' modified z-scores.

Every check answers one of three things, never a guess:

* ``ok`` — it ran and found nothing;
* ``flag`` — it ran and found something, an ``error`` (blocks submission) or a ``warning``
  (needs a comment);
* ``cannot`` — it could not run, and says why (no value last period, fewer peers than the
  programme asks for, every peer with the same value so the MAD is zero). DHIS2 flags
  everything when a distribution is degenerate; we say that the check cannot be made.

Validation rules are ``left operator right`` with sides from
:mod:`xiandao.programmes.definition.expressions`; a side with a missing value is skipped, as
DHIS2's "skip if any value missing". The modified z-score is Iglewicz and Hoaglin's
``0.6745 (x − median) / MAD``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Literal

from xiandao.programmes.definition.expressions import OPERATORS, Side, SideError, parse_side

Outcome = Literal["ok", "flag", "cannot"]
Importance = Literal["error", "warning"]
Values = Mapping[str, "Decimal | None"]

#: Units of whole counts: a value in them is a non-negative integer.
COUNT_UNITS = frozenset({"家", "个", "项", "件", "人", "次", "所"})
#: Equal within this much (values are stored with four decimals).
TOLERANCE = Decimal("0.0001")
MAD_FACTOR = Decimal("0.6745")


@dataclass(frozen=True)
class Check:
    key: str  # unique within a report: rule:<code>, yoy:<indicator>, peer:<indicator>, value:<indicator>
    kind: Literal["rule", "year_on_year", "peer", "value", "disaggregation"]
    outcome: Outcome
    message: str
    importance: Importance = "warning"
    indicators: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.outcome == "flag"

    @property
    def blocks(self) -> bool:
        return self.outcome == "flag" and self.importance == "error"


@dataclass(frozen=True)
class Rule:
    code: str
    left: Side
    operator: str
    right: Side
    importance: Importance
    message: str

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """The indicators the rule reads, sorted (worked out once: a rule runs on every report)."""
        return tuple(sorted(self.left.codes() | self.right.codes()))


def rule_read(data: Mapping[str, object]) -> Rule:
    """A rule from the programme definition's ``monitoring.rules`` item."""
    importance = str(data["importance"])
    if importance not in ("error", "warning"):
        raise SideError(f"重要性应为 error 或 warning：{importance}")
    operator = str(data["operator"])
    if operator not in OPERATORS:
        raise SideError(f"未知运算符：{operator}")
    return Rule(
        code=str(data["code"]),
        left=parse_side(str(data["left"])),
        operator=operator,
        right=parse_side(str(data["right"])),
        importance=importance,  # type: ignore[arg-type]
        message=str(data["message"]),
    )


def rounded(value: Decimal, places: int = 2) -> Decimal:
    """Half-up, as Excel rounds."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def text(value: Decimal) -> str:
    """A number as a person writes it: 12.5, 3, 0.25."""
    return format(value.normalize(), "f")


def side_value(side: Side, current: Values, previous: Values) -> tuple[Decimal | None, list[str]]:
    """The side's value, or None with the names of the missing terms."""
    total = Decimal(0)
    missing: list[str] = []
    for term in side.terms:
        if not term.code:
            total += term.sign * term.factor
            continue
        source = current if term.offset == 0 else previous
        value = source.get(term.code)
        if value is None:
            missing.append(f"{term.code}[{term.offset}]" if term.offset else term.code)
            continue
        total += term.sign * term.factor * value
    return (None if missing else total), missing


def _holds(left: Decimal, operator: str, right: Decimal) -> bool:
    difference = left - right
    if operator == "==":
        return abs(difference) <= TOLERANCE
    if operator == "!=":
        return abs(difference) > TOLERANCE
    if operator == ">":
        return difference > TOLERANCE
    if operator == ">=":
        return difference >= -TOLERANCE
    if operator == "<":
        return difference < -TOLERANCE
    if operator == "<=":
        return difference <= TOLERANCE
    raise SideError(f"未知运算符：{operator}")


def rule_check(
    rule: Rule, current: Values, previous: Values, names: Mapping[str, str] | None = None
) -> Check:
    """Evaluate one rule on this period's values and the previous period's."""
    names = names or {}
    key = f"rule:{rule.code}"
    indicators = rule.indicators
    left, missing_left = side_value(rule.left, current, previous)
    right, missing_right = side_value(rule.right, current, previous)
    if left is None or right is None:
        missing = [*missing_left, *missing_right]
        words = "、".join(_term_name(m, names) for m in missing)
        return Check(
            key, "rule", "cannot", f"{rule.message}：缺少{words}，暂不校验", rule.importance, indicators
        )
    if _holds(left, rule.operator, right):
        return Check(key, "rule", "ok", rule.message, rule.importance, indicators)
    detail = (
        f"（左边 {text(rounded(left, 4))}，右边 {text(rounded(right, 4))}，应{OPERATORS[rule.operator]}）"
    )
    return Check(key, "rule", "flag", rule.message + detail, rule.importance, indicators)


def _term_name(term: str, names: Mapping[str, str]) -> str:
    if term.endswith("]"):
        code = term.split("[", 1)[0]
        return f"上期的“{names.get(code, code)}”"
    return f"“{names.get(term, term)}”"


def year_on_year_check(
    indicator: str, current: Decimal | None, previous: Decimal | None, factor: Decimal, name: str = ""
) -> Check:
    """A value more than ``factor`` times last period's, or less than 1/``factor`` of it, is a warning."""
    key = f"yoy:{indicator}"
    label = name or indicator
    if current is None:
        return Check(key, "year_on_year", "cannot", f"“{label}”本期未填报，无法同比", indicators=(indicator,))
    if previous is None:
        return Check(key, "year_on_year", "cannot", f"“{label}”无上期数值，无法同比", indicators=(indicator,))
    if previous <= 0 or current < 0:
        return Check(
            key,
            "year_on_year",
            "cannot",
            f"“{label}”上期数值为{text(previous)}，无法计算倍数",
            indicators=(indicator,),
        )
    ratio = current / previous
    if ratio > factor or ratio < 1 / factor:
        return Check(
            key,
            "year_on_year",
            "flag",
            f"“{label}”为上期的{text(rounded(ratio))}倍（上期 {text(previous)}，本期 {text(current)}），"
            f"超出{text(factor)}倍的同比幅度，请核实或说明",
            indicators=(indicator,),
        )
    return Check(key, "year_on_year", "ok", f"“{label}”同比正常", indicators=(indicator,))


@dataclass(frozen=True)
class PeerScore:
    """A value's modified z-score among its peers, or why there is none."""

    outcome: Outcome
    score: Decimal | None
    median: Decimal | None
    mad: Decimal | None
    peers: int
    reason: str = ""


@dataclass(frozen=True)
class PeerStats:
    """A peer group's median and MAD for one indicator, computed once and shared by every member."""

    count: int
    median: Decimal | None
    mad: Decimal | None


def peer_stats(peers: Sequence[Decimal], *, min_peers: int) -> PeerStats:
    """The median and MAD of ``peers`` (none when fewer than ``min_peers``: no comparison is made)."""
    count = len(peers)
    if count < min_peers:
        return PeerStats(count, None, None)
    median = Decimal(statistics.median(peers))
    mad = Decimal(statistics.median([abs(p - median) for p in peers]))
    return PeerStats(count, median, mad)


def modified_z_from(value: Decimal, stats: PeerStats, *, threshold: Decimal, min_peers: int) -> PeerScore:
    """``value``'s modified z-score from its group's precomputed :func:`peer_stats` (the group includes it)."""
    count = stats.count
    if count < min_peers or stats.median is None or stats.mad is None:
        return PeerScore(
            "cannot", None, None, None, count, f"同类先导区仅{count}个（少于{min_peers}个），不作同类比较"
        )
    median, mad = stats.median, stats.mad
    if mad == 0:
        return PeerScore(
            "cannot",
            None,
            median,
            mad,
            count,
            f"{count}个同类先导区中半数以上数值相同（MAD为0），无法判断是否异常",
        )
    score = MAD_FACTOR * (value - median) / mad
    outcome: Outcome = "flag" if abs(score) > threshold else "ok"
    return PeerScore(outcome, rounded(score), median, mad, count)


def modified_z(value: Decimal, peers: Sequence[Decimal], *, threshold: Decimal, min_peers: int) -> PeerScore:
    """``value``'s modified z-score among ``peers`` (which include it); ``cannot`` when too few or MAD = 0."""
    return modified_z_from(
        value, peer_stats(peers, min_peers=min_peers), threshold=threshold, min_peers=min_peers
    )


def peer_check(
    indicator: str,
    value: Decimal | None,
    peers: Sequence[Decimal],
    *,
    threshold: Decimal,
    min_peers: int,
    group: str,
    name: str = "",
    stats: PeerStats | None = None,
) -> Check:
    """The peer comparison of one value; ``stats`` (the group's :func:`peer_stats` of ``peers``), when
    given, saves computing the median and MAD again for every member of the group."""
    key = f"peer:{indicator}"
    label = name or indicator
    if value is None:
        return Check(key, "peer", "cannot", f"“{label}”本期未填报，不作同类比较", indicators=(indicator,))
    if stats is None:
        stats = peer_stats(peers, min_peers=min_peers)
    found = modified_z_from(value, stats, threshold=threshold, min_peers=min_peers)
    if found.outcome == "cannot":
        return Check(key, "peer", "cannot", f"“{label}”：{found.reason}", indicators=(indicator,))
    assert found.score is not None and found.median is not None
    if found.outcome == "flag":
        return Check(
            key,
            "peer",
            "flag",
            f"“{label}”在{found.peers}个{group}中偏离明显（修正Z值 {text(found.score)}，中位数 "
            f"{text(rounded(found.median, 4))}，阈值 {text(threshold)}），请核实或说明",
            indicators=(indicator,),
        )
    return Check(
        key, "peer", "ok", f"“{label}”同类比较正常（修正Z值 {text(found.score)}）", indicators=(indicator,)
    )


def value_check(indicator: str, value: Decimal | None, unit: str, name: str = "") -> Check:
    """Counts are whole and never negative."""
    key = f"value:{indicator}"
    label = name or indicator
    if value is not None and unit in COUNT_UNITS and (value < 0 or value != value.to_integral_value()):
        return Check(key, "value", "flag", f"“{label}”应为非负整数（单位：{unit}）", "error", (indicator,))
    return Check(key, "value", "ok", "", "error", (indicator,))


def disaggregation_check(
    indicator: str, total: Decimal | None, parts: Mapping[str, Decimal | None], name: str = ""
) -> Check:
    """When every category is filled in, they add up to the total."""
    key = f"parts:{indicator}"
    label = name or indicator
    if total is None or any(v is None for v in parts.values()):
        return Check(
            key, "disaggregation", "cannot", f"“{label}”分类未填全，暂不核对合计", "error", (indicator,)
        )
    added = sum((v for v in parts.values() if v is not None), Decimal(0))
    if abs(added - total) > TOLERANCE:
        return Check(
            key,
            "disaggregation",
            "flag",
            f"“{label}”各分类之和 {text(added)} 与合计 {text(total)} 不符",
            "error",
            (indicator,),
        )
    return Check(key, "disaggregation", "ok", "", "error", (indicator,))


def blocking(checks: Iterable[Check]) -> list[Check]:
    """The findings that stop a submission."""
    return [c for c in checks if c.blocks]


# --- the programme's monitoring settings --------------------------------------------------------

LEVEL_NAMES = {
    "zone": "先导区",
    "park": "园区",
    "county": "县（市、区）",
    "city": "设区市",
    "province": "省级主管部门",
}
#: The chain where a programme's definition has no monitoring section.
DEFAULT_CHAINS = {"province": ("zone", "city", "province"), "city": ("park", "county", "city")}


@dataclass(frozen=True)
class Disaggregation:
    indicator: str
    name: str
    categories: tuple[tuple[str, str], ...]  # (code, name)


@dataclass(frozen=True)
class MonitoringSettings:
    """``Programme.monitoring`` read once: what every page and service of this app asks of it."""

    frequency: str
    due_days: int
    levels: tuple[str, ...]
    factor: Decimal
    peer_group: str
    threshold: Decimal
    min_peers: int
    rules: tuple[Rule, ...]
    disaggregations: tuple[Disaggregation, ...]
    programme_level: str

    def level_name(self, level: str) -> str:
        if level == "city" and self.programme_level == "city" and level == self.levels[-1]:
            return "市级主管部门"
        return LEVEL_NAMES.get(level, level)

    @property
    def final_stage(self) -> int:
        return len(self.levels) - 1

    def disaggregation(self, indicator: str) -> Disaggregation | None:
        return next((d for d in self.disaggregations if d.indicator == indicator), None)


def settings_read(data: Mapping[str, object] | None, programme_level: str) -> MonitoringSettings:
    """The settings from the stored section; the platform's defaults where there is none."""
    data = data or {}
    frequency = dict(data.get("frequency") or {})  # type: ignore[call-overload]
    chain = dict(data.get("approval_chain") or {})  # type: ignore[call-overload]
    yoy = dict(data.get("year_on_year") or {})  # type: ignore[call-overload]
    peers = dict(data.get("peers") or {})  # type: ignore[call-overload]
    levels = tuple(chain.get("levels") or DEFAULT_CHAINS.get(programme_level, DEFAULT_CHAINS["province"]))
    return MonitoringSettings(
        frequency=str(frequency.get("value", "annual")),
        due_days=int(frequency.get("due_days", 90)),
        levels=levels,
        factor=Decimal(str(yoy.get("factor", 3))),
        peer_group=str(peers.get("group", "field")),
        threshold=Decimal(str(peers.get("threshold", "3.5"))),
        min_peers=int(peers.get("min_peers", 5)),
        rules=tuple(rule_read(r) for r in data.get("rules") or ()),  # type: ignore[attr-defined]
        disaggregations=tuple(
            Disaggregation(
                str(d["indicator"]),
                str(d["name"]),
                tuple((str(c["code"]), str(c["name"])) for c in d["categories"]),
            )
            for d in data.get("disaggregations") or ()  # type: ignore[attr-defined]
        ),
        programme_level=programme_level,
    )
