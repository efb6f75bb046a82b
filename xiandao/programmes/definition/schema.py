"""Pydantic models of a programme definition file (``programmes/<code>.yaml``).

A definition is the policy written down as data: the jurisdiction and its documents, the field
taxonomy in dated versions, zone types, life-cycle rules, the indicator framework, and the
targets and tasks of the documents. The models are pure (no Django) so the loader, the export
command, the extractor's tests and any script can share one notion of a valid programme.

Validation is strict on purpose: a definition seeds a government database, so ``"2030"`` for a
year or a misspelt key is refused rather than coerced or ignored. Cross-references (field codes,
document codes, indicator codes, years inside the period, unique codes) are checked by
:func:`xiandao.programmes.definition.checks.consistency_issues`, which reports every problem
with its own field path so the reader can name the line of each.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator
from pydantic_core import PydanticCustomError

from xiandao.programmes.definition.checks import consistency_issues, format_path

# ---------------------------------------------------------------------------------------------
# Scalar types
# ---------------------------------------------------------------------------------------------

#: A stable identifier inside a programme: lower-case ASCII, digits, hyphens and underscores.
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
#: An administrative division code (行政区划代码), e.g. 340000 for Anhui.
DivisionCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
#: Non-empty text, as written in the document.
Text = Annotated[str, StringConstraints(min_length=1)]
#: A weight or share. Lax on input (YAML gives floats) but stored as Decimal, as DESIGN.md asks.
Weight = Annotated[Decimal, Field(strict=False, ge=0)]
#: What measures a target: an indicator code of the framework, or ``registry:<entity>[:<tag>]``.
Measure = Annotated[str, StringConstraints(pattern=r"^(registry:[a-z_]+(:[a-z_]+)?|[a-z0-9][a-z0-9-]*)$")]


Qualifier = Literal["about", "at_least", "strive", "exceed", "exactly"]
Scope = Literal["province", "city", "zone", "national"]
Basis = Literal["stock", "increment", "cumulative"]
IndicatorSource = Literal["reported", "registry_count", "derived"]


class Schema(BaseModel):
    """Base of every definition model: unknown keys and loose types are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


# ---------------------------------------------------------------------------------------------
# Programme frame: period, documents
# ---------------------------------------------------------------------------------------------


class Period(Schema):
    """The years a programme runs; every target's year must fall inside."""

    start_year: int = Field(ge=1949, le=2100)
    end_year: int = Field(ge=1949, le=2100)
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start_year > self.end_year:
            raise PydanticCustomError(
                "period_order",
                "起始年份{start}晚于结束年份{end}",
                {"start": self.start_year, "end": self.end_year},
            )
        return self


class Document(Schema):
    """A policy document's metadata (FACTS.md). The full text is read from the policy folder."""

    code: Code
    title: Text
    number: str | None = None
    issuer: Text
    date: dt.date | None = None
    source_file: Text
    notes: str | None = None


# ---------------------------------------------------------------------------------------------
# Taxonomy
# ---------------------------------------------------------------------------------------------


class FieldKind(Schema):
    """A group of fields in one taxonomy version (Anhui's "7" and "N", Fuzhou's "1", "6", "2")."""

    code: Code
    name: Text


class TaxonomyField(Schema):
    """One future-industry field (领域) with its directions (重点方向) and places (重点布局)."""

    code: Code
    name: Text
    order: int = Field(ge=1)
    kind: Code
    directions: list[Text] = []
    places: list[Text] = []
    notes: str | None = None
    #: Codes of the previous version's fields merged into this one (a field keeping its code is the same field).
    replaces: list[Code] = []


class TaxonomyVersion(Schema):
    """A complete, dated field list. A new version is added beside the old one, never over it."""

    code: Code
    name: Text
    valid_from: dt.date | None
    document: Code
    notes: str | None = None
    kinds: list[FieldKind] = Field(min_length=1)
    fields: list[TaxonomyField] = Field(min_length=1)


class ZoneType(Schema):
    """A kind of pilot zone the programme distinguishes (Zhejiang §二(二): cluster, network)."""

    code: Code
    name: Text
    definition: Text
    industry_stage: str | None = None
    document: Code


# ---------------------------------------------------------------------------------------------
# Parameters, life cycle
# ---------------------------------------------------------------------------------------------


class Parameter(Schema):
    """A rule's number. ``default: true`` marks a value the document leaves open (admin may change)."""

    value: int | None
    unit: str | None = None
    default: bool = False
    note: str | None = None


class NotSpecified(Schema):
    """Said where the programme's documents define no such thing; nothing is invented."""

    specified: Literal[False]
    note: Text


class Stage(Schema):
    """One step of a zone's life cycle, in order.

    ``zone_status`` names the pilot-zone status this step is, so a zone is shown in the
    programme's own word (Zhejiang's 培育建设 where Anhui says 创建中).
    """

    code: Code
    name: Text
    zone_status: Code | None = None


class Grade(Schema):
    """One evaluation grade; ``rank`` orders the scale (A < AA < AAA)."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]+$")]
    name: Text
    rank: int = Field(ge=1)
    threshold: Parameter | None = None


class GradeBonus(Schema):
    """Performance bonus points the host city earns for one grade (目标管理绩效考核分档加分)."""

    grade: str
    points: Parameter


class Removal(Schema):
    """Removal from the creation list after a number of consecutive grades."""

    grade: str
    consecutive_years: Parameter


class Condition(Schema):
    """One condition an applicant answers with a statement (皖四(二) 创新资源丰富……).

    ``zone_type`` limits it to applications of that zone type (浙 区域集聚型: 集中连片…).
    """

    code: Code
    name: Text
    quote: Text
    zone_type: Code | None = None


class CreationPeriod(Schema):
    """How long a creation period (创建周期) may be, in years; the documents may leave both open."""

    min_years: Parameter
    max_years: Parameter


class Application(Schema):
    """Who proposes a zone, where it may be, what the proposer attests and to whom it goes.

    ``conditions`` are the eligibility checklist; ``creation_period`` bounds the period the
    applicant sets; ``multi_host_zone_types`` are the zone types that span several host places
    (浙 网络协同型); ``recommendation_letter`` requires the stamped letter (盖章推荐函).
    """

    proposer: Text
    eligible_hosts: Text
    contents: list[Text]
    attestations: list[Literal["authenticity", "accuracy", "completeness", "compliance"]]
    recipient: Text
    conditions: list[Condition] = []
    creation_period: CreationPeriod | None = None
    multi_host_zone_types: list[Code] = []
    recommendation_letter: bool = True
    note: str | None = None


ReviewCriterion = Literal["direction", "attainability", "soundness", "feasibility"]


class ReviewScale(Schema):
    """The points each criterion is scored on, from ``min`` to ``max`` (e.g. 0–100, 百分制)."""

    min: Parameter
    max: Parameter


class CriterionWeights(Schema):
    """Each criterion's weight in the overall score, relative to the others (shown as shares)."""

    direction: Parameter
    attainability: Parameter
    soundness: Parameter
    feasibility: Parameter


class ScoringItem(Schema):
    """One item of itemised scoring rules (评分细则): a criterion's part with its maximum points."""

    code: Code
    criterion: ReviewCriterion
    name: Text
    max_points: Parameter


class Review(Schema):
    """The advisory committee's review of applications, with its scale and weights.

    The documents name the four criteria but leave the scale and weights open: those are
    parameters with ``default: true``. ``scoring_rules`` holds itemised scoring rules where a
    programme has them; experts then score by item and a criterion's score is its items' share
    of their maximum, on the scale.
    """

    body: Text
    member_kinds: list[Literal["scientist", "entrepreneur", "investor"]]
    criteria: list[ReviewCriterion]
    consult_departments: bool
    publisher: Text
    scale: ReviewScale
    weights: CriterionWeights
    scoring_rules: list[ScoringItem] = []


class Consequences(Schema):
    """What each grade brings (Anhui plan §四(四))."""

    improvement_opinion_grade: str
    observation_period: Parameter
    tolerance_period: Parameter
    removal: Removal
    support_from_grade: str
    national_recommendation_grade: str
    recognition: Literal["all_targets_met"]
    host_city_bonus: list[GradeBonus]


class GradedLifecycle(Schema):
    """Creation list with annual graded evaluation and its consequences (Anhui plan §四)."""

    specified: Literal[True]
    kind: Literal["graded_creation"]
    document: Code
    article: Text
    stages: list[Stage] = Field(min_length=1)
    application: Application
    review: Review
    evaluation_frequency: Literal["annual"]
    evaluators: list[Text]
    grades: list[Grade] = Field(min_length=1)
    consequences: Consequences


class Publication(Schema):
    """How a list of zones is made final: public notice (公示) before publication."""

    public_notice_days: Parameter
    publisher: Text


class AcceptanceLifecycle(Schema):
    """Cultivation, then an acceptance assessment, then the provincial list (Zhejiang §五(二))."""

    specified: Literal[True]
    kind: Literal["acceptance"]
    document: Code
    article: Text
    principle: Text
    stages: list[Stage] = Field(min_length=1)
    assessor: Text
    publication: Publication
    periodic_evaluation: Text
    application: Application | None = None


def _get(value: Any, key: str) -> Any:
    """A key of raw input (a dict) or an attribute of an already built model."""
    return value.get(key) if isinstance(value, dict) else getattr(value, key, None)


def _lifecycle_tag(value: Any) -> str | None:
    """Pick the life-cycle model: ``specified: false`` or the ``kind`` of the rules."""
    if _get(value, "specified") is False:
        return "not_specified"
    kind = _get(value, "kind")
    return kind if isinstance(kind, str) else None


Lifecycle = Annotated[
    Annotated[NotSpecified, Tag("not_specified")]
    | Annotated[GradedLifecycle, Tag("graded_creation")]
    | Annotated[AcceptanceLifecycle, Tag("acceptance")],
    Discriminator(
        _lifecycle_tag,
        custom_error_type="lifecycle_kind",
        custom_error_message=(
            "应写 specified: false 加说明，或写 specified: true 与 kind: graded_creation / acceptance"
        ),
    ),
]


# ---------------------------------------------------------------------------------------------
# Indicator framework
# ---------------------------------------------------------------------------------------------


class EarlierValues(Schema):
    """What the years before ``before_year`` had, where a change took effect from that year.

    Only the values that changed are written; the others are the current ones
    (``definition.dated.values_for_year`` reads a year's values).
    """

    before_year: int = Field(ge=1949, le=2101)
    weight: Weight | None = None
    definition: Text | None = None
    formula: Text | None = None


class EarlierWeight(Schema):
    """A dimension's weight in the years before ``before_year``."""

    before_year: int = Field(ge=1949, le=2101)
    weight: Weight


class Indicator(Schema):
    """One indicator with its 指标解释 and 计算公式; ``weight`` is a multiplier inside its dimension."""

    code: Code
    name: Text
    unit: Text
    direction: Literal[1, -1]
    definition: Text
    formula: Text
    source: IndicatorSource
    measure: Measure | None = None
    weight: Weight
    default: bool = False
    #: Whether an application must set a target for this indicator (overall and per year).
    target_required: bool = False
    anchor: str | None = None
    #: The first year the indicator is evaluated (None: from the programme's start).
    from_year: int | None = None
    #: The first year it is no longer evaluated (None: still in use); earlier years keep it.
    retired_from: int | None = None
    #: Weight, definition or formula the years before a change had (a change from a stated year).
    earlier: list[EarlierValues] = []


class Dimension(Schema):
    """A first-level dimension of the framework with its share of the overall score."""

    code: Code
    name: Text
    weight: Weight
    default: bool = False
    #: The weight the years before a change had (a weight change from a stated year).
    earlier: list[EarlierWeight] = []
    indicators: list[Indicator] = Field(min_length=1)


class IndicatorFramework(Schema):
    """The evaluation framework the document names, filled with default indicators."""

    specified: Literal[True]
    document: Code
    article: Text
    note: str | None = None
    dimensions: list[Dimension] = Field(min_length=1)


def _framework_tag(value: Any) -> str | None:
    """Pick the framework model by ``specified``."""
    specified = _get(value, "specified")
    if specified is False:
        return "not_specified"
    if specified is True:
        return "specified"
    return None


Framework = Annotated[
    Annotated[NotSpecified, Tag("not_specified")] | Annotated[IndicatorFramework, Tag("specified")],
    Discriminator(
        _framework_tag,
        custom_error_type="framework_kind",
        custom_error_message="应写 specified: false 加说明，或写 specified: true 与各维度",
    ),
]

#: Tags of the discriminated unions; they appear in pydantic's error locations, not in files.
UNION_TAGS: frozenset[str] = frozenset({"not_specified", "graded_creation", "acceptance", "specified"})


# ---------------------------------------------------------------------------------------------
# Statistical monitoring (统计监测): periods, approval chain, validation rules, outlier checks
# ---------------------------------------------------------------------------------------------

#: The levels a report can pass: the reporter first (zone or park), then each reviewer.
ApprovalLevel = Literal["zone", "park", "county", "city", "province"]
#: A side of a validation rule (``monitoring.checks``; the grammar is in ``definition.expressions``).
RuleSide = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Factor = Annotated[Decimal, Field(strict=False, gt=1)]
Threshold = Annotated[Decimal, Field(strict=False, gt=0)]


class MonitoringFrequency(Schema):
    """How often zones report: annual by default; quarterly where the programme asks for it."""

    value: Literal["annual", "quarterly"]
    #: Days after the period's end by which a report is due (the admin may set another deadline).
    due_days: int = Field(ge=1, le=365)
    default: bool = False
    note: str | None = None


class ApprovalChain(Schema):
    """Who reports and who approves, bottom-up: ``[zone, city, province]`` or ``[park, county, city]``."""

    levels: list[ApprovalLevel] = Field(min_length=2, max_length=4)
    default: bool = False
    note: str | None = None


class YearOnYear(Schema):
    """A value beyond ``factor`` times (or below 1/``factor`` of) last period's is flagged."""

    factor: Factor
    default: bool = False


class PeerCheck(Schema):
    """Modified z-score (Iglewicz–Hoaglin) among zones of the same field or zone type."""

    group: Literal["field", "zone_type"]
    threshold: Threshold
    min_peers: int = Field(ge=3, le=100)
    default: bool = False


class ValidationRule(Schema):
    """``left operator right``, e.g. ``ec-listed <= ec-high-tech``; an error blocks submission, a warning needs a comment."""

    code: Code
    left: RuleSide
    operator: Literal["==", "!=", ">", ">=", "<", "<="]
    right: RuleSide
    importance: Literal["error", "warning"]
    message: Text
    default: bool = False


class DisaggregationCategory(Schema):
    code: Code
    name: Text


class Disaggregation(Schema):
    """An indicator reported by category (enterprise type, platform level) as well as in total."""

    indicator: Code
    name: Text
    categories: list[DisaggregationCategory] = Field(min_length=2)
    default: bool = False


class Monitoring(Schema):
    """How a programme's zones report their figures; ``default: true`` where the documents leave it open."""

    document: Code | None = None
    article: str | None = None
    frequency: MonitoringFrequency
    approval_chain: ApprovalChain
    year_on_year: YearOnYear
    peers: PeerCheck
    rules: list[ValidationRule] = []
    disaggregations: list[Disaggregation] = []


# ---------------------------------------------------------------------------------------------
# Supervision (督查): target-progress tolerances, the period for task progress, early warnings
# ---------------------------------------------------------------------------------------------


def _default_parameter(value: int, unit: str, note: str) -> Parameter:
    return Parameter(value=value, unit=unit, default=True, note=note)


class SixListUnits(Schema):
    """Fuzhou's 六个一: the units keeping an industry's six lists where they are not its task's lead units."""

    field: Code
    units: list[Text] = Field(min_length=1)
    note: str | None = None


class Supervision(Schema):
    """How targets' progress and tasks are supervised; every value is a platform default the documents leave open."""

    document: Code | None = None
    article: str | None = None
    #: A target's shortfall from its path (percent of the progress expected) beyond which it is behind.
    behind_tolerance: Parameter = Field(
        default_factory=lambda: _default_parameter(10, "%", "低于预期进度不超过此比例视为进度正常")
    )
    #: Beyond this shortfall a target is at risk.
    at_risk_tolerance: Parameter = Field(
        default_factory=lambda: _default_parameter(25, "%", "低于预期进度超过此比例视为存在风险")
    )
    #: Days after a year's end during which that year's task progress may still be reported.
    report_window_days: Parameter = Field(
        default_factory=lambda: _default_parameter(90, "天", "年度结束后可报送该年度任务进展的天数")
    )
    #: A year-on-year fall of an indicator beyond this percentage raises an orange warning (yellow below).
    falling_percent: Parameter = Field(
        default_factory=lambda: _default_parameter(10, "%", "指标同比降幅超过此比例为橙色预警")
    )
    #: Days a supervision notice (督办) gives the responsible unit to answer.
    notice_days: Parameter = Field(default_factory=lambda: _default_parameter(15, "天", "督办反馈时限"))
    #: Yangzhou and Fuzhou: the units every task is implemented by (the documents' standing clause).
    standing_units: list[Text] = []
    standing_clause: str | None = None
    #: Fuzhou's 六个一: an industry's responsible units, overriding the lead units of its tasks.
    six_list_units: list[SixListUnits] = []


# ---------------------------------------------------------------------------------------------
# Targets and tasks
# ---------------------------------------------------------------------------------------------


class Target(Schema):
    """A numbered goal of a document: year, metric, value, unit, qualifier and scope as the document writes them, plus code, document, basis, measure.

    ``basis`` says how progress is counted: ``increment`` for new items made during the programme
    (新增, 突破, 制定, 推出, 引育…), ``cumulative`` where the clause says 累计, ``stock`` for a level
    standing at the deadline (a number of enterprises or zones, an industry's output).
    """

    code: Code
    document: Code
    year: int | None
    metric: Text
    value: int | float
    unit: str | None
    qualifier: Qualifier
    strive: bool
    cumulative: bool
    scope: Scope
    quote: Text
    basis: Basis
    measure: Measure | None = None
    field: Code | None = None
    note: str | None = None
    #: Retired by the admin from this year on (never deleted), with the reason.
    retired_from: int | None = None
    retired_reason: str | None = None


class Action(Schema):
    """A heading that groups tasks (行动, 重点工程, a section of 发展重点 or 组织实施)."""

    code: Code
    document: Code
    name: Text
    article: str | None = None


class Task(Schema):
    """A task with the units responsible, each as written; the loader resolves them to organisations."""

    code: Code
    document: Code
    task: Text
    lead: list[Text]
    cooperating: list[Text]
    quote: Text
    parent: Code | None = None
    article: str | None = None
    fields: list[Code] = []
    retired_from: int | None = None
    retired_reason: str | None = None


# ---------------------------------------------------------------------------------------------
# The programme
# ---------------------------------------------------------------------------------------------


class ProgrammeDefinition(Schema):
    """A whole programme definition file."""

    schema_version: Literal[1]
    code: Code
    name: Text
    level: Literal["province", "city"]
    jurisdiction: DivisionCode
    admin_organisation: Code
    admin_note: str | None = None
    period: Period
    documents: list[Document] = Field(min_length=1)
    taxonomy_versions: list[TaxonomyVersion] = Field(min_length=1)
    zone_types: list[ZoneType] = []
    lifecycle: Lifecycle
    indicator_framework: Framework
    targets: list[Target]
    actions: list[Action] = []
    tasks: list[Task]
    monitoring: Monitoring | None = None
    supervision: Supervision | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeDefinition:
        issues = consistency_issues(self)
        if issues:
            raise PydanticCustomError(
                "definition_inconsistent",
                "{summary}",
                {
                    "summary": "；".join(f"{format_path(loc)}：{message}" for loc, message in issues),
                    "issues": tuple(issues),
                },
            )
        return self

    def document(self, code: str) -> Document | None:
        """The document with this code, if any."""
        return next((doc for doc in self.documents if doc.code == code), None)

    def field_codes(self) -> set[str]:
        """Codes of every field in every taxonomy version."""
        return {field.code for version in self.taxonomy_versions for field in version.fields}
