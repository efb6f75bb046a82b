"""Demonstration data of the committee's review, written through the services.

A pool of the three kinds (the three expert personas among them), with conflicts that exclude
some experts from the draw for stated reasons; a round of the Anhui applications under review,
drawn with the department officer as supervisor; a drawn member who cannot sit is replaced by a
reserve; the personas declare and score; the round is closed and the committee's opinion is
written. Names start with 示例.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from xiandao.accounts.demo import PERSONAS_BY_KEY
from xiandao.accounts.selectors import organisation_resolve, user_find_by_username
from xiandao.geo.selectors import city_find, park_list_named
from xiandao.programmes.selectors import programme_find

from . import services
from .models import Assignment, Expert, MemberStatus, PanelMember, ReviewRound
from .selectors import applications_under_review

DEMO_ROUND = "示例2026年度先导区创建方案论证"


@dataclass(frozen=True)
class DemoExpert:
    name: str
    kind: str
    city: str
    title: str
    persona: str = ""
    organisation: str = ""
    active: bool = True


DEMO_EXPERTS: tuple[DemoExpert, ...] = (
    DemoExpert(
        "陈静", "scientist", "340200", "研究员", persona="scientist_expert", organisation="示例前沿科学研究院"
    ),
    DemoExpert(
        "黄志远",
        "entrepreneur",
        "340500",
        "董事长",
        persona="entrepreneur_expert",
        organisation="示例智能装备股份有限公司",
    ),
    DemoExpert(
        "林晓",
        "investor",
        "340300",
        "合伙人",
        persona="investor_expert",
        organisation="示例创新投资基金管理有限公司",
    ),
    DemoExpert("示例周教授", "scientist", "340100", "教授"),  # same city as the Hefei applications
    DemoExpert("示例吴研究员", "scientist", "340800", "研究员"),  # teacher of the Hefei officer
    DemoExpert("示例孙研究员", "scientist", "341000", "研究员"),  # eligible: reserve or member
    DemoExpert("示例郑总", "entrepreneur", "340700", "总经理"),  # declared the host park
    DemoExpert("示例钱总", "entrepreneur", "341800", "总经理"),  # eligible
    DemoExpert("示例冯合伙人", "investor", "340400", "合伙人"),  # worked for the park committee until 2024
    DemoExpert("示例何合伙人", "investor", "341100", "投资总监"),  # eligible
    DemoExpert("示例马教授", "scientist", "341200", "教授", active=False),  # retired from the pool
)

SHEETS = {
    "scientist": (
        {"direction": "88", "attainability": "76", "soundness": "82", "feasibility": "79"},
        "recommend",
        "方向契合全省“7+N”布局，技术路线清晰；分年目标中第三年增幅偏高，建议补充依据。",
    ),
    "entrepreneur": (
        {"direction": "85", "attainability": "80", "soundness": "78", "feasibility": "84"},
        "recommend",
        "产业链上下游配套较好，龙头企业带动作用明显；场景开放举措可进一步细化。",
    ),
    "investor": (
        {"direction": "80", "attainability": "68", "soundness": "74", "feasibility": "70"},
        "revise",
        "早期项目融资渠道单一，基金投入测算偏乐观，建议修改完善后列入。",
    ),
}


def demo_review_create() -> dict[str, int]:
    """Create the pool and the demonstration round if absent; running twice changes nothing."""
    programme = programme_find("anhui")
    if programme is None or ReviewRound.objects.filter(programme=programme, name=DEMO_ROUND).exists():
        return {"experts": 0, "rounds": 0}
    experts = _pool(programme)
    applications = list(applications_under_review(programme))
    admin = user_find_by_username(PERSONAS_BY_KEY["province_admin"].username)
    supervisor = user_find_by_username(PERSONAS_BY_KEY["department_officer"].username)
    if not applications or admin is None or supervisor is None:
        return {"experts": len(experts), "rounds": 0}
    round_ = services.round_create(
        actor=admin,
        programme=programme,
        name=DEMO_ROUND,
        deadline=timezone.localdate() + dt.timedelta(days=14),
        applications=applications,
        is_demo=True,
    )
    services.draw_run(
        actor=admin,
        round=round_,
        per_kind={"scientist": 1, "entrepreneur": 1, "investor": 1},
        reserves_per_kind=1,
        supervisor=supervisor,
        seed="示例20261201",
    )
    personas = {e.kind: e for e in experts if e.user_id}
    # A drawn expert who is not a persona "cannot attend" and is replaced by the next reserve, so
    # the demonstration's panel is the three personas, who can log in and show their work.
    for kind, persona in personas.items():
        member = PanelMember.objects.get(round=round_, kind=kind, status=MemberStatus.DRAWN)
        if member.expert_id != persona.pk:
            services.member_contact(actor=admin, member=member, accepted=False, note="示例：评审期间在外出差")
            member = services.member_replace(
                actor=admin, member=member, reason="示例：抽中专家不能参加，由备选专家递补"
            )
        services.member_contact(actor=admin, member=member, accepted=True, note="电话确认参加")
    services.panel_confirm(actor=admin, round=round_)
    for kind, persona in personas.items():
        for assignment in Assignment.objects.filter(member__round=round_, member__expert=persona):
            services.assignment_declare(actor=persona.user, assignment=assignment)
            points, recommendation, comments = SHEETS[kind]
            services.score_submit(
                actor=persona.user,
                assignment=assignment,
                points=points,
                comments=comments,
                recommendation=recommendation,
            )
    services.round_close(actor=admin, round=round_)
    for application in applications:
        services.review_opinion_write(
            actor=admin,
            application=application,
            round=round_,
            text="示例：委员会认为该先导区发展方向明确，目标总体可及，任务安排合理，措施基本可行；建议进一步论证分年目标增幅和资金保障后列入创建名单。",
            conclusion="recommend",
        )
    return {"experts": len(experts), "rounds": 1}


def _pool(programme: Any) -> list[Expert]:
    experts = []
    for spec in DEMO_EXPERTS:
        existing = Expert.objects.filter(programme=programme, name=spec.name).first()
        if existing is not None:
            experts.append(existing)
            continue
        persona = PERSONAS_BY_KEY.get(spec.persona) if spec.persona else None
        user = user_find_by_username(persona.username) if persona is not None else None
        experts.append(
            services.expert_create(
                actor=None,
                programme=programme,
                name=spec.name,
                kind=spec.kind,
                title=spec.title,
                organisation=organisation_resolve(spec.organisation) if spec.organisation else None,
                city=city_find(spec.city),
                user=user,
                active=spec.active,
                is_demo=True,
            )
        )
    by_name = {e.name: e for e in experts}
    park = next(iter(park_list_named(["合肥高新技术产业开发区"])), None)
    committee = organisation_resolve("合肥高新技术产业开发区管理委员会")
    officer = user_find_by_username(PERSONAS_BY_KEY["hefei_city_officer"].username)
    if park is not None:
        services.conflict_declare(
            actor=None, expert=by_name["示例郑总"], kind="park", target=park, note="示例：企业位于该园区"
        )
    if committee is not None:
        services.relationship_record(
            actor=None,
            expert=by_name["示例冯合伙人"],
            kind="employment",
            organisation=committee,
            started_on=dt.date(2019, 3, 1),
            ended_on=dt.date(2024, 6, 30),
            note="示例：曾任管委会投资促进局顾问",
        )
    if officer is not None:
        services.relationship_record(
            actor=None,
            expert=by_name["示例吴研究员"],
            kind="teacher_student",
            person=officer.display_name,
            started_on=dt.date(2008, 9, 1),
            ended_on=dt.date(2011, 7, 1),
            note="示例：硕士研究生导师",
        )
    return experts


def demo_review_remove() -> dict[str, int]:
    return services.demo_review_delete(actor=None)
