"""The expert pool (专家库), kept by the programme's admin: experts, declared conflicts, recorded ties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xiandao.accounts.models import ExpertKind, Role
from xiandao.accounts.selectors import role_assignments_active
from xiandao.core.audit import audit_record, snapshot
from xiandao.programmes.selectors import field_list_for_programme

from ..facts import conflicts_of, member_kinds
from ..models import (
    Assignment,
    AssignmentStatus,
    ConflictKind,
    DeclaredConflict,
    Expert,
    Relationship,
    RelationshipKind,
    RoundStatus,
)
from ..permissions import ReviewAction, expert_policy, programmes_administered

EXPERT_FIELDS = (
    "name",
    "kind",
    "title",
    "organisation",
    "city",
    "field_codes",
    "expertise",
    "active",
    "user",
)


def _may_manage_programme(actor: Any, programme: Any) -> None:
    if actor is None:
        return  # the platform itself (demo data, commands)
    if not programmes_administered(actor).filter(pk=programme.pk).exists():
        raise PermissionDenied("只有本培育计划的管理员可以维护专家库。")


def _may_manage(actor: Any, expert: Expert) -> None:
    if actor is not None and not expert_policy.user_may(actor, ReviewAction.MANAGE, expert):
        raise PermissionDenied("只有本培育计划的管理员可以维护专家库。")


def _expert_issues(programme: Any, values: dict[str, Any], *, expert: Expert | None) -> dict[str, list[str]]:
    """Every problem of an expert's data at once, by field."""
    issues: dict[str, list[str]] = {}
    if not str(values.get("name") or "").strip():
        issues.setdefault("name", []).append("请填写专家姓名。")
    kind = values.get("kind")
    if kind not in ExpertKind.values:
        issues.setdefault("kind", []).append("专家类别应为科学家、企业家或风险投资家。")
    elif kind not in member_kinds(programme):
        issues.setdefault("kind", []).append("本培育计划的咨询委员会不含该类别的专家。")
    codes = list(values.get("field_codes") or [])
    known = set(field_list_for_programme(programme).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        issues.setdefault("field_codes", []).append(f"本培育计划没有这些领域：{'、'.join(unknown)}。")
    user = values.get("user")
    if user is not None:
        if not role_assignments_active(user).filter(role=Role.EXPERT).exists():
            issues.setdefault("user", []).append("登录账号须持有“咨询委员会专家”角色。")
        taken = Expert.objects.filter(programme=programme, user=user)
        if expert is not None:
            taken = taken.exclude(pk=expert.pk)
        if taken.exists():
            issues.setdefault("user", []).append("该账号已对应专家库中的另一位专家。")
    return issues


@transaction.atomic
def expert_create(
    *,
    actor: Any,
    programme: Any,
    name: str,
    kind: str,
    title: str = "",
    organisation: Any = None,
    city: Any = None,
    field_codes: Iterable[str] = (),
    expertise: str = "",
    user: Any = None,
    active: bool = True,
    is_demo: bool = False,
) -> Expert:
    """Add an expert to the programme's pool."""
    _may_manage_programme(actor, programme)
    values = {
        "name": name.strip(),
        "kind": kind,
        "title": title,
        "organisation": organisation,
        "city": city,
        "field_codes": list(dict.fromkeys(field_codes)),
        "expertise": expertise,
        "user": user,
        "active": active,
    }
    issues = _expert_issues(programme, values, expert=None)
    if issues:
        raise ValidationError(issues)
    expert = Expert.objects.create(programme=programme, is_demo=is_demo, **values)
    audit_record(actor=actor, action="review.expert.created", target=expert, after=snapshot(expert))
    return expert


@transaction.atomic
def expert_update(*, actor: Any, expert: Expert, **changes: Any) -> Expert:
    """Change an expert's data; assignments still open are checked again for conflicts."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    _may_manage(actor, expert)
    unknown = set(changes) - set(EXPERT_FIELDS)
    if unknown:
        raise ValueError(f"不能修改的字段：{sorted(unknown)}")
    before = snapshot(expert)
    values = {name: getattr(expert, name) for name in EXPERT_FIELDS}
    values.update(changes)
    if "field_codes" in changes:
        values["field_codes"] = list(dict.fromkeys(changes["field_codes"] or []))
    issues = _expert_issues(expert.programme, values, expert=expert)
    if issues:
        raise ValidationError(issues)
    for name, value in values.items():
        setattr(expert, name, value)
    expert.save()
    audit_record(
        actor=actor, action="review.expert.updated", target=expert, before=before, after=snapshot(expert)
    )
    assignments_recheck(actor=actor, expert=expert)
    return expert


CONFLICT_TARGET: dict[str, str] = {
    ConflictKind.CITY: "jurisdiction",
    ConflictKind.PARK: "park",
    ConflictKind.ENTERPRISE: "enterprise",
    ConflictKind.ORGANISATION: "organisation",
}


@transaction.atomic
def conflict_declare(
    *, actor: Any, expert: Expert, kind: str, target: Any, note: str = ""
) -> DeclaredConflict:
    """Record a conflict the expert declared: a city, a park, an enterprise or an organisation."""
    _may_manage(actor, expert)
    if kind not in CONFLICT_TARGET:
        raise ValidationError({"kind": ["回避对象类型应为城市、园区、企业或单位。"]})
    if target is None:
        raise ValidationError({"target": ["请选择回避对象。"]})
    # An enterprise may be named by its registry id (the registries are read through their selectors).
    name = CONFLICT_TARGET[kind] + ("_id" if isinstance(target, int) else "")
    row = DeclaredConflict.objects.create(expert=expert, kind=kind, note=note, **{name: target})
    audit_record(
        actor=actor, action="review.conflict.added", target=expert, after={"conflict": str(row), "note": note}
    )
    assignments_recheck(actor=actor, expert=expert)
    return row


@transaction.atomic
def conflict_remove(*, actor: Any, conflict: DeclaredConflict, reason: str) -> None:
    _may_manage(actor, conflict.expert)
    if not reason.strip():
        raise ValidationError({"reason": ["删除回避情形须说明理由。"]})
    audit_record(
        actor=actor,
        action="review.conflict.removed",
        target=conflict.expert,
        before={"conflict": str(conflict)},
        reason=reason,
    )
    conflict.delete()


@transaction.atomic
def relationship_record(
    *,
    actor: Any,
    expert: Expert,
    kind: str,
    organisation: Any = None,
    enterprise: Any = None,
    person: str = "",
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    note: str = "",
) -> Relationship:
    """Record a tie for the recusal rules (employment, board, family, joint work, teacher–student)."""
    _may_manage(actor, expert)
    issues: dict[str, list[str]] = {}
    if kind not in RelationshipKind.values:
        issues["kind"] = ["请选择关系类型。"]
    if organisation is None and enterprise is None and not person.strip():
        issues["person"] = ["请指明关系对方：单位、企业或人员姓名。"]
    if started_on and ended_on and ended_on < started_on:
        issues["ended_on"] = ["结束日期不能早于开始日期。"]
    if ended_on and ended_on > timezone.localdate():
        issues["ended_on"] = ["结束日期不能晚于今天；仍存续的关系请留空。"]
    if issues:
        raise ValidationError(issues)
    row = Relationship.objects.create(
        expert=expert,
        kind=kind,
        organisation=organisation,
        enterprise=enterprise,
        person=person.strip(),
        started_on=started_on,
        ended_on=ended_on,
        note=note,
    )
    audit_record(
        actor=actor, action="review.relationship.added", target=expert, after={"relationship": str(row)}
    )
    assignments_recheck(actor=actor, expert=expert)
    return row


@transaction.atomic
def relationship_remove(*, actor: Any, relationship: Relationship, reason: str) -> None:
    _may_manage(actor, relationship.expert)
    if not reason.strip():
        raise ValidationError({"reason": ["删除回避关系须说明理由。"]})
    audit_record(
        actor=actor,
        action="review.relationship.removed",
        target=relationship.expert,
        before={"relationship": str(relationship)},
        reason=reason,
    )
    relationship.delete()


def assignments_recheck(*, actor: Any, expert: Expert) -> int:
    """Flag the expert's open assignments that now conflict, so they can no longer be opened (404)."""
    open_assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(member__expert=expert, conflicted=False)
        .exclude(status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED])
        .exclude(member__round__status=RoundStatus.PUBLISHED)
        .select_related("application__city", "application__created_by__organisation")
    )
    flagged = 0
    for assignment in open_assignments:
        reasons = conflicts_of([expert], [assignment.application], today=timezone.localdate()).get(expert.pk)
        if reasons:
            assignment.conflicted = True
            assignment.conflict_reasons = reasons
            assignment.save(update_fields=["conflicted", "conflict_reasons"])
            audit_record(
                actor=actor,
                action="review.assignment.conflicted",
                target=assignment,
                after={"reasons": reasons},
            )
            flagged += 1
    return flagged


@transaction.atomic
def demo_review_delete(*, actor: Any) -> dict[str, int]:
    """Delete every demonstration round (with its draw, panel, sheets, opinions) and demonstration expert."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有平台本身可以删除示例数据。")
    from ..models import ReviewRound

    rounds, _ = ReviewRound.objects.filter(is_demo=True).delete()
    experts, _ = Expert.objects.filter(is_demo=True).delete()
    if rounds or experts:
        audit_record(actor=actor, action="review.demo.removed", after={"rounds": rounds, "experts": experts})
    return {"review_rows": rounds + experts}
