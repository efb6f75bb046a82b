"""Reads of 计划设置 and 变更记录: each parameter with its group, article, state and last change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .models import IndicatorFramework, Lifecycle, PolicyDocument, Programme, ProgrammeChange

#: Parameter groups as the documents group them (Anhui plan §四(三)–(四), Zhejiang §五(二)), by key.
GROUPS: tuple[tuple[str, str], ...] = (
    ("grades.", "年度评估等次分档"),
    ("consequences.host_city_bonus.", "所在市目标管理绩效考核分档加分"),
    ("consequences.observation_period", "改进提档：观察期与包容期"),
    ("consequences.tolerance_period", "改进提档：观察期与包容期"),
    ("consequences.removal.", "动态调整：移出创建名单"),
    ("publication.", "名单公示与发布"),
)
WEIGHTS_GROUP = "评价维度权重"


def parameter_group(key: str) -> str:
    return next((name for prefix, name in GROUPS if key.startswith(prefix)), "其他参数")


@dataclass(frozen=True)
class ParameterRow:
    """One parameter as 计划设置 and the API show it."""

    key: str
    label: str
    value: Any
    unit: str
    default: bool
    note: str
    group: str
    document: PolicyDocument | None
    article: str
    changed_at: dt.datetime | None
    changed_by: str
    editable: bool  # a rule parameter (changed here); weights are changed in the framework editor

    @property
    def state(self) -> str:
        """默认值 / 已确认 (changed or confirmed by an admin) / 文件规定."""
        if self.default:
            return "默认值"
        return "已确认" if self.changed_at else "文件规定"


def parameter_rows(programme: Programme) -> list[ParameterRow]:
    """Every parameter of the programme in the documents' groups; a constant number of queries."""
    lifecycle = Lifecycle.objects.filter(programme=programme).select_related("document").first()
    framework = (
        IndicatorFramework.objects.filter(programme=programme, specified=True)
        .select_related("document")
        .prefetch_related("dimensions")
        .first()
    )
    last: dict[str, ProgrammeChange] = {}
    for change in (
        ProgrammeChange.objects.filter(programme=programme)
        .only("subject", "at", "actor_label")
        .order_by("at", "id")
    ):
        last[change.subject] = change
    rows = []
    for p in programme.rule_parameters.order_by("position"):
        seen = last.get(f"parameter:{p.key}")
        rows.append(
            ParameterRow(
                key=p.key,
                label=p.label,
                value=p.value,
                unit=p.unit,
                default=p.is_default,
                note=p.note,
                group=parameter_group(p.key),
                document=lifecycle.document if lifecycle else None,
                article=lifecycle.article if lifecycle else "",
                changed_at=seen.at if seen else None,
                changed_by=seen.actor_label if seen else "",
                editable=True,
            )
        )
    order = {name: i for i, (_, name) in enumerate(GROUPS)}
    rows.sort(key=lambda row: order.get(row.group, len(order)))
    if framework is not None:
        weights = last.get("dimensions")
        for dimension in framework.dimensions.all():
            rows.append(
                ParameterRow(
                    key=f"dimensions.{dimension.code}.weight",
                    label=f"{dimension.name}维度权重",
                    value=dimension.weight.normalize(),
                    unit="",
                    default=dimension.is_default,
                    note="各维度权重之和为1（100%）",
                    group=WEIGHTS_GROUP,
                    document=framework.document,
                    article=framework.article,
                    changed_at=weights.at if weights else None,
                    changed_by=weights.actor_label if weights else "",
                    editable=False,
                )
            )
    return rows


def parameter_groups(rows: list[ParameterRow]) -> list[tuple[str, list[ParameterRow]]]:
    groups: dict[str, list[ParameterRow]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.items())


# ---------------------------------------------------------------------------------------------
# The programme as it stood on a date (变更记录 ?on=), read from a stored state
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateParameter:
    label: str
    value: Any
    unit: str
    default: bool


@dataclass(frozen=True)
class StateView:
    """The whole programme of a stored state, as the as-of page shows it."""

    parameters: list[StateParameter]
    dimensions: list[dict[str, Any]]  # each with its indicators (values of the state's year)
    framework_note: str
    taxonomy: dict[str, Any] | None  # the version in force on the day
    taxonomy_count: int
    targets: list[dict[str, Any]]
    tasks: list[dict[str, Any]]


def _state_parameters(state: dict[str, Any]) -> list[StateParameter]:
    from .definition.invariants import parameter_label
    from .state import parameters_extracted

    lifecycle = dict(state.get("lifecycle") or {})
    if not lifecycle.get("specified"):
        return []
    _, found = parameters_extracted({k: v for k, v in lifecycle.items() if k not in ("specified", "kind")})
    removal = (lifecycle.get("consequences") or {}).get("removal", {}).get("grade", "")
    return [
        StateParameter(
            parameter_label(key, removal), p.get("value"), p.get("unit") or "", bool(p.get("default"))
        )
        for key, p in found.items()
    ]


def _version_in_force(versions: list[dict[str, Any]], day: dt.date) -> dict[str, Any] | None:
    """The latest version valid on ``day`` (an undated version counts from the start)."""
    in_force = None
    for version in versions:
        valid_from = version.get("valid_from")
        if valid_from is None or dt.date.fromisoformat(str(valid_from)) <= day:
            in_force = version
    return in_force or (versions[0] if versions else None)


def _target_row(target: dict[str, Any]) -> dict[str, Any]:
    """A stored target with its figure as the sentence puts it: 力争突破2000亿元, 60家左右, a bare number bare."""
    from .models.targets import Qualifier

    qualifier = str(target.get("qualifier") or "")
    before = ("力争" if target.get("strive") or qualifier == Qualifier.STRIVE else "") + (
        "突破" if qualifier == Qualifier.EXCEED else ""
    )
    after = dict(Qualifier.choices)[qualifier] if qualifier in (Qualifier.ABOUT, Qualifier.AT_LEAST) else ""
    figure = f"{before}{target.get('value')}{target.get('unit') or ''}{after}"
    return {**target, "figure": figure}


def state_view(state: dict[str, Any], day: dt.date) -> StateView:
    """Parameters, framework (for the day's year), taxonomy in force, targets and tasks of ``state``."""
    from .definition.dated import values_for_year

    framework = state.get("indicator_framework") or {}
    dimensions = []
    for dimension in framework.get("dimensions", []) if framework.get("specified") else []:
        indicators = []
        for indicator in dimension.get("indicators", []):
            values = values_for_year(indicator, day.year)
            indicators.append({**indicator, **values})
        dimensions.append({**dimension, **values_for_year(dimension, day.year), "indicators": indicators})
    versions = list(state.get("taxonomy_versions") or [])
    return StateView(
        parameters=_state_parameters(state),
        dimensions=dimensions,
        framework_note="" if framework.get("specified") else str(framework.get("note") or ""),
        taxonomy=_version_in_force(versions, day),
        taxonomy_count=len(versions),
        targets=[_target_row(target) for target in state.get("targets") or []],
        tasks=list(state.get("tasks") or []),
    )
