"""The methodology of a run: every configurable step, as frozen data with a version.

``Method()`` is the documented default (docs/algorithms/evaluation.md): min-max over all
zones and years, expert weights, arithmetic means, index against the first year's mean,
AAA at 125 and AA at 100 on the index rounded half-up to two decimals. Thresholds, the grade
scale and the gates are parameters here, never constants in the computing code.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Literal

from xiandao.evaluation.engine.errors import EngineError, listed, quoted
from xiandao.evaluation.engine.serialise import SerialisationError, from_data, to_data

# The version of the algorithm, not of the package: it changes whenever the same snapshot and
# method could give a different result, so a stored run says which rules produced it.
METHOD_VERSION = "xiandao-evaluation/2.0"

ImputationKind = Literal["none", "mean", "median", "carry"]
OutlierKind = Literal["none", "winsorise_or_log", "coinr"]
NormalisationKind = Literal["minmax", "zscore", "rank", "percentile", "goalposts", "target"]
WeightingKind = Literal["expert", "equal", "entropy", "pca"]
AggregationKind = Literal["arithmetic", "geometric"]


class MethodError(EngineError):
    """The method is inconsistent with itself or with the framework.

    ``key`` is the setting at fault as the method file writes it (``grading.scale``), or, for
    a file that is not JSON, ``第N行第M列``.
    """


@dataclass(frozen=True)
class Screening:
    """Drop or flag zones and indicators whose share of values present is under a threshold.

    ``count`` says how a zone's share is counted: ``weight``, the share of the framework's
    effective weight whose values are present; ``indicators``, the share of indicators present
    (COINr's ``Screen()``). ``after_imputation`` screens the imputed values (COINr screens the
    data set it is given, often the imputed one) instead of the reported ones.
    """

    min_zone_availability: float = 0.0
    min_indicator_availability: float = 0.0
    action: Literal["drop", "flag"] = "drop"
    count: Literal["weight", "indicators"] = "weight"
    after_imputation: bool = False


@dataclass(frozen=True)
class Imputation:
    """How a missing value is filled in; ``none`` leaves it out and rescales the weights."""

    kind: ImputationKind = "none"
    # Mean or median over the zone's peer group in the same year; a zone without a peer group
    # is imputed from all zones (and the record says so).
    by_peer_group: bool = True
    # A peer group with no value that year: impute from all zones (flagged), or leave the cell
    # missing, as COINr's i_mean_grp does.
    empty_group: Literal["all_zones", "missing"] = "all_zones"


@dataclass(frozen=True)
class OutlierTreatment:
    """Outlier treatment per indicator; ``coinr`` is COINr's ``Treat()`` exactly.

    ``winsorise_or_log`` (the engine's first rule): winsorise while |skewness| > 2 and
    kurtosis > 3.5 without going over ``max_points``, else ln(1 + 9 (x - min) / (max - min)).
    ``coinr``: pass when |skewness| < 2 or kurtosis < 3.5; else winsorise while failing and
    fewer than ``max_points`` treated (the step that crosses the limit is taken), and if it
    still fails, log(x - min + 0.01 (max - min)) of the original values.
    """

    kind: OutlierKind = "none"
    max_skewness: float = 2.0
    max_kurtosis: float = 3.5
    max_points: int = 5


@dataclass(frozen=True)
class Goalpost:
    """Fixed goalposts for one indicator: ``worst`` scores the low end, ``best`` the high end."""

    indicator: str
    worst: float
    best: float


@dataclass(frozen=True)
class Normalisation:
    """How raw values become comparable scores, over all zones and all years of the window."""

    kind: NormalisationKind = "minmax"
    low: float = 0.0
    high: float = 100.0
    # First and last year evaluated; None takes every year in the data.
    window: tuple[int, int] | None = None
    # z-scores are shown as T-scores (50 + 10 z), familiar from Chinese standard scores, and
    # positive, so that an index and a geometric mean stay meaningful.
    zscore_mean: float = 50.0
    zscore_sd: float = 10.0
    goalposts: tuple[Goalpost, ...] = ()
    # Distance to target: the share of the way from the window's worst value to the target.
    target_cap: float = 1.0
    # An indicator with one value everywhere tells no zone apart: it scores the middle of the
    # scale (``fifty`` on 0-100, today's rule) or is left missing (its weight goes to the others).
    constant: Literal["fifty", "missing"] = "fifty"


@dataclass(frozen=True)
class Weighting:
    """Where the weights come from; expert weights are the framework's own."""

    kind: WeightingKind = "expert"


@dataclass(frozen=True)
class Aggregation:
    """Weighted arithmetic or geometric mean, per dimension and then at every level of the tree."""

    kind: AggregationKind = "arithmetic"
    # A zero would zero a whole geometric mean, so scores are raised to this floor first.
    geometric_floor: float = 1.0
    # A dimension score needs this share of the dimension's weight present, else it is left out.
    min_dimension_coverage: float = 0.0

    def __post_init__(self) -> None:
        if not self.geometric_floor > 0:
            raise MethodError("必须大于0（几何平均要取对数）", "aggregation.geometric_floor")


@dataclass(frozen=True)
class Attainment:
    """A zone's value against its own annual target, direction-aware and capped."""

    cap: float = 1.0
    # A target with no value reported counts as not attained (0) rather than being left out.
    missing_counts_as_zero: bool = True


@dataclass(frozen=True)
class ScoringItem:
    """One line of an itemised scoring table (评分细则).

    ``basis="value"``: ``points`` per unit of the indicator's value (每新增1家得2分);
    ``basis="attainment"``: ``points`` times the target attainment (完成目标得满分, else pro rata).
    ``kind`` says whether the points are an item, a bonus (加分) or a penalty (扣分).
    """

    code: str
    indicator: str
    points: float
    basis: Literal["value", "attainment"] = "value"
    max_points: float | None = None
    kind: Literal["item", "bonus", "penalty"] = "item"


@dataclass(frozen=True)
class Veto:
    """A one-vote veto (一票否决): a value at or above ``at_least`` caps the grade."""

    code: str
    indicator: str
    grade_cap: str
    at_least: float = 1.0
    description: str = ""


@dataclass(frozen=True)
class ScoringRules:
    """The itemised scoring table, its caps on bonus and penalty points, and the vetoes."""

    items: tuple[ScoringItem, ...] = ()
    bonus_cap: float | None = None
    penalty_cap: float | None = None
    vetoes: tuple[Veto, ...] = ()


@dataclass(frozen=True)
class Threshold:
    """The lowest figure, as shown, that earns ``grade``."""

    grade: str
    minimum: float


@dataclass(frozen=True)
class Gate:
    """A hard gate: no grade at or above ``grade`` unless ``measure`` reaches ``minimum``.

    ``measure`` is ``attainment`` (overall target attainment, 0–1) or ``dimension:<code>``.
    A measure that cannot be computed fails the gate: a gate asks for evidence.
    """

    grade: str
    measure: str
    minimum: float


@dataclass(frozen=True)
class Grading:
    """The grade scale (lowest first), thresholds, gates and the figure they apply to."""

    basis: Literal["index", "itemised_score"] = "index"
    scale: tuple[str, ...] = ("A", "AA", "AAA")
    thresholds: tuple[Threshold, ...] = (Threshold("AAA", 125.0), Threshold("AA", 100.0))
    decimals: int = 2
    # The index's 100: the mean composite of all zones in the window's first year, or a value.
    reference: Literal["first_year_mean", "fixed"] = "first_year_mean"
    reference_value: float | None = None
    gates: tuple[Gate, ...] = ()

    def __post_init__(self) -> None:
        if len(set(self.scale)) != len(self.scale) or not self.scale:
            raise MethodError("应列出互不相同的等次，由低到高排列", "grading.scale")
        above_lowest = listed(self.scale[1:]) or "（无）"
        for n, threshold in enumerate(self.thresholds):
            if threshold.grade not in self.scale[1:]:
                raise MethodError(
                    f"等次{quoted(threshold.grade)}不能设门槛：它是最低等次或不在 grading.scale 中，"
                    f"可设：{above_lowest}",
                    f"grading.thresholds[{n}].grade",
                )
        ordered = sorted(self.thresholds, key=lambda t: self.scale.index(t.grade))
        for lower, higher in itertools.pairwise(ordered):
            if higher.minimum < lower.minimum:
                raise MethodError(
                    f"{higher.grade}的门槛{higher.minimum:g}低于{lower.grade}的门槛{lower.minimum:g}，"
                    "等次越高门槛应越高",
                    "grading.thresholds",
                )
        for n, gate in enumerate(self.gates):
            if gate.grade not in self.scale[1:]:
                raise MethodError(
                    f"等次{quoted(gate.grade)}不能设门槛条件：它是最低等次或不在 grading.scale 中，"
                    f"可设：{above_lowest}",
                    f"grading.gates[{n}].grade",
                )
            if gate.measure != "attainment" and not gate.measure.startswith("dimension:"):
                raise MethodError(
                    f"{quoted(gate.measure)}无法识别，应为“attainment”（目标达成度）或“dimension:维度编码”",
                    f"grading.gates[{n}].measure",
                )
        if self.reference == "fixed" and not self.reference_value:
            raise MethodError(
                "基准为固定值（fixed）时，须填写不为0的 reference_value", "grading.reference_value"
            )


@dataclass(frozen=True)
class Uncertainty:
    """Monte Carlo over the methodological choices, and the Sobol design that explains it."""

    draws: int = 1000
    seed: int = 20240601
    # Each weight is multiplied by a uniform factor in [1 - p, 1 + p] (the JRC audit uses ±20 %).
    weight_noise: float = 0.2
    normalisations: tuple[NormalisationKind, ...] = ("minmax", "zscore", "percentile")
    aggregations: tuple[AggregationKind, ...] = ("arithmetic", "geometric")
    imputations: tuple[ImputationKind, ...] = ("none", "mean", "carry")
    outlier_treatments: tuple[OutlierKind, ...] = ("none", "winsorise_or_log")
    # The rank interval's coverage: 0.9 gives the 5th and 95th percentiles.
    interval: float = 0.9
    # Draws evaluated together; bounds memory at zones × years × aggregates × batch floats.
    # Small enough that a batch's arrays stay in the processor's cache (bench/evaluation.py).
    batch_size: int = 32
    # N in the Saltelli design; the Sobol analysis evaluates N × (factors + 2) draws.
    sobol_base_samples: int = 256


@dataclass(frozen=True)
class Method:
    """The whole methodology of a run, serialisable to and from JSON."""

    method_version: str = METHOD_VERSION
    screening: Screening = field(default_factory=Screening)
    imputation: Imputation = field(default_factory=Imputation)
    outliers: OutlierTreatment = field(default_factory=OutlierTreatment)
    normalisation: Normalisation = field(default_factory=Normalisation)
    weighting: Weighting = field(default_factory=Weighting)
    aggregation: Aggregation = field(default_factory=Aggregation)
    attainment: Attainment = field(default_factory=Attainment)
    scoring_rules: ScoringRules = field(default_factory=ScoringRules)
    grading: Grading = field(default_factory=Grading)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    # How many strengths and weaknesses each zone's profile lists.
    profile_size: int = 3

    def __post_init__(self) -> None:
        if self.method_version != METHOD_VERSION:
            raise MethodError(
                f"方法版本{quoted(self.method_version)}与本程序的版本{quoted(METHOD_VERSION)}不符；"
                "评价结果只能由生成它的方法版本重算",
                "method_version",
            )
        scale = self.grading.scale
        for n, veto in enumerate(self.scoring_rules.vetoes):
            if veto.grade_cap not in scale:
                raise MethodError(
                    f"一票否决项{quoted(veto.code)}的封顶等次{quoted(veto.grade_cap)}不在等次表中"
                    f"（可用：{listed(scale)}）",
                    f"scoring_rules.vetoes[{n}].grade_cap",
                )

    def to_json(self) -> str:
        return json.dumps(to_data(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Method:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MethodError(
                f"不是有效的 JSON：{json_problem(error.msg)}", f"第{error.lineno}行第{error.colno}列"
            ) from None
        try:
            return from_data(cls, data)
        except SerialisationError as error:
            raise MethodError(error.problem, error.key) from None


# Python's json module says what is wrong in English; these are its messages.
_JSON_PROBLEMS = (
    ("Expecting value", "此处缺少一个值（可能多了逗号，或文本没加双引号）"),
    ("Expecting property name enclosed in double quotes", "此处应为加双引号的项名（可能多了逗号）"),
    ("Expecting ':' delimiter", "项名后缺少冒号"),
    ("Expecting ',' delimiter", "缺少逗号，或括号不配对"),
    ("Unterminated string", "文本缺少结尾的双引号"),
    ("Invalid control character", "文本中有换行或制表符等控制字符"),
    ("Invalid \\uXXXX escape", "文本中的 \\u 转义不完整"),
    ("Invalid \\escape", "文本中有无效的反斜杠转义"),
    ("Extra data", "内容在此处已经结束，后面还有多余的内容"),
    ("Illegal trailing comma", "末尾多了一个逗号"),
)


def json_problem(message: str) -> str:
    """What a ``json.JSONDecodeError`` message means, in Chinese."""
    for english, chinese in _JSON_PROBLEMS:
        if message.startswith(english):
            return chinese
    return "格式错误"
