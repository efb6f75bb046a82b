"""Demonstration supervision data, written through the services: Anhui's task progress 2024–2026, work
lists with an overdue item under 督办, a city work list, a reported industry-scale figure, a Fuzhou
industry's six lists. Every text starts with 示例."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    officer = user_find_by_username("ah_dst_officer")
    if (
        anhui is None
        or admin is None
        or officer is None
        or WorkItem.objects.filter(programme=anhui, title__startswith="示例").exists()
    ):
        return {}
    led = list(
        anhui.tasks.public()
        .filter(kind=TaskKind.TASK, units__role=UnitRole.LEAD, units__organisations=officer.organisation)
        .distinct()
        .order_by("position")[:4]
    )
    reports = items = 0
    for index, task in enumerate(led):
        for year, completion in ((2024, 30), (2025, 65), (2026, 80)):
            services.progress_report_submit(
                actor=officer,
                task=task,
                year=year,
                completion=min(100, completion + 5 * index),
                summary=f"示例：{year}年度推进{task.title[:20]}，完成阶段目标。",
                on=dt.date(year, 12, 20),
            )
            reports += 1
        for year, month, done in ((2025, 6, True), (2026, 3, False), (2026, 12, False)):
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
                    actor=officer, item=item, done_on=dt.date(year, month, 20), note="示例：已按期完成。"
                )
    overdue = (
        WorkItem.objects.filter(
            programme=anhui, title__startswith="示例", done_on__isnull=True, due__lt=dt.date.today()
        )
        .order_by("due")
        .first()
    )
    if overdue is not None:
        services.notice_issue(actor=admin, item=overdue, text="示例：请于15日内报送逾期原因和完成计划。")
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
    scale = anhui.targets.public().filter(measure="", metric__contains="规模").order_by("position").first()
    if scale is not None:
        services.target_value_report(
            actor=admin,
            target=scale,
            as_of=dt.date(2025, 12, 31),
            value=(scale.value / 4).quantize(Decimal(1)),
            evidence="示例：省统计局《2025年全省未来产业统计快报》",
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
