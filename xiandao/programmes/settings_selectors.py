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
