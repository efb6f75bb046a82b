"""Review rounds and their random draw: create, draw, check, contact, replace, confirm the panel."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.audit import audit_record
from xiandao.core.formats import date_zh
from xiandao.notifications.services import notification_send
from xiandao.pilot_zones.models import ZoneStatus

from ..draw import Candidate, DrawRefused, Filters, draw_check, panel_draw, pool_fingerprint
from ..facts import candidate_of, conflicts_of, member_kinds, scoring_rules
from ..kinds import ReviewNotificationKind
from ..models import (
    Assignment,
    Draw,
    DrawCheckRecord,
    Expert,
    MemberStatus,
    PanelEvent,
    PanelEventKind,
    PanelMember,
    ReviewRound,
    RoundApplication,
    RoundStatus,
)
from ..permissions import ReviewAction, programmes_administered, round_policy


def _may_manage(actor: Any, round_: ReviewRound) -> None:
    if actor is not None and not round_policy.user_may(actor, ReviewAction.MANAGE, round_):
        raise PermissionDenied("只有本培育计划的管理员可以组织论证评审。")


def _locked(round_: ReviewRound, *expected: str) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if expected and locked.status not in expected:
        names = "、".join(str(RoundStatus(s).label) for s in expected)
        raise ValidationError(f"该批次当前为“{locked.get_status_display()}”，此操作只能在“{names}”时进行。")
    return locked


def round_applications(round_: ReviewRound) -> list[Any]:
    return [
        entry.application
        for entry in RoundApplication.objects.filter(round=round_)
        .select_related("application__city", "application__created_by__organisation", "application__field")
        .prefetch_related("application__host_parks__organisations")
    ]


@transaction.atomic
def round_create(
    *,
    actor: Any,
    programme: Any,
    name: str,
    deadline: dt.date,
    applications: Iterable[Any],
    is_demo: bool = False,
) -> ReviewRound:
    """A round of the applications under review (论证中) of the programme."""
    if actor is not None and not programmes_administered(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied("只有本培育计划的管理员可以组织论证评审。")
    issues: dict[str, list[str]] = {}
    applications = list(applications)
    if not name.strip():
        issues["name"] = ["请填写批次名称。"]
    elif ReviewRound.objects.filter(programme=programme, name=name.strip()).exists():
        issues["name"] = ["已有同名的评审批次。"]
    if deadline < timezone.localdate():
        issues["deadline"] = ["评分截止日期不能早于今天。"]
    if not applications:
        issues["applications"] = ["请至少选择一份论证中的申报。"]
    wrong = [
        a.name for a in applications if a.programme_id != programme.pk or a.status != ZoneStatus.UNDER_REVIEW
    ]
    if wrong:
        issues.setdefault("applications", []).append(f"只能选择本计划论证中的申报：{'、'.join(wrong)}。")
    if scoring_rules(programme) is None:
        issues.setdefault("name", []).append(
            "该培育计划未规定论证评分规则（量程与权重），请先在计划设置中补充。"
        )
    if issues:
        raise ValidationError(issues)
    round_ = ReviewRound.objects.create(
        programme=programme, name=name.strip(), deadline=deadline, created_by=actor, is_demo=is_demo
    )
    RoundApplication.objects.bulk_create(
        [RoundApplication(round=round_, application=a) for a in applications]
    )
    audit_record(
        actor=actor,
        action="review.round.created",
        target=round_,
        after={
            "name": round_.name,
            "deadline": deadline.isoformat(),
            "applications": [a.pk for a in applications],
        },
    )
    return round_


def supervisor_allowed(user: Any, round_: ReviewRound, actor: Any) -> bool:
    """A supervisor (监督人): an admin or a department officer of the province, not the one who draws."""
    if user is None or not user.is_active or (actor is not None and user.pk == actor.pk):
        return False
    scope = user_scope(user)
    return scope.has_role(
        Role.PROGRAMME_ADMIN, Role.DEPARTMENT_OFFICER
    ) and round_.programme.jurisdiction_id in scope.jurisdiction_ids | _organisation_jurisdictions(user)


def _organisation_jurisdictions(user: Any) -> frozenset[int]:
    organisation = getattr(user, "organisation", None)
    return frozenset({organisation.jurisdiction_id}) if organisation is not None else frozenset()


def _pool(round_: ReviewRound) -> list[Expert]:
    return list(Expert.objects.filter(programme=round_.programme).order_by("pk"))


@transaction.atomic
def draw_run(
    *,
    actor: Any,
    round: ReviewRound,
    per_kind: Mapping[str, int],
    reserves_per_kind: int,
    supervisor: Any,
    match_fields: bool = False,
    seed: str | None = None,
) -> Draw:
    """Draw the round's panel at random from the pool, with recusal and reserves; record it all."""
    round_ = _locked(round, RoundStatus.PREPARING)
    _may_manage(actor, round_)
    if not supervisor_allowed(supervisor, round_, actor):
        raise ValidationError(
            {"supervisor": ["请选择监督人：本省计划管理员或省直部门人员，且不能是抽取人本人。"]}
        )
    applications = round_applications(round_)
    experts = _pool(round_)
    today = timezone.localdate()
    conflicts = conflicts_of(experts, applications, today=today)
    fields = frozenset(a.field.code for a in applications if a.field_id) if match_fields else frozenset()
    filters = Filters(
        per_kind={str(k): int(v) for k, v in per_kind.items()},
        reserves_per_kind=int(reserves_per_kind),
        fields=fields,
        required_kinds=member_kinds(round_.programme),
    )
    seed = seed or secrets.token_hex(8)
    pool = [candidate_of(e) for e in experts]
    try:
        result = panel_draw(pool, seed=seed, filters=filters, conflicts=conflicts)
    except DrawRefused as exc:
        raise ValidationError(str(exc)) from exc
    record = result.record()
    draw = Draw.objects.create(
        round=round_,
        method=result.method,
        seed=seed,
        pool_fingerprint=result.pool_fingerprint,
        pool_size=len(pool),
        pool=[c.record() for c in result.pool],
        conflicts={str(k): v for k, v in conflicts.items()},
        filters=record["filters"],
        exclusions=record["exclusions"],
        ranked=record["ranked"],
        run_by=actor,
        supervised_by=supervisor,
    )
    PanelMember.objects.bulk_create(
        [
            PanelMember(
                round=round_,
                expert_id=r.candidate_id,
                kind=r.kind,
                rank=r.rank,
                status=MemberStatus.DRAWN if r.role == "member" else MemberStatus.RESERVE,
            )
            for r in result.ranked
            if r.role in ("member", "reserve")
        ]
    )
    round_.status = RoundStatus.DRAWN
    round_.supervisor = supervisor
    round_.save(update_fields=["status", "supervisor"])
    audit_record(
        actor=actor,
        action="review.draw.run",
        target=round_,
        after={
            "seed": seed,
            "pool_fingerprint": result.pool_fingerprint,
            "members": [r.candidate_id for r in result.members],
            "reserves": [r.candidate_id for r in result.reserves],
            "excluded": len(result.exclusions),
            "supervisor": str(supervisor),
        },
    )
    return draw


@transaction.atomic
def draw_verify(*, actor: Any, round: ReviewRound) -> DrawCheckRecord:
    """复核抽取: re-run the recorded draw from its record and compare; the admin or the supervisor."""
    round_ = ReviewRound.objects.get(pk=round.pk)
    if actor is not None and not round_policy.user_may(actor, ReviewAction.PANEL_VIEW, round_):
        raise PermissionDenied("只有本培育计划的管理员或监督人可以复核抽取。")
    try:
        draw = round_.draw
    except Draw.DoesNotExist:
        raise ValidationError("该批次尚未抽取。") from None
    pool = [Candidate.from_record(c) for c in draw.pool]
    conflicts = {int(k): v for k, v in draw.conflicts.items()}
    current = pool_fingerprint([candidate_of(e) for e in _pool(round_)])
    record = {
        "seed": draw.seed,
        "pool_fingerprint": draw.pool_fingerprint,
        "filters": draw.filters,
        "exclusions": draw.exclusions,
        "ranked": draw.ranked,
    }
    check = draw_check(record, pool, conflicts, current_fingerprint=current)
    row = DrawCheckRecord.objects.create(
        draw=draw,
        same=check.same,
        pool_unchanged=check.pool_unchanged,
        differences=list(check.differences),
        checked_by=actor,
    )
    audit_record(
        actor=actor,
        action="review.draw.checked",
        target=round_,
        after={
            "same": check.same,
            "pool_unchanged": check.pool_unchanged,
            "differences": list(check.differences),
        },
    )
    return row


def _member_locked(member: PanelMember) -> PanelMember:
    return PanelMember.objects.select_for_update().select_related("round", "expert").get(pk=member.pk)


@transaction.atomic
def member_contact(*, actor: Any, member: PanelMember, accepted: bool, note: str = "") -> PanelMember:
    """Record a contact with a drawn expert and their answer (确认参加 / 不能参加)."""
    member = _member_locked(member)
    _locked(member.round, RoundStatus.DRAWN)
    _may_manage(actor, member.round)
    if member.status != MemberStatus.DRAWN:
        raise ValidationError(f"该专家当前为“{member.get_status_display()}”，不能再次登记联系结果。")
    if not accepted and not note.strip():
        raise ValidationError({"note": ["专家不能参加时，请写明原因。"]})
    member.status = MemberStatus.ACCEPTED if accepted else MemberStatus.DECLINED
    member.save(update_fields=["status"])
    PanelEvent.objects.create(
        round=member.round,
        member=member,
        kind=PanelEventKind.CONTACTED,
        answer="accepted" if accepted else "declined",
        reason=note.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="review.member.contacted",
        target=member.round,
        after={"expert": member.expert_id, "accepted": accepted, "note": note},
    )
    return member


@transaction.atomic
def member_replace(*, actor: Any, member: PanelMember, reason: str) -> PanelMember:
    """Replace a member who cannot sit by the next reserve of the same kind, in ranked order."""
    member = _member_locked(member)
    round_ = _locked(member.round, RoundStatus.DRAWN)
    _may_manage(actor, round_)
    if not reason.strip():
        raise ValidationError({"reason": ["替换专家须写明理由。"]})
    if member.status not in (MemberStatus.DRAWN, MemberStatus.DECLINED, MemberStatus.ACCEPTED):
        raise ValidationError(f"该专家当前为“{member.get_status_display()}”，不能替换。")
    reserve = (
        PanelMember.objects.select_for_update()
        .filter(round=round_, kind=member.kind, status=MemberStatus.RESERVE)
        .order_by("rank")
        .first()
    )
    if reserve is None:
        raise ValidationError(
            f"该类别（{member.get_kind_display()}）已无备选专家，不能替换；请重新组织抽取。"
        )
    member.status = MemberStatus.REPLACED
    member.save(update_fields=["status"])
    reserve.status = MemberStatus.DRAWN
    reserve.replaces = member
    reserve.save(update_fields=["status", "replaces"])
    PanelEvent.objects.create(
        round=round_,
        member=member,
        kind=PanelEventKind.REPLACED,
        answer=str(reserve.expert_id),
        reason=reason.strip(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="review.member.replaced",
        target=round_,
        after={"replaced": member.expert_id, "by": reserve.expert_id},
        reason=reason,
    )
    return reserve


@transaction.atomic
def panel_confirm(*, actor: Any, round: ReviewRound) -> list[Assignment]:
    """Confirm the panel once every member accepted: each member is assigned every application."""
    round_ = _locked(round, RoundStatus.DRAWN)
    _may_manage(actor, round_)
    members = list(PanelMember.objects.filter(round=round_).select_related("expert__user"))
    seated = [
        m for m in members if m.status in (MemberStatus.DRAWN, MemberStatus.ACCEPTED, MemberStatus.DECLINED)
    ]
    waiting = [m.expert.name for m in seated if m.status != MemberStatus.ACCEPTED]
    if waiting:
        raise ValidationError(f"以下专家尚未确认参加（或不能参加须替换）：{'、'.join(waiting)}。")
    accepted = [m for m in members if m.status == MemberStatus.ACCEPTED]
    missing = [k for k in member_kinds(round_.programme) if k not in {m.kind for m in accepted}]
    if missing:
        from ..draw import KIND_LABELS

        raise ValidationError(
            f"评审专家组缺少{'、'.join(KIND_LABELS.get(k, k) for k in missing)}，不能确认。"
        )
    applications = round_applications(round_)
    conflicts = conflicts_of([m.expert for m in accepted], applications, today=timezone.localdate())
    if conflicts:
        names = {m.expert_id: m.expert.name for m in accepted}
        details = "；".join(f"{names[e]}：{'；'.join(r)}" for e, r in conflicts.items())
        raise ValidationError(f"抽取后专家库信息有变，以下专家存在回避情形，请替换后再确认：{details}")
    assignments = Assignment.objects.bulk_create(
        [Assignment(member=m, application=a) for m in accepted for a in applications]
    )
    round_.status = RoundStatus.SCORING
    round_.save(update_fields=["status"])
    PanelEvent.objects.create(
        round=round_, kind=PanelEventKind.CONFIRMED, reason=f"{len(accepted)}名专家", actor=actor
    )
    audit_record(
        actor=actor,
        action="review.panel.confirmed",
        target=round_,
        after={"members": [m.expert_id for m in accepted], "assignments": len(assignments)},
    )
    recipients = [m.expert.user for m in accepted if m.expert.user is not None]
    if recipients:
        notification_send(
            recipients=recipients,
            kind=ReviewNotificationKind.ASSIGNED,
            title=f"论证评审任务：{round_.name}（{len(applications)}份申报）",
            body=f"请于{date_zh(round_.deadline)}前完成回避声明和评分。",
            url=reverse("review:my_reviews"),
        )
    return assignments
