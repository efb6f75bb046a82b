"""What the results pages show, built once per request: rows, the tree, charts' options."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .models import EvaluationRun, ZoneResult
from .selectors import snapshot_of

TWO = Decimal("0.01")


def half_up(value: Any, places: Decimal = TWO) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass
class Labels:
    dimensions: list[tuple[str, str]]  # code, name
    indicators: list[dict[str, Any]]  # code, name, unit, dimension
    grades: list[tuple[str, str]]

    def indicator_name(self, code: str) -> str:
        return next((i["name"] for i in self.indicators if i["code"] == code), code)


def labels_of(run: EvaluationRun) -> Labels:
    data = snapshot_of(run)
    framework = data.get("engine", {}).get("framework", {})
    units = data.get("units", {})
    return Labels(
        [(d["code"], d.get("name") or d["code"]) for d in framework.get("dimensions", [])],
        [
            {
                "code": i["code"],
                "name": i.get("name") or i["code"],
                "unit": units.get(i["code"], ""),
                "dimension": i["dimension"],
            }
            for i in framework.get("indicators", [])
        ],
        [tuple(g) for g in data.get("grades", [])],
    )


def probabilities_row(result: ZoneResult, grades: list[tuple[str, str]]) -> list[tuple[str, Decimal | None]]:
    return [(code, half_up(result.probabilities.get(code), Decimal("0.0001"))) for code, _n in grades]


def dimension_means(results: list[ZoneResult], labels: Labels) -> dict[str, Decimal | None]:
    means: dict[str, Decimal | None] = {}
    for code, _name in labels.dimensions:
        values = [Decimal(r.nodes[code]) for r in results if r.nodes.get(code) is not None]
        means[code] = half_up(sum(values) / len(values)) if values else None
    return means


def radar_options(result: ZoneResult, labels: Labels, means: dict[str, Decimal | None]) -> dict[str, Any]:
    names = [name for _code, name in labels.dimensions]
    own = [float(result.nodes.get(code) or 0) for code, _n in labels.dimensions]
    mean = [float(means.get(code) or 0) for code, _n in labels.dimensions]
    return {
        "tooltip": {},
        "legend": {"data": [result.zone_name, "全部先导区平均"], "bottom": 0},
        "radar": {"indicator": [{"name": n, "max": 100} for n in names], "radius": "62%"},
        "series": [
            {
                "type": "radar",
                "data": [{"value": own, "name": result.zone_name}, {"value": mean, "name": "全部先导区平均"}],
            }
        ],
    }


def bars_options(result: ZoneResult, labels: Labels, means: dict[str, Decimal | None]) -> dict[str, Any]:
    names = [name for _code, name in labels.dimensions]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["本先导区", "平均"], "bottom": 0},
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "name": "得分"},
        "series": [
            {
                "name": "本先导区",
                "type": "bar",
                "data": [float(result.nodes.get(c) or 0) for c, _n in labels.dimensions],
            },
            {
                "name": "平均",
                "type": "bar",
                "data": [float(means.get(c) or 0) for c, _n in labels.dimensions],
            },
        ],
    }


def index_bars(results: list[ZoneResult]) -> dict[str, Any]:
    ordered = [(r, r.index) for r in results if r.index is not None]
    mean = sum((index for _r, index in ordered), Decimal(0)) / len(ordered) if ordered else Decimal(0)
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 90, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [r.zone_name for r, _index in ordered],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "name": "绩效指数"},
        "series": [
            {
                "name": "绩效指数",
                "type": "bar",
                "data": [float(index) for _r, index in ordered],
                "markLine": {
                    "data": [{"yAxis": float(half_up(mean) or 0), "name": "平均"}],
                    "label": {"formatter": "平均 {c}"},
                },
            }
        ],
    }


def indicator_rows(result: ZoneResult, labels: Labels, run: EvaluationRun) -> list[dict[str, Any]]:
    data = snapshot_of(run)
    zone = str(result.zone_id)
    values = {
        (row[2]): row[3]
        for row in data.get("engine", {}).get("values", [])
        if row[0] == zone and row[1] == run.year
    }
    targets = {
        row[2]: row[3]
        for row in (data.get("engine", {}).get("targets") or [])
        if row[0] == zone and row[1] == run.year
    }
    rows = []
    for item in labels.indicators:
        code = item["code"]
        rows.append(
            {
                **item,
                "value": half_up(values.get(code)),
                "target": half_up(targets.get(code)),
                "score": half_up(result.indicator_scores.get(code)),
                "attainment": result.attainment.get(code),
            }
        )
    return rows
