"""Publication and the rules it applies (Anhui plan §四(四)), each a parameter of the programme.

* the improvement grade (A): 改进意见, 支持完善创建方案, an improvement plan the zone writes tied to
  its weakest indicators, and 观察期/包容期 with their end dates;
* the last N grades all A in consecutive years (N a parameter), the tolerance period of the
  previous A over: removal proposed to the admin, who confirms or declines with a reason;
* the support grade (AA) and above: 要素保障、政策投入 recorded per zone, delivery tracked;
* the national grade (AAA): 优先推荐争创国家级, with the letter as a Word document;
* every expected target met in the last year of the creation period: 正式认定 and the task to
  draw up the cluster plan;
* the host cities' bonus points per grade.

Every consequence that changes the zone's state is a move through ``pilot_zones.services.zone_move``
(the allowed-moves table), audited and notified. Publishing twice is refused.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.core.audit import audit_record
from xiandao.core.formats import date_zh
from xiandao.geo.selectors import city_list, jurisdiction_with_ancestor_ids, park_jurisdiction_ids
from xiandao.notifications.selectors import programme_users
from xiandao.notifications.services import notification_send
from xiandao.pilot_zones.lifecycle import Action, MoveRefused
from xiandao.pilot_zones.selectors import zone_place_list
from xiandao.pilot_zones.services import zone_move

from ..forecasts import forecasts_store
from ..models import Consequence, ConsequenceKind, ConsequenceStatus, EvaluationRun, RunStatus, ZoneResult
from ..permissions import ConsequenceAction, EvaluationAction, consequence_policy
from .runs import NOTIFY, _check, _locked, settings_for


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _param(consequences: dict[str, Any], *path: str) -> Any:
    value: Any = consequences
    for key in path:
        value = (value or {}).get(key)
    return value.get("value") if isinstance(value, dict) and "value" in value else value


def previous_grades(zone_id: int, programme_id: int, before_year: int) -> list[tuple[int, str]]:
    """The zone's published final grades of earlier years, oldest first."""
    rows = (
        ZoneResult.objects.filter(
            zone_id=zone_id,
            run__programme_id=programme_id,
            run__status=RunStatus.PUBLISHED,
            run__year__lt=before_year,
        )
        .order_by("run__year")
        .values_list("run__year", "final_grade")
    )
    return [(year, grade) for year, grade in rows]


def removal_due(
    history: list[tuple[int, str]], year: int, grade: str, n: int | None, removal_grade: str
) -> bool:
    """The last ``n`` grades, this year's included, are all the removal grade in consecutive years."""
    if not n or grade != removal_grade:
        return False
    grades = [*history, (year, grade)]
    last = grades[-n:]
    if len(last) < n:
        return False
    years = [y for y, _g in last]
    return all(g == removal_grade for _y, g in last) and years == list(range(year - n + 1, year + 1))


def _tolerance_end(zone_id: int, programme_id: int, before_year: int) -> dt.date | None:
    """When the tolerance period set by the zone's last A before ``before_year`` ends."""
    found = (
        Consequence.objects.filter(
            result__zone_id=zone_id,
            run__programme_id=programme_id,
            run__year__lt=before_year,
            run__status=RunStatus.PUBLISHED,
            kind=ConsequenceKind.OBSERVATION,
        )
        .order_by("-run__year")
        .values_list("second_due", flat=True)
        .first()
    )
    return found


def _all_targets_met(result: ZoneResult) -> bool:
    values = [Decimal(v) for v in result.attainment.values() if v is not None]
    return bool(values) and all(v >= 1 for v in values)


def _host_cities(zone: Any) -> list[Any]:
    """The cities (设区市) hosting the zone today: its places' divisions and their parks' divisions."""
    places = list(zone_place_list([zone]))
    ids = {p.jurisdiction_id for p in places if p.jurisdiction_id and p.valid_to is None}
    for found in park_jurisdiction_ids(
        [p.park_id for p in places if p.park_id and p.valid_to is None]
    ).values():
        ids |= found
    if not ids:
        return []
    return list(city_list().filter(pk__in=jurisdiction_with_ancestor_ids(ids)).order_by("code"))


def _zone_people(zone: Any) -> list[Any]:
    from ..selectors import zone_users

    return zone_users(zone)


@transaction.atomic
def run_publish(*, actor: Any, run: EvaluationRun, today: dt.date | None = None) -> EvaluationRun:
    """Publish the finalised grades and apply every consequence; a second publication is refused."""
    _check(actor, run, EvaluationAction.PUBLISH, "发布评估结果")
    run = _locked(run)
    if run.status == RunStatus.PUBLISHED:
        raise ValidationError(f"{run.year}年度评估结果已于{date_zh(run.published_at)}发布，不能重复发布。")
    if EvaluationRun.objects.filter(
        programme=run.programme, year=run.year, status=RunStatus.PUBLISHED
    ).exists():
        raise ValidationError(f"{run.year}年度已有发布的评估结果，不能重复发布。")
    days = settings_for(run.programme).public_notice_days
    today = today or timezone.localdate()
    if days:
        if run.status != RunStatus.PUBLIC_NOTICE:
            raise ValidationError("本计划的评估结果发布前须经公示，请先确定等次并公示。")
        if run.notice_end and today <= run.notice_end:
            raise ValidationError(f"公示期至{date_zh(run.notice_end)}，期满后才能发布。")
        if run.objections.filter(answer="").exists():
            raise ValidationError("尚有公示异议未答复，答复后才能发布。")
    elif run.status != RunStatus.FINALISED:
        raise ValidationError(f"该评估批次当前为“{run.get_status_display()}”，须先确定等次再发布。")
    data = json.loads(run.snapshot)
    consequences = data.get("consequences") or {}
    scale = [code for code, _name in data["grades"]]
    applied: list[str] = []
    for result in run.zone_results.select_related("zone", "zone__programme").order_by("rank"):
        try:
            applied += _apply(actor, run, result, consequences, scale, today)
        except MoveRefused as refused:
            raise ValidationError(f"{result.zone_name}：{refused.message}未发布任何结果。") from refused
    run.status = RunStatus.PUBLISHED
    run.published_at, run.published_by = timezone.now(), actor
    run.save(update_fields=["status", "published_at", "published_by"])
    # The path to the next grade and the removal risk, on the grades as published.
    forecasts_store(run, final=True)
    audit_record(
        actor=actor,
        action="evaluation.run.published",
        target=run,
        after={
            "zones": run.zone_results.count(),
            "consequences": applied,
            "results_sha256": run.results_sha256,
        },
    )
    notification_send(
        recipients=programme_users(
            run.programme, roles=[Role.PROGRAMME_ADMIN, Role.CITY_OFFICER, Role.ZONE_OPERATOR]
        ),
        kind=NOTIFY,
        title=f"{run.programme.name}{run.year}年度评估结果已发布",
        url=f"/evaluation/runs/{run.pk}/",
        exclude=actor,
    )
    return run


def _add(run: EvaluationRun, result: ZoneResult, kind: str, text: str, **fields: Any) -> Consequence:
    item = Consequence.objects.create(run=run, result=result, kind=kind, text=text, **fields)
    audit_record(
        actor=None,
        action="evaluation.consequence.applied",
        target=item,
        after={"zone": result.zone_name, "kind": kind, "text": text[:200]},
    )
    return item


def _apply(
    actor: Any,
    run: EvaluationRun,
    result: ZoneResult,
    consequences: dict[str, Any],
    scale: list[str],
    today: dt.date,
) -> list[str]:
    grade = result.final_grade or result.proposed_grade
    zone = result.zone
    applied: list[str] = []
    if grade not in scale:  # no figure, no grade: nothing follows
        return applied
    improvement = consequences.get("improvement_opinion_grade")
    support_from = consequences.get("support_from_grade")
    national = consequences.get("national_recommendation_grade")
    removal = consequences.get("removal") or {}
    level = scale.index(grade) if grade in scale else -1
    # The grade itself, as the life cycle records it.
    action = (
        Action.GRADE_A if grade == improvement else Action.GRADE_AAA if grade == national else Action.GRADE_AA
    )
    zone = zone_move(actor=actor, zone=zone, action=action, reason=f"{run.year}年度评估结果：{grade}等次")
    applied.append(f"{result.zone_name}:{action.value}")
    people = _zone_people(zone)
    if grade == improvement:
        weakest = [w["code"] for w in result.weaknesses]
        names = data_names(run)
        listed = "、".join(names.get(c, c) for c in weakest) or "各项指标"
        _add(
            run,
            result,
            ConsequenceKind.IMPROVEMENT_OPINION,
            f"{run.year}年度评估为{grade}等次。请针对{listed}等短板，提出改进措施。",
            details={"weakest": weakest},
        )
        _add(run, result, ConsequenceKind.PLAN_SUPPORT, "支持先导区完善创建方案。")
        _add(
            run,
            result,
            ConsequenceKind.IMPROVEMENT_PLAN,
            f"请先导区围绕{listed}编制改进计划并提交。",
            details={"weakest": weakest},
            due=today + dt.timedelta(days=60),
        )
        observation = int(_param(consequences, "observation_period") or 1)
        tolerance = int(_param(consequences, "tolerance_period") or 1)
        _add(
            run,
            result,
            ConsequenceKind.OBSERVATION,
            f"设置观察期{observation}年、包容期{tolerance}年。",
            due=_years_later(today, observation),
            second_due=_years_later(today, tolerance),
        )
        n = _param(removal, "consecutive_years")
        history = previous_grades(zone.pk, run.programme_id, run.year)
        if removal_due(history, run.year, grade, int(n) if n else None, removal.get("grade", improvement)):
            tolerance_end = _tolerance_end(zone.pk, run.programme_id, run.year)
            if tolerance_end is not None and today < tolerance_end:
                _add(
                    run,
                    result,
                    ConsequenceKind.REMOVAL,
                    f"连续{n}年评估为{grade}等次，但上一包容期至{date_zh(tolerance_end)}尚未结束，暂不提出移出。",
                    status=ConsequenceStatus.DONE,
                    details={"within_tolerance": True, "tolerance_end": tolerance_end.isoformat()},
                )
            else:
                _add(
                    run,
                    result,
                    ConsequenceKind.REMOVAL,
                    f"连续{n}年评估结果为{grade}等次，按规定提出移出创建名单，待计划管理员确认。",
                    status=ConsequenceStatus.PROPOSED,
                    details={"grades": [*history, (run.year, grade)][-int(n) :]},
                )
                applied.append(f"{result.zone_name}:removal_proposed")
    if support_from in scale and level >= scale.index(support_from):
        _add(
            run,
            result,
            ConsequenceKind.SUPPORT,
            "在要素保障、政策投入等方面予以协同支持。",
            details={"deliveries": []},
        )
    if grade == national:
        if zone.status == "national_recommended":  # recommended in an earlier year: it stands
            _add(run, result, ConsequenceKind.NATIONAL, "再次评为最高等次，继续推荐争创国家未来产业先导区。")
        else:
            zone = zone_move(
                actor=actor,
                zone=zone,
                action=Action.RECOMMEND_NATIONAL,
                reason=f"{run.year}年度评估为{grade}等次",
            )
            _add(run, result, ConsequenceKind.NATIONAL, "优先推荐争创国家未来产业先导区。")
            applied.append(f"{result.zone_name}:recommend_national")
    end_year = getattr(zone, "creation_end_year", None)
    if (
        consequences.get("recognition") == "all_targets_met"
        and end_year
        and run.year >= end_year
        and _all_targets_met(result)
    ):
        zone_move(
            actor=actor,
            zone=zone,
            action=Action.RECOGNISE,
            reason=f"创建期末（{end_year}年）达成全部预期目标",
        )
        _add(run, result, ConsequenceKind.RECOGNITION, "达成全部预期目标，正式认定为未来产业先导区。")
        _add(
            run,
            result,
            ConsequenceKind.CLUSTER_PLAN,
            "滚动制定产业集群创建方案。",
            due=today + dt.timedelta(days=180),
        )
        applied.append(f"{result.zone_name}:recognise")
    for bonus in consequences.get("host_city_bonus") or []:
        if bonus.get("grade") == grade:
            points = _param(bonus, "points")
            for city in _host_cities(zone):
                _add(
                    run,
                    result,
                    ConsequenceKind.CITY_BONUS,
                    f"{city.name}目标管理绩效考核加{points}分。",
                    city=city,
                    points=Decimal(str(points)),
                    status=ConsequenceStatus.DONE,
                )
    notification_send(
        recipients=people,
        kind=NOTIFY,
        title=f"{result.zone_name}{run.year}年度评估结果：{grade}等次",
        url=f"/evaluation/results/{result.pk}/",
    )
    return applied


def data_names(run: EvaluationRun) -> dict[str, str]:
    engine = json.loads(run.snapshot)["engine"]["framework"]
    return {i["code"]: i.get("name") or i["code"] for i in engine["indicators"]}


@transaction.atomic
def removal_decide(*, actor: Any, consequence: Consequence, confirm: bool, reason: str) -> Consequence:
    """The admin confirms (the zone is removed) or declines the proposed removal, with a reason."""
    if not consequence_policy.user_may(actor, ConsequenceAction.MANAGE, consequence):
        raise PermissionDenied("只有计划管理员可以确认移出创建名单。")
    item = (
        Consequence.objects.select_for_update().select_related("result__zone", "run").get(pk=consequence.pk)
    )
    if item.kind != ConsequenceKind.REMOVAL or item.status != ConsequenceStatus.PROPOSED:
        raise ValidationError("该事项不是待确认的移出建议。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("确认或不予移出均须写明理由。")
    if confirm:
        try:
            zone_move(actor=actor, zone=item.result.zone, action=Action.REMOVE, reason=reason)
        except MoveRefused as refused:
            raise ValidationError(refused.message) from refused
    item.status = ConsequenceStatus.DONE if confirm else ConsequenceStatus.DECLINED
    item.response, item.responded_by, item.responded_at = reason, actor, timezone.now()
    item.save(update_fields=["status", "response", "responded_by", "responded_at"])
    audit_record(
        actor=actor,
        action="evaluation.removal.confirmed" if confirm else "evaluation.removal.declined",
        target=item,
        after={"zone": item.result.zone_name},
        reason=reason,
    )
    notification_send(
        recipients=_zone_people(item.result.zone),
        kind=NOTIFY,
        title=f"{item.result.zone_name}{'已移出创建名单' if confirm else '不予移出创建名单'}",
        body=reason,
        url=f"/evaluation/results/{item.result_id}/",
    )
    return item


@transaction.atomic
def support_delivery_record(
    *, actor: Any, consequence: Consequence, text: str, delivered_on: dt.date
) -> Consequence:
    """Record what support was delivered to a zone (graded AA and above)."""
    if not consequence_policy.user_may(actor, ConsequenceAction.MANAGE, consequence):
        raise PermissionDenied("只有计划管理员可以登记支持措施的落实情况。")
    item = Consequence.objects.select_for_update().get(pk=consequence.pk)
    if item.kind != ConsequenceKind.SUPPORT:
        raise ValidationError("只有“要素保障、政策投入”可以登记落实情况。")
    if not (text or "").strip():
        raise ValidationError("请写明落实的支持措施。")
    deliveries = list(item.details.get("deliveries", []))
    deliveries.append({"text": text.strip(), "on": delivered_on.isoformat(), "by": actor.username})
    item.details = {**item.details, "deliveries": deliveries}
    item.save(update_fields=["details"])
    audit_record(actor=actor, action="evaluation.support.delivered", target=item, after={"text": text[:200]})
    return item


@transaction.atomic
def improvement_plan_submit(*, actor: Any, consequence: Consequence, text: str) -> Consequence:
    """The zone's improvement plan, tied to its weakest indicators."""
    if not consequence_policy.user_may(actor, ConsequenceAction.RESPOND, consequence):
        raise PermissionDenied("只有该先导区的运营人员可以提交改进计划。")
    item = Consequence.objects.select_for_update().get(pk=consequence.pk)
    if item.status == ConsequenceStatus.DONE:
        raise ValidationError("改进计划已提交。")
    if not (text or "").strip():
        raise ValidationError("改进计划不能为空。")
    item.response, item.responded_by, item.responded_at = text.strip(), actor, timezone.now()
    item.status = ConsequenceStatus.DONE
    item.save(update_fields=["response", "responded_by", "responded_at", "status"])
    audit_record(
        actor=actor, action="evaluation.improvement_plan.submitted", target=item, after={"text": text[:200]}
    )
    return item
