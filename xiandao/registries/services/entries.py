"""Writes to the registries: add, confirm, retire; tags, readiness levels, project progress, evidence.

Every function checks the actor's permission, takes the state it expects, runs in a transaction
and writes an audit record ``registries.<entity>.<event>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from xiandao.core.audit import audit_record, snapshot
from xiandao.geo.selectors import jurisdiction_ancestor_ids

from ..models import (
    STATUS_MOVES,
    Enterprise,
    EnterpriseTag,
    EntryStatus,
    EvidenceFile,
    KeyTechnology,
    Project,
    ProjectProgress,
    ProvinceConfirmation,
    ReadinessAssessment,
    RegistryEntry,
    trl_validate,
)
from ..permissions import RegistryAction, policy_for
from ..registry import BY_MODEL, Registry
from .building import BuildContext, entry_build, errors_text, tag_build

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def entity(registry: Registry) -> str:
    """The audit entity name of a registry: ``enterprise``, ``talent_team``…"""
    return registry.key


class EntryRefused(ValidationError):
    """An entry refused with its problems by field (Chinese), for forms and the API."""


@dataclass(frozen=True)
class AddResult:
    entry: RegistryEntry
    created: bool


def _require(actor: Any, action: RegistryAction, entry: RegistryEntry) -> None:
    if not policy_for(type(entry)).user_may(actor, action, entry):
        raise PermissionDenied("您无权对该条目执行此操作")


@transaction.atomic
def entry_add(
    *,
    actor: Any,
    registry: Registry,
    data: Mapping[str, Any],
    check_permission: bool = True,
    is_demo: bool = False,
) -> AddResult:
    """Add one entry (an enterprise with its code already known is returned, not duplicated)."""
    context = BuildContext.for_actor(actor, check_permission=check_permission)
    if registry.model is Enterprise and data.get("credit_code"):
        from ..codes import normalise

        existing = Enterprise.objects.filter(credit_code=normalise(str(data["credit_code"]))).first()
        if existing is not None:
            if data.get("tag"):
                tag, errors = tag_build(existing, data)
                if errors:
                    raise EntryRefused(errors)
                _tag_save(actor, existing, tag)
            return AddResult(existing, False)
    built = entry_build(registry, data, context)
    if built.errors:
        raise EntryRefused(built.errors)
    entry = built.instance
    entry.created_by = actor if getattr(actor, "is_authenticated", False) else None
    entry.is_demo = is_demo
    entry.save()
    audit_record(
        actor=actor, action=f"registries.{entity(registry)}.added", target=entry, after=snapshot(entry)
    )
    if built.tag is not None:
        built.tag.enterprise = entry  # type: ignore[assignment]
        _tag_save(actor, entry, built.tag)  # type: ignore[arg-type]
    return AddResult(entry, True)


def _needs_province(entry: RegistryEntry, registry: Registry) -> bool:
    provinces = jurisdiction_ancestor_ids(entry.city_id)
    return ProvinceConfirmation.objects.filter(province_id__in=provinces, registry=registry.key).exists()


def _lock(entry: RegistryEntry) -> RegistryEntry:
    return type(entry)._default_manager.select_for_update().get(pk=entry.pk)


@transaction.atomic
def entry_confirm(*, actor: Any, entry: RegistryEntry, expected_status: str | None = None) -> RegistryEntry:
    """Confirm an entry: the city's confirmation counts it, unless the programme wants the province's too."""
    registry = BY_MODEL[type(entry)]
    entry = _lock(entry)
    if expected_status is not None and entry.status != expected_status:
        raise ValidationError("该条目已被他人处理，请刷新后再试")
    before = snapshot(entry, ["status", "confirmed_at"])
    may_province = policy_for(type(entry)).user_may(actor, RegistryAction.CONFIRM_PROVINCE, entry)
    if entry.status == EntryStatus.DRAFT:
        _require(actor, RegistryAction.CONFIRM, entry)
        target = (
            EntryStatus.CONFIRMED
            if may_province or not _needs_province(entry, registry)
            else EntryStatus.CITY_CONFIRMED
        )
        entry.city_confirmed_by = actor
    elif entry.status == EntryStatus.CITY_CONFIRMED:
        if not may_province:
            raise PermissionDenied("该条目须由省级确认")
        target = EntryStatus.CONFIRMED
    else:
        raise ValidationError(f"“{entry.get_status_display()}”的条目不能确认")
    if target not in STATUS_MOVES[entry.status]:
        raise ValidationError("状态不允许此操作")
    entry.status = target
    if target == EntryStatus.CONFIRMED:
        entry.confirmed_at = timezone.now()
        entry.confirmed_by = actor
        if isinstance(entry, Enterprise):
            entry.tags.filter(confirmed=False).update(confirmed=True)
    entry.save()
    event = "confirmed" if target == EntryStatus.CONFIRMED else "city_confirmed"
    audit_record(
        actor=actor,
        action=f"registries.{entity(registry)}.{event}",
        target=entry,
        before=before,
        after=snapshot(entry, ["status", "confirmed_at"]),
    )
    return entry


@transaction.atomic
def entries_confirm(*, actor: Any, registry: Registry, ids: list[int], check_permission: bool = True) -> int:
    """Confirm many entries at once (those the actor may not confirm are left as they are).

    The same moves as :func:`entry_confirm`, in two updates: entries whose province confirms
    after the city go to 待省级确认, the others are confirmed; each entry gets its audit record.
    """
    model = registry.model
    pending = [EntryStatus.DRAFT, EntryStatus.CITY_CONFIRMED]
    if check_permission:
        entries = policy_for(model).instances_for(actor, RegistryAction.CONFIRM)
        may_province = set(
            policy_for(model)
            .instances_for(actor, RegistryAction.CONFIRM_PROVINCE)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
    else:
        entries = model._default_manager.all()
        may_province = set(ids)
    rows = list(
        entries.filter(pk__in=ids, status__in=pending)
        .select_for_update()
        .values_list("pk", "status", "city_id")
    )
    province_rules = set(
        ProvinceConfirmation.objects.filter(registry=registry.key).values_list("province_id", flat=True)
    )
    cities_needing: dict[int, bool] = {}
    confirm: list[int] = []
    city_only: list[int] = []
    for pk, status, city_id in rows:
        if pk in may_province:
            confirm.append(pk)
            continue
        if status == EntryStatus.CITY_CONFIRMED:
            continue  # waits for the province
        if city_id not in cities_needing:
            cities_needing[city_id] = bool(province_rules & set(jurisdiction_ancestor_ids(city_id)))
        (city_only if cities_needing[city_id] else confirm).append(pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    model._default_manager.filter(pk__in=confirm).update(
        status=EntryStatus.CONFIRMED, confirmed_at=now, confirmed_by=user
    )
    model._default_manager.filter(pk__in=city_only).update(
        status=EntryStatus.CITY_CONFIRMED, city_confirmed_by=user
    )
    if model is Enterprise:
        EnterpriseTag.objects.filter(enterprise_id__in=confirm, confirmed=False).update(confirmed=True)
    for event, chosen in (("confirmed", confirm), ("city_confirmed", city_only)):
        for entry in model._default_manager.filter(pk__in=chosen):
            audit_record(
                actor=actor,
                action=f"registries.{entity(registry)}.{event}",
                target=entry,
                after={"status": entry.status, "confirmed_at": entry.confirmed_at},
            )
    return len(confirm) + len(city_only)


@transaction.atomic
def entry_retire(
    *, actor: Any, entry: RegistryEntry, on: dt.date, reason: str, check_permission: bool = True
) -> RegistryEntry:
    """Retire an entry from a date, with a reason: it stops counting then, and is never deleted."""
    registry = BY_MODEL[type(entry)]
    entry = _lock(entry)
    if check_permission:
        _require(actor, RegistryAction.RETIRE, entry)
    if not reason.strip():
        raise ValidationError({"retire_reason": "请填写退出原因"})
    if EntryStatus.RETIRED not in STATUS_MOVES[entry.status]:
        raise ValidationError("该条目已退出")
    if on < entry.valid_from:
        raise ValidationError({"retired_on": "退出日期不能早于起始日期"})
    before = snapshot(entry, ["status", "retired_on", "ends_on"])
    entry.status = EntryStatus.RETIRED
    entry.retired_on = on
    entry.retire_reason = reason.strip()
    entry.ends_on = entry.effective_end()  # type: ignore[assignment]
    entry.save()
    audit_record(
        actor=actor,
        action=f"registries.{entity(registry)}.retired",
        target=entry,
        before=before,
        after=snapshot(entry, ["status", "retired_on", "ends_on"]),
        reason=reason,
    )
    return entry


@transaction.atomic
def entry_change(*, actor: Any, entry: RegistryEntry, data: Mapping[str, Any]) -> RegistryEntry:
    """Correct a draft entry's fields (a confirmed one is retired and re-entered instead)."""
    registry = BY_MODEL[type(entry)]
    entry = _lock(entry)
    _require(actor, RegistryAction.ADD, entry)
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError("只有待确认的条目可以修改")
    before = snapshot(entry)
    built = entry_build(registry, data, BuildContext.for_actor(actor), instance=entry)
    if isinstance(entry, Enterprise):
        other = Enterprise.objects.filter(credit_code=entry.credit_code).exclude(pk=entry.pk).first()
        if other is not None:
            built.errors.setdefault("credit_code", []).append(f"该统一社会信用代码已登记为“{other.name}”")
    if built.errors:
        raise EntryRefused(built.errors)
    built.instance.save()
    audit_record(
        actor=actor,
        action=f"registries.{entity(registry)}.changed",
        target=entry,
        before=before,
        after=snapshot(built.instance),
    )
    return built.instance


def _tag_save(actor: Any, enterprise: Enterprise, tag: EnterpriseTag) -> EnterpriseTag:
    tag.enterprise = enterprise
    tag.confirmed = enterprise.status == EntryStatus.CONFIRMED and policy_for(Enterprise).user_may(
        actor, RegistryAction.CONFIRM, enterprise
    )
    duplicate = EnterpriseTag.objects.filter(
        enterprise=enterprise, tag=tag.tag, valid_from=tag.valid_from
    ).first()
    if duplicate is not None:
        return duplicate
    tag.save()
    audit_record(
        actor=actor, action="registries.enterprise.tag_added", target=enterprise, after=snapshot(tag)
    )
    return tag


@transaction.atomic
def enterprise_tag_add(*, actor: Any, enterprise: Enterprise, data: Mapping[str, Any]) -> EnterpriseTag:
    """Record a tier or tag gained (confirmed at once when the actor may confirm the enterprise)."""
    _require(actor, RegistryAction.ADD, enterprise)
    tag, errors = tag_build(enterprise, data)
    if not tag.tag:
        errors.setdefault("tag", []).append("请选择标签类别")
    if errors:
        raise EntryRefused(errors)
    return _tag_save(actor, enterprise, tag)


@transaction.atomic
def enterprise_tag_end(
    *, actor: Any, tag: EnterpriseTag, on: dt.date, reason: str, check_permission: bool = True
) -> EnterpriseTag:
    """A tag lost on a date (certificate revoked, delisted), with a reason."""
    if check_permission:
        _require(actor, RegistryAction.RETIRE, tag.enterprise)
    if not reason.strip():
        raise ValidationError({"ended_reason": "请填写失去原因"})
    if on <= tag.valid_from:
        raise ValidationError({"valid_to": "失去日期应晚于取得日期"})
    before = snapshot(tag, ["valid_to", "ended_reason"])
    tag.valid_to = on if tag.valid_to is None else min(tag.valid_to, on)
    tag.ended_reason = reason.strip()
    tag.save()
    audit_record(
        actor=actor,
        action="registries.enterprise.tag_ended",
        target=tag.enterprise,
        before=before,
        after=snapshot(tag, ["valid_to", "ended_reason"]),
        reason=reason,
    )
    return tag


@transaction.atomic
def technology_assess(
    *,
    actor: Any,
    technology: KeyTechnology,
    level: int,
    assessed_on: dt.date,
    evaluator: str = "",
    note: str = "",
    check_permission: bool = True,
) -> ReadinessAssessment:
    """Record a technology readiness level (1–9) on a date."""
    if check_permission:
        _require(actor, RegistryAction.ADD, technology)
    trl_validate(level)
    assessment = ReadinessAssessment.objects.create(
        technology=technology, level=level, assessed_on=assessed_on, evaluator=evaluator, note=note
    )
    audit_record(
        actor=actor, action="registries.technology.assessed", target=technology, after=snapshot(assessment)
    )
    return assessment


@transaction.atomic
def project_progress_record(
    *,
    actor: Any,
    project: Project,
    year: int,
    invested: Decimal,
    workload: str = "",
    overrun_note: str = "",
    check_permission: bool = True,
) -> ProjectProgress:
    """A year's completed investment and physical work; more than planned needs a note."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if check_permission:
        _require(actor, RegistryAction.ADD, project)
    if invested < 0:
        raise ValidationError({"invested": "当年完成投资应为非负数"})
    before = snapshot(project, ["completed_investment", "overrun_note"])
    progress, _ = ProjectProgress.objects.update_or_create(
        project=project, year=year, defaults={"invested": invested, "workload": workload}
    )
    total = project.progress.aggregate(total=Sum("invested"))["total"] or Decimal(0)
    project.completed_investment = total
    if overrun_note.strip():
        project.overrun_note = overrun_note.strip()
    project.clean()  # refuses completed > planned without a note; the transaction undoes the progress row
    project.save()
    audit_record(
        actor=actor,
        action="registries.project.progress_recorded",
        target=project,
        before=before,
        after={
            **snapshot(project, ["completed_investment", "overrun_note"]),
            "year": year,
            "invested": invested,
        },
    )
    return progress


@transaction.atomic
def evidence_attach(*, actor: Any, entry: RegistryEntry, upload: UploadedFile) -> EvidenceFile:
    """Keep a file that proves an entry."""
    registry = BY_MODEL[type(entry)]
    _require(actor, RegistryAction.ADD, entry)
    if (upload.size or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": "佐证材料不能超过 20 MB"})
    evidence = EvidenceFile.objects.create(
        registry=registry.key,
        entry_id=entry.pk,
        file=upload,
        name=upload.name or "佐证材料",
        size=upload.size or 0,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=f"registries.{entity(registry)}.evidence_attached",
        target=entry,
        after={"file": evidence.name, "size": evidence.size},
    )
    return evidence


def refusal_lines(registry: Registry, exc: ValidationError) -> list[str]:
    """A refusal as Chinese lines naming each field."""
    if hasattr(exc, "error_dict"):
        return errors_text(
            registry, {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return [str(m) for m in exc.messages]
