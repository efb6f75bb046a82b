"""Demonstration supervision data, written through the services: Anhui's task progress 2024–2026 from
three departments with their cooperating parts, work lists with overdue items under 督办, a city work
list, the statistics bureau's industry-scale figures, a Fuzhou industry's six lists (新一代光电: its registry entries in Fuzhou and what its responsible units keep).
Every invented name starts with 示例; the carriers the document names carry a 示例 note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from xiandao.accounts.selectors import user_find_by_username
from xiandao.programmes.models import TaskKind, UnitRole
from xiandao.programmes.selectors import programme_find

from . import services
from .models import (
    ProgressReport,
    SixList,
    SixListEntry,
    SupervisionNotice,
    TargetValue,
    WarningExplanation,
    WorkItem,
)

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


@transaction.atomic
def demo_supervision_create() -> dict[str, int]:
    """Create the demonstration rows if absent (running twice changes nothing)."""
    made = _anhui_create()
    lists = _fuzhou_six_lists_create()
    if lists:
        made["six_list_entries"] = lists
    return made


def _anhui_create() -> dict[str, int]:
    anhui = programme_find("anhui")
    admin = user_find_by_username("ah_admin")
    if (
        anhui is None
        or admin is None
        or WorkItem.objects.filter(programme=anhui, title__startswith="示例").exists()
    ):
        return {}
    reports, items = _task_progress_create(anhui, admin)
    from xiandao.geo.selectors import city_find

    hefei = city_find("合肥")
    if hefei is not None:
        for month, title in (
            (3, "示例：合肥市年度工作清单——先导区统计数据报送"),
            (11, "示例：合肥市年度工作清单——先导区年度自评"),
        ):
            services.work_item_create(
                actor=admin, programme=anhui, city=hefei, year=2026, title=title, due=dt.date(2026, month, 30)
            )
            items += 1
    for target in anhui.targets.public().filter(measure="", metric__contains="规模").order_by("position"):
        # The statistics bureau's figures at the end of 2023 (the base) and of 2025: a share of the target.
        for as_of, share in (
            (dt.date(2023, 12, 31), Decimal("0.42")),
            (dt.date(2025, 12, 31), Decimal("0.61")),
        ):
            base = (
                target.value * share if target.year and target.year <= 2027 else target.value * share * 2 / 5
            )
            services.target_value_report(
                actor=admin,
                target=target,
                as_of=as_of,
                value=base.quantize(Decimal(1)),
                evidence=f"示例：省统计局《{as_of.year}年全省未来产业发展统计监测报告》",
            )
    return {"progress_reports": reports, "work_items": items}


#: The demonstration industry: 新一代光电, the first of Fuzhou's six doubling industries (三（二）1).
FUZHOU_INDUSTRY = "optoelectronics"
OPINIONS = "《实施意见》（榕政办〔2023〕50号）"

#: (list, keeper as the document names it, name, region or document, detail). Invented names start with
#: 示例; the carriers the document itself names (三（二）1) are kept by name with a 示例 note.
FUZHOU_SIX_LISTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("enterprises", "市工信局", "示例榕城光学镜头有限公司", "", "示例：龙头企业，光学镜头及模组，仓山区"),
    ("enterprises", "市工信局", "示例闽江激光器件有限公司", "", "示例：隐形冠军，高功率激光器件，福州高新区"),
    ("enterprises", "市工信局", "示例马尾光通讯模块有限公司", "", "示例：隐形冠军，高速率光模块，马尾区"),
    ("investment", "市工信局", "示例深圳高速光模块企业", "深圳", "示例：补齐光通讯设备环节，已三轮洽谈"),
    ("investment", "市工信局", "示例上海光电芯片设计企业", "上海", "示例：高端光电芯片，签订投资意向书"),
    ("investment", "市工信局", "示例杭州机器视觉设备企业", "杭州", "示例：补齐机器视觉设备环节，跟踪对接"),
    ("investment", "市工信局", "示例北京激光雷达研发企业", "北京", "示例：拓展航天航空、智能机器人应用"),
    ("projects", "市发改委", "示例高速率光模块产线项目", "", "示例：总投资12亿元，2026年投产，福州高新区"),
    ("projects", "市发改委", "示例光学晶体材料扩产项目", "", "示例：总投资6.5亿元，在建，闽侯县"),
    ("projects", "市发改委", "示例高功率激光器产业化项目", "", "示例：总投资8亿元，前期工作，长乐区"),
    ("innovation", "市科技局", "闽都创新实验室", "", "示例：光电关键元器件及材料攻关的依托载体"),
    ("innovation", "市科技局", "中科院海西研究院", "", "示例：光学晶体材料、激光器件研发的依托载体"),
    ("innovation", "市科技局", "海峡创新实验室", "", "示例：高端光电芯片核心技术攻关的依托载体"),
    ("innovation", "市科技局", "示例福州光电产业技术转化中心", "", "示例：面向中小企业的中试与检测服务"),
    (
        "policies",
        "市发改委",
        "示例：研发费用加计扣除",
        f"{OPINIONS}五（二）",
        "示例：落实研发费用加计扣除政策",
    ),
    (
        "policies",
        "市工信局",
        "示例：装备首台（套）推广应用",
        f"{OPINIONS}五（二）",
        "示例：光电装备首台（套）认定与推广",
    ),
    (
        "policies",
        "市工信局",
        "示例：新产品首批次、首版次推广",
        f"{OPINIONS}四（三）",
        "示例：持续出台应用推广政策",
    ),
    (
        "advisors",
        "市工信局",
        "示例福州光电产业战略咨询中心",
        "",
        "示例：高校、科研院所和龙头企业专家组成，每季度研判补链方向",
    ),
)


#: Registry entries of the industry in Fuzhou, so the registry-fed lists have lines (the registries'
#: own demonstration is Anhui's): (registry, name, its own values).
FUZHOU_REGISTRY_ENTRIES: tuple[tuple[str, str, dict[str, object]], ...] = (
    ("enterprise", "示例福州光电集团有限公司", {"tag": "头部企业"}),
    ("enterprise", "示例福州精密光学元件有限公司", {"tag": "隐形冠军企业"}),
    (
        "project",
        "示例光电芯片封装测试基地项目",
        {"kind": "重大产业项目", "stage": "开工", "planned_investment": 150000},
    ),
    (
        "project",
        "示例激光智能装备产业园项目",
        {"kind": "标志性项目", "stage": "签约", "planned_investment": 80000},
    ),
    (
        "platform",
        "示例福州光电产业创新中心",
        {"kind": "产业创新中心", "level": "市级", "host": "示例福州光电集团有限公司"},
    ),
)


def _fuzhou_registry_entries(fuzhou: Programme) -> int:
    """The industry's enterprises (tagged 头部企业 or 隐形冠军), projects and a platform, added and confirmed
    through the registries' services as the city would."""
    from xiandao.registries.codes import sample_credit_code
    from xiandao.registries.selectors import entry_names_in_field, registry_get
    from xiandao.registries.services.entries import entries_confirm, entry_add

    made = 0
    for n, (key, name, values) in enumerate(FUZHOU_REGISTRY_ENTRIES):
        present = entry_names_in_field(None, key, FUZHOU_INDUSTRY, programme_id=fuzhou.pk, limit=1000)
        if name in {found for found, _city in present}:  # the supervision demo alone was removed
            continue
        data: dict[str, object] = {
            "name": name,
            "city": fuzhou.jurisdiction.name,
            "field": FUZHOU_INDUSTRY,
            "valid_from": dt.date(2024, 3, 1),
            "source": "部门名单",
            "source_note": "示例数据",
            **values,
        }
        if key == "enterprise":
            data.update(
                credit_code=sample_credit_code(350_100 + n),
                tag_valid_from=dt.date(2024, 3, 1),
                list_year=2024,
                publisher="示例发布单位",
            )
        added = entry_add(
            actor=None, registry=registry_get(key), data=data, check_permission=False, is_demo=True
        )
        entries_confirm(actor=None, registry=registry_get(key), ids=[added.entry.pk], check_permission=False)
        made += 1
    return made


def _fuzhou_six_lists_create() -> int:
    """A Fuzhou industry's six lists, kept by its responsible units (the platform writes them)."""
    from .selectors import six_list_industry

    fuzhou = programme_find("fuzhou")
    if fuzhou is None or SixListEntry.objects.filter(programme=fuzhou, detail__startswith="示例").exists():
        return 0
    industry = six_list_industry(fuzhou, FUZHOU_INDUSTRY)
    if industry is None or not industry.units:
        return 0
    made = _fuzhou_registry_entries(fuzhou)
    by_name = {unit.name: unit for unit in industry.units}
    from xiandao.accounts.selectors import organisation_resolve

    for kind, written, name, extra, detail in FUZHOU_SIX_LISTS:
        unit = organisation_resolve(written, within=fuzhou.jurisdiction)
        keeper = unit if unit is not None and unit.name in by_name else industry.units[0]
        services.six_list_entry_add(
            actor=None,
            programme=fuzhou,
            field_code=FUZHOU_INDUSTRY,
            list_kind=kind,
            name=name,
            region=extra if kind == SixList.INVESTMENT else "",
            document=extra if kind == SixList.POLICIES else "",
            detail=detail,
            keeper=keeper,
        )
        made += 1
    return made


@transaction.atomic
def demo_supervision_remove() -> int:
    removed = 0
    for model, field in (
        (SupervisionNotice, "item__title"),
        (WorkItem, "title"),
        (ProgressReport, "summary"),
        (TargetValue, "evidence"),
        (SixListEntry, "detail"),
        (WarningExplanation, "text"),
    ):
        n, _ = model.objects.filter(**{f"{field}__startswith": "示例"}).delete()
        removed += n
    return removed


#: The departments' officers who report (their persona's login), and when each year's report goes in.
REPORTERS = ("ah_dst_officer", "ah_diit_officer", "ah_drc_officer")
REPORTED_ON = {2024: dt.date(2025, 1, 20), 2025: dt.date(2026, 1, 16), 2026: dt.date(2026, 11, 25)}
SUMMARIES = {
    2024: "示例：制定{task}实施方案，明确责任分工和年度节点，首批项目启动。",
    2025: "示例：{task}重点事项按计划推进，完成年度节点目标，形成阶段性成果。",
    2026: "示例：{task}进入全面实施阶段，重点项目陆续投用，成效初步显现。",
}


def _task_progress_create(anhui: Any, admin: Any) -> tuple[int, int]:
    """Each task a reporting department leads: reports 2024–2026, cooperating departments' parts, a work
    list of three items a year (one overdue in three tasks, under 督办 in two of those)."""
    officers = [u for u in (user_find_by_username(name) for name in REPORTERS) if u is not None]
    by_organisation = {u.organisation_id: u for u in officers}
    tasks = (
        anhui.tasks.public()
        .filter(kind=TaskKind.TASK, units__role=UnitRole.LEAD, units__organisations__in=list(by_organisation))
        .distinct()
        .prefetch_related("units__organisations")
        .order_by("position")
    )
    reports = items = 0
    overdue = []
    for index, task in enumerate(tasks):
        units = task.units_by_role()
        lead = next(
            by_organisation[o.pk]
            for u in units[UnitRole.LEAD]
            for o in u.organisations.all()
            if o.pk in by_organisation
        )
        helpers = {
            by_organisation[o.pk]
            for u in units[UnitRole.COOPERATING]
            for o in u.organisations.all()
            if o.pk in by_organisation and o.pk != lead.organisation_id
        }
        short = task.title[:24]
        for year, completion in ((2024, 25), (2025, 55), (2026, 75)):
            report = services.progress_report_submit(
                actor=lead,
                task=task,
                year=year,
                completion=min(100, completion + (index * 7) % 20),
                summary=SUMMARIES[year].format(task=short),
                problems="示例：个别项目资金到位滞后，已协调加快拨付。" if (index + year) % 4 == 0 else "",
                on=REPORTED_ON[year],
            )
            reports += 1
            for helper in sorted(helpers, key=lambda u: u.pk):
                services.progress_part_submit(
                    actor=helper,
                    report=report,
                    text=f"示例：{helper.organisation.name if helper.organisation else '本单位'}按分工配合推进{short}，完成本单位年度事项。",
                    on=REPORTED_ON[year],
                )
        for year, month, done in (
            (2025, 6, True),
            (2025, 12, True),
            (2026, 6, index % 3 != 0),
            (2026, 12, False),
        ):
            item = services.work_item_create(
                actor=admin,
                programme=anhui,
                task=task,
                year=year,
                title=f"示例：{task.title[:16]}{year}年{month}月节点",
                due=dt.date(year, month, 28),
            )
            items += 1
            if done:
                services.work_item_complete(
                    actor=lead, item=item, done_on=dt.date(year, month, 20), note="示例：已按期完成。"
                )
            elif month == 6:
                overdue.append((item, lead))
    for number, (item, lead) in enumerate(overdue[:2]):
        notice = services.notice_issue(
            actor=admin, item=item, text="示例：请于15日内报送逾期原因和完成计划。", on=dt.date(2026, 7, 10)
        )
        if number == 0:
            services.notice_answer(
                actor=lead, notice=notice, answer="示例：因配套资金审批延后，计划于2026年12月底前完成。"
            )
    return reports, items
