"""Demonstration supervision data, written through the services: Anhui's task progress 2024–2026, work
lists with an overdue item under 督办, a city work list, a reported industry-scale figure, a Fuzhou
industry's six lists. Every text starts with 示例."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

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


@transaction.atomic
def demo_supervision_create() -> dict[str, int]:
    """Create the demonstration rows if absent (running twice changes nothing)."""
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
        # The statistics bureau's figures at the end of 2024 (the base) and of 2025: a share of the target.
        for as_of, share in (
            (dt.date(2024, 12, 31), Decimal("0.42")),
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
    fuzhou = programme_find("fuzhou")
    lists = 0
    if fuzhou is not None:
        task = (
            fuzhou.tasks.public()
            .filter(kind=TaskKind.TASK)
            .exclude(field_codes=[])
            .order_by("position")
            .first()
        )
        unit = task.units.filter(role=UnitRole.LEAD).first() if task else None
        keeper = unit.organisations.first() if unit else None
        if task is not None and keeper is not None:
            for kind in SixList:
                services.six_list_entry_add(
                    actor=None,
                    programme=fuzhou,
                    field_code=task.field_codes[0],
                    list_kind=kind,
                    name=f"示例{kind.label[:-2]}一",
                    detail="示例条目",
                    keeper=keeper,
                )
                lists += 1
    return {"progress_reports": reports, "work_items": items, "six_list_entries": lists}


@transaction.atomic
def demo_supervision_remove() -> int:
    removed = 0
    for model, field in (
        (SupervisionNotice, "item__title"),
        (WorkItem, "title"),
        (ProgressReport, "summary"),
        (TargetValue, "evidence"),
        (SixListEntry, "name"),
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
