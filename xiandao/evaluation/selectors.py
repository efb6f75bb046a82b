"""Reads of evaluation runs and results, scoped, plus the workbench's to-dos and removal-risk notices."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.formats import percent
from xiandao.core.providers import NoticeItem, TodoItem
from xiandao.notifications.selectors import programme_users

from .models import (
    Consequence,
    ConsequenceKind,
    ConsequenceStatus,
    EvaluationRun,
    EvaluationSettings,
    RunStatus,
    ZoneResult,
)
from .permissions import (
    ConsequenceAction,
    EvaluationAction,
    ResultAction,
    consequence_policy,
    result_policy,
    run_policy,
)


def run_list_for_user(user: Any) -> QuerySet[EvaluationRun]:
    return (
        run_policy.instances_for(user, EvaluationAction.VIEW)
        .select_related("programme", "job")
        .order_by("programme__code", "-year", "-created_at")
    )


def results_of(run: EvaluationRun) -> list[ZoneResult]:
    return list(
        run.zone_results.select_related("zone")
        .prefetch_related("adjustments__by")
        .order_by("rank", "zone_name")
    )


def result_list_for_user(user: Any) -> QuerySet[ZoneResult]:
    return result_policy.instances_for(user, ResultAction.VIEW).select_related("run", "run__programme")


def grades_public(programme: Any) -> bool:
    found = EvaluationSettings.objects.filter(programme=programme).first()
    return True if found is None else found.grades_public


def published_runs(programme: Any) -> QuerySet[EvaluationRun]:
    return (
        EvaluationRun.objects.filter(programme=programme, status=RunStatus.PUBLISHED)
        .prefetch_related("zone_results__adjustments")
        .order_by("-year")
    )


def published_runs_for(programme: Any, user: Any) -> list[EvaluationRun]:
    """Published runs as the public API shows them: all when grades are public, else as scoped."""
    runs = list(published_runs(programme))
    if grades_public(programme):
        return runs
    visible = set(result_policy.instances_for(user, ResultAction.VIEW).values_list("pk", flat=True))
    for run in runs:
        run.visible_results = [r for r in run.zone_results.all() if r.pk in visible]  # type: ignore[attr-defined]
    return [run for run in runs if run.visible_results]  # type: ignore[attr-defined]


def snapshot_of(run: EvaluationRun) -> dict[str, Any]:
    return json.loads(run.snapshot) if run.snapshot else {}


def previous_result(result: ZoneResult) -> ZoneResult | None:
    return (
        ZoneResult.objects.filter(
            zone_id=result.zone_id,
            run__programme_id=result.run.programme_id,
            run__status=RunStatus.PUBLISHED,
            run__year__lt=result.run.year,
        )
        .order_by("-run__year")
        .first()
    )


def grade_history(zone_id: int, programme_id: int, until_year: int) -> list[tuple[int, str]]:
    rows = ZoneResult.objects.filter(
        zone_id=zone_id,
        run__programme_id=programme_id,
        run__status=RunStatus.PUBLISHED,
        run__year__lte=until_year,
    ).order_by("run__year")
    return [(r.run.year, r.final_grade) for r in rows.select_related("run")]


def consequences_of(result: ZoneResult) -> list[Consequence]:
    return list(result.consequences.select_related("city", "responded_by").order_by("kind", "pk"))


def city_bonus_rows(run: EvaluationRun) -> list[Consequence]:
    return list(
        run.consequences.filter(kind=ConsequenceKind.CITY_BONUS)
        .select_related("city", "result")
        .order_by("city__code", "result__zone_name")
    )


def zone_users(zone: Any) -> list[Any]:
    """The zone's operators and the officers of its cities (who are told its results)."""
    from xiandao.pilot_zones.selectors import zone_place_list

    users = programme_users(zone.programme, roles=[Role.ZONE_OPERATOR, Role.CITY_OFFICER])
    place_parks = {p.park_id for p in zone_place_list([zone]) if p.park_id}
    found = []
    for user in users:
        scope = user_scope(user)
        if Role.ZONE_OPERATOR in scope.roles and not (scope.park_ids & place_parks):
            continue
        found.append(user)
    return found


# -- the workbench ---------------------------------------------------------------------------------


def evaluation_todos(user: Any) -> list[TodoItem]:
    """Runs waiting for the admin, removals to confirm, improvement plans the zone owes."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[TodoItem] = []
    url = reverse("evaluation:run_list")
    scope = user_scope(user)
    if scope.has_role(Role.PROGRAMME_ADMIN):
        waiting = (
            run_policy.instances_for(user, EvaluationAction.FINALISE)
            .filter(status__in=[RunStatus.COMPUTED, RunStatus.FINALISED, RunStatus.PUBLIC_NOTICE])
            .count()
        )
        if waiting:
            items.append(TodoItem(label="待确定或发布的年度评估", url=url, count=waiting))
        removals = consequence_policy.instances_for(user, ConsequenceAction.MANAGE).filter(
            kind=ConsequenceKind.REMOVAL, status=ConsequenceStatus.PROPOSED
        )
        for item in removals.select_related("result"):
            items.append(
                TodoItem(
                    label=f"确认是否将{item.result.zone_name}移出创建名单",
                    url=reverse("evaluation:result_detail", args=[item.result_id]),
                )
            )
    plans = consequence_policy.instances_for(user, ConsequenceAction.RESPOND).filter(
        kind=ConsequenceKind.IMPROVEMENT_PLAN, status=ConsequenceStatus.OPEN
    )
    for item in plans.select_related("result"):
        items.append(
            TodoItem(
                label=f"提交{item.result.zone_name}的改进计划",
                url=reverse("evaluation:result_detail", args=[item.result_id]),
                deadline=item.due.isoformat() if item.due else "",
            )
        )
    return items


def removal_risks_for(user: Any) -> list[dict[str, Any]]:
    """Zones on their (N-1)th consecutive removal grade in the latest published run, visible to the user."""
    scope = user_scope(user)
    if not (scope.is_superuser or scope.has_role(Role.PROGRAMME_ADMIN, Role.CITY_OFFICER)):
        return []
    found = []
    latest = (
        result_list_for_user(user).filter(run__status=RunStatus.PUBLISHED).order_by("zone_id", "-run__year")
    )
    seen: set[int] = set()
    for result in latest:
        if result.zone_id in seen:
            continue
        seen.add(result.zone_id)
        data = snapshot_of(result.run)
        removal = (data.get("consequences") or {}).get("removal") or {}
        n = (removal.get("consecutive_years") or {}).get("value")
        grade = removal.get("grade")
        if not n or not grade or result.final_grade != grade:
            continue
        history = grade_history(result.zone_id, result.run.programme_id, result.run.year)
        tail = history[-(int(n) - 1) :]
        years = [y for y, _g in tail]
        if (
            len(tail) == int(n) - 1
            and all(g == grade for _y, g in tail)
            and years == list(range(result.run.year - int(n) + 2, result.run.year + 1))
        ):
            found.append(
                {"result": result, "streak": len(tail), "n": int(n), "forecast": result.removal_risk}
            )
    return found


def removal_risk_notices(user: Any) -> list[NoticeItem]:
    """The removal-risk flag on the admin's and the city's workbench."""
    if not getattr(user, "is_authenticated", False):
        return []
    notices = []
    for risk in removal_risks_for(user):
        result = risk["result"]
        probability = (risk["forecast"] or {}).get("probability")
        chance = (
            f"，预计下一年度仍为A等次的概率约{percent(probability, 0)}" if probability is not None else ""
        )
        notices.append(
            NoticeItem(
                title=f"移出风险：{result.zone_name}已连续{risk['streak']}年评为{result.final_grade}等次{chance}",
                url=reverse("evaluation:result_detail", args=[result.pk]),
                date=result.run.published_at.date().isoformat() if result.run.published_at else "",
                source="年度评估",
            )
        )
    return notices


def grade_histories(programme: Any) -> dict[int, list[tuple[int, str]]]:
    """Zone id → (year, final grade) of every published run of the programme, oldest first (one query).

    Read by supervision's warnings (a second consecutive A, removal risk) for all zones at once.
    """
    rows = (
        ZoneResult.objects.filter(run__programme=programme, run__status=RunStatus.PUBLISHED)
        .order_by("zone_id", "run__year")
        .values_list("zone_id", "run__year", "final_grade")
    )
    found: dict[int, list[tuple[int, str]]] = {}
    for zone_id, year, grade in rows:
        found.setdefault(zone_id, []).append((year, grade))
    return found
