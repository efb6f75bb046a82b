"""Targets and tasks edited by the programme's admin, with a reason, in the change history.

The writes are the confirmation service's (``services.confirmation``): the same entity rules as
the loader, and task units resolved as the loader resolves them (aliases within the
jurisdiction, collective units such as 各设区市人民政府 fanned out to every city government).
Nothing is deleted here: an edit is undone by putting the earlier values back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from xiandao.core.audit import snapshot

from ..models import ChangeKind, PolicyDocument, Programme, ProgrammeChange, Target, Task, TaskKind
from ..permissions import ProgrammeAction, programme_policy
from .confirmation import (
    TargetValues,
    TaskValues,
    target_create_from_proposal,
    target_update_from_proposal,
    task_create_from_proposal,
    task_update_from_proposal,
)
from .history import ChangeRefused, change_baseline, change_record, reason_required, revert_handler_register

TARGET_PREFIX = "target:"
TASK_PREFIX = "task:"


def _admin(user: Any, programme: Programme) -> Programme:
    found: Programme = programme_policy.get_or_404(user, ProgrammeAction.CHANGE, pk=programme.pk)
    Programme.objects.select_for_update().filter(pk=found.pk).first()
    return found


def _document(programme: Programme, code: str) -> PolicyDocument:
    document: PolicyDocument | None = PolicyDocument.objects.filter(programme=programme, code=code).first()
    if document is None:
        raise ChangeRefused("请选择目标或任务所依据的政策文件。")
    return document


def _target_state(target: Target) -> dict[str, Any]:
    data = snapshot(
        target,
        ["year", "metric", "value", "unit", "qualifier", "strive", "cumulative", "scope", "basis", "quote"],
    )
    data["document"] = target.document.code
    return data


def _task_state(task: Task) -> dict[str, Any]:
    units = list(task.units.order_by("role", "position").values_list("role", "written"))
    return {
        "title": task.title,
        "quote": task.quote,
        "article": task.article,
        "document": task.document.code,
        "lead": [w for r, w in units if r == "lead"],
        "cooperating": [w for r, w in units if r == "cooperating"],
    }


def target_add(
    *, user: Any, programme: Programme, document_code: str, values: TargetValues, reason: str
) -> ProgrammeChange:
    """A new target resting on a document of the programme."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = _admin(user, programme)
        baseline = change_baseline(programme)
        target = target_create_from_proposal(
            actor=user, programme=programme, document=_document(programme, document_code), values=values
        )
        return change_record(
            actor=user,
            programme=programme,
            kind=ChangeKind.TARGET_ADDED,
            subject=f"{TARGET_PREFIX}{target.code}",
            subject_label=_label(target),
            before=None,
            after=_target_state(target),
            reason=reason,
            baseline=baseline,
            audit_code="programmes.target.added",
        )


def target_edit(
    *, user: Any, programme: Programme, code: str, values: TargetValues, reason: str
) -> ProgrammeChange:
    """Change a target's values by the entity rules; the change is recorded and revertable."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = _admin(user, programme)
        target = Target.objects.filter(programme=programme, code=code).select_related("document").first()
        if target is None:
            raise ChangeRefused(f"本计划没有编码为“{code}”的目标。")
        return _target_write(user=user, programme=programme, target=target, values=values, reason=reason)


def _target_write(
    *,
    user: Any,
    programme: Programme,
    target: Target,
    values: TargetValues,
    reason: str,
    kind: ChangeKind = ChangeKind.TARGET_CHANGED,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    baseline = change_baseline(programme)
    before = _target_state(target)
    target = target_update_from_proposal(actor=user, target=target, values=values)
    target.refresh_from_db()
    return change_record(
        actor=user,
        programme=programme,
        kind=kind,
        subject=f"{TARGET_PREFIX}{target.code}",
        subject_label=_label(target),
        before=before,
        after=_target_state(target),
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        audit_code="programmes.target.edited" if reverts is None else "programmes.change.reverted",
    )


def task_add(
    *, user: Any, programme: Programme, document_code: str, values: TaskValues, article: str, reason: str
) -> ProgrammeChange:
    """A new task with its units resolved as the loader resolves them (aliases, collective units)."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = _admin(user, programme)
        baseline = change_baseline(programme)
        task = task_create_from_proposal(
            actor=user, programme=programme, document=_document(programme, document_code), values=values
        )
        if article.strip():
            task.article = article.strip()
            task.save(update_fields=["article"])
        return change_record(
            actor=user,
            programme=programme,
            kind=ChangeKind.TASK_ADDED,
            subject=f"{TASK_PREFIX}{task.code}",
            subject_label=_label(task),
            before=None,
            after=_task_state(task),
            reason=reason,
            baseline=baseline,
            audit_code="programmes.task.added",
        )


def task_edit(
    *, user: Any, programme: Programme, code: str, values: TaskValues, article: str, reason: str
) -> ProgrammeChange:
    """Change a task's name, quote, article or units (units replaced and resolved again)."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = _admin(user, programme)
        task = (
            Task.objects.filter(programme=programme, code=code, kind=TaskKind.TASK)
            .select_related("document")
            .first()
        )
        if task is None:
            raise ChangeRefused(f"本计划没有编码为“{code}”的任务。")
        return _task_write(
            user=user, programme=programme, task=task, values=values, article=article, reason=reason
        )


def _task_write(
    *,
    user: Any,
    programme: Programme,
    task: Task,
    values: TaskValues,
    article: str,
    reason: str,
    kind: ChangeKind = ChangeKind.TASK_CHANGED,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    baseline = change_baseline(programme)
    before = _task_state(task)
    task = task_update_from_proposal(actor=user, task=task, values=values)
    if task.article != article.strip():
        task.article = article.strip()
        task.save(update_fields=["article"])
    return change_record(
        actor=user,
        programme=programme,
        kind=kind,
        subject=f"{TASK_PREFIX}{task.code}",
        subject_label=_label(task),
        before=before,
        after=_task_state(task),
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        audit_code="programmes.task.edited" if reverts is None else "programmes.change.reverted",
    )


def _target_values(state: dict[str, Any]) -> TargetValues:
    return TargetValues(
        year=state["year"],
        metric=state["metric"],
        value=Decimal(str(state["value"])),
        unit=state["unit"],
        qualifier=state["qualifier"],
        strive=state["strive"],
        cumulative=state["cumulative"],
        scope=state["scope"],
        basis=state["basis"],
        quote=state["quote"],
    )


def _revert_target(
    *, user: Any, programme: Programme, change: ProgrammeChange, reason: str
) -> ProgrammeChange:
    if change.before is None:
        raise ChangeRefused("新增的目标不删除；如不再适用，请修改其内容。")
    code = change.subject.removeprefix(TARGET_PREFIX)
    target = Target.objects.select_related("document").get(programme=programme, code=code)
    if _target_state(target) != change.after:
        raise ChangeRefused(f"{change.subject_label}在这次变更之后又被修改过，不能直接撤销。")
    return _target_write(
        user=user,
        programme=programme,
        target=target,
        values=_target_values(change.before),
        reason=reason,
        kind=ChangeKind.REVERTED,
        reverts=change,
    )


def _revert_task(*, user: Any, programme: Programme, change: ProgrammeChange, reason: str) -> ProgrammeChange:
    if change.before is None:
        raise ChangeRefused("新增的任务不删除；如不再适用，请修改其内容。")
    code = change.subject.removeprefix(TASK_PREFIX)
    task = Task.objects.select_related("document").get(programme=programme, code=code)
    if _task_state(task) != change.after:
        raise ChangeRefused(f"{change.subject_label}在这次变更之后又被修改过，不能直接撤销。")
    before = change.before
    values = TaskValues(
        title=before["title"],
        quote=before["quote"],
        lead=tuple(before["lead"]),
        cooperating=tuple(before["cooperating"]),
    )
    return _task_write(
        user=user,
        programme=programme,
        task=task,
        values=values,
        article=before["article"],
        reason=reason,
        kind=ChangeKind.REVERTED,
        reverts=change,
    )


RETIRE_PREFIX = "retire:"


def _retire_row(entity: str, programme: Programme, code: str) -> Target | Task:
    rows = (
        Target.objects.filter(programme=programme)
        if entity == "target"
        else Task.objects.filter(programme=programme, kind=TaskKind.TASK)
    )
    row: Target | Task | None = rows.select_for_update().filter(code=code).first()
    if row is None:
        raise ChangeRefused(f"本计划没有编码为“{code}”的{'目标' if entity == 'target' else '任务'}。")
    return row


def _label(row: Target | Task) -> str:
    """How the change history names a target or a task."""
    if isinstance(row, Target):
        return f"目标“{row.metric}”（{row.year or '未注明年份'}）"
    return f"任务“{row.title[:40]}”"


def record_retire(
    *, user: Any, programme: Programme, entity: str, code: str, from_year: int, reason: str
) -> ProgrammeChange:
    """Retire a target or task from a year on, with a reason; it is kept (never deleted) and revertable."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = _admin(user, programme)
        row = _retire_row(entity, programme, code)
        if row.retired_from is not None:
            raise ChangeRefused(f"{_label(row)}已自{row.retired_from}年起停用。")
        return _retirement_write(user, programme, entity, row, from_year, reason, reason)


def _retirement_write(
    user: Any,
    programme: Programme,
    entity: str,
    row: Target | Task,
    from_year: int | None,
    retired_reason: str,
    reason: str,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    from django.core.exceptions import ValidationError

    from xiandao.programmes.definition.invariants import retirement_fields_issues

    issues = retirement_fields_issues(from_year, retired_reason, programme.frame())
    if issues:
        raise ValidationError(issues)
    baseline = change_baseline(programme)
    before = {"retired_from": row.retired_from, "retired_reason": row.retired_reason}
    row.retired_from = from_year
    row.retired_reason = retired_reason if from_year is not None else ""
    row.save(update_fields=["retired_from", "retired_reason"])
    return change_record(
        actor=user,
        programme=programme,
        kind=ChangeKind.RECORD_RETIRED if reverts is None else ChangeKind.REVERTED,
        subject=f"{RETIRE_PREFIX}{entity}:{row.code}",
        subject_label=_label(row),
        before=before,
        after={"retired_from": row.retired_from, "retired_reason": row.retired_reason},
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        effective_year=from_year,
        audit_code=f"programmes.{entity}.retired" if reverts is None else "programmes.change.reverted",
    )


def _revert_retirement(
    *, user: Any, programme: Programme, change: ProgrammeChange, reason: str
) -> ProgrammeChange:
    _, entity, code = change.subject.split(":", 2)
    row = _retire_row(entity, programme, code)
    if {"retired_from": row.retired_from, "retired_reason": row.retired_reason} != change.after:
        raise ChangeRefused(f"{change.subject_label}在这次变更之后又被修改过，不能直接撤销。")
    before = change.before or {}
    return _retirement_write(
        user,
        programme,
        entity,
        row,
        before.get("retired_from"),
        str(before.get("retired_reason") or ""),
        reason,
        reverts=change,
    )


revert_handler_register(RETIRE_PREFIX, _revert_retirement)
revert_handler_register(TARGET_PREFIX, _revert_target)
revert_handler_register(TASK_PREFIX, _revert_task)

__all__ = [
    "TargetValues",
    "TaskValues",
    "record_retire",
    "target_add",
    "target_edit",
    "task_add",
    "task_edit",
]
