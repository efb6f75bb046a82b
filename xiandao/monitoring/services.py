"""Writes of statistical monitoring: open a period, save and push values, submit, approve, return, 催报.

Each is keyword-only, atomic, checks permission, locks the report it moves (select_for_update),
writes the audit entry and tells people on commit. The same functions serve the pages, the API
(a statistics bureau's token) and the demo data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xiandao.core.audit import audit_record, snapshot
from xiandao.core.files import MIB, FileRefused, file_check, file_store, max_upload_bytes
from xiandao.notifications.services import notification_send

from . import selectors
from .audit_codes import MonitoringAudit
from .kinds import MonitoringNotification
from .models import (
    Evidence,
    Flag,
    FlagComment,
    Report,
    ReportingPeriod,
    ReportStatus,
    ReportStep,
    ReportValue,
    StepAction,
    ValueSource,
    ValueVersion,
)
from .permissions import (
    MonitoringAction,
    may_manage,
    people_who,
    programme_settings,
    report_policy,
)

#: Decimal places kept for a value (the database column holds four).
PLACES = Decimal("0.0001")


class ReportRefused(ValidationError):
    """A write the rules refuse, with every reason (Chinese), all at once."""


def _user_may(actor: Any, action: str, report: Report) -> None:
    if actor is not None and not report_policy.user_may(actor, action, report):
        raise PermissionDenied("您无权进行此操作，或报表当前状态不允许此操作。")


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("period", "period__programme", "zone", "zone__field")
        .get(pk=report.pk)
    )


def report_url(report: Report) -> str:
    return reverse("monitoring:report_detail", kwargs={"report_id": report.pk})


# --- periods --------------------------------------------------------------------------------------


@transaction.atomic
def period_open(
    *,
    actor: Any,
    programme: Any,
    year: int,
    quarter: int = 0,
    deadline: dt.date | None = None,
    note: str = "",
) -> ReportingPeriod:
    """Open a period of ``programme`` (its administrators) and create a report for every reporting zone."""
    if actor is not None and not may_manage(actor, programme):
        raise PermissionDenied("只有本计划的管理员可以开启填报期。")
    settings = programme_settings(programme)
    errors = []
    if quarter and settings.frequency != "quarterly":
        errors.append("本计划按年度填报，不开启季度填报期。")
    if not 0 <= quarter <= 4:
        errors.append("季度应为1至4。")
    if not programme.start_year - 1 <= year <= programme.end_year:
        errors.append(f"年度应在计划期{programme.start_year}—{programme.end_year}年之内。")
    if ReportingPeriod.objects.filter(programme=programme, year=year, quarter=quarter).exists():
        label = f"{year}年第{quarter}季度" if quarter else f"{year}年"
        errors.append(f"{label}的填报期已经开启。")
    deadline = deadline or selectors.default_deadline(settings, year, quarter)
    if deadline <= selectors.period_end(year, quarter) - dt.timedelta(days=365):
        errors.append("截止日期过早。")
    if errors:
        raise ReportRefused(errors)
    period = ReportingPeriod.objects.create(
        programme=programme, year=year, quarter=quarter, deadline=deadline, opened_by=actor, note=note
    )
    reports = reports_ensure(period=period)
    audit_record(
        actor=actor,
        action=MonitoringAudit.PERIOD_OPENED,
        target=period,
        after={**snapshot(period), "reports": len(reports)},
    )
    for report in reports:
        notification_send(
            recipients=people_who(report, MonitoringAction.SUBMIT),
            kind=MonitoringNotification.PERIOD_OPENED,
            title=f"请填报{report.zone.name}{period.label}统计数据（截止{deadline.isoformat()}）",
            url=report_url(report),
        )
    return period


def reports_ensure(*, period: ReportingPeriod) -> list[Report]:
    """A report for every reporting zone of the period's programme (new zones too), with its city as of the period."""
    zones = selectors.zones_reporting(period.programme)
    existing = set(Report.objects.filter(period=period).values_list("zone_id", flat=True))
    missing = [z for z in zones if z.pk not in existing]
    divisions = selectors.zone_divisions(missing, selectors.period_end(period.year, period.quarter))
    created = []
    for zone in missing:
        city, county = divisions.get(zone.pk, (None, None))
        report = Report.objects.create(period=period, zone=zone, city_id=city, county_id=county)
        report.period = period
        created.append(report)
    return created


# --- values ---------------------------------------------------------------------------------------


def _number(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
        if text == "":
            return None
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ReportRefused([f"“{raw}”不是数值"]) from exc
    if not value.is_finite():
        raise ReportRefused([f"“{raw}”不是数值"])
    if abs(value) >= Decimal("1e15"):
        raise ReportRefused([f"“{raw}”超出可填报的范围"])
    return value.quantize(PLACES)


@dataclass(frozen=True)
class ValueChange:
    indicator_code: str
    value: Any
    category: str = ""
    source: str = ValueSource.ZONE
    comment: str | None = None


def _value_write(
    *, actor: Any, report: Report, change: ValueChange, reason: str, audit_code: str
) -> ReportValue:
    spec = selectors.period_form_spec(report.period)
    item = spec.field(change.indicator_code)
    if item is None:
        raise ReportRefused([f"“{change.indicator_code}”不是{spec.period_label}填报表中的指标"])
    if item.counted:
        raise ReportRefused([f"“{item.name}”由登记库计数，不能填报"])
    if change.category and change.category not in {c for c, _ in item.categories}:
        raise ReportRefused([f"“{item.name}”没有分类“{change.category}”"])
    if change.source not in {ValueSource.ZONE, ValueSource.STATISTICS_BUREAU, ValueSource.THIRD_PARTY}:
        raise ReportRefused([f"数据来源“{change.source}”无效"])
    number = _number(change.value)
    current = ReportValue.objects.filter(
        report=report, indicator_code=change.indicator_code, category=change.category
    ).first()
    comment = change.comment if change.comment is not None else (current.comment if current else "")
    if (
        current is not None
        and current.value == number
        and current.source == change.source
        and current.comment == comment
    ):
        return current
    if current is None:
        current = ReportValue.objects.create(
            report=report,
            indicator_code=change.indicator_code,
            category=change.category,
            value=number,
            source=change.source,
            comment=comment,
            updated_by=actor,
        )
    else:
        before = snapshot(current, ["value", "source", "comment", "version"])
        current.value = number
        current.source = change.source
        current.comment = comment
        current.version += 1
        current.updated_by = actor
        current.save()
        audit_record(
            actor=actor,
            action=audit_code,
            target=current,
            before=before,
            after=snapshot(current, list(before)),
            reason=reason,
        )
    ValueVersion.objects.create(
        value=current,
        version=current.version,
        number=number,
        source=change.source,
        comment=comment,
        reason=reason,
        changed_by=actor,
        report_status=report.status,
    )
    return current


def _reopen(*, actor: Any, report: Report, reason: str) -> None:
    """An approved report's value changes: back to 填报中, to be submitted and approved again."""
    if not reason.strip():
        raise ReportRefused(["报表已审定，修改数值须说明原因；修改后须重新提交、重新审核。"])
    report.status = ReportStatus.DRAFT
    report.stage = 0
    report.changes_since_approval += 1
    report.save(update_fields=["status", "stage", "changes_since_approval", "updated_at"])
    ReportStep.objects.create(
        report=report,
        action=StepAction.REOPENED,
        level=report_level(report, 0),
        stage=0,
        actor=actor,
        comment=reason,
    )
    audit_record(
        actor=actor, action=MonitoringAudit.VALUE_CHANGED_AFTER_APPROVAL, target=report, reason=reason
    )


def _totals_from_parts(
    *, actor: Any, report: Report, changes: Sequence[ValueChange], reason: str, audit_code: str
) -> list[ReportValue]:
    """An indicator given only by its categories (an Excel upload) gets their sum as its total."""
    spec = selectors.period_form_spec(report.period)
    given_totals = {c.indicator_code for c in changes if not c.category}
    written: list[ReportValue] = []
    for code in sorted({c.indicator_code for c in changes if c.category} - given_totals):
        item = spec.field(code)
        if item is None or not item.categories:
            continue
        parts = dict(
            ReportValue.objects.filter(report=report, indicator_code=code)
            .exclude(category="")
            .values_list("category", "value")
        )
        if all(parts.get(c) is not None for c, _ in item.categories):
            total = sum((parts[c] or Decimal(0) for c, _ in item.categories), Decimal(0))
            source = next(c.source for c in changes if c.indicator_code == code)
            written.append(
                _value_write(
                    actor=actor,
                    report=report,
                    change=ValueChange(code, total, source=source),
                    reason=reason,
                    audit_code=audit_code,
                )
            )
    return written


def report_level(report: Report, stage: int) -> str:
    return programme_settings(report.period.programme).levels[stage]


@transaction.atomic
def values_save(
    *, actor: Any, report: Report, changes: Sequence[ValueChange], reason: str = "", pushed: bool = False
) -> list[ReportValue]:
    """Save values (the form's autosave, an upload, a statistics bureau's push): all or nothing.

    Every problem is collected before anything is written. An approved report reopens, with the reason.
    """
    _user_may(actor, MonitoringAction.ENTER, report)
    report = _locked(report)
    problems: list[str] = []
    spec = selectors.period_form_spec(report.period)
    for change in changes:
        item = spec.field(change.indicator_code)
        try:
            if item is None:
                raise ReportRefused([f"“{change.indicator_code}”不是{spec.period_label}填报表中的指标"])
            if item.counted:
                raise ReportRefused([f"“{item.name}”由登记库计数，不能填报"])
            _number(change.value)
        except ReportRefused as exc:
            problems += exc.messages
    if problems:
        raise ReportRefused(problems)
    if report.status == ReportStatus.APPROVED:
        changing = [
            c
            for c in changes
            if (
                v := ReportValue.objects.filter(
                    report=report, indicator_code=c.indicator_code, category=c.category
                ).first()
            )
            is None
            or v.value != _number(c.value)
        ]
        if not changing:
            return []
        _reopen(actor=actor, report=report, reason=reason)
    code = MonitoringAudit.VALUE_PUSHED if pushed else MonitoringAudit.VALUE_SAVED
    saved = [
        _value_write(actor=actor, report=report, change=c, reason=reason, audit_code=code) for c in changes
    ]
    if pushed:
        audit_record(actor=actor, action=code, target=report, after={"values": len(saved)})
    flags_refresh(report=report)
    return saved


@transaction.atomic
def evidence_attach(*, actor: Any, value: ReportValue, upload: UploadedFile) -> Evidence:
    """A file supporting a value, its type read from its content (core.files); refused when the report is locked."""
    report = value.report
    _user_may(actor, MonitoringAction.ENTER, report)
    if report.locked:
        raise ReportRefused(["报表已审定，不能再上传佐证材料。"])
    if (upload.size or 0) > max_upload_bytes():
        raise ReportRefused([f"文件超过{max_upload_bytes() // MIB}MB，请压缩后上传。"])
    try:
        checked = file_check(upload.read(), upload.name or "佐证材料")
    except FileRefused as exc:
        raise ReportRefused([exc.message]) from exc
    evidence = Evidence.objects.create(
        value=value,
        file=file_store(checked, "monitoring/evidence"),
        name=checked.original_name,
        size=checked.size,
        content_type=checked.kind.content_type,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=MonitoringAudit.EVIDENCE_ATTACHED,
        target=evidence,
        after={"file": evidence.name, "size": evidence.size},
    )
    return evidence


# --- checks and flags -----------------------------------------------------------------------------


def flags_refresh(*, report: Report) -> list[Flag]:
    """Keep a flag for every finding (rule, outlier) of the report as it stands; clear those no longer found."""
    view = selectors.report_view(report)
    found = {c.key: c for c in view.checks if c.flagged}
    existing = {f.key: f for f in Flag.objects.filter(report=report)}
    for key, check in found.items():
        flag = existing.get(key)
        indicator = (
            check.indicators[0]
            if len(check.indicators) == 1
            else (check.indicators[0] if check.indicators else "")
        )
        if flag is None:
            Flag.objects.create(
                report=report,
                key=key,
                kind=_flag_kind(check.kind),
                importance=check.importance,
                indicator_code=indicator,
                message=check.message,
            )
        elif not flag.active or flag.message != check.message:
            flag.active = True
            flag.message = check.message
            flag.save(update_fields=["active", "message", "updated_at"])
    Flag.objects.filter(report=report, active=True).exclude(key__in=list(found)).update(
        active=False, updated_at=timezone.now()
    )
    return list(Flag.objects.filter(report=report, active=True))


def _flag_kind(kind: str) -> str:
    return {"year_on_year": "year_on_year", "peer": "peer"}.get(kind, "rule")


@transaction.atomic
def flag_comment(*, actor: Any, flag: Flag, text: str) -> FlagComment:
    if not report_policy.user_may(actor, MonitoringAction.COMMENT, flag.report):
        raise PermissionDenied("您无权对该提示发表意见。")
    if not text.strip():
        raise ReportRefused(["意见不能为空。"])
    comment = FlagComment.objects.create(flag=flag, author=actor, text=text.strip())
    audit_record(
        actor=actor, action=MonitoringAudit.FLAG_COMMENTED, target=flag, after={"text": comment.text}
    )
    return comment


def submission_problems(view: selectors.ReportView) -> list[str]:
    """Why a report cannot be submitted yet: errors, missing values without a comment, warnings without one."""
    problems = [c.message for c in view.errors]
    for row in view.missing_without_comment:
        problems.append(f"“{row.field.name}”未填报，请填写数值或说明缺报原因")
    explained = {f.key for f in view.flags if f.comments.all()}
    comments = {r.field.code for r in view.rows if r.value and r.value.comment.strip()}
    for check in view.warnings:
        if check.key in explained or (check.indicators and set(check.indicators) & comments):
            continue
        problems.append(f"{check.message}（警告：请在核查提示中说明）")
    return problems


# --- the chain ------------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, actor: Any, report: Report) -> Report:
    """The first level sends the report up: refused, with every reason, while an error stands or a warning is unexplained."""
    _user_may(actor, MonitoringAction.SUBMIT, report)
    report = _locked(report)
    flags_refresh(report=report)
    view = selectors.report_view(report)
    problems = submission_problems(view)
    if problems:
        raise ReportRefused(problems)
    # the registry's counts are frozen into the report as it is submitted
    for row in view.rows:
        if row.field.counted and row.counted is not None:
            value, created = ReportValue.objects.get_or_create(
                report=report,
                indicator_code=row.field.code,
                category="",
                defaults={
                    "value": Decimal(row.counted.count),
                    "source": ValueSource.REGISTRY,
                    "updated_by": actor,
                },
            )
            if created or value.value != row.counted.count:
                if not created:
                    value.value = Decimal(row.counted.count)
                    value.version += 1
                    value.save()
                ValueVersion.objects.create(
                    value=value,
                    version=value.version,
                    number=value.value,
                    source=ValueSource.REGISTRY,
                    changed_by=actor,
                    report_status=report.status,
                )
    now = timezone.now()
    report.status = ReportStatus.PENDING
    report.stage = 1
    report.submitted_at = report.submitted_at or now
    report.save(update_fields=["status", "stage", "submitted_at", "updated_at"])
    ReportStep.objects.create(
        report=report, action=StepAction.SUBMITTED, level=report_level(report, 0), stage=0, actor=actor
    )
    audit_record(actor=actor, action=MonitoringAudit.REPORT_SUBMITTED, target=report, after={"stage": 1})
    _tell_next(report)
    return report


def _tell_next(report: Report) -> None:
    settings = programme_settings(report.period.programme)
    notification_send(
        recipients=people_who(report, MonitoringAction.REVIEW),
        kind=MonitoringNotification.REPORT_WAITING,
        title=f"{report.zone.name}{report.period.label}统计报表待{settings.level_name(settings.levels[report.stage])}审核",
        url=report_url(report),
    )


@transaction.atomic
def report_approve(*, actor: Any, report: Report, comment: str = "") -> Report:
    """The level the report waits at approves it: on to the next level, or, at the last, approved and locked."""
    _user_may(actor, MonitoringAction.REVIEW, report)
    report = _locked(report)
    if report.status != ReportStatus.PENDING:
        raise ReportRefused(["该报表当前不在审核中。"])
    settings = programme_settings(report.period.programme)
    stage = report.stage
    level = settings.levels[stage]
    if stage >= settings.final_stage:
        now = timezone.now()
        report.status = ReportStatus.APPROVED
        report.approved_at = now
        report.save(update_fields=["status", "approved_at", "updated_at"])
        for value in ReportValue.objects.filter(report=report):
            value.approved_version = value.version
            value.save(update_fields=["approved_version"])
        ReportStep.objects.create(
            report=report, action=StepAction.FINAL, level=level, stage=stage, actor=actor, comment=comment
        )
        audit_record(
            actor=actor,
            action=MonitoringAudit.REPORT_FINAL,
            target=report,
            after={"stage": stage},
            reason=comment,
        )
        notification_send(
            recipients=people_who(report, MonitoringAction.VIEW),
            kind=MonitoringNotification.REPORT_APPROVED,
            title=f"{report.zone.name}{report.period.label}统计报表已审定",
            url=report_url(report),
            exclude=actor,
        )
        return report
    report.stage = stage + 1
    report.save(update_fields=["stage", "updated_at"])
    ReportStep.objects.create(
        report=report, action=StepAction.APPROVED, level=level, stage=stage, actor=actor, comment=comment
    )
    audit_record(
        actor=actor,
        action=MonitoringAudit.REPORT_APPROVED,
        target=report,
        after={"stage": report.stage},
        reason=comment,
    )
    _tell_next(report)
    return report


@transaction.atomic
def report_return(*, actor: Any, report: Report, comment: str) -> Report:
    """The level the report waits at sends it back to the zone, saying why."""
    _user_may(actor, MonitoringAction.REVIEW, report)
    if not comment.strip():
        raise ReportRefused(["退回须说明原因。"])
    report = _locked(report)
    stage = report.stage
    report.status = ReportStatus.RETURNED
    report.stage = 0
    report.save(update_fields=["status", "stage", "updated_at"])
    ReportStep.objects.create(
        report=report,
        action=StepAction.RETURNED,
        level=report_level(report, stage),
        stage=stage,
        actor=actor,
        comment=comment.strip(),
    )
    audit_record(actor=actor, action=MonitoringAudit.REPORT_RETURNED, target=report, reason=comment.strip())
    notification_send(
        recipients=people_who(report, MonitoringAction.SUBMIT),
        kind=MonitoringNotification.REPORT_RETURNED,
        title=f"{report.zone.name}{report.period.label}统计报表被退回：{comment.strip()[:60]}",
        url=report_url(report),
    )
    return report


@dataclass(frozen=True)
class BulkResult:
    approved: list[Report]
    refused: list[tuple[Report, str]]


def reports_bulk_approve(*, actor: Any, reports: Iterable[Report], comment: str = "") -> BulkResult:
    """Approve many reports at once (the province): each waiting at the actor's level; the others are named."""
    approved: list[Report] = []
    refused: list[tuple[Report, str]] = []
    for report in reports:
        try:
            approved.append(report_approve(actor=actor, report=report, comment=comment))
        except (PermissionDenied, ReportRefused) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ReportRefused) else str(exc)
            refused.append((report, message))
    return BulkResult(approved, refused)


@transaction.atomic
def report_urge(*, actor: Any, report: Report) -> int:
    """催报: the programme's administrator reminds the zone's operators of a report not yet submitted."""
    if actor is not None and not may_manage(actor, report.period.programme):
        raise PermissionDenied("只有本计划的管理员可以催报。")
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ReportRefused(["该报表已提交，无需催报。"])
    people = people_who(report, MonitoringAction.SUBMIT)
    notification_send(
        recipients=people,
        kind=MonitoringNotification.REPORT_URGED,
        title=f"催报：请尽快填报{report.zone.name}{report.period.label}统计数据（截止{report.period.deadline.isoformat()}）",
        url=report_url(report),
    )
    audit_record(
        actor=actor, action=MonitoringAudit.REPORT_URGED, target=report, after={"recipients": len(people)}
    )
    return len(people)
