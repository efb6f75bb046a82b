"""The rules of each programme entity, in one place for every writer (no Django).

A target, a task or a programme's period is written by the loader (from a definition file), by
the confirmation of a policy-document proposal, by the admin site and by every later editor. All
of them ask these functions, so the same invalid input gets the same Chinese sentence from each:
``definition.checks`` for the loader, ``Target.clean()`` / ``Task.clean()`` / ``Programme.clean()``
for the admin and model forms, ``services.confirmation`` for proposals.

Each function returns every problem at once, by field name as the definition file spells it
(``field`` where the model says ``field_code``), so a writer shows them all in one pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from xiandao.programmes.definition.dated import DATED_FIELDS, values_for_year

#: Issues by field name; empty when the entity may be written.
Issues = dict[str, list[str]]

METRIC_MAX_LENGTH = 200
UNIT_MAX_LENGTH = 50
TITLE_MAX_LENGTH = 300
#: Target.value holds 20 digits, 6 after the point.
VALUE_DECIMAL_PLACES = 6
VALUE_LIMIT = Decimal(10) ** (20 - VALUE_DECIMAL_PLACES)

#: The choices and their Chinese names (the models' TextChoices carry the same; a test keeps them equal).
QUALIFIERS: dict[str, str] = {
    "about": "左右",
    "at_least": "以上",
    "strive": "力争",
    "exceed": "突破",
    "exactly": "确数",
}
SCOPES: dict[str, str] = {"province": "全省", "city": "全市", "zone": "先导区合计", "national": "全国"}
BASES: dict[str, str] = {"stock": "存量", "increment": "新增", "cumulative": "累计"}

#: Registry entities a target or indicator may count (GLOSSARY.md, "What is counted").
REGISTRY_ENTITIES: frozenset[str] = frozenset(
    {
        "enterprise",
        "platform",
        "talent_team",
        "technology",
        "standard",
        "product",
        "project",
        "fund",
        "scenario",
        "scenario_lab",
        "scenario_test_zone",
        "science_park",
        "pilot_zone",
    }
)


@dataclass(frozen=True)
class ProgrammeFrame:
    """What an entity's rules need to know of its programme.

    ``field_codes`` are the codes of every taxonomy version; ``indicator_codes`` are None when the
    programme's documents define no indicator framework.
    """

    start_year: int
    end_year: int
    field_codes: frozenset[str] = frozenset()
    indicator_codes: frozenset[str] | None = None


@dataclass(frozen=True)
class TargetFacts:
    """A target's values as any writer holds them (blank text as ``""``)."""

    year: int | None
    metric: str
    value: Decimal | int | float
    unit: str
    qualifier: str
    strive: bool
    cumulative: bool
    scope: str
    basis: str
    quote: str
    measure: str = ""
    field: str = ""

    @classmethod
    def of(cls, source: Any, **overrides: Any) -> TargetFacts:
        """The facts read from ``source``'s attributes of the same names (a schema model, a row); ``overrides`` win."""
        names = [f.name for f in fields(cls) if f.name not in overrides]
        return cls(**{name: getattr(source, name) for name in names}, **overrides)


@dataclass(frozen=True)
class TaskFacts:
    """A task's values; ``lead`` and ``cooperating`` are the units as written."""

    title: str
    quote: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


def _add(issues: Issues, name: str, message: str) -> None:
    issues.setdefault(name, []).append(message)


def _choices(table: dict[str, str]) -> str:
    return "、".join(table.values())


def period_message(year: int, frame: ProgrammeFrame) -> str:
    return f"目标年份{year}不在计划期{frame.start_year}–{frame.end_year}年内；未注明年份的请留空。"


def field_issue(code: str, frame: ProgrammeFrame) -> str | None:
    """The sentence for a field code the programme's taxonomy does not hold, else None."""
    if code in frame.field_codes:
        return None
    known = "、".join(sorted(frame.field_codes)) or "无"
    return f"未知领域编码“{code}”（分类中的领域：{known}）"


def measure_issue(measure: str, frame: ProgrammeFrame) -> str | None:
    """The sentence for a measure that names no registry or indicator of the programme, else None."""
    if measure.startswith("registry:"):
        entity = measure.split(":")[1]
        if entity not in REGISTRY_ENTITIES:
            return f"未知登记库“{entity}”（可用：{'、'.join(sorted(REGISTRY_ENTITIES))}）"
        return None
    if frame.indicator_codes is None:
        return f"指标“{measure}”无从引用：本计划的文件未规定指标体系"
    if measure not in frame.indicator_codes:
        return f"未知指标编码“{measure}”"
    return None


def _as_decimal(value: Decimal | int | float) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def target_issues(target: TargetFacts, frame: ProgrammeFrame) -> Issues:
    """Every rule a target breaks, by field; empty when it may be written."""
    issues: Issues = {}
    if target.year is not None and not frame.start_year <= target.year <= frame.end_year:
        _add(issues, "year", period_message(target.year, frame))
    if not target.metric.strip():
        _add(issues, "metric", "请填写指标名称（计数的对象，如“上市企业”）。")
    elif len(target.metric) > METRIC_MAX_LENGTH:
        _add(issues, "metric", f"指标名称过长，请控制在{METRIC_MAX_LENGTH}字以内。")
    value = _as_decimal(target.value)
    if value is None:
        _add(issues, "value", "目标值应为数字。")
    elif value < 0:
        _add(issues, "value", "目标值应为非负数。")
    elif value >= VALUE_LIMIT or -int(value.as_tuple().exponent) > VALUE_DECIMAL_PLACES:
        _add(issues, "value", f"目标值过大或小数位超过{VALUE_DECIMAL_PLACES}位，请核对。")
    if len(target.unit) > UNIT_MAX_LENGTH:
        _add(issues, "unit", "单位过长，请只填写量词或计量单位，如“家”“亿元”“%”。")
    if target.qualifier not in QUALIFIERS:
        _add(
            issues,
            "qualifier",
            f"限定“{target.qualifier}”不是本平台的可选项（{_choices(QUALIFIERS)}），请选择一项。",
        )
    if target.scope not in SCOPES:
        _add(issues, "scope", f"请选择目标范围（{_choices(SCOPES)}）。")
    if target.basis not in BASES:
        _add(issues, "basis", f"请选择计数口径（{_choices(BASES)}）。")
    # LABELLING.md sets ``cumulative`` only for 累计; the basis must agree with it, both ways.
    elif target.cumulative != (target.basis == "cumulative"):
        if target.cumulative:
            _add(issues, "basis", "原文写明“累计”的目标，计数口径应为“累计”。")
        else:
            _add(issues, "basis", "计数口径为“累计”的目标，须标明原文写有“累计”。")
    if not target.quote.strip():
        _add(issues, "quote", "缺少原文摘句，无法链接到文件中的句子。")
    if target.field:
        message = field_issue(target.field, frame)
        if message:
            _add(issues, "field", message)
    if target.measure:
        message = measure_issue(target.measure, frame)
        if message:
            _add(issues, "measure", message)
    return issues


def task_issues(task: TaskFacts, frame: ProgrammeFrame) -> Issues:
    """Every rule a task (not a heading) breaks, by field; units are checked against records elsewhere."""
    issues: Issues = {}
    if not task.title.strip():
        _add(issues, "task", "请填写任务名称（任务的标题或首句）。")
    elif len(task.title) > TITLE_MAX_LENGTH:
        _add(issues, "task", f"任务名称过长，请控制在{TITLE_MAX_LENGTH}字以内。")
    if not any(unit.strip() for unit in task.lead):
        _add(issues, "lead", "请至少填写一个牵头（责任）单位。")
    if not task.quote.strip():
        _add(issues, "quote", "缺少原文摘句，无法链接到文件中的句子。")
    for code in task.fields:
        message = field_issue(code, frame)
        if message:
            _add(issues, "fields", message)
    return issues


def period_issues(start_year: int, end_year: int, target_years: Iterable[int | None] = ()) -> Issues:
    """A programme's period: ordered, and holding the years of the targets it already has."""
    issues: Issues = {}
    if start_year > end_year:
        _add(issues, "end_year", f"计划期结束年份{end_year}早于起始年份{start_year}。")
        return issues
    outside = sorted(
        {year for year in target_years if year is not None and not start_year <= year <= end_year}
    )
    if outside:
        years = "、".join(str(year) for year in outside)
        _add(issues, "end_year", f"已有{years}年的目标，计划期{start_year}–{end_year}年须包含这些年份。")
    return issues


def issues_renamed(issues: Issues, renames: Collection[tuple[str, str]] = ()) -> Issues:
    """The same issues with some field names changed (``("field", "field_code")`` for a model)."""
    names = dict(renames)
    out: Issues = {}
    for name, messages in issues.items():
        out.setdefault(names.get(name, name), []).extend(messages)
    return out


# ---------------------------------------------------------------------------------------------
# Rule parameters: the numbers of the life-cycle rules (loader, 计划设置, revert)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterBounds:
    """The range the platform accepts for a kind of parameter (the documents set none)."""

    minimum: int
    maximum: int | None  # None: up to the length of the programme period
    unit: str


def _bounds(key: str) -> ParameterBounds:
    """The range of a parameter by its key; unknown keys only need a non-negative integer."""
    parts = key.split(".")
    if parts[0] == "grades" and parts[-1] == "threshold":
        return ParameterBounds(1, 300, "分")  # an index against the province's base of 100
    if parts[:2] == ["consequences", "host_city_bonus"]:
        return ParameterBounds(0, 10, "分")
    if key in ("consequences.observation_period", "consequences.tolerance_period"):
        return ParameterBounds(1, 5, "年")
    if key == "consequences.removal.consecutive_years":
        return ParameterBounds(1, None, "年")  # more years than the programme runs would never apply
    if key == "publication.public_notice_days":
        return ParameterBounds(1, 30, "天")
    if key in ("application.creation_period.min_years", "application.creation_period.max_years"):
        return ParameterBounds(1, 10, "年")
    return ParameterBounds(0, 10**9, "")


def parameter_label(key: str, removal_grade: str = "") -> str:
    """A Chinese name for a parameter key, as the rules page, 计划设置 and every message name it."""
    parts = key.split(".")
    if parts[0] == "grades" and parts[-1] == "threshold" and len(parts) == 3:
        return f"{parts[1]}等次分档线"
    if parts[:2] == ["consequences", "host_city_bonus"] and len(parts) >= 3:
        return f"{parts[2]}等次所在市目标管理绩效考核加分"
    labels = {
        "consequences.observation_period": "观察期",
        "consequences.tolerance_period": "包容期",
        "consequences.removal.consecutive_years": f"连续{removal_grade}等次移出创建名单的年数",
        "publication.public_notice_days": "名单公示天数",
        "application.creation_period.min_years": "创建周期最短年数",
        "application.creation_period.max_years": "创建周期最长年数",
    }
    return labels.get(key, key)


def parameter_value_issue(key: str, value: object, label: str, frame: ProgrammeFrame) -> str | None:
    """The sentence for one parameter value of the wrong type or out of range, else None (None: 未定)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{label}应为整数（填写的是“{value}”）。"
    bounds = _bounds(key)
    maximum = bounds.maximum
    if maximum is None:
        maximum = frame.end_year - frame.start_year + 1
    if not bounds.minimum <= value <= maximum:
        return f"{label}应在{bounds.minimum}至{maximum}{bounds.unit}之间（填写的是{value}{bounds.unit}）。"
    return None


def parameter_issues(
    values: dict[str, object],
    *,
    grade_ranks: dict[str, int],
    frame: ProgrammeFrame,
    removal_grade: str = "",
) -> Issues:
    """Every rule the programme's parameters break together, by parameter key; empty when consistent.

    Each value has its type and range; across values, a higher grade needs a higher threshold
    (AAA above AA above A) and at least the bonus of a lower one (分档加分).
    """
    issues: Issues = {}
    for key, value in values.items():
        message = parameter_value_issue(key, value, parameter_label(key, removal_grade), frame)
        if message:
            _add(issues, key, message)
    by_rank = sorted(grade_ranks, key=lambda code: grade_ranks[code])
    for pattern, relation in (
        ("grades.{}.threshold", "高于"),
        ("consequences.host_city_bonus.{}.points", "不低于"),
    ):
        ranked = [
            (pattern.format(code), values.get(pattern.format(code)))
            for code in by_rank
            if isinstance(values.get(pattern.format(code)), int) and pattern.format(code) not in issues
        ]
        for (low_key, low), (high_key, high) in itertools.pairwise(ranked):
            assert isinstance(low, int) and isinstance(high, int)
            broken = high <= low if relation == "高于" else high < low
            if broken:
                _add(
                    issues,
                    high_key,
                    f"{parameter_label(high_key)}（{high}）应{relation}{parameter_label(low_key)}（{low}）："
                    "等次越高，要求与加分不应越低。",
                )
    return issues


# ---------------------------------------------------------------------------------------------
# The indicator framework: dimension weights, indicators, retirement (loader and 指标体系 editor)
# ---------------------------------------------------------------------------------------------

DIRECTIONS: dict[int, str] = {1: "正向", -1: "逆向"}
SOURCES: dict[str, str] = {"reported": "先导区填报", "registry_count": "登记库计数", "derived": "计算得出"}
INDICATOR_WEIGHT_MAX = Decimal(10)


def _percent(value: Decimal) -> str:
    text = format((value * 100).quantize(Decimal("0.1")).normalize(), "f")
    return f"{text}%"


def dimension_weights_issue(weights: dict[str, Decimal]) -> str | None:
    """The sentence when the dimensions' weights (by name) do not sum to 1, with the sum and each weight."""
    total = sum(weights.values(), Decimal(0))
    if total == Decimal(1):
        return None
    each = "、".join(f"{name}{_percent(weight)}" for name, weight in weights.items())
    return f"各维度权重之和应为1（100%），现为{format(total.normalize(), 'f')}（{_percent(total)}；{each}）"


@dataclass(frozen=True)
class IndicatorFacts:
    """An indicator's values as any writer holds them (blank text as ``""``)."""

    code: str
    name: str
    unit: str
    direction: int
    definition: str
    formula: str
    source: str
    measure: str
    weight: Decimal | int | float | str
    from_year: int | None = None
    retired_from: int | None = None
    #: Values earlier years had (``definition.dated``): ``{before_year, weight?, definition?, formula?}``.
    earlier: tuple[Mapping[str, Any], ...] = ()


def indicator_issues(indicator: IndicatorFacts, frame: ProgrammeFrame) -> Issues:
    """Every rule an indicator breaks, by field; empty when it may be written."""
    issues: Issues = {}
    for name, value, what in (
        ("name", indicator.name, "指标名称"),
        ("unit", indicator.unit, "单位"),
        ("definition", indicator.definition, "指标解释"),
        ("formula", indicator.formula, "计算公式"),
    ):
        if not value.strip():
            _add(issues, name, f"请填写{what}。")
    if indicator.direction not in DIRECTIONS:
        _add(
            issues, "direction", f"请选择指标方向（{_choices({str(k): v for k, v in DIRECTIONS.items()})}）。"
        )
    if indicator.source not in SOURCES:
        _add(issues, "source", f"请选择数据来源（{_choices(SOURCES)}）。")
    elif indicator.source == "registry_count" and not indicator.measure.startswith("registry:"):
        _add(issues, "measure", "来源为登记库计数的指标须写 measure: registry:<登记库>")
    if indicator.measure and indicator.measure.startswith("registry:"):
        message = measure_issue(indicator.measure, frame)
        if message:
            _add(issues, "measure", message)
    weight = (
        _as_decimal(indicator.weight)
        if not isinstance(indicator.weight, str)
        else _text_decimal(indicator.weight)
    )
    if weight is None:
        _add(issues, "weight", "权重系数应为数字，如 1 或 0.8。")
    elif not Decimal(0) <= weight <= INDICATOR_WEIGHT_MAX:
        _add(issues, "weight", f"权重系数应在0至{INDICATOR_WEIGHT_MAX}之间（维度内的相对系数）。")
    for name, year, what in (
        ("from_year", indicator.from_year, "起始评估年度"),
        ("retired_from", indicator.retired_from, "停用年度"),
    ):
        if year is not None and not frame.start_year <= year <= frame.end_year + 1:
            _add(issues, name, f"{what}{year}不在计划期{frame.start_year}–{frame.end_year}年内。")
    if (
        indicator.from_year is not None
        and indicator.retired_from is not None
        and indicator.retired_from <= indicator.from_year
    ):
        _add(
            issues,
            "retired_from",
            f"停用年度{indicator.retired_from}应晚于起始评估年度{indicator.from_year}。",
        )
    for name, messages in earlier_values_issues(indicator.earlier, frame, INDICATOR_WEIGHT_MAX).items():
        for message in messages:
            _add(issues, name, message)
    return issues


def earlier_values_issues(
    entries: Iterable[Mapping[str, Any]],
    frame: ProgrammeFrame,
    weight_max: Decimal | None = None,
    fields: Collection[str] = DATED_FIELDS,
) -> Issues:
    """What is wrong with an indicator's or a dimension's ``earlier`` values, by ``earlier.<i>.<field>``.

    Each entry names a year of the programme after its first (the years before it keep the values
    it names), once, and at least one of ``fields``; a weight in it obeys the current weight's range.
    """
    issues: Issues = {}
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        year = int(entry["before_year"])
        if not frame.start_year < year <= frame.end_year + 1:
            _add(
                issues,
                f"earlier.{index}.before_year",
                f"生效年度{year}应在{frame.start_year + 1}–{frame.end_year + 1}年之间（此前年度保留原值）。",
            )
        if year in seen:
            _add(issues, f"earlier.{index}.before_year", f"生效年度{year}重复。")
        seen.add(year)
        named = [name for name in DATED_FIELDS if entry.get(name) is not None]
        if not named:
            _add(issues, f"earlier.{index}", f"{year}年以前的原值未写明任何一项。")
        for name in named:
            if name not in fields:
                _add(issues, f"earlier.{index}.{name}", f"{year}年以前的原值只能记录权重，不能记录“{name}”。")
        weight = entry.get("weight")
        if weight is not None and weight_max is not None:
            value = _text_decimal(weight) if isinstance(weight, str) else _as_decimal(weight)
            if value is None or not Decimal(0) <= value <= weight_max:
                _add(issues, f"earlier.{index}.weight", f"{year}年以前的权重系数应在0至{weight_max}之间。")
    return issues


def dated_dimension_weights_issues(dimensions: Iterable[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """For each year a dimension weight changed from, the sentence when the years before it do not sum to 1."""
    items = list(dimensions)
    years = sorted({int(e["before_year"]) for d in items for e in (d.get("earlier") or [])})
    found = []
    for year in years:
        weights = {
            str(d["name"]): _as_decimal(values_for_year(d, year - 1)["weight"]) or Decimal(0) for d in items
        }
        message = dimension_weights_issue(weights)
        if message:
            found.append((year, f"{year}年以前：{message}"))
    return found


def _text_decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def retirement_issue(
    code: str, name: str, retired_from: int, referencing: Iterable[tuple[str, int | None]]
) -> str | None:
    """The sentence when targets still measure an indicator in or after the year it is retired from.

    ``referencing`` holds (target code or description, year) of every target that measures the
    indicator; a target without a year runs to the end of the programme, so it counts.
    """
    blocking = [label for label, year in referencing if year is None or year >= retired_from]
    if not blocking:
        return None
    return (
        f"指标“{name}”（{code}）仍被{len(blocking)}个{retired_from}年及以后的目标引用"
        f"（{'、'.join(blocking[:5])}{'等' if len(blocking) > 5 else ''}），不能自{retired_from}年起停用；"
        "请先调整这些目标的计量方式。"
    )


def retirement_fields_issues(retired_from: int | None, reason: str, frame: ProgrammeFrame) -> Issues:
    """A retired target or task names a year of the programme (or the year after it) and a reason."""
    issues: Issues = {}
    if retired_from is None:
        return issues
    if not frame.start_year <= retired_from <= frame.end_year + 1:
        _add(
            issues,
            "retired_from",
            f"停用年度{retired_from}不在计划期{frame.start_year}–{frame.end_year}年内。",
        )
    if not reason.strip():
        _add(issues, "retired_reason", "停用须写明理由。")
    return issues


def framework_weight_issues(weights: Mapping[str, Decimal | int | float]) -> Issues:
    """The dimensions' shares of the overall score (by dimension name) add up to 1."""
    message = dimension_weights_issue({name: _as_decimal(w) or Decimal(0) for name, w in weights.items()})
    return {"weight": [message]} if message else {}


def field_kind_issue(kind: str, version_kinds: Collection[str]) -> str | None:
    """A field's kind is one of its own taxonomy version's kinds."""
    if kind in version_kinds:
        return None
    return f"未知领域类别“{kind}”（本版本类别：{'、'.join(sorted(version_kinds))}）"
