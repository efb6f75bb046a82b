"""The demonstration personas: one per kind of user, each with a home page of their own.

Real bodies (安徽省发展和改革委员会) appear under their real names; the people and the
evaluation agency and research institute are invented and marked as demonstration data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiandao.geo.models import Jurisdiction, Park

from .models import ExpertKind, Organisation, OrganisationKind, Role, ScopeKind, User
from .services import organisation_create, role_grant

DEMO_PASSWORD = "xiandao-demo-2026"


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    name: str
    kind: str
    jurisdiction: str
    aliases: tuple[str, ...] = ()
    park: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class Persona:
    key: str
    username: str
    display_name: str
    organisation: DemoOrganisation
    role: str
    scope_kind: str
    scope: str  # a jurisdiction code, a park name, or (organisation scope) the persona's own organisation
    summary: str
    expert_kind: str = ""


AH_DRC = DemoOrganisation(
    "ah-drc",
    "安徽省发展和改革委员会",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340000",
    ("省发展改革委", "安徽省发展改革委"),
)
HF_DRC = DemoOrganisation(
    "hf-drc",
    "合肥市发展和改革委员会",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340100",
    ("合肥市发展改革委",),
)
HFGX = DemoOrganisation(
    "hf-hitech-committee",
    "合肥高新技术产业开发区管理委员会",
    OrganisationKind.PARK_COMMITTEE,
    "340100",
    ("合肥高新区管委会",),
    park="合肥高新技术产业开发区",
)
AH_DST = DemoOrganisation(
    "ah-dst",
    "安徽省科学技术厅",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340000",
    ("省科技厅", "安徽省科技厅"),
)
AH_DIIT = DemoOrganisation(
    "ah-diit",
    "安徽省工业和信息化厅",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340000",
    ("省工业和信息化厅", "省经信厅"),
)
DEMO_INSTITUTE = DemoOrganisation(
    "demo-institute", "示例前沿科学研究院", OrganisationKind.INSTITUTION, "340200", is_demo=True
)
DEMO_AGENCY = DemoOrganisation(
    "demo-evaluation-agency",
    "示例评估咨询有限公司",
    OrganisationKind.EVALUATION_AGENCY,
    "340100",
    is_demo=True,
)
DEMO_IT_CENTRE = DemoOrganisation(
    "demo-it-centre",
    "示例省大数据和信息中心",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340000",
    is_demo=True,
)
HZ_EIT = DemoOrganisation(
    "hz-eit",
    "杭州市经济和信息化局",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "330100",
    ("杭州市经信局",),
)
DEMO_ROBOTICS = DemoOrganisation(
    "demo-robotics", "示例智能装备股份有限公司", OrganisationKind.ENTERPRISE, "340500", is_demo=True
)
DEMO_VENTURE = DemoOrganisation(
    "demo-venture", "示例创新投资基金管理有限公司", OrganisationKind.ENTERPRISE, "340300", is_demo=True
)
ZJ_DEIT = DemoOrganisation(
    "zj-deit",
    "浙江省经济和信息化厅",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "330000",
    ("省经信厅", "浙江省经信厅"),
)

DEMO_MINISTRY = DemoOrganisation(
    "demo-ministry-observer",
    "示例国家部委未来产业观察组",
    OrganisationKind.GOVERNMENT_DEPARTMENT,
    "340000",  # an organisation needs a division; the observer's reach comes from its role, not from here
    is_demo=True,
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        "province_admin",
        "ah_admin",
        "王敏",
        AH_DRC,
        Role.PROGRAMME_ADMIN,
        ScopeKind.JURISDICTION,
        "340000",
        "安徽省未来产业先导区计划管理员：计划配置、申报评审、年度评估、目标任务",
    ),
    Persona(
        "hefei_city_officer",
        "hf_officer",
        "李强",
        HF_DRC,
        Role.CITY_OFFICER,
        ScopeKind.JURISDICTION,
        "340100",
        "合肥市发展改革委：本市申报、先导区、数据填报审核",
    ),
    Persona(
        "zone_operator",
        "hfgx_operator",
        "张伟",
        HFGX,
        Role.ZONE_OPERATOR,
        ScopeKind.PARK,
        "合肥高新技术产业开发区",
        "合肥高新区先导区运营：建设方案、数据填报、佐证材料、整改计划",
    ),
    Persona(
        "scientist_expert",
        "expert_chen",
        "陈静",
        DEMO_INSTITUTE,
        Role.EXPERT,
        ScopeKind.JURISDICTION,
        "340000",
        "咨询委员会专家（科学家）：分配给本人的申报论证与年度评估",
        ExpertKind.SCIENTIST,
    ),
    Persona(
        "entrepreneur_expert",
        "expert_huang",
        "黄志远",
        DEMO_ROBOTICS,
        Role.EXPERT,
        ScopeKind.JURISDICTION,
        "340000",
        "咨询委员会专家（企业家）：分配给本人的申报论证与年度评估",
        ExpertKind.ENTREPRENEUR,
    ),
    Persona(
        "investor_expert",
        "expert_lin",
        "林晓",
        DEMO_VENTURE,
        Role.EXPERT,
        ScopeKind.JURISDICTION,
        "340000",
        "咨询委员会专家（风险投资家）：分配给本人的申报论证与年度评估",
        ExpertKind.INVESTOR,
    ),
    Persona(
        "evaluator",
        "evaluator_liu",
        "刘洋",
        DEMO_AGENCY,
        Role.EVALUATOR,
        ScopeKind.JURISDICTION,
        "340000",
        "第三方评估机构：受托评估批次的数据核查与评分",
    ),
    Persona(
        "department_officer",
        "ah_dst_officer",
        "赵磊",
        AH_DST,
        Role.DEPARTMENT_OFFICER,
        ScopeKind.ORGANISATION,
        "",
        "省科技厅：本部门牵头或配合的任务、对创建名单的意见",
    ),
    Persona(
        "industry_department_officer",
        "ah_diit_officer",
        "孙悦",
        AH_DIIT,
        Role.DEPARTMENT_OFFICER,
        ScopeKind.ORGANISATION,
        "",
        "省工业和信息化厅：本部门牵头或配合的任务与年度工作清单",
    ),
    Persona(
        "drc_department_officer",
        "ah_drc_officer",
        "周航",
        AH_DRC,
        Role.DEPARTMENT_OFFICER,
        ScopeKind.ORGANISATION,
        "",
        "省发展改革委高技术产业处：委内牵头任务的进展报送",
    ),
    Persona(
        "zhejiang_admin",
        "zj_admin",
        "周琳",
        ZJ_DEIT,
        Role.PROGRAMME_ADMIN,
        ScopeKind.JURISDICTION,
        "330000",
        "浙江省未来产业先导区计划管理员（省经信厅）",
    ),
    Persona(
        "zhejiang_city_officer",
        "hz_officer",
        "徐婷",
        HZ_EIT,
        Role.CITY_OFFICER,
        ScopeKind.JURISDICTION,
        "330100",
        "杭州市经信局：本市先导区的申报与培育建设",
    ),
    Persona(
        "national_observer",
        "national_observer",
        "钱宁",
        DEMO_MINISTRY,
        Role.OBSERVER,
        ScopeKind.ORGANISATION,
        "",
        "国家部委观察员（示例）：只读查看各培育计划的目标进度、任务与等次，并排对比",
    ),
    # 三员分立: the back office's three administrators, each only their own duty.
    Persona(
        "system_admin",
        "sys_admin",
        "孙浩",
        DEMO_IT_CENTRE,
        Role.SYSTEM_ADMIN,
        ScopeKind.PLATFORM,
        "",
        "系统管理员（管理后台）：用户、机构、角色授权",
    ),
    Persona(
        "security_admin",
        "sec_admin",
        "吴倩",
        DEMO_IT_CENTRE,
        Role.SECURITY_ADMIN,
        ScopeKind.PLATFORM,
        "",
        "安全管理员（管理后台）：账号锁定、会话、双因素认证重置、接口令牌吊销",
    ),
    Persona(
        "audit_admin",
        "audit_admin",
        "郑洁",
        DEMO_IT_CENTRE,
        Role.AUDIT_ADMIN,
        ScopeKind.PLATFORM,
        "",
        "审计管理员（管理后台）：查阅操作记录与登录日志",
    ),
)

PERSONAS_BY_KEY = {p.key: p for p in PERSONAS}


def _organisation_for(spec: DemoOrganisation) -> Organisation:
    existing = (
        Organisation.objects.filter(code=spec.code).first()
        or Organisation.objects.filter(name=spec.name).first()
    )
    if existing is not None:
        return existing
    park = Park.objects.get(name=spec.park) if spec.park else None
    return organisation_create(
        actor=None,
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        jurisdiction=Jurisdiction.objects.get(code=spec.jurisdiction),
        park=park,
        aliases=list(spec.aliases),
        is_demo=spec.is_demo,
    )


@transaction.atomic
def demo_personas_create() -> list[User]:
    """Create the personas and their organisations if missing; running twice changes nothing."""
    users = []
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is not None:
            users.append(user)
            continue
        organisation = _organisation_for(persona.organisation)
        user = User.objects.create_user(
            username=persona.username,
            password=DEMO_PASSWORD,
            display_name=persona.display_name,
            organisation=organisation,
        )
        scope: dict[str, Any] = {}
        if persona.scope_kind == ScopeKind.JURISDICTION:
            scope["jurisdiction"] = Jurisdiction.objects.get(code=persona.scope)
        elif persona.scope_kind == ScopeKind.PARK:
            scope["park"] = Park.objects.get(name=persona.scope)
        elif persona.scope_kind == ScopeKind.ORGANISATION:
            # A department officer's scope is their own department, whatever code it was loaded under.
            scope["organisation"] = organisation
        # The demo password is public and fixed: the personas count as having chosen it.
        User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        role_grant(
            actor=None,
            user=user,
            role=persona.role,
            scope_kind=persona.scope_kind,
            valid_from=dt.date(2024, 1, 1),
            expert_kind=persona.expert_kind,
            check_permission=False,
            **scope,
        )
        users.append(user)
    return users


@transaction.atomic
def demo_personas_remove() -> dict[str, int]:
    """Delete the personas and the invented organisations; returns how many of each went."""
    users, _ = User.objects.filter(username__in=[p.username for p in PERSONAS]).delete()
    organisations, _ = Organisation.objects.filter(is_demo=True).delete()
    return {"users": users, "organisations": organisations}
