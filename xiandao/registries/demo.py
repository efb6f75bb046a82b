"""Demonstration registries for Anhui: a few thousand 示例… entries over 2023–2026, made through the services.

Each registry's rows are written into a workbook and imported with the import service (as a city
would), most are then confirmed, a few retired and a few tags lost — so counts, charts and target
pages show movement. Every name starts with 示例; the generator is seeded, so a reload is the same.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import TYPE_CHECKING, Any

from django.db import transaction
from openpyxl import Workbook

from xiandao.geo.selectors import jurisdiction_children
from xiandao.pilot_zones.selectors import zone_list, zone_place_list
from xiandao.programmes.selectors import field_list_for_programme, programme_list_by_codes

from .codes import sample_credit_code
from .models import EnterpriseTag, KeyTechnology, Project
from .registry import REGISTRIES, Registry
from .services.entries import (
    enterprise_tag_end,
    entries_confirm,
    entry_retire,
    project_progress_record,
    technology_assess,
)
from .services.importing import columns, entries_import

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction
    from xiandao.pilot_zones.models import PilotZone
    from xiandao.programmes.models import Field

#: How many entries of each registry the demonstration has.
SIZES = {
    "enterprise": 1200,
    "platform": 300,
    "talent_team": 200,
    "technology": 250,
    "standard": 250,
    "product": 250,
    "project": 150,
    "fund": 40,
    "scenario": 200,
    "scenario_lab": 80,
    "scenario_test_zone": 25,
    "science_park": 30,
}
WORDS = (
    "量子",
    "类脑",
    "低空",
    "合成生物",
    "储能",
    "氢能",
    "空天",
    "具身智能",
    "先进材料",
    "脑机",
    "光子",
    "核聚变",
)
SUFFIX = {
    "enterprise": "科技有限公司",
    "platform": "创新中心",
    "talent_team": "创新团队",
    "technology": "关键技术",
    "standard": "技术规范",
    "product": "样机",
    "project": "产业化项目",
    "fund": "产业子基金",
    "scenario": "应用场景",
    "scenario_lab": "未来场景实验室",
    "scenario_test_zone": "未来场景试验区",
    "science_park": "未来产业科技园",
}
START, END = dt.date(2023, 1, 1), dt.date(2026, 11, 30)
TAGS = (
    ("高新技术企业", 0.45),
    ("科技型中小企业", 0.5),
    ("专精特新中小企业", 0.2),
    ("专精特新“小巨人”企业", 0.06),
    ("瞪羚企业", 0.05),
    ("上市企业", 0.03),
    ("头部企业", 0.01),
    ("未来产业新星企业", 0.04),
)


def _day(rng: random.Random, start: dt.date = START, end: dt.date = END) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _choice(registry: Registry, name: str, rng: random.Random, weights: list[float] | None = None) -> str:
    labels = [label for _, label in registry.choices(name)]
    return rng.choices(labels, weights=weights if weights and len(weights) == len(labels) else None)[0]


def _row(
    registry: Registry, n: int, rng: random.Random, place: tuple[Jurisdiction, PilotZone | None, Field | None]
) -> dict[str, Any]:
    city, zone, field = place
    word = rng.choice(WORDS)
    row: dict[str, Any] = {
        "name": f"示例{city.short_name or city.name[:2]}{word}{SUFFIX[registry.key]}{n}",
        "city": city.name,
        "zone": zone.name if zone else "",
        "field": field.code if field else "",
        "valid_from": _day(rng),
        "source": rng.choice(["先导区报送", "部门名单", "统计部门", "第三方机构"]),
        "source_note": "示例数据",
    }
    level_weights = [0.15, 0.45, 0.4]
    for name in registry.fields:
        if name == "credit_code":
            row[name] = sample_credit_code(10_000 + n)
        elif registry.choices(name):
            row[name] = _choice(registry, name, rng, level_weights if name == "level" else None)
        elif name == "planned_investment":
            row[name] = rng.randrange(5_000, 500_000, 500)
        elif name == "size":
            row[name] = rng.randrange(10_000, 500_000, 1000)
        elif name == "invested":
            row[name] = 0
        elif name == "year":
            row[name] = row["valid_from"].year
        elif name == "catalogue":
            row[name] = f"示例{row['valid_from'].year}年第{rng.randint(1, 3)}批目录"
        elif name == "number" and rng.random() < 0.8:
            row[name] = f"T/AHFIA {rng.randrange(1, 999):03d}-{row['valid_from'].year}"
    return row


def _workbook(registry: Registry, rows: list[dict[str, Any]]) -> bytes:
    cols = columns(registry)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = registry.label[:31]
    sheet.append([label for _, label in cols])
    for row in rows:
        sheet.append([row.get(name, "") for name, _ in cols])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _enterprise_rows(registry: Registry, rng: random.Random, places: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for n in range(SIZES["enterprise"]):
        base = _row(registry, n, rng, rng.choice(places))
        base["valid_from"] = _day(rng, dt.date(2015, 1, 1), END)
        rows.append(base)
        for label, share in TAGS:
            if rng.random() >= share:
                continue
            tagged = dict(base)
            gained = _day(rng, max(base["valid_from"], dt.date(2020, 1, 1)), END)
            tagged.update(tag=label, tag_valid_from=gained, list_year=gained.year, publisher="示例发布单位")
            if label == "高新技术企业":
                tagged["certificate_no"] = f"GR{gained.year}34{rng.randrange(10**6):06d}"
            if label == "上市企业":
                tagged.update(
                    board=rng.choice(["科创板", "创业板", "上交所主板"]),
                    stock_code=f"688{rng.randrange(1000):03d}",
                )
            rows.append(tagged)
    return rows


@transaction.atomic
def demo_registries_create(*, scale: float = 1.0) -> dict[str, int]:
    """Create the demonstration entries if Anhui is loaded and none exist; returns counts by registry."""
    programme = programme_list_by_codes(["anhui"]).first()
    if programme is None or any(r.model._default_manager.filter(is_demo=True).exists() for r in REGISTRIES):
        return {}
    rng = random.Random(20260101)
    province = programme.jurisdiction
    cities = list(jurisdiction_children(province))
    fields = list(field_list_for_programme(programme))
    latest = {f.code: f for f in reversed(fields)}
    zones = list(zone_list().filter(programme=programme))
    zone_city = {p.zone_id: p.jurisdiction for p in zone_place_list(zones) if p.jurisdiction}
    places: list[tuple[Jurisdiction, PilotZone | None, Field | None]] = []
    for zone in zones:
        if zone.pk in zone_city:
            places += [(zone_city[zone.pk], zone, zone.field)] * 6
    for city in cities:
        places += [(city, None, rng.choice(list(latest.values())) if latest else None)] * 2
        places.append((city, None, None))
    made: dict[str, int] = {}
    for registry in REGISTRIES:
        size = max(1, int(SIZES[registry.key] * scale))
        if registry.key == "enterprise":
            rows = _enterprise_rows(registry, rng, places)
        else:
            rows = [_row(registry, n, rng, rng.choice(places)) for n in range(size)]
        result = entries_import(
            actor=None,
            registry=registry,
            data=_workbook(registry, rows),
            filename=f"示例{registry.label}.xlsx",
            check_permission=False,
            is_demo=True,
        )
        if not result.ok:
            raise ValueError("示例数据导入失败：" + "；".join(result.problems[:5]))
        chosen = [pk for pk in result.created if rng.random() < 0.88]
        entries_confirm(actor=None, registry=registry, ids=chosen, check_permission=False)
        _movement(registry, rng, chosen)
        made[registry.key] = len(result.created)
    return made


def _movement(registry: Registry, rng: random.Random, confirmed: list[int]) -> None:
    """Retire a few entries, end a few tags, assess technologies, record project progress."""
    model = registry.model
    for entry in model._default_manager.filter(pk__in=rng.sample(confirmed, k=max(1, len(confirmed) // 30))):
        on = _day(rng, entry.valid_from + dt.timedelta(days=1), END) if entry.valid_from < END else END
        entry_retire(actor=None, check_permission=False, entry=entry, on=on, reason="示例：资格到期未复核")
    if registry.key == "technology":
        for technology in KeyTechnology.objects.filter(pk__in=confirmed[:120]):
            level = rng.randint(2, 5)
            day = technology.valid_from
            while day < END and level <= 9:
                technology_assess(
                    actor=None,
                    check_permission=False,
                    technology=technology,
                    level=level,
                    assessed_on=day,
                    evaluator="示例评价机构",
                )
                level += rng.randint(1, 2)
                day += dt.timedelta(days=rng.randint(180, 420))
    if registry.key == "project":
        for project in Project.objects.filter(pk__in=confirmed):
            for year in range(project.valid_from.year, 2027):
                share = rng.uniform(0.1, 0.35)
                project_progress_record(
                    actor=None,
                    check_permission=False,
                    project=project,
                    year=year,
                    invested=(project.planned_investment * dt_decimal(share)).quantize(dt_decimal(1)),
                    workload=f"示例：{year}年完成主体工程{int(share * 100)}%",
                    overrun_note="示例：追加投资",
                )
    if registry.key == "enterprise":
        for tag in EnterpriseTag.objects.filter(
            enterprise_id__in=confirmed, valid_to__isnull=True, tag="listed"
        )[:3]:
            enterprise_tag_end(
                actor=None,
                tag=tag,
                on=max(END, tag.valid_from + dt.timedelta(days=1)),
                reason="示例：终止上市",
                check_permission=False,
            )


def dt_decimal(value: float) -> Any:
    from decimal import Decimal

    return Decimal(str(round(value, 4)))


@transaction.atomic
def demo_registries_remove() -> int:
    """Delete every demonstration entry (with its tags, assessments and progress)."""
    removed = 0
    for registry in REGISTRIES:
        deleted, _ = registry.model._default_manager.filter(is_demo=True).delete()
        removed += deleted
    return removed
