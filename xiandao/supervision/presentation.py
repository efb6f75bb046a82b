"""View-models of the cockpit and the comparison: each chart's data, its table and its drill-down rows."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse

from . import progress as pg
from . import selectors

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


def _num(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def trend_chart(row: selectors.TargetProgress) -> dict[str, Any]:
    """A target's expected path and its actual values by year (ECharts data; the JS builds the option)."""
    # The first point is the eve of the base year: where the path starts (a stock's level).
    expected = [(row.path.base_year - 1, row.path.base), *row.path.points()]
    years = [y for y, _ in expected]
    actual = dict(row.actual_points)
    if row.current is not None:
        actual.setdefault(row.as_of.year, row.current)
    return {
        "kind": "line",
        "categories": [f"{y}（基期）" if y == years[0] else str(y) for y in years],
        "series": [
            {"name": "预期路径", "data": [_num(v) for _, v in expected]},
            {"name": "实际", "data": [_num(actual.get(y)) for y in years]},
        ],
        "unit": row.target.unit,
    }


def _bar(
    title: str, pairs: list[tuple[str, Any]], chart: str, base: str, column: str, unit: str = ""
) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "bar",
        "categories": [str(n) for n, _ in pairs],
        "series": [{"name": title, "data": [_num(v) for _, v in pairs]}],
        "urls": [f"{base}?{urlencode({'chart': chart, 'drill': n})}#drill" for n, _ in pairs],
        "unit": unit,
        "columns": [column, "数量"],
        "rows": [[n, v] for n, v in pairs],
    }


def cockpit_charts(programme: Programme, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    base = reverse("supervision:cockpit", kwargs={"programme_code": programme.code})
    charts = {
        "city": _bar("先导区按市分布", data["by_city"], "city", base, "设区市", "个"),
        "field": _bar("先导区按领域分布", data["by_field"], "field", base, "领域", "个"),
        "grade": _bar("最近一次评估等次", data["by_grade"], "grade", base, "等次", "个"),
        "status": _bar("目标进度状态", data["status_counts"], "status", base, "状态", "项"),
        "level": _bar("提示预警按等级", data["by_level"], "level", base, "等级", "条"),
    }
    departments = data["departments"][:15]
    charts["department"] = {
        "title": "牵头部门年度工作事项完成情况",
        "kind": "stack",
        "categories": [n for n, _t, _d in departments],
        "series": [
            {"name": "已办结", "data": [d for _n, _t, d in departments]},
            {"name": "未办结", "data": [t - d for _n, t, d in departments]},
        ],
        "urls": [
            f"{base}?{urlencode({'chart': 'department', 'drill': n})}#drill" for n, _t, _d in departments
        ],
        "columns": ["牵头部门", "工作事项", "已办结"],
        "rows": [[n, t, d] for n, t, d in departments],
    }
    charts["registry"] = {
        "title": "登记库存量增长（目标计量口径）",
        "kind": "line",
        "categories": [str(y) for y, _ in data["registry"]],
        "series": [{"name": "存量合计", "data": [v for _, v in data["registry"]]}],
        "columns": ["年末", "存量合计"],
        "rows": [[y, v] for y, v in data["registry"]],
    }
    progress = [r for r in data["progress"] if r.share_of_path is not None][:20]
    charts["progress"] = {
        "title": "目标进度（占预期进度）",
        "kind": "hbar",
        "categories": [f"{r.target.year} {r.target.metric[:14]}" for r in progress],
        "series": [
            {
                "name": "占预期进度",
                "data": [float(min(r.share_of_path or 0, Decimal(2)) * 100) for r in progress],
            }
        ],
        "urls": [
            reverse(
                "supervision:target_detail",
                kwargs={"programme_code": programme.code, "target_id": r.target.pk},
            )
            for r in progress
        ],
        "unit": "%",
        "columns": ["年份", "指标", "目标值", "当前值", "预期值", "状态"],
        "rows": [
            [r.target.year, r.target.metric, r.target.value, r.current, r.expected, r.status_label]
            for r in data["progress"]
        ],
    }
    return charts


def drill_rows(data: dict[str, Any], chart: str, value: str) -> list[list[Any]]:
    """The rows behind one bar of a chart."""
    if chart in ("city", "field", "grade"):
        return [[z["name"], z["city"], z["field"], z["grade"]] for z in data["zones"] if z[chart] == value]
    if chart == "status":
        return [
            [r.target.year, r.target.metric, r.current, r.expected, r.status_label]
            for r in data["progress"]
            if r.status_label == value
        ]
    if chart == "level":
        return [
            [w.kind_label, w.subject, w.responsible, w.since]
            for w in data["warnings"]
            if w.level_label == value
        ]
    if chart == "department":
        return [
            [row.task.title[:40], item.title, item.due, item.done_on or "未办结"]
            for row in data["tasks"]
            if any(u.written == value for u in row.lead)
            for item in row.items
        ]
    return []


def _lifecycle_words(lifecycle: Any, structure: dict[str, Any]) -> str:
    if lifecycle is None or not lifecycle.specified:
        return "文件未规定"
    if lifecycle.kind == "acceptance":
        evaluation = structure.get("periodic_evaluation") or ""
        return f"培育—验收—命名（{structure.get('principle', '')}）；定期评估：{evaluation[:40] + ('…' if len(evaluation) > 40 else '')}"
    return "分级创建：年度评估定等次，按等次奖惩"


def comparison_column(programme: Programme) -> dict[str, Any]:
    """One programme's figures for the observer, with its rules beside them."""
    from xiandao.programmes.selectors import framework_get, lifecycle_get, rule_parameters

    data = selectors.cockpit(programme)
    rows = data["progress"]
    shares = [r.share_of_path for r in rows if r.share_of_path is not None]
    items = [i for t in data["tasks"] for i in t.items]
    lifecycle = lifecycle_get(programme)
    structure = lifecycle.structure if lifecycle and lifecycle.specified else {}
    parameters = rule_parameters(programme)
    grades = [g.get("code") for g in structure.get("grades", [])] if structure else []
    thresholds = [
        f"{code}≥{parameters[f'grades.{code}.threshold'].value}"
        for code in grades
        if f"grades.{code}.threshold" in parameters
        and parameters[f"grades.{code}.threshold"].value is not None
    ]
    removal = structure.get("consequences", {}).get("removal", {}) if structure else {}
    n = parameters.get("consequences.removal.consecutive_years")
    framework = framework_get(programme)
    conf = selectors.settings_of(programme)
    return {
        "programme": programme,
        "zones": len(data["zones"]),
        "by_grade": data["by_grade"],
        "targets": len(rows),
        "on_track": sum(1 for r in rows if r.status in (pg.Status.MET, pg.Status.ON_TRACK)),
        "mean_share": (sum(shares, Decimal(0)) / len(shares)) if shares else None,
        "tasks": len(data["tasks"]),
        "items": len(items),
        "items_done": sum(1 for i in items if i.done_on),
        "warnings": len(data["warnings"]),
        "rules": [
            ("管理方式", _lifecycle_words(lifecycle, structure)),
            ("等次", "、".join(str(g) for g in grades) if grades else "文件未规定"),
            ("分档线", "；".join(thresholds) if thresholds else "文件未规定"),
            (
                "移出规则",
                f"连续{n.value}年{removal.get('grade', '')}等次移出"
                if n and n.value and removal
                else "文件未规定",
            ),
            (
                "评价体系",
                f"{framework.dimensions.count()}个维度"
                if framework and framework.specified
                else "文件未规定",
            ),
            ("进度容差", f"滞后>{conf.tolerances.behind}%，风险>{conf.tolerances.at_risk}%"),
            ("计划期", f"{programme.start_year}—{programme.end_year}年"),
        ],
    }
