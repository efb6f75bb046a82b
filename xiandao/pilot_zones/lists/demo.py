"""Demonstration lists: an Anhui round reviewed and listed, a Zhejiang cultivation list with an assessed zone.

Everything goes through the services, as the personas would do it: the Hefei and Hangzhou city
officers write and recommend, the admins accept, the committee (the review app's demonstration)
scores, the admin drafts the list, the department gives its opinion, the list is published; in
Zhejiang the list is publicly noticed with an objection answered, published, and one zone passes
its acceptance assessment. Every name starts with 示例.

``demo_round_applications_create`` runs before the review demonstration (so the panel scores
these applications); ``demo_lists_create`` after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiandao.accounts.selectors import user_find_by_username
from xiandao.geo.selectors import city_find, park_list_named
from xiandao.programmes.selectors import field_latest, programme_list_by_codes

from ..lifecycle import State
from ..models import Application, AttachmentKind, PilotZone
from . import services
from .models import CreationList, OpinionStance
from .selectors import department_candidates


@dataclass(frozen=True)
class RoundApplication:
    programme: str
    name: str
    field: str
    park: str
    #: What the list does with it: listed on the published list, declined, or proposed on the open one.
    fate: str
    zone_type: str = ""
    start_year: int = 2025
    years: int = 3


ROUND: tuple[RoundApplication, ...] = (
    # Anhui, 合肥: the first batch lists four and declines one; a second batch is out for opinions.
    RoundApplication("anhui", "示例量子精密测量先导区", "quantum", "合肥高新技术产业开发区", "listed"),
    RoundApplication(
        "anhui", "示例商业遥感先导区", "aerospace-information", "合肥高新技术产业开发区", "listed"
    ),
    RoundApplication(
        "anhui", "示例具身智能先导区", "general-intelligence", "合肥经济技术开发区", "listed", years=4
    ),
    RoundApplication("anhui", "示例氢能储能先导区", "low-carbon-energy", "合肥经济技术开发区", "listed"),
    RoundApplication("anhui", "示例细胞治疗先导区", "life", "合肥高新技术产业开发区", "declined"),
    RoundApplication("anhui", "示例空天网络先导区", "future-network", "合肥经济技术开发区", "proposed"),
    # Zhejiang, 杭州: the cultivation list (培育名单) of two cluster-type zones.
    RoundApplication(
        "zhejiang",
        "示例人形机器人培育先导区",
        "advanced-equipment",
        "杭州高新技术产业开发区（滨江）",
        "listed",
        zone_type="cluster",
        years=2,
    ),
    RoundApplication(
        "zhejiang",
        "示例柔性电子培育先导区",
        "flexible-electronics",
        "杭州高新技术产业开发区（滨江）",
        "listed",
        zone_type="cluster",
    ),
)

OFFICERS = {"anhui": ("hf_officer", "340100", "ah_admin"), "zhejiang": ("hz_officer", "330100", "zj_admin")}
OPINIONS = {
    "示例量子精密测量先导区": "咨询委员会认为：发展方向明确，量子精密测量产业链条完整，分年目标可及，建议列入创建名单。",
    "示例商业遥感先导区": "咨询委员会认为：卫星遥感应用场景丰富，任务安排合理，建议列入创建名单。",
    "示例具身智能先导区": "咨询委员会认为：研发基础较好，措施可行，建议列入创建名单，创建期4年。",
    "示例氢能储能先导区": "咨询委员会认为：新型储能与氢能示范项目落地较快，建议列入创建名单。",
    "示例空天网络先导区": "咨询委员会认为：方向符合未来网络布局，建议列入第二批创建名单。",
    "示例人形机器人培育先导区": "专家组现场评审认为：整机与关键零部件企业集聚，建议列入培育名单。",
    "示例柔性电子培育先导区": "专家组现场评审认为：柔性电子材料与器件基础较好，建议列入培育名单。",
}
DECLINED = (
    "咨询委员会认为：分年目标可及性不足，中试验证平台尚未落地，暂不列入本批创建名单，建议完善后再次申报。"
)


def _reviewed(spec: RoundApplication, programme: Any, officer: Any, admin: Any) -> Application | None:
    """One application written, attested, recommended and accepted for review (论证中), by the services."""
    from ..application_rules import application_rules
    from ..application_services import (
        application_accept,
        application_attachment_add,
        application_attest,
        application_create,
        application_recommend,
        application_submit,
        application_update,
    )
    from ..demo import ATTESTATION_TEXTS, DEMO_LETTER_PDF, application_complete_data

    parks = park_list_named([spec.park])
    city = city_find(OFFICERS[spec.programme][1])
    if not parks or city is None or field_latest(programme, spec.field) is None:
        return None
    rules = application_rules(programme)
    conditions = rules.conditions_for(spec.zone_type or None)
    application = application_create(
        actor=officer,
        programme=programme,
        city=city,
        host_park_ids=[parks[0].pk],
        answers={c.code: f"示例：{spec.park}{c.name}。" for c in conditions},
        zone_type_code=spec.zone_type or None,
        name=spec.name,
        is_demo=True,
    )
    data = application_complete_data(application, spec.field, spec.start_year, spec.years)
    application = application_update(
        actor=officer, application=application, version=application.version, data=data
    )
    application = application_submit(actor=officer, application=application, expected=State.DRAFT)
    application = application_attest(
        actor=officer, application=application, expected=State.SUBMITTED, statements=ATTESTATION_TEXTS
    )
    application_attachment_add(
        actor=officer,
        application=application,
        data=DEMO_LETTER_PDF,
        filename="示例盖章推荐函.pdf",
        kind=AttachmentKind.RECOMMENDATION_LETTER,
    )
    application = application_recommend(actor=officer, application=application, expected=State.ATTESTED)
    return application_accept(actor=admin, application=application, expected=State.RECOMMENDED)


@transaction.atomic
def demo_round_applications_create() -> list[Application]:
    """The round's applications, each brought to 论证中 (before the committee's demonstration scores them)."""
    programmes = {p.code: p for p in programme_list_by_codes(OFFICERS)}
    created = []
    for spec in ROUND:
        programme = programmes.get(spec.programme)
        officer_name, _, admin_name = OFFICERS[spec.programme]
        officer, admin = user_find_by_username(officer_name), user_find_by_username(admin_name)
        if programme is None or officer is None or admin is None:
            continue
        if Application.objects.filter(programme=programme, name=spec.name).exists():
            continue
        application = _reviewed(spec, programme, officer, admin)
        if application is not None:
            created.append(application)
    return created


def _application(programme: Any, name: str) -> Application | None:
    return Application.objects.filter(programme=programme, name=name, status=State.UNDER_REVIEW).first()


@transaction.atomic
def demo_lists_create() -> list[CreationList]:
    """The lists, through the services; running twice changes nothing."""
    programmes = {p.code: p for p in programme_list_by_codes(OFFICERS)}
    made: list[CreationList] = []
    today = timezone.localdate()
    anhui, zhejiang = programmes.get("anhui"), programmes.get("zhejiang")
    ah_admin, zj_admin = user_find_by_username("ah_admin"), user_find_by_username("zj_admin")
    dst_officer = user_find_by_username("ah_dst_officer")
    if (
        anhui is not None
        and ah_admin is not None
        and not CreationList.objects.filter(programme=anhui).exists()
    ):
        dst = department_candidates(anhui).filter(code="ah-dst").first()
        first = services.creation_list_create(actor=ah_admin, programme=anhui, is_demo=True)
        for spec in ROUND:
            application = _application(anhui, spec.name) if spec.programme == "anhui" else None
            if application is None or spec.fate == "proposed":
                continue
            if spec.fate == "listed":
                services.creation_list_entry_propose(
                    actor=ah_admin, creation_list=first, application=application, opinion=OPINIONS[spec.name]
                )
            else:
                services.creation_list_entry_decline(
                    actor=ah_admin, creation_list=first, application=application, reason=DECLINED
                )
        if dst is not None and first.entries.filter(decision="proposed").exists():
            services.creation_list_consult(
                actor=ah_admin,
                creation_list=first,
                departments=[dst],
                deadline=today,
                note="请于截止日期前反馈对拟列入创建名单的意见。",
            )
            if dst_officer is not None:
                services.department_opinion_give(
                    actor=dst_officer,
                    creation_list=first,
                    stance=OpinionStance.AGREE_WITH_COMMENTS,
                    text="同意列入。建议示例具身智能先导区补充高层次人才团队引进目标。",
                )
            services.creation_list_publish(
                actor=ah_admin, creation_list=first, note="经征求省有关单位意见后公布"
            )
        made.append(first)
        second_spec = next(s for s in ROUND if s.fate == "proposed")
        application = _application(anhui, second_spec.name)
        if application is not None and dst is not None:
            second = services.creation_list_create(actor=ah_admin, programme=anhui, is_demo=True)
            services.creation_list_entry_propose(
                actor=ah_admin,
                creation_list=second,
                application=application,
                opinion=OPINIONS[second_spec.name],
            )
            others = list(department_candidates(anhui).filter(code__in=["ah-dst", "ah-diit"]))
            services.creation_list_consult(
                actor=ah_admin,
                creation_list=second,
                departments=others or [dst],
                deadline=today + dt.timedelta(days=14),
                note="第二批拟列入名单，请反馈意见。",
            )
            made.append(second)
    if (
        zhejiang is not None
        and zj_admin is not None
        and not CreationList.objects.filter(programme=zhejiang).exists()
    ):
        cultivation = services.creation_list_create(actor=zj_admin, programme=zhejiang, is_demo=True)
        for spec in ROUND:
            application = _application(zhejiang, spec.name) if spec.programme == "zhejiang" else None
            if application is not None:
                services.creation_list_entry_propose(
                    actor=zj_admin,
                    creation_list=cultivation,
                    application=application,
                    opinion=OPINIONS[spec.name],
                )
        if cultivation.entries.exists():
            # The week of public notice is over: it began ten days ago.
            services.creation_list_notice_start(
                actor=zj_admin, creation_list=cultivation, starts_on=today - dt.timedelta(days=10)
            )
            entry = cultivation.entries.order_by("position").first()
            objection = services.objection_record(
                actor=zj_admin,
                creation_list=cultivation,
                objector="示例来电群众（联系方式已登记）",
                content="询问承载园区是否与其他先导区范围重叠。",
                received_on=today - dt.timedelta(days=8),
                entry=entry,
            )
            services.objection_answer(
                actor=zj_admin,
                objection=objection,
                answer="经核实，两先导区分别位于园区不同片区，四至清晰，不存在重叠；已电话答复。",
                upheld=False,
            )
            zones = services.creation_list_publish(actor=zj_admin, creation_list=cultivation)
            assessed = next((z for z in zones if z.name == "示例人形机器人培育先导区"), None)
            if assessed is not None:
                assessment = services.acceptance_start(
                    actor=zj_admin,
                    zone=assessed,
                    departments=list(department_candidates(zhejiang).filter(code__in=["zj-dst", "zj-drc"])),
                    note="培育期满，组织验收考核。",
                )
                services.acceptance_record(
                    actor=zj_admin,
                    assessment=assessment,
                    passed=True,
                    opinion="经省经信厅会同省科技厅、省发展改革委验收考核，达到培育目标，列入省级未来产业先导区名单。",
                )
        made.append(cultivation)
    return made


def demo_lists_remove() -> int:
    """Delete the demonstration lists and assessments (before the zones and applications they point at)."""
    return services.demo_lists_delete(actor=None)


def demo_zone_names() -> list[str]:
    return list(
        PilotZone.objects.filter(is_demo=True, list_entry__isnull=False).values_list("name", flat=True)
    )
