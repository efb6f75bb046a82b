"""Demonstration pilot zones for Anhui and Zhejiang, written through the zone services.

Every name starts with 示例 so none can be mistaken for an official zone (FACTS.md lists the real
ones that have been reported, e.g. 合肥量子科技); the zones carry no figures, and they sit in
real parks only as places. Fields are those of each programme's latest taxonomy version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from xiandao.accounts.selectors import user_find_by_username
from xiandao.geo.selectors import city_find, park_list_named
from xiandao.programmes.selectors import field_latest, programme_list_by_codes, zone_type_get

from .models import Application, AttachmentKind, PilotZone, ZoneStatus
from .services import (
    application_accept,
    application_attachment_add,
    application_attest,
    application_create,
    application_recommend,
    application_return,
    application_submit,
    application_update,
    demo_applications_delete,
    demo_zones_delete,
    zone_create,
    zone_place_add,
)


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


# ---------------------------------------------------------------------------------------------
# Applications (申请报告) in every state of their way to the province, through the services
# ---------------------------------------------------------------------------------------------

#: A one-page PDF standing in for a stamped recommendation letter (示例, no real stamp).
DEMO_LETTER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ATTESTATION_TEXTS = {
    "authenticity": "经核对，申请报告所附材料均为原件复印件或官方出具，真实有效。",
    "accuracy": "经核对，申请报告所列数据与统计部门、园区管委会数据一致。",
    "completeness": "经核对，申请报告各部分及附件齐全。",
    "compliance": "经核对，先导区范围符合国土空间规划，申报程序合规。",
}


@dataclass(frozen=True)
class DemoApplication:
    name: str
    field: str
    park: str
    state: str
    start_year: int = 2025
    years: int = 3


DEMO_APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication("示例量子传感未来产业先导区", "quantum", "合肥高新技术产业开发区", "draft"),
    DemoApplication("示例空天信息未来产业先导区", "aerospace-information", "合肥经济技术开发区", "submitted"),
    DemoApplication(
        "示例通用智能未来产业先导区", "general-intelligence", "合肥高新技术产业开发区", "attested"
    ),
    DemoApplication("示例生物制造未来产业先导区", "life", "合肥经济技术开发区", "recommended"),
    DemoApplication("示例先进材料未来产业先导区", "advanced-materials", "合肥经济技术开发区", "returned"),
    DemoApplication(
        "示例未来网络未来产业先导区", "future-network", "合肥高新技术产业开发区", "under_review", 2025, 4
    ),
)


def application_complete_data(
    application: Application, field_code: str, start: int, years: int
) -> dict[str, Any]:
    """Everything a complete application holds (for the demonstration and for tests)."""
    from .application_rules import application_rules, indicators_for

    rules = application_rules(application.programme)
    zone_type = application.zone_type.code if application.zone_type_id else None  # type: ignore[union-attr]
    end = start + years - 1
    targets: dict[tuple[str, int | None], str] = {}
    for indicator in indicators_for(application.programme):
        if not indicator.target_required:
            continue
        base = Decimal(10 + len(indicator.code))
        targets[(indicator.code, None)] = str(base * years)
        for offset, year in enumerate(range(start, end + 1), start=1):
            targets[(indicator.code, year)] = str(base + offset)
    return {
        "field": field_code,
        "creation_start_year": start,
        "creation_end_year": end,
        "summary": "示例：先导区依托国家级开发区，集聚高校院所和龙头企业，已形成从研发到应用的初步链条。",
        "measures": "一、建设概念验证中心和中试验证平台。\n二、设立未来产业引导基金。\n三、开放首批应用场景。",
        "contact_name": "示例联系人",
        "contact_phone": "0551-00000000",
        "eligibility": {c.code: f"示例：本区域{c.name}。" for c in rules.conditions_for(zone_type)},
        "targets": targets,
    }


def _advance(application: Application, spec: DemoApplication, officer: Any, admin: Any) -> Application:
    order = ["draft", "submitted", "attested", "recommended"]
    stops = {"returned": "recommended", "under_review": "recommended"}
    goal = stops.get(spec.state, spec.state)
    app = application
    if order.index(goal) >= 1:
        app = application_submit(actor=officer, application=app, expected="draft")
    if order.index(goal) >= 2:
        app = application_attest(
            actor=officer, application=app, expected="submitted", statements=ATTESTATION_TEXTS
        )
    if order.index(goal) >= 3:
        application_attachment_add(
            actor=officer,
            application=app,
            data=DEMO_LETTER_PDF,
            filename="示例盖章推荐函.pdf",
            kind=AttachmentKind.RECOMMENDATION_LETTER,
        )
        app = application_recommend(actor=officer, application=app, expected="attested")
    if spec.state == "returned":
        app = application_return(
            actor=admin,
            application=app,
            expected="recommended",
            reason="示例：分年目标偏低，请对照本市“十四五”规划调高2026、2027年目标，并补充中试平台建设进度安排。",
        )
    if spec.state == "under_review":
        app = application_accept(actor=admin, application=app, expected="recommended")
    return app


@transaction.atomic
def demo_applications_create() -> list[Application]:
    """Anhui applications of 合肥 in every state up to 论证中, through the services; twice changes nothing."""
    programmes = {p.code: p for p in programme_list_by_codes(["anhui"])}
    programme = programmes.get("anhui")
    officer = user_find_by_username("hf_officer")
    admin = user_find_by_username("ah_admin")
    city = city_find("340100")
    if programme is None or officer is None or admin is None or city is None:
        return []
    created = []
    for spec in DEMO_APPLICATIONS:
        if Application.objects.filter(programme=programme, name=spec.name).exists():
            continue
        parks = park_list_named([spec.park])
        if not parks or field_latest(programme, spec.field) is None:
            continue
        application = application_create(
            actor=officer,
            programme=programme,
            city=city,
            host_park_ids=[parks[0].pk],
            answers={c: f"示例：{spec.park}具备该条件。" for c in _condition_codes(programme)},
            name=spec.name,
            is_demo=True,
        )
        data = application_complete_data(application, spec.field, spec.start_year, spec.years)
        if spec.state == "draft":
            data.pop("measures")  # a draft still missing its measures, to show the completeness check
        application = application_update(
            actor=officer, application=application, version=application.version, data=data
        )
        created.append(_advance(application, spec, officer, admin))
    return created


def _condition_codes(programme: Any) -> list[str]:
    from .application_rules import application_rules

    return [c.code for c in application_rules(programme).conditions_for(None)]


def demo_applications_remove() -> int:
    """Delete every demonstration application that no zone was made from."""
    return demo_applications_delete(actor=None)
