"""Demonstration pilot zones for Anhui and Zhejiang, written through the zone services.

Every name starts with 示例 so none can be mistaken for an official zone (FACTS.md lists the real
ones that have been reported, e.g. 合肥量子科技); the zones carry no figures, and they sit in
real parks only as places. Fields are those of each programme's latest taxonomy version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xiandao.geo.selectors import park_list_named
from xiandao.programmes.selectors import field_latest, programme_list_by_codes, zone_type_get

from .models import PilotZone, ZoneStatus
from .services import demo_zones_delete, zone_create, zone_place_add


@dataclass(frozen=True)
class DemoZone:
    programme: str
    name: str
    field: str
    status: str
    parks: tuple[str, ...]
    zone_type: str = ""
    since: dt.date = dt.date(2024, 9, 30)


DEMO_ZONES: tuple[DemoZone, ...] = (
    DemoZone("anhui", "示例量子精密测量先导区", "quantum", ZoneStatus.CREATING, ("合肥高新技术产业开发区",)),
    DemoZone(
        "anhui",
        "示例类脑智能先导区",
        "general-intelligence",
        ZoneStatus.UNDER_REVIEW,
        ("合肥高新技术产业开发区",),
    ),
    DemoZone(
        "anhui",
        "示例低空智能装备先导区",
        "aerospace-information",
        ZoneStatus.CREATING,
        ("芜湖经济技术开发区", "芜湖高新技术产业开发区"),
    ),
    DemoZone("anhui", "示例合成生物先导区", "life", ZoneStatus.RECOMMENDED, ("蚌埠高新技术产业开发区",)),
    DemoZone("anhui", "示例新型储能先导区", "low-carbon-energy", ZoneStatus.DRAFT, ("马鞍山经济技术开发区",)),
    DemoZone(
        "zhejiang",
        "示例柔性电子网络协同先导区",
        "flexible-electronics",
        ZoneStatus.CREATING,
        ("杭州高新技术产业开发区（滨江）", "嘉兴经济技术开发区", "绍兴高新技术产业开发区"),
        zone_type="network",
        since=dt.date(2025, 6, 27),
    ),
    DemoZone(
        "zhejiang",
        "示例前沿新材料集聚先导区",
        "frontier-materials",
        ZoneStatus.CREATING,
        ("宁波高新技术产业开发区",),
        zone_type="cluster",
        since=dt.date(2025, 6, 27),
    ),
    DemoZone(
        "zhejiang",
        "示例量子信息先导区",
        "quantum-information",
        ZoneStatus.UNDER_REVIEW,
        ("湖州莫干山高新技术产业开发区",),
        zone_type="cluster",
    ),
)


@transaction.atomic
def demo_zones_create() -> list[PilotZone]:
    """Create the demonstration zones of the programmes that are loaded; running twice changes nothing."""
    created = []
    programmes = {p.code: p for p in programme_list_by_codes({z.programme for z in DEMO_ZONES})}
    for spec in DEMO_ZONES:
        programme = programmes.get(spec.programme)
        if programme is None or PilotZone.objects.filter(programme=programme, name=spec.name).exists():
            continue
        field = field_latest(programme, spec.field)
        parks = park_list_named(spec.parks)
        if field is None or len(parks) != len(spec.parks):
            continue
        zone = zone_create(
            actor=None,
            programme=programme,
            field=field,
            name=spec.name,
            zone_type=zone_type_get(programme, spec.zone_type) if spec.zone_type else None,
            status=spec.status,
            is_demo=True,
        )
        for park in parks:
            location = next(iter(getattr(park, "current_locations", [])), None)
            zone_place_add(
                actor=None,
                zone=zone,
                park=park,
                jurisdiction=location.jurisdiction if location else None,
                valid_from=spec.since,
            )
        created.append(zone)
    return created


def demo_zones_remove() -> int:
    """Delete every demonstration zone (their places go with them)."""
    return demo_zones_delete(actor=None)


# The round's applications and the creation lists (``lists/demo.py``), exposed where web/demo.py looks.
from .lists.demo import (  # noqa: E402, F401
    demo_lists_create,
    demo_lists_remove,
    demo_round_applications_create,
)
