"""Writes of supervision: a target's reported value, work-list items, progress reports, 督办, explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_list_by_ids, user_scope, users_holding_role
from xiandao.core.audit import audit_record
from xiandao.notifications.services import notification_send
from xiandao.programmes.models import UnitRole
from xiandao.programmes.selectors import programme_list, task_lock

from .audit_codes import SupervisionAudit
from .kinds import SupervisionNotification
from .models import (
    ProgressPart,
    ProgressReport,
    SixList,
    SixListEntry,
    SupervisionNotice,
    TargetValue,
    WarningExplanation,
    WorkItem,
)
from .permissions import (
    SupervisionAction,
    programme_supervision_policy,
    work_item_policy,
)
from .selectors import period_open, settings_of, target_measured

if TYPE_CHECKING:
    from xiandao.accounts.models import Organisation, User
    from xiandao.programmes.models import Programme, Target, Task


def _organisation_in(user: Any, task: Task, roles: tuple[str, ...]) -> Organisation | None:
    """The user's organisation among the task's units of these roles, if any."""
    scope = user_scope(user)
    for unit in task.units.filter(role__in=roles).prefetch_related("organisations"):
        for organisation in unit.organisations.all():
            if organisation.pk in scope.organisation_ids:
                return organisation
    return None


def _not_lead_or_join(task: Task) -> ValidationError:
    return ValidationError(f"本单位不是任务“{task.title[:40]}”的牵头或配合单位，不能报送其进展。")


@transaction.atomic
def progress_report_submit(
    *,
    actor: Any,
    task: Task,
    year: int,
    summary: str,
    completion: int,
    problems: str = "",
    on: dt.date | None = None,
) -> ProgressReport:
    """The lead unit reports a task's progress for a year (a second report that year replaces the first).

    Refused: a unit that does not lead the task (a cooperating unit adds its part instead), a year
    whose reporting window is closed, an empty summary, a completion outside 0–100.
    """
    today = on or timezone.localdate()
    task = task_lock(task.pk)
    organisation = _organisation_in(actor, task, (UnitRole.LEAD,))
    if organisation is None:
        if _organisation_in(actor, task, (UnitRole.COOPERATING,)) is not None:
            raise ValidationError("本单位是该任务的配合单位：请在牵头单位的进展报告中补充配合工作情况。")
        raise _not_lead_or_join(task)
    if not period_open(task.programme, year, today):
        window = settings_of(task.programme).report_window_days
        raise ValidationError(f"{year}年度任务进展的报送期已结束（年度结束后{window}天内报送），不能再报送。")
    if not (0 <= int(completion) <= 100):
        raise ValidationError({"completion": "完成进度应在0至100之间。"})
    if not summary.strip():
        raise ValidationError({"summary": "请填写进展情况。"})
    report = ProgressReport.objects.filter(task=task, year=year, organisation=organisation).first()
    before = {"summary": report.summary, "completion": report.completion} if report else None
    if report is None:
        report = ProgressReport(task=task, year=year, organisation=organisation)
    report.summary = summary.strip()
    report.completion = int(completion)
    report.problems = problems.strip()
    report.reported_by = actor
    # ``on`` (the day of the act, for back-dated entries) dates the report too; otherwise now.
    report.reported_at = (
        timezone.make_aware(dt.datetime.combine(on, dt.time(10))) if on is not None else timezone.now()
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=SupervisionAudit.REPORT_SUBMITTED,
        target=report,
        before=before,
        after={"task": task.code, "year": year, "completion": report.completion},
    )
    admins = users_holding_role(Role.PROGRAMME_ADMIN, jurisdiction_ids=[task.programme.jurisdiction_id])
    notification_send(
        recipients=admins,
        kind=SupervisionNotification.PROGRESS_REPORTED,
        title=f"{organisation.name}报送了{year}年度任务进展",
        body=task.title[:100],
        url=reverse("supervision:task_detail", kwargs={"task_id": task.pk}),
        exclude=actor,
    )
    return report


@transaction.atomic
def progress_part_submit(
    *, actor: Any, report: ProgressReport, text: str, on: dt.date | None = None
) -> ProgressPart:
    """A cooperating unit adds its part to the lead unit's report."""
    today = on or timezone.localdate()
    report = ProgressReport.objects.select_for_update().select_related("task__programme").get(pk=report.pk)
    organisation = _organisation_in(actor, report.task, (UnitRole.COOPERATING,))
    if organisation is None:
        raise ValidationError(f"本单位不是任务“{report.task.title[:40]}”的配合单位。")
    if not period_open(report.task.programme, report.year, today):
        raise ValidationError(f"{report.year}年度任务进展的报送期已结束，不能再补充。")
    if not text.strip():
        raise ValidationError({"text": "请填写配合工作情况。"})
    part, _ = ProgressPart.objects.update_or_create(
        report=report, organisation=organisation, defaults={"text": text.strip(), "reported_by": actor}
    )
    audit_record(
        actor=actor, action=SupervisionAudit.PART_SUBMITTED, target=part, after={"report": report.pk}
    )
    return part


def _decimal(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"value": f"数值“{value}”不是数字。"}) from exc
    if not number.is_finite():
        raise ValidationError({"value": f"数值“{value}”不是数字。"})
    if number.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValidationError({"value": f"数值“{value}”最多保留4位小数。"})
    return number


@transaction.atomic
def target_value_report(
    *, actor: Any, target: Target, as_of: dt.date, value: Any, evidence: str
) -> TargetValue:
    """A value for a target nothing measures, reported with its evidence (the statistics bureau's figure)."""
    programme = target.programme
    scope = user_scope(actor)
    if not (
        programme_supervision_policy.user_may(actor, SupervisionAction.MANAGE, programme)
        or (
            scope.has_role(Role.DEPARTMENT_OFFICER)
            and programme_supervision_policy.user_may(actor, SupervisionAction.VIEW, programme)
        )
    ):
        raise PermissionDenied("您无权报送该目标的数值。")
    if target_measured(target):
        raise ValidationError("该目标由登记库或先导区审定数据计量，不需报送。")
    number = _decimal(value)
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "请填写佐证：统计部门的数据来源或文件文号。"})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": "截至日期不能晚于今天。"})
    row = TargetValue(
        target=target,
        as_of=as_of,
        value=number,
        evidence=evidence.strip(),
        organisation=actor.organisation,
        reported_by=actor,
    )
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError({"as_of": f"该目标截至{as_of:%Y年%m月%d日}的数值已报送。"}) from exc
    audit_record(
        actor=actor,
        action=SupervisionAudit.TARGET_VALUE_REPORTED,
        target=row,
        after={"target": target.code, "value": str(number)},
    )
    return row


@transaction.atomic
def work_item_create(
    *,
    actor: Any,
    programme: Programme,
    year: int,
    title: str,
    due: dt.date,
    task: Task | None = None,
    city: Any = None,
) -> WorkItem:
    """The admin adds an item to a task's annual work list, or to a city's (the city government's list)."""
    programme_supervision_policy.get_or_404(actor, SupervisionAction.MANAGE, pk=programme.pk)
    if task is not None and task.programme_id != programme.pk:
        raise ValidationError("任务须属于本培育计划。")
    if not title.strip():
        raise ValidationError({"title": "请填写工作事项。"})
    item = WorkItem(programme=programme, task=task, city=city, year=year, title=title.strip(), due=due)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=SupervisionAudit.ITEM_CREATED,
        target=item,
        after={"title": item.title, "due": due.isoformat()},
    )
    return item


@transaction.atomic
def work_item_complete(*, actor: Any, item: WorkItem, done_on: dt.date, note: str) -> WorkItem:
    """The responsible unit marks an item done, with what was done."""
    item = work_item_policy.get_or_404(actor, SupervisionAction.ANSWER, pk=item.pk)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on is not None:
        raise ValidationError("该事项已办结。")
    if not note.strip():
        raise ValidationError({"note": "请填写完成情况。"})
    item.done_on, item.done_note = done_on, note.strip()
    item.save(update_fields=["done_on", "done_note"])
    audit_record(
        actor=actor,
        action=SupervisionAudit.ITEM_COMPLETED,
        target=item,
        after={"done_on": done_on.isoformat()},
    )
    return item


def _responsible_users(item: WorkItem) -> list[User]:
    return [
        u
        for u in work_item_policy.candidate_users(item, SupervisionAction.ANSWER)
        .filter(role_assignments__role__in=[Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER])
        .distinct()
        if work_item_policy.user_may(u, SupervisionAction.ANSWER, item)
    ]


@transaction.atomic
def notice_issue(*, actor: Any, item: WorkItem, text: str, on: dt.date | None = None) -> SupervisionNotice:
    """The programme admin issues a 督办 on an overdue item; one open notice per item."""
    today = on or timezone.localdate()
    item = work_item_policy.get_or_404(actor, SupervisionAction.MANAGE, pk=item.pk)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if item.done_on is not None:
        raise ValidationError("该事项已办结，无需督办。")
    if item.due >= today:
        raise ValidationError(f"该事项完成时限为{item.due:%Y年%m月%d日}，尚未逾期，不能督办。")
    if item.notices.filter(answered_at__isnull=True).exists():
        raise ValidationError("该事项已有尚未反馈的督办，不能重复督办。")
    if not text.strip():
        raise ValidationError({"text": "请填写督办意见。"})
    days = settings_of(item.programme).notice_days
    notice = SupervisionNotice.objects.create(
        item=item, text=text.strip(), respond_by=today + dt.timedelta(days=days), issued_by=actor
    )
    audit_record(
        actor=actor,
        action=SupervisionAudit.NOTICE_ISSUED,
        target=notice,
        after={"item": item.pk, "respond_by": notice.respond_by.isoformat()},
    )
    notification_send(
        recipients=_responsible_users(item),
        kind=SupervisionNotification.NOTICE_ISSUED,
        title=f"督办：{item.title[:60]}",
        body=f"{notice.text}（请于{notice.respond_by:%Y年%m月%d日}前反馈）",
        url=reverse("supervision:item_detail", kwargs={"item_id": item.pk}),
        exclude=actor,
    )
    return notice


@transaction.atomic
def notice_answer(*, actor: Any, notice: SupervisionNotice, answer: str) -> SupervisionNotice:
    """The responsible unit answers a 督办."""
    work_item_policy.get_or_404(actor, SupervisionAction.ANSWER, pk=notice.item_id)
    notice = SupervisionNotice.objects.select_for_update().select_related("item").get(pk=notice.pk)
    if notice.answered_at is not None:
        raise ValidationError("该督办已反馈。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写反馈内容。"})
    notice.answer, notice.answered_by, notice.answered_at = answer.strip(), actor, timezone.now()
    notice.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor, action=SupervisionAudit.NOTICE_ANSWERED, target=notice, after={"item": notice.item_id}
    )
    notification_send(
        recipients=[notice.issued_by],
        kind=SupervisionNotification.NOTICE_ANSWERED,
        title=f"督办已反馈：{notice.item.title[:60]}",
        body=notice.answer[:200],
        url=reverse("supervision:item_detail", kwargs={"item_id": notice.item_id}),
        exclude=actor,
    )
    return notice


@transaction.atomic
def warning_explain(*, actor: Any, programme: Programme, key: str, text: str) -> WarningExplanation:
    """A recorded explanation closes a warning (the admin, or the unit responsible for it)."""
    from .selectors import warnings_all

    programme_supervision_policy.get_or_404(actor, SupervisionAction.VIEW, pk=programme.pk)
    warning = next((w for w in warnings_all(programme) if w.key == key), None)
    if warning is None:
        raise ValidationError("该预警已不存在（数据已变化），无需说明。")
    if not (
        actor.pk in warning.responsible_ids
        or programme_supervision_policy.user_may(actor, SupervisionAction.MANAGE, programme)
    ):
        raise PermissionDenied("只有预警的责任人或计划管理员可以说明。")
    if not text.strip():
        raise ValidationError({"text": "请填写情况说明。"})
    if WarningExplanation.objects.filter(programme=programme, key=key).exists():
        raise ValidationError("该预警已有情况说明。")
    row = WarningExplanation.objects.create(
        programme=programme, key=key, text=text.strip(), explained_by=actor
    )
    audit_record(actor=actor, action=SupervisionAudit.WARNING_EXPLAINED, target=row, after={"key": key})
    return row


def _six_list_allowed(actor: Any, programme: Programme, field_code: str) -> tuple[Any, list[Organisation]]:
    """The industry and the units the actor may keep its lists as; refused for anyone keeping none.

    ``actor`` None is the platform itself (the demonstration data), keeping as any responsible unit.
    """
    from .selectors import six_list_industry, six_list_keepers

    industry = six_list_industry(programme, field_code)
    if industry is None:
        raise ValidationError({"field_code": f"“{field_code}”不是{programme.name}的产业。"})
    if not industry.units:
        raise ValidationError(f"产业“{industry.name}”尚无责任单位（牵头部门），不能维护其清单。")
    if actor is None:
        return industry, list(industry.units)
    programme_supervision_policy.get_or_404(actor, SupervisionAction.VIEW, pk=programme.pk)
    allowed = six_list_keepers(actor, programme, industry)
    if not allowed:
        raise PermissionDenied(
            f"只有产业“{industry.name}”的责任单位（{industry.unit_names}）或计划管理员可以维护其六个一清单。"
        )
    return industry, allowed


def _six_list_keeper(industry: Any, allowed: list[Organisation], keeper: Organisation | None) -> Organisation:
    """The unit chosen to keep an entry: one the actor may keep as (their own unit; the admin's choice)."""
    if keeper is None:
        return allowed[0]
    if keeper not in allowed:
        raise ValidationError(
            {"keeper": f"维护单位须为产业“{industry.name}”的责任单位（{industry.unit_names}）之一。"}
        )
    return keeper


def _six_list_own(actor: Any, entry: SixListEntry, allowed: list[Organisation]) -> None:
    """An entry is changed or removed by the unit keeping it, or by the admin (also for a unit no longer responsible)."""
    if actor is None or programme_supervision_policy.user_may(
        actor, SupervisionAction.MANAGE, entry.programme
    ):
        return
    if entry.keeper not in allowed:
        raise PermissionDenied(f"该条目由{entry.keeper.name}维护，只有该单位或计划管理员可以修改或删除。")


def _six_list_values(list_kind: str, name: str, region: str, document: str, detail: str) -> dict[str, str]:
    if list_kind not in SixList.values:
        raise ValidationError({"list_kind": "请选择清单（六个一中的一份）。"})
    return {
        "name": (name or "").strip(),
        "region": (region or "").strip() if list_kind == SixList.INVESTMENT else "",
        "document": (document or "").strip() if list_kind == SixList.POLICIES else "",
        "detail": (detail or "").strip(),
    }


def _six_list_save(entry: SixListEntry) -> None:
    """Validate every field at once, then save; a repeated name in the same list is refused in Chinese."""
    entry.full_clean(validate_constraints=False)
    duplicate = SixListEntry.objects.filter(
        programme=entry.programme, field_code=entry.field_code, list_kind=entry.list_kind, name=entry.name
    ).exclude(pk=entry.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"{SixList(entry.list_kind).label}中已有“{entry.name}”。"})
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:  # the same name added at the same moment by someone else
        raise ValidationError({"name": f"{SixList(entry.list_kind).label}中已有“{entry.name}”。"}) from exc


def _six_list_snapshot(entry: SixListEntry) -> dict[str, Any]:
    return {
        "field": entry.field_code,
        "list": entry.list_kind,
        "name": entry.name,
        "region": entry.region,
        "document": entry.document,
        "detail": entry.detail,
        "keeper": entry.keeper.name,
        "version": entry.version,
    }


@transaction.atomic
def six_list_entry_add(
    *,
    actor: Any,
    programme: Programme,
    field_code: str,
    list_kind: str,
    name: str,
    detail: str = "",
    region: str = "",
    document: str = "",
    keeper: Organisation | None = None,
) -> SixListEntry:
    """The industry's responsible unit (or the programme's admin, choosing the unit) adds an entry to one of its six lists.

    The investment list needs the target's region, the policy toolkit the document carrying the measure.
    """
    industry, allowed = _six_list_allowed(actor, programme, field_code)
    keeper = _six_list_keeper(industry, allowed, keeper)
    values = _six_list_values(list_kind, name, region, document, detail)
    last = (
        SixListEntry.objects.filter(programme=programme, field_code=field_code, list_kind=list_kind)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    entry = SixListEntry(
        programme=programme,
        field_code=field_code,
        list_kind=list_kind,
        keeper=keeper,
        position=(last or 0) + 1,
        **values,
    )
    _six_list_save(entry)
    audit_record(
        actor=actor,
        action=SupervisionAudit.SIX_LIST_ENTRY_ADDED,
        target=entry,
        after=_six_list_snapshot(entry),
    )
    return entry


def _six_list_locked(entry: SixListEntry, expected_version: int | None) -> SixListEntry:
    locked = (
        SixListEntry.objects.select_for_update()
        .select_related("programme", "keeper")
        .filter(pk=entry.pk)
        .first()
    )
    if locked is None:
        raise ValidationError("该条目已被删除，请刷新页面。")
    if expected_version is not None and expected_version != locked.version:
        raise ValidationError("该条目已被他人修改，请刷新页面后再操作。")
    return locked


@transaction.atomic
def six_list_entry_change(
    *,
    actor: Any,
    entry: SixListEntry,
    name: str,
    detail: str = "",
    region: str = "",
    document: str = "",
    keeper: Organisation | None = None,
    expected_version: int | None,
) -> SixListEntry:
    """The responsible unit (or the admin) edits a kept entry; ``expected_version`` refuses a stale page."""
    entry = _six_list_locked(entry, expected_version)
    industry, allowed = _six_list_allowed(actor, entry.programme, entry.field_code)
    _six_list_own(actor, entry, allowed)
    new_keeper = _six_list_keeper(industry, allowed, keeper or entry.keeper)
    before = _six_list_snapshot(entry)
    values = _six_list_values(entry.list_kind, name, region, document, detail)
    for key, value in values.items():
        setattr(entry, key, value)
    entry.keeper = new_keeper
    entry.version += 1
    _six_list_save(entry)
    audit_record(
        actor=actor,
        action=SupervisionAudit.SIX_LIST_ENTRY_CHANGED,
        target=entry,
        before=before,
        after=_six_list_snapshot(entry),
    )
    return entry


@transaction.atomic
def six_list_entry_remove(*, actor: Any, entry: SixListEntry, expected_version: int | None) -> None:
    """The responsible unit (or the admin) removes a kept entry; the audit keeps what it said."""
    entry = _six_list_locked(entry, expected_version)
    _industry, allowed = _six_list_allowed(actor, entry.programme, entry.field_code)
    _six_list_own(actor, entry, allowed)
    before = _six_list_snapshot(entry)
    audit_record(actor=actor, action=SupervisionAudit.SIX_LIST_ENTRY_REMOVED, target=entry, before=before)
    entry.delete()


def warning_digest_send(*, today: dt.date | None = None) -> int:
    """The weekly digest: each responsible user's open warnings in one message (bell and e-mail)."""
    from .rules import LEVEL_LABELS
    from .selectors import warnings_open

    by_user: dict[int, list[str]] = {}
    for programme in programme_list():
        for warning in warnings_open(programme, today=today):
            for uid in warning.responsible_ids:
                by_user.setdefault(uid, []).append(
                    f"【{LEVEL_LABELS[warning.level]}】{warning.kind_label}：{warning.subject}"
                )
    users = {u.pk: u for u in user_list_by_ids(by_user)}
    for uid, lines in by_user.items():
        if uid not in users:
            continue
        notification_send(
            recipients=[users[uid]],
            kind=SupervisionNotification.WARNING_DIGEST,
            title=f"本周提示预警：{len(lines)}条待处理",
            body="\n".join(lines[:50]),
            url=reverse("supervision:warnings"),
        )
    return len(users)
