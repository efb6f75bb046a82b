"""Declarations (回避声明), scores, closing a round, the committee's opinion (论证意见) and publication."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.core.audit import audit_record
from xiandao.notifications.selectors import programme_users
from xiandao.notifications.services import notification_send

from ..facts import rules_record, scoring_rules
from ..kinds import ReviewNotificationKind
from ..models import (
    Assignment,
    AssignmentStatus,
    Recommendation,
    ReviewOpinion,
    ReviewRound,
    RoundApplication,
    RoundStatus,
    ScoreLine,
    ScoreSheet,
)
from ..permissions import ReviewAction, assignment_policy, round_policy
from ..scoring import METHOD, SheetInvalid, overall, sheet_check


def _assignment_locked(actor: Any, assignment: Assignment, action: str) -> Assignment:
    """The assignment under a row lock, if the actor may act on it; 404 otherwise (conflicts included)."""
    allowed = assignment_policy.get_or_404(actor, action, pk=assignment.pk)
    return (
        Assignment.objects.select_for_update()
        .select_related("member__round", "member__expert")
        .get(pk=allowed.pk)
    )


@transaction.atomic
def assignment_declare(*, actor: Any, assignment: Assignment) -> Assignment:
    """The expert declares, on opening, that they have no conflict with the application (回避声明)."""
    assignment = _assignment_locked(actor, assignment, ReviewAction.OPEN)
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ValidationError(f"该评审任务当前为“{assignment.get_status_display()}”，无需再次声明。")
    if assignment.member.round.status != RoundStatus.SCORING:
        raise ValidationError("该批次已结束评分。")
    assignment.status = AssignmentStatus.DECLARED
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["status", "declared_at"])
    audit_record(
        actor=actor, action="review.assignment.declared", target=assignment, after={"no_conflict": True}
    )
    return assignment


@transaction.atomic
def assignment_recuse(*, actor: Any, assignment: Assignment, reason: str) -> Assignment:
    """The expert recuses themselves from the application, with a reason; the admins are told."""
    assignment = _assignment_locked(actor, assignment, ReviewAction.OPEN)
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED):
        raise ValidationError(f"该评审任务当前为“{assignment.get_status_display()}”，不能申请回避。")
    if not reason.strip():
        raise ValidationError({"reason": ["申请回避须写明理由。"]})
    assignment.status = AssignmentStatus.RECUSED
    assignment.recusal_reason = reason.strip()
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["status", "recusal_reason", "declared_at"])
    round_ = assignment.member.round
    audit_record(actor=actor, action="review.assignment.recused", target=assignment, reason=reason)
    notification_send(
        recipients=programme_users(round_.programme, roles=[Role.PROGRAMME_ADMIN]),
        kind=ReviewNotificationKind.RECUSED,
        title=f"专家申请回避：{round_.name}",
        body=f"一位评审专家对“{assignment.application}”申请回避：{reason.strip()}",
        url=reverse("review:round_detail", args=[round_.pk]),
    )
    _complete_check(round_)
    return assignment


@transaction.atomic
def score_submit(
    *,
    actor: Any,
    assignment: Assignment,
    points: Mapping[str, object],
    comments: str,
    recommendation: str,
) -> ScoreSheet:
    """Submit an expert's scores with comments and a recommendation; every problem is said at once."""
    assignment = _assignment_locked(actor, assignment, ReviewAction.SCORE)
    round_ = assignment.member.round
    rules = scoring_rules(round_.programme)
    if rules is None:
        raise ValidationError("该培育计划未规定论证评分规则。")
    problems: dict[str, list[str]] = {}
    values: dict[str, Decimal] = {}
    try:
        values = sheet_check(rules, points)
    except SheetInvalid as exc:
        problems.update({k: [v] for k, v in exc.problems.items()})
    if not comments.strip():
        problems["comments"] = ["请填写评审意见。"]
    if recommendation not in Recommendation.values:
        problems["recommendation"] = ["请选择结论建议。"]
    if problems:
        raise ValidationError(problems)
    sheet = ScoreSheet.objects.create(
        assignment=assignment,
        overall=overall(rules, values),
        comments=comments.strip(),
        recommendation=recommendation,
        method=METHOD,
        rules=rules_record(rules),
    )
    criterion_of = {item.code: item.criterion for item in rules.items}
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(sheet=sheet, code=code, criterion=criterion_of.get(code, code), points=v)
            for code, v in values.items()
        ]
    )
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="review.score.submitted",
        target=assignment,
        after={
            "overall": str(sheet.overall),
            "recommendation": recommendation,
            "points": {k: str(v) for k, v in values.items()},
        },
    )
    _complete_check(round_)
    return sheet


def _complete_check(round_: ReviewRound) -> None:
    """When every assignment is submitted or recused, record it and tell the programme's admins (once)."""
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if round_.scores_complete_at is not None:
        return
    assignments = Assignment.objects.filter(member__round=round_, conflicted=False)
    if assignments.exclude(status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED]).exists():
        return
    round_.scores_complete_at = timezone.now()
    round_.save(update_fields=["scores_complete_at"])
    notification_send(
        recipients=programme_users(round_.programme, roles=[Role.PROGRAMME_ADMIN]),
        kind=ReviewNotificationKind.SCORES_COMPLETE,
        title=f"论证评分已全部提交：{round_.name}",
        body="全部评审专家已提交评分或申请回避，可查看评审结果并撰写论证意见。",
        url=reverse("review:round_results", args=[round_.pk]),
    )


def _round_locked(actor: Any, round_: ReviewRound, *expected: str) -> ReviewRound:
    if actor is not None and not round_policy.user_may(actor, ReviewAction.MANAGE, round_):
        raise PermissionDenied("只有本培育计划的管理员可以组织论证评审。")
    locked = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if expected and locked.status not in expected:
        names = "、".join(str(RoundStatus(s).label) for s in expected)
        raise ValidationError(f"该批次当前为“{locked.get_status_display()}”，此操作只能在“{names}”时进行。")
    return locked


@transaction.atomic
def round_close(*, actor: Any, round: ReviewRound, reason: str = "") -> ReviewRound:
    """End scoring: sheets not submitted by now are not counted (a reason is needed if some are missing)."""
    round_ = _round_locked(actor, round, RoundStatus.SCORING)
    missing = Assignment.objects.filter(member__round=round_, conflicted=False).exclude(
        status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED]
    )
    if missing.exists() and not reason.strip():
        raise ValidationError({"reason": [f"尚有{missing.count()}份评分未提交，提前结束须写明理由。"]})
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="review.round.closed",
        target=round_,
        reason=reason,
        after={"missing": missing.count()},
    )
    return round_


@transaction.atomic
def review_opinion_write(
    *,
    actor: Any,
    application: Any,
    text: str,
    conclusion: str,
    round: ReviewRound | None = None,
    expected_version: int | None = None,
) -> ReviewOpinion:
    """Write (or rewrite) the committee's review opinion (论证意见) on an application of a closed round.

    Without ``round``, the application's latest round is meant. ``expected_version`` refuses an
    edit made on a stale page.
    """
    entries = RoundApplication.objects.filter(application=application).select_related("round")
    if round is not None:
        entries = entries.filter(round=round)
    entry = entries.order_by("-round__created_at", "-pk").first()
    if entry is None:
        raise ValidationError("该申报不在任何评审批次中。")
    round_ = _round_locked(actor, entry.round, RoundStatus.CLOSED)
    problems: dict[str, list[str]] = {}
    if not text.strip():
        problems["text"] = ["请填写论证意见。"]
    if conclusion not in Recommendation.values:
        problems["conclusion"] = ["请选择论证结论。"]
    if problems:
        raise ValidationError(problems)
    opinion = ReviewOpinion.objects.select_for_update().filter(round=round_, application=application).first()
    before = None
    if opinion is None:
        if expected_version not in (None, 0):
            raise ValidationError("论证意见已被他人删除或尚未保存，请刷新页面。")
        opinion = ReviewOpinion(round=round_, application=application, written_by=actor)
    else:
        if expected_version is not None and expected_version != opinion.version:
            raise ValidationError("论证意见已被他人修改，请刷新页面后再保存。")
        before = {"text": opinion.text, "conclusion": opinion.conclusion, "version": opinion.version}
        opinion.version += 1
    opinion.text = text.strip()
    opinion.conclusion = conclusion
    if actor is not None:
        opinion.written_by = actor
    opinion.save()
    audit_record(
        actor=actor,
        action="review.opinion.written",
        target=opinion,
        before=before,
        after={"text": opinion.text, "conclusion": conclusion, "version": opinion.version},
    )
    return opinion


@transaction.atomic
def round_publish(*, actor: Any, round: ReviewRound) -> ReviewRound:
    """Publish the round's results: every application needs its opinion; the panel list is then no longer secret."""
    round_ = _round_locked(actor, round, RoundStatus.CLOSED)
    without = [
        e.application.name
        for e in RoundApplication.objects.filter(round=round_).select_related("application")
        if not ReviewOpinion.objects.filter(round=round_, application=e.application).exists()
    ]
    if without:
        raise ValidationError(f"以下申报尚无论证意见，不能公布：{'、'.join(without)}。")
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="review.round.published", target=round_)
    return round_
