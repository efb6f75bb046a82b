"""Writes to a programme from a confirmed policy-document proposal: its document, targets and tasks.

The ``policies`` app decides *what* an admin accepted; this module is how it reaches the
programme. What an upload not yet published adds is written as a draft (``RecordStatus.DRAFT``,
seen by the programme's admins only); publishing the upload makes it active
(``records_publish``), withdrawing it retires it (``records_retire``) — retired, never deleted,
so the record of what was once proposed and accepted stays. Units a task names resolve exactly as the loader resolves them (``UnitResolver``,
``organisations_created``). Every write is checked against ``programme_policy`` and audited.
A confirmed write changes the programme's fingerprint, so ``load_programme`` will afterwards
refuse to overwrite it without ``--force``, as it does for any admin edit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from xiandao.core.audit import audit_record, snapshot
from xiandao.programmes.definition.invariants import TargetFacts, TaskFacts, target_issues, task_issues

from ..models import (
    PolicyDocument,
    Programme,
    RecordStatus,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    UnitRole,
)
from ..permissions import programme_policy
from .resolution import Resolution, UnitResolver, organisations_created

if TYPE_CHECKING:
    from xiandao.accounts.models import Organisation

UNIT_SEPARATORS = re.compile(r"[、，,；;\n]+")


class ConfirmationInvalid(Exception):
    """Values that cannot be written; ``errors`` maps each field to sentences an admin can act on."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


#: A target as an admin confirmed it (LABELLING.md keys plus basis): the entity rules' own shape.
TargetValues = TargetFacts
#: A task as an admin confirmed it: its name, quote and units as written.
TaskValues = TaskFacts


def units_split(text: str) -> tuple[str, ...]:
    """Units typed in one box, separated by 、，；or new lines, each once, in order."""
    return tuple(dict.fromkeys(u.strip() for u in UNIT_SEPARATORS.split(text) if u.strip()))


def decimal_parse(value: Any) -> Decimal | None:
    """A number typed or proposed (30, "3.5", "1,000"), or None when it is not one."""
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def target_values_check(values: TargetValues, *, programme: Programme) -> dict[str, list[str]]:
    """Every rule a target breaks, by field: the target's own rules, as the loader and the admin apply them."""
    return target_issues(values, programme.frame())


def task_values_check(*, programme: Programme, values: TaskValues) -> dict[str, list[str]]:
    """Every rule a task breaks, by field, including units no organisation of the jurisdiction bears."""
    errors = task_issues(values, programme.frame())
    resolver = UnitResolver(programme.jurisdiction)
    for role, names in (("lead", values.lead), ("cooperating", values.cooperating)):
        for written in names:
            if resolver.resolve(written) is None:
                like = resolver.suggestions(written)
                hint = f"最接近的是：{'、'.join(like)}" if like else "请改为机构全称或已登记的简称"
                errors.setdefault(role, []).append(
                    f"未知单位“{written}”：在{programme.jurisdiction.name}的机构及别名中找不到；{hint}。"
                )
    return errors


def _may_change(actor: Any, programme: Programme) -> None:
    if not programme_policy.user_may(actor, "change", programme):
        raise PermissionDenied("只有本培育计划的管理员可以修改其目标和任务。")


def _next_position(rows: Any) -> int:
    highest = rows.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else int(highest) + 1


def _free_code(taken: Iterable[str], base: str) -> str:
    used = set(taken)
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def document_register(
    *,
    actor: Any,
    programme: Programme,
    title: str,
    issuer: str,
    number: str = "",
    date: dt.date | None = None,
    source_file: str,
    draft: bool = False,
) -> PolicyDocument:
    """List an uploaded document among the programme's documents, so its targets have a document.

    ``draft``: the upload is not published yet, so neither is the document.
    """
    _may_change(actor, programme)
    codes = PolicyDocument.objects.filter(programme=programme).values_list("code", flat=True)
    document = PolicyDocument.objects.create(
        programme=programme,
        code=_free_code(codes, "upload"),
        title=title,
        issuer=issuer,
        number=number,
        date=date,
        source_file=source_file[:200],
        notes="由政策文件上传登记，原文保存在平台中。",
        position=_next_position(PolicyDocument.objects.filter(programme=programme)),
        status=RecordStatus.DRAFT if draft else RecordStatus.ACTIVE,
    )
    audit_record(
        actor=actor, action="programmes.document.registered", target=document, after=snapshot(document)
    )
    return document


def _target_fields(values: TargetValues) -> dict[str, Any]:
    return {
        "year": values.year,
        "metric": values.metric.strip(),
        "value": values.value,
        "unit": values.unit.strip(),
        "qualifier": values.qualifier,
        "strive": values.strive,
        "cumulative": values.cumulative,
        "scope": values.scope,
        "basis": values.basis,
        "quote": values.quote,
    }


@transaction.atomic
def target_create_from_proposal(
    *, actor: Any, programme: Programme, document: PolicyDocument, values: TargetValues, draft: bool = False
) -> Target:
    """A new target of the programme, from an accepted proposal of ``document`` (``draft``: unpublished)."""
    _may_change(actor, programme)
    if document.programme_id != programme.pk:
        raise PermissionDenied("该政策文件不属于此培育计划。")
    errors = target_values_check(values, programme=programme)
    if errors:
        raise ConfirmationInvalid(errors)
    rows = Target.objects.filter(programme=programme)
    code = _free_code(rows.values_list("code", flat=True), f"{document.code[:56]}-{values.year or 'na'}")
    target = Target.objects.create(
        programme=programme,
        document=document,
        code=code,
        position=_next_position(rows),
        status=RecordStatus.DRAFT if draft else RecordStatus.ACTIVE,
        **_target_fields(values),
    )
    audit_record(actor=actor, action="programmes.target.created", target=target, after=snapshot(target))
    return target


@transaction.atomic
def target_update_from_proposal(*, actor: Any, target: Target, values: TargetValues) -> Target:
    """Apply an accepted proposal of a new document version to the target it revises."""
    target = Target.objects.select_for_update().select_related("programme").get(pk=target.pk)
    _may_change(actor, target.programme)
    errors = target_values_check(values, programme=target.programme)
    if errors:
        raise ConfirmationInvalid(errors)
    before = snapshot(target)
    fields = _target_fields(values)
    changed = [name for name, value in fields.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, fields[name])
    if changed:
        target.save(update_fields=changed)
        after = snapshot(target, changed)
        audit_record(
            actor=actor,
            action="programmes.target.updated",
            target=target,
            before={k: before[k] for k in changed},
            after=after,
            reason="依据政策文件新版本更新",
        )
    return target


def _units_write(*, actor: Any, task: Task, values: TaskValues, resolver: UnitResolver) -> None:
    resolutions: list[tuple[str, int, str, Resolution]] = []
    for role, names in (("lead", values.lead), ("cooperating", values.cooperating)):
        for position, written in enumerate(names):
            resolution = resolver.resolve(written)
            if resolution is None:  # checked before; a unit deleted meanwhile lands here
                raise ConfirmationInvalid({role: [f"未知单位“{written}”"]})
            resolutions.append((role, position, written, resolution))
    specs = [spec for *_, resolution in resolutions for spec in resolution.to_create]
    created: dict[str, Organisation] = organisations_created(actor=actor, specs=specs)
    for role, position, written, resolution in resolutions:
        unit = TaskUnit.objects.create(
            task=task, role=role, written=written, position=position, fan_out=resolution.fan_out
        )
        organisations = [o.pk for o in resolution.organisations]
        organisations += [created[spec.code].pk for spec in resolution.to_create]
        if organisations:
            unit.organisations.set(organisations)


def _task_audit_data(task: Task) -> dict[str, Any]:
    units = task.units_by_role()
    return {
        **snapshot(task, ["code", "title", "quote", "document_id", "kind"]),
        "lead": [unit.written for unit in units[UnitRole.LEAD]],
        "cooperating": [unit.written for unit in units[UnitRole.COOPERATING]],
    }


@transaction.atomic
def task_create_from_proposal(
    *, actor: Any, programme: Programme, document: PolicyDocument, values: TaskValues, draft: bool = False
) -> Task:
    """A new task with its units resolved, from an accepted proposal of ``document`` (``draft``: unpublished)."""
    _may_change(actor, programme)
    if document.programme_id != programme.pk:
        raise PermissionDenied("该政策文件不属于此培育计划。")
    errors = task_values_check(programme=programme, values=values)
    if errors:
        raise ConfirmationInvalid(errors)
    rows = Task.objects.filter(programme=programme)
    task = Task.objects.create(
        programme=programme,
        document=document,
        code=_free_code(rows.values_list("code", flat=True), f"{document.code[:56]}-task"),
        kind=TaskKind.TASK,
        title=values.title.strip(),
        quote=values.quote,
        position=_next_position(rows),
        status=RecordStatus.DRAFT if draft else RecordStatus.ACTIVE,
    )
    _units_write(actor=actor, task=task, values=values, resolver=UnitResolver(programme.jurisdiction))
    audit_record(actor=actor, action="programmes.task.created", target=task, after=_task_audit_data(task))
    return task


@transaction.atomic
def task_update_from_proposal(*, actor: Any, task: Task, values: TaskValues) -> Task:
    """Apply an accepted proposal of a new document version to the task it revises (units replaced)."""
    task = Task.objects.select_for_update().select_related("programme__jurisdiction").get(pk=task.pk)
    programme = task.programme
    _may_change(actor, programme)
    errors = task_values_check(programme=programme, values=values)
    if errors:
        raise ConfirmationInvalid(errors)
    before = _task_audit_data(task)
    task.title = values.title.strip()
    task.quote = values.quote
    task.save(update_fields=["title", "quote"])
    if (before["lead"], before["cooperating"]) != (list(values.lead), list(values.cooperating)):
        task.units.all().delete()
        _units_write(actor=actor, task=task, values=values, resolver=UnitResolver(programme.jurisdiction))
    after = _task_audit_data(task)
    if after != before:
        audit_record(
            actor=actor,
            action="programmes.task.updated",
            target=task,
            before=before,
            after=after,
            reason="依据政策文件新版本更新",
        )
    return task


@dataclass(frozen=True)
class Records:
    """Documents, targets and tasks one upload wrote, by primary key."""

    documents: tuple[int, ...] = ()
    targets: tuple[int, ...] = ()
    tasks: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.documents) + len(self.targets) + len(self.tasks)


def _records_move(
    *, actor: Any, programme: Programme, records: Records, to: str, action: str, reason: str
) -> Records:
    """Move the drafts among ``records`` to ``to``, each with its audit entry; others are left alone."""
    _may_change(actor, programme)
    moved: dict[str, list[int]] = {"documents": [], "targets": [], "tasks": []}
    for key, entity, model, pks in (
        ("documents", "document", PolicyDocument, records.documents),
        ("targets", "target", Target, records.targets),
        ("tasks", "task", Task, records.tasks),
    ):
        rows = model.objects.select_for_update().filter(
            programme=programme, pk__in=pks, status=RecordStatus.DRAFT
        )
        for row in rows.order_by("pk"):
            row.status = to
            row.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=f"programmes.{entity}.{action}",
                target=row,
                before={"status": RecordStatus.DRAFT},
                after={"status": to},
                reason=reason,
            )
            moved[key].append(row.pk)
    return Records(tuple(moved["documents"]), tuple(moved["targets"]), tuple(moved["tasks"]))


@transaction.atomic
def records_publish(*, actor: Any, programme: Programme, records: Records, reason: str = "") -> Records:
    """Make an upload's draft documents, targets and tasks part of the published programme."""
    return _records_move(
        actor=actor,
        programme=programme,
        records=records,
        to=RecordStatus.ACTIVE,
        action="published",
        reason=reason,
    )


@transaction.atomic
def records_retire(*, actor: Any, programme: Programme, records: Records, reason: str) -> Records:
    """Retire an upload's draft documents, targets and tasks (the upload was withdrawn); never delete."""
    return _records_move(
        actor=actor,
        programme=programme,
        records=records,
        to=RecordStatus.RETIRED,
        action="retired",
        reason=reason,
    )
