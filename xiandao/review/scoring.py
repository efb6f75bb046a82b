"""Scores on the four criteria: checking a score sheet, the weighted result, spread and dissent. No Django.

Method ``scoring-1``. Each criterion is scored from ``scale.min`` to ``scale.max``. Where the
programme has itemised scoring rules (评分细则), each item is scored from 0 to its maximum and a
criterion's score is ``Σ item points / Σ item maxima × scale.max``. An expert's overall score is
``Σ score_c × weight_c / Σ weight_c`` (weights are relative; shown as shares). For an
application, the result is the mean of its experts' overall scores; the spread is the population
standard deviation (Excel's STDEV.P) and the range; the dissent lists the recommendations when
they are not all the same. Every figure is a Decimal rounded half-up to two places, as Excel
rounds.

Worked example: scale 0–100, weights 25/25/25/25, an expert's 80, 70, 90, 60 → 75.00; experts at
75.00 and 85.00 → result 80.00, standard deviation 5.00, range 75.00–85.00.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

METHOD = "scoring-1"
CRITERIA = ("direction", "attainability", "soundness", "feasibility")
CRITERION_LABELS = {
    "direction": "发展方向",
    "attainability": "目标可及性",
    "soundness": "任务合理性",
    "feasibility": "措施可行性",
}
RECOMMENDATION_LABELS = {
    "recommend": "建议列入创建名单",
    "revise": "修改完善后列入",
    "reject": "不建议列入",
}
CENT = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Item:
    code: str
    criterion: str
    name: str
    max_points: int


@dataclass(frozen=True)
class Rules:
    """A programme's scoring rules: scale, weights, optional items."""

    scale_min: int
    scale_max: int
    weights: Mapping[str, int]
    items: tuple[Item, ...] = ()
    criteria: tuple[str, ...] = CRITERIA

    @property
    def itemised(self) -> bool:
        return bool(self.items)

    def shares(self) -> dict[str, Decimal]:
        """Each criterion's share of the overall score (weights over their sum)."""
        total = sum(Decimal(self.weights.get(c, 0)) for c in self.criteria)
        if total <= 0:
            raise ValueError("四个方面的权重之和须大于0，请在计划设置中调整论证权重。")
        return {c: Decimal(self.weights.get(c, 0)) / total for c in self.criteria}


class SheetInvalid(ValueError):
    """A score sheet with problems; ``problems`` maps a field to its Chinese message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("；".join(problems.values()))
        self.problems = problems


def _number(raw: object) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def sheet_check(rules: Rules, points: Mapping[str, object]) -> dict[str, Decimal]:
    """The sheet's points by criterion (or by item code when itemised); every problem at once."""
    problems: dict[str, str] = {}
    values: dict[str, Decimal] = {}
    if rules.itemised:
        wanted = [(item.code, item.name, Decimal(0), Decimal(item.max_points)) for item in rules.items]
    else:
        low, high = Decimal(rules.scale_min), Decimal(rules.scale_max)
        wanted = [(c, CRITERION_LABELS.get(c, c), low, high) for c in rules.criteria]
    for code, label, low, high in wanted:
        raw = points.get(code)
        value = _number(raw)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            problems[code] = f"请填写“{label}”的评分（{_plain(low)}～{_plain(high)}分）"
        elif value is None:
            problems[code] = f"“{label}”的评分应为数字（填写的是“{raw}”）"
        elif not low <= value <= high:
            problems[code] = (
                f"“{label}”的评分应在{_plain(low)}～{_plain(high)}分之间（填写的是{_plain(value)}）"
            )
        elif value != value.quantize(Decimal("0.1")):
            problems[code] = f"“{label}”的评分最多保留一位小数（填写的是{_plain(value)}）"
        else:
            values[code] = value
    unknown = sorted(set(points) - {w[0] for w in wanted})
    if unknown:
        problems["_unknown"] = f"评分表中没有这些项目：{'、'.join(unknown)}"
    if problems:
        raise SheetInvalid(problems)
    return values


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def criterion_scores(rules: Rules, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each criterion's score on the scale (itemised sheets folded into their criteria)."""
    if not rules.itemised:
        return {c: Decimal(values[c]) for c in rules.criteria}
    out: dict[str, Decimal] = {}
    for criterion in rules.criteria:
        items = [item for item in rules.items if item.criterion == criterion]
        if not items:
            continue
        got = sum((Decimal(values[item.code]) for item in items), Decimal(0))
        most = sum(Decimal(item.max_points) for item in items)
        out[criterion] = got / most * Decimal(rules.scale_max)
    return out


def overall(rules: Rules, values: Mapping[str, Decimal]) -> Decimal:
    """An expert's weighted overall score, rounded half-up to two places."""
    scores = criterion_scores(rules, values)
    shares = rules.shares()
    present = {c: s for c, s in shares.items() if c in scores}
    total_share = sum(present.values(), Decimal(0))
    if total_share <= 0:
        raise ValueError("评分细则没有覆盖任何有权重的方面。")
    return rounded(sum((scores[c] * s for c, s in present.items()), Decimal(0)) / total_share)


@dataclass(frozen=True)
class Sheet:
    """One expert's submitted sheet, as the results see it."""

    expert: str
    kind: str
    overall: Decimal
    criteria: Mapping[str, Decimal]
    recommendation: str


@dataclass(frozen=True)
class Result:
    count: int
    mean: Decimal | None
    std_dev: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    criteria_means: dict[str, Decimal]
    recommendations: dict[str, int]
    dissent: bool
    dissenters: tuple[str, ...]


def _sqrt(value: Decimal) -> Decimal:
    return value.sqrt() if value > 0 else Decimal(0)


def result_of(sheets: Sequence[Sheet]) -> Result:
    """The committee's figures for one application from its submitted sheets."""
    if not sheets:
        return Result(0, None, None, None, None, {}, {}, False, ())
    scores = [s.overall for s in sheets]
    n = Decimal(len(scores))
    mean = sum(scores, Decimal(0)) / n
    variance = sum(((x - mean) ** 2 for x in scores), Decimal(0)) / n
    criteria_means: dict[str, Decimal] = {}
    for criterion in CRITERIA:
        got = [s.criteria[criterion] for s in sheets if criterion in s.criteria]
        if got:
            criteria_means[criterion] = rounded(sum(got, Decimal(0)) / Decimal(len(got)))
    counts: dict[str, int] = {}
    for sheet in sheets:
        counts[sheet.recommendation] = counts.get(sheet.recommendation, 0) + 1
    dissent = len(counts) > 1
    majority = max(
        counts,
        key=lambda r: (counts[r], -list(RECOMMENDATION_LABELS).index(r) if r in RECOMMENDATION_LABELS else 0),
    )
    dissenters = tuple(s.expert for s in sheets if dissent and s.recommendation != majority)
    return Result(
        count=len(scores),
        mean=rounded(mean),
        std_dev=rounded(_sqrt(variance)),
        minimum=rounded(min(scores)),
        maximum=rounded(max(scores)),
        criteria_means=criteria_means,
        recommendations={r: counts[r] for r in RECOMMENDATION_LABELS if r in counts},
        dissent=dissent,
        dissenters=dissenters,
    )
