"""What a count counts, as of a date: the counting rules as data. Pure (no Django).

A target's or indicator's measure is ``registry:<registry>[:<selector>][:<key=value>…]``; the
selector names a filter kept in :data:`SELECTORS` (so ``platform:provincial`` means "level
provincial or national"), and ``key=value`` segments add filters directly. An entry counts through
the dates it stands in the registry: confirmed, from ``valid_from`` until the first of
``valid_to`` and its retirement (both exclusive, as every date range of the platform), and —
for a tag such as 高新技术企业 — only while the tag is held.

Bases (``programmes.models.Basis``), for a date ``on`` and a start ``since``:

* stock — standing on ``on``;
* increment — first gained within ``[since, on]``; ``since`` defaults to 1 January of ``on``'s year
  (an indicator's "over the year"), a target passes its programme's start;
* cumulative — standing at any moment of ``[since, on]``: those already there plus those gained,
  including ones lost since.

Worked example: a 高新技术企业 certified 2023-11-20 holds the tag until 2026-11-20. On 2026-12-31
stock does not count it; the increment over 2026 does not; the cumulative count since 2024-01-01 does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

STOCK = "stock"
INCREMENT = "increment"
CUMULATIVE = "cumulative"
BASES = (STOCK, INCREMENT, CUMULATIVE)


@dataclass(frozen=True)
class Interval:
    """A span of dates, ``end`` exclusive, open when None."""

    start: dt.date
    end: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        """Does it meet the closed span ``[first, last]``?"""
        return self.start <= last and (self.end is None or self.end > first)


def clip(entry: Interval, tag: Interval) -> Interval | None:
    """The part of a tag's span that falls within its entry's span, or None."""
    start = max(entry.start, tag.start)
    ends = [e for e in (entry.end, tag.end) if e is not None]
    end = min(ends) if ends else None
    if end is not None and end <= start:
        return None
    return Interval(start, end)


def period_start(basis: str, on: dt.date, since: dt.date | None) -> dt.date | None:
    """Where the window of a basis starts: None for stock."""
    if basis == STOCK:
        return None
    return since or dt.date(on.year, 1, 1)


def counts(basis: str, spans: Iterable[Interval], *, on: dt.date, since: dt.date | None = None) -> bool:
    """Does an entry with these spans (already clipped) count on ``on`` for ``basis``?"""
    spans = list(spans)
    if not spans:
        return False
    if basis == STOCK:
        return any(s.contains(on) for s in spans)
    start = period_start(basis, on, since)
    assert start is not None
    if start > on:
        return False
    if basis == INCREMENT:
        return start <= min(s.start for s in spans) <= on
    if basis == CUMULATIVE:
        return any(s.overlaps(start, on) for s in spans)
    raise ValueError(f"未知的计数口径：{basis}")


@dataclass(frozen=True)
class Filter:
    """A conjunction of attribute tests: each value a tuple of allowed values."""

    attrs: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def merged(self, other: Filter) -> Filter:
        merged = dict(self.attrs)
        for key, values in other.attrs:
            merged[key] = values
        return Filter(tuple(sorted(merged.items())))

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.attrs)


def f(**attrs: str | tuple[str, ...]) -> Filter:
    return Filter(tuple(sorted((k, v if isinstance(v, tuple) else (v,)) for k, v in attrs.items())))


ABOVE_PROVINCIAL = ("national", "provincial")

#: What each registry's named selector means. ``tag`` tests an enterprise's dated tags.
SELECTORS: dict[str, dict[str, Filter]] = {
    "enterprise": {
        "listed": f(tag="listed"),
        "leading": f(tag=("leading", "ecosystem_leader")),
        "high_tech": f(tag="high_tech"),
        "little_giant": f(tag="little_giant"),
        "specialised": f(tag=("specialised", "little_giant")),
        "tech_sme": f(tag="tech_sme"),
        "unicorn": f(tag="unicorn"),
        "gazelle": f(tag="gazelle"),
        "nezha": f(tag="nezha"),
        "new_species": f(tag="new_species"),
        "hidden_champion": f(tag="hidden_champion"),
        "rising_star": f(tag="rising_star"),
        "first_class": f(tag="first_class"),
    },
    "platform": {
        "provincial": f(level=ABOVE_PROVINCIAL),
        "national": f(level="national"),
        "verification": f(kind=("proof_of_concept", "pilot_scale")),
        "innovation_centre": f(
            kind=(
                "industry_innovation_centre",
                "manufacturing_innovation_centre",
                "technology_innovation_centre",
            )
        ),
        "new_rd_institution": f(kind="new_rd_institution"),
    },
    "talent_team": {"provincial": f(level=ABOVE_PROVINCIAL)},
    "technology": {"key": f(), "frontier": f(catalogue="frontier"), "dynamic": f(catalogue="dynamic")},
    "standard": {
        "": f(stage="published"),
        "provincial": f(stage="published", level=("international", "national", "industry", "local")),
    },
    "product": {
        "flagship": f(kind="flagship"),
        "first_of_kind": f(kind=("first_set", "first_batch", "first_edition")),
        "key": f(kind=("key", "flagship")),
    },
    "project": {"major": f(kind=("major", "flagship")), "flagship": f(kind="flagship")},
    "fund": {},
    "scenario": {"benchmark": f(kind=("benchmark", "solution")), "major": f(kind="major")},
    "scenario_lab": {"provincial": f(level=ABOVE_PROVINCIAL)},
    "scenario_test_zone": {"provincial": f(level=ABOVE_PROVINCIAL)},
    "science_park": {
        "provincial": f(kind="science_park", level=ABOVE_PROVINCIAL),
        "incubator": f(kind=("incubator", "accelerator")),
    },
}

# The programme files name the level as the sentence does: 省级及以上 is ``provincial_or_above``.
for _selectors in SELECTORS.values():
    if "provincial" in _selectors:
        _selectors["provincial_or_above"] = _selectors["provincial"]

#: Defaults every count of a registry applies unless the measure overrides them.
DEFAULTS: dict[str, Filter] = {"standard": f(stage="published")}


@dataclass(frozen=True)
class Measure:
    """A parsed ``registry:`` key."""

    key: str
    registry: str
    selector: str = ""
    filter: Filter = field(default_factory=Filter)


class MeasureError(ValueError):
    """A key that names no registry or an unknown selector."""


def parse_measure(key: str) -> Measure:
    """``registry:platform:provincial`` → the platform registry with level national or provincial."""
    parts = key.split(":")
    if len(parts) < 2 or parts[0] != "registry" or not parts[1]:
        raise MeasureError(f"不是登记库计数口径：{key}")
    registry = parts[1]
    if registry not in SELECTORS:
        raise MeasureError(f"没有名为“{registry}”的登记库")
    filt = DEFAULTS.get(registry, Filter())
    selector = ""
    for part in parts[2:]:
        if "=" in part:
            name, _, values = part.partition("=")
            filt = filt.merged(Filter(((name, tuple(values.split(","))),)))
        else:
            if part not in SELECTORS[registry]:
                raise MeasureError(f"登记库“{registry}”没有名为“{part}”的筛选")
            selector = part
            filt = filt.merged(SELECTORS[registry][part])
    if not selector and "" in SELECTORS[registry]:
        filt = filt.merged(SELECTORS[registry][""])
    return Measure(key, registry, selector, filt)


def indicator_basis(definition: str) -> str:
    """An indicator's basis from how the framework defines it: 新增 → increment, 累计 → cumulative, else stock."""
    if "累计" in definition:
        return CUMULATIVE
    if "新增" in definition:
        return INCREMENT
    return STOCK


#: Each measure in words, as the target pages show it (registry, selector) → name.
LABELS: dict[tuple[str, str], str] = {
    ("enterprise", ""): "企业",
    ("enterprise", "listed"): "上市企业",
    ("enterprise", "leading"): "头部企业（生态主导型）",
    ("enterprise", "high_tech"): "高新技术企业（有效期内）",
    ("enterprise", "little_giant"): "专精特新“小巨人”企业",
    ("enterprise", "specialised"): "专精特新企业（含“小巨人”）",
    ("enterprise", "tech_sme"): "科技型中小企业（当年入库）",
    ("enterprise", "unicorn"): "独角兽企业",
    ("enterprise", "gazelle"): "瞪羚企业",
    ("enterprise", "nezha"): "哪吒企业",
    ("enterprise", "new_species"): "新物种企业",
    ("enterprise", "hidden_champion"): "隐形冠军企业",
    ("enterprise", "rising_star"): "未来产业新星企业",
    ("enterprise", "first_class"): "一流企业",
    ("platform", ""): "创新和公共服务平台",
    ("platform", "provincial"): "省级及以上创新和公共服务平台",
    ("platform", "national"): "国家级创新和公共服务平台",
    ("platform", "verification"): "概念验证中心和中试验证平台",
    ("platform", "innovation_centre"): "创新中心（产业、制造业、技术）",
    ("platform", "new_rd_institution"): "新型研发机构",
    ("talent_team", ""): "高层次人才团队",
    ("talent_team", "provincial"): "省级及以上高层次人才团队",
    ("technology", ""): "关键技术",
    ("technology", "key"): "关键技术",
    ("technology", "frontier"): "前沿技术攻关目录中的关键技术",
    ("technology", "dynamic"): "未来技术动态清单中的关键技术",
    ("standard", ""): "已发布标准（主导或参与）",
    ("standard", "provincial"): "已发布的国际、国家、行业和地方标准",
    ("product", ""): "标志性产品和“三首”产品",
    ("product", "flagship"): "标志性产品",
    ("product", "first_of_kind"): "“三首”产品（首台套、首批次、首版次）",
    ("product", "key"): "重点产品（含标志性产品）",
    ("project", ""): "产业项目",
    ("project", "major"): "重大产业项目（含标志性项目）",
    ("project", "flagship"): "标志性项目",
    ("fund", ""): "基金",
    ("scenario", ""): "应用场景",
    ("scenario", "benchmark"): "标杆应用场景和商用解决方案",
    ("scenario", "major"): "重大应用场景",
    ("scenario_lab", ""): "未来场景实验室",
    ("scenario_lab", "provincial"): "省级及以上未来场景实验室",
    ("scenario_test_zone", ""): "未来场景试验区",
    ("scenario_test_zone", "provincial"): "省级及以上未来场景试验区",
    ("science_park", ""): "未来产业科技园和孵化器",
    ("science_park", "provincial"): "省级及以上未来产业科技园",
    ("science_park", "incubator"): "孵化器和加速器",
}


LABELS.update(
    {
        (registry, "provincial_or_above"): label
        for (registry, sel), label in list(LABELS.items())
        if sel == "provincial"
    }
)


def measure_label(measure: Measure) -> str:
    """A measure in words; extra ``key=value`` filters are named after it."""
    label = LABELS.get((measure.registry, measure.selector)) or LABELS.get(
        (measure.registry, ""), measure.registry
    )
    return label
