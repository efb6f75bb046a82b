"""The Excel round trip of a period's reports: the template a person downloads, and the upload that
comes back, validated in full (the file, every cell, then the programme's validation rules on the
values as they would stand) before anything is saved, then saved all or nothing in bulk.

The template and the reader are the pure package :mod:`xiandao.monitoring.workbook`; this module
gives it the period's form (``selectors.workbook_form``) and writes what it read the way
``services.values_save`` writes a value: a new version of every value that changes, who and when,
an approved report reopened with the reason, the audit entry, and the report's flags refreshed.
Rows are inserted and updated in bulk, so 100,000 values take seconds, not minutes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from xiandao.core.audit import audit_record
from xiandao.core.excel import export_filename

from . import selectors, services
from .audit_codes import MonitoringAudit
from .checks import Check, PeerStats, peer_stats
from .models import (
    Flag,
    Report,
    ReportingPeriod,
    ReportStatus,
    ReportValue,
    ValueSource,
    ValueVersion,
)
from .permissions import MonitoringAction, programme_settings
from .workbook import FormSpec, Problem, ValueKey, WorkbookLimits, layout, template_write, workbook_read

MIB = 1024 * 1024
BATCH = 2_000
ImportKey = tuple[int, str, str]  # (report id, indicator code, category)


def workbook_limits() -> WorkbookLimits:
    """The reader's limits as the settings give them."""
    return WorkbookLimits(
        max_bytes=int(getattr(settings, "MONITORING_WORKBOOK_MAX_MB", 20)) * MIB,
        max_expanded_bytes=int(getattr(settings, "MONITORING_WORKBOOK_MAX_UNCOMPRESSED_MB", 400)) * MIB,
        max_ratio=int(getattr(settings, "MONITORING_WORKBOOK_MAX_RATIO", 200)),
    )


def workbook_period(user: Any, period_id: int) -> ReportingPeriod:
    """A period whose reports ``user`` may see (a zone operator sees its zone's), else 404."""
    visible = selectors.report_list_for_user(user, MonitoringAction.VIEW).filter(period_id=period_id)
    period = ReportingPeriod.objects.select_related("programme").filter(pk=period_id).first()
    if period is None or not visible.exists():
        raise Http404("没有找到该填报期")
    return period


def workbook_reports(user: Any, period: ReportingPeriod) -> QuerySet[Report]:
    """The reports of a period that ``user`` may fill in: those a template lists and an upload may change."""
    return (
        selectors.report_list_for_user(user, MonitoringAction.ENTER)
        .filter(period=period)
        .select_related("zone", "zone__field", "period", "period__programme")
        .order_by("zone__name", "pk")
    )


def workbook_template(*, user: Any, period: ReportingPeriod) -> tuple[str, bytes]:
    """The file name and bytes of the period's Excel template for the reports ``user`` fills in."""
    reports = list(workbook_reports(user, period))
    if not reports:
        raise PermissionDenied("您在本填报期没有可填报的报表。")
    for report in reports:
        report.period = period
    form = selectors.workbook_form(period, reports)
    name = reports[0].zone.name if len(reports) == 1 else ""
    filename = export_filename(period.programme.name, period.label, name, "统计监测填报模板")
    return filename, template_write(form)


@dataclass
class WorkbookImport:
    """What an upload did: every problem (nothing saved when there is one), or what it saved."""

    problems: list[Problem] = field(default_factory=list)
    refused: bool = False
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def _cell(zone_name: str, row: int | None, message: str) -> Problem:
    return Problem(layout.DATA_SHEET, row, layout.VALUE.letter if row else None, f"{zone_name}：{message}")


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored value as the upload compares it (read with ``values_list``, not as a model)."""

    pk: int
    value: Decimal | None
    source: str
    comment: str
    version: int


@dataclass
class _Merged:
    """One report's values as they would stand after the upload (totals and categories)."""

    report: Report
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    parts: dict[str, dict[str, Decimal | None]] = field(default_factory=lambda: defaultdict(dict))
    touched: set[str] = field(default_factory=set)


def _checks(
    period: ReportingPeriod,
    merged: dict[int, _Merged],
    counted: dict[tuple[int, str], Decimal],
) -> dict[int, list[Check]]:
    """Every check of every uploaded report on its values as they would stand, as ``report_view`` runs them.

    A constant number of queries: last period's totals, the period's other reports' totals (the
    peers), and the registry counts, each once for all the reports.
    """
    if not merged:  # nothing changes (a re-upload of the same values): no check to run, no query
        return {}
    spec = selectors.period_form_spec(period)
    programme_rules = programme_settings(period.programme)
    before = selectors.previous_period(period)
    previous: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    if before is not None:
        for zone_id, code, value in ReportValue.objects.filter(
            report__period=before, category=""
        ).values_list("report__zone_id", "indicator_code", "value"):
            previous[zone_id][code] = value
    # the period's totals as stored, every report (peers), with the uploaded ones as they would stand
    period_totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    group_of: dict[int, Any] = {}
    peer_kind = programme_rules.peer_group
    for report_id, code, value, field_code, zone_type in ReportValue.objects.filter(
        report__period=period, category="", value__isnull=False
    ).values_list(
        "report_id", "indicator_code", "value", "report__zone__field__code", "report__zone__zone_type_id"
    ):
        if value is not None:
            period_totals[report_id][code] = value
        group_of[report_id] = zone_type if peer_kind == "zone_type" else field_code
    for report_id, item in merged.items():
        stored_now = {code: v for code, v in item.totals.items() if v is not None and code in item.touched}
        kept = {
            code: value
            for code, value in period_totals.get(report_id, {}).items()
            if code not in item.touched
        }
        period_totals[report_id] = {**kept, **stored_now}
        zone = item.report.zone
        group_of[report_id] = zone.zone_type_id if peer_kind == "zone_type" else zone.field.code
    # every group's totals once, and each group's median and MAD per indicator once: a report's peers
    # are its group's values without its own stored one, plus its own now, which is the group itself
    # whenever the two are the same (every value but a registry count standing in for an empty one)
    group_values: dict[Any, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for report_id, group in group_of.items():
        for code, value in period_totals.get(report_id, {}).items():
            group_values[group][code].append(value)
    group_stats: dict[tuple[Any, str], PeerStats] = {}
    min_peers = programme_rules.min_peers
    found: dict[int, list[Check]] = {}
    for report_id, item in merged.items():
        report = item.report
        current: dict[str, Decimal | None] = {}
        for f in spec.fields:
            value = item.totals.get(f.code)
            if f.counted and value is None and (report.zone_id, f.code) in counted:
                value = counted[(report.zone_id, f.code)]
            current[f.code] = value
        group = group_of[report_id]
        alone = peer_kind == "zone_type" and group is None
        own = period_totals.get(report_id, {})
        peers: dict[str, list[Decimal]] = {}
        stats: dict[str, PeerStats] = {}
        for code, value in current.items():
            if value is None:
                continue
            if not alone and own.get(code) == value:
                key = (group, code)
                if key not in group_stats:
                    group_stats[key] = peer_stats(group_values[group].get(code, []), min_peers=min_peers)
                stats[code] = group_stats[key]
                continue
            others = [] if alone else list(group_values[group].get(code, []))
            if code in own and not alone:
                others.remove(own[code])
            peers[code] = [*others, value]
        found[report_id] = selectors.report_checks(
            report, current, dict(previous.get(report.zone_id, {})), peers, item.parts, stats
        )
    return found


def _flags_write(checks: dict[int, list[Check]], *, period_id: int) -> None:
    """Keep a flag for every finding of each report as it now stands; clear those no longer found
    (what ``services.flags_refresh`` does for one report, here for many in a few queries)."""
    existing: dict[tuple[int, str], Flag] = {
        (f.report_id, f.key): f
        for f in Flag.objects.filter(report__period_id=period_id)
        if f.report_id in checks
    }
    now = timezone.now()
    new: list[Flag] = []
    update: list[Flag] = []
    for report_id, found in checks.items():
        keys = set()
        for check in found:
            if not check.flagged:
                continue
            keys.add(check.key)
            flag = existing.get((report_id, check.key))
            if flag is None:
                new.append(
                    Flag(
                        report_id=report_id,
                        key=check.key,
                        kind=services._flag_kind(check.kind),
                        importance=check.importance,
                        indicator_code=check.indicators[0] if check.indicators else "",
                        message=check.message,
                    )
                )
            elif not flag.active or flag.message != check.message:
                flag.active, flag.message, flag.updated_at = True, check.message, now
                update.append(flag)
        for (rid, key), flag in existing.items():
            if rid == report_id and flag.active and key not in keys:
                flag.active, flag.updated_at = False, now
                update.append(flag)
    Flag.objects.bulk_create(new, batch_size=BATCH)
    Flag.objects.bulk_update(update, ["active", "message", "updated_at"], batch_size=BATCH)


@dataclass(slots=True)
class _Row:
    """A value to write (``pk`` None for a new one): plain data, a model only where the ORM writes it."""

    pk: int | None
    report_id: int
    indicator_code: str
    category: str
    value: Decimal | None
    source: str
    comment: str
    version: int
    updated_by_id: int | None

    @property
    def saved_pk(self) -> int:
        if self.pk is None:
            raise RuntimeError("value not written yet")
        return self.pk

    def model(self, now: Any) -> ReportValue:
        return ReportValue(
            pk=self.pk,
            report_id=self.report_id,
            indicator_code=self.indicator_code,
            category=self.category,
            value=self.value,
            source=self.source,
            comment=self.comment,
            version=self.version,
            updated_by_id=self.updated_by_id,
            updated_at=now,
        )


def _values_write(new: list[_Row], changed: list[_Row], *, now: Any) -> None:
    """Insert and update values in bulk: PostgreSQL's COPY and one UPDATE … FROM unnest, else the ORM
    (which gives the new rows their ids, for their versions)."""
    if connection.vendor != "postgresql":
        created = ReportValue.objects.bulk_create([v.model(now) for v in new], batch_size=BATCH)
        for row, model in zip(new, created, strict=True):
            row.pk = model.pk
        ReportValue.objects.bulk_update(
            [v.model(now) for v in changed],
            ["value", "comment", "source", "version", "updated_by", "updated_at"],
            batch_size=BATCH,
        )
        return
    table = ReportValue._meta.db_table
    with connection.cursor() as cursor:
        if new:
            columns = "report_id, indicator_code, category, value, source, comment, version, updated_by_id, updated_at"
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for v in new:
                    copy.write_row(
                        (
                            v.report_id,
                            v.indicator_code,
                            v.category,
                            v.value,
                            v.source,
                            v.comment,
                            v.version,
                            v.updated_by_id,
                            now,
                        )
                    )
        if changed:
            cursor.execute(
                f"UPDATE {table} AS t SET value = u.value, comment = u.comment, source = u.source, "
                "version = u.version, updated_by_id = u.updated_by_id, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::text[], %s::integer[], %s::bigint[]) "
                "AS u(id, value, comment, source, version, updated_by_id) WHERE t.id = u.id",
                [
                    now,
                    [v.pk for v in changed],
                    [v.value for v in changed],
                    [v.comment for v in changed],
                    [v.source for v in changed],
                    [v.version for v in changed],
                    [v.updated_by_id for v in changed],
                ],
            )


def _versions_write(
    values: list[_Row], *, actor: Any, reason: str, now: Any, status_of: dict[int, str]
) -> None:
    """A version row for every value written (new ones get their ids from the table: they were copied in)."""
    if connection.vendor != "postgresql":
        ValueVersion.objects.bulk_create(
            [
                ValueVersion(
                    value_id=v.saved_pk,
                    version=v.version,
                    number=v.value,
                    source=v.source,
                    comment=v.comment,
                    reason=reason,
                    changed_by=actor,
                    report_status=status_of[v.report_id],
                )
                for v in values
            ],
            batch_size=BATCH,
        )
        return
    reports = sorted({v.report_id for v in values})
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ValueVersion._meta.db_table} "
            "(value_id, version, number, source, comment, reason, changed_by_id, changed_at, report_status) "
            "SELECT v.id, v.version, v.value, v.source, v.comment, %s, %s, %s, s.status "
            f"FROM {ReportValue._meta.db_table} v "
            "JOIN unnest(%s::bigint[], %s::text[]) AS s(report_id, status) ON s.report_id = v.report_id "
            "WHERE v.updated_at = %s",
            [reason, getattr(actor, "pk", None), now, reports, [status_of[r] for r in reports], now],
        )


@transaction.atomic
def report_workbook_import(
    *,
    actor: Any,
    period: ReportingPeriod,
    data: bytes,
    reason: str = "",
    source: str = ValueSource.ZONE,
) -> WorkbookImport:
    """Read a filled template of ``period`` and save it all or nothing.

    Everything is checked first: the file (:func:`workbook_read`), then the programme's validation
    rules on the values as they would stand (an error on a value the file sets is a problem; a
    warning is saved and flagged). An approved report whose values change reopens with ``reason``
    (required). Nothing is written unless no problem is found.
    """
    if source not in (ValueSource.ZONE, ValueSource.STATISTICS_BUREAU, ValueSource.THIRD_PARTY):
        raise PermissionDenied(f"数据来源“{source}”无效")
    reports = list(workbook_reports(actor, period))
    if not reports:
        raise PermissionDenied("您在本填报期没有可填报的报表。")
    for report in reports:
        report.period = period
    form: FormSpec = selectors.workbook_form(period, reports)
    result = workbook_read(data, form, workbook_limits())
    outcome = WorkbookImport(rows=result.rows, refused=result.refused)
    if not result.ok:
        outcome.problems = list(result.problems)
        return outcome

    # Lock the reports, then see they are still open to this user (another upload may have moved them).
    ids = [r.pk for r in reports]
    statuses = dict(Report.objects.select_for_update().filter(pk__in=ids).values_list("pk", "status"))
    still = set(workbook_reports(actor, period).filter(pk__in=ids).values_list("pk", flat=True))
    by_zone = {r.zone_id: r for r in reports if r.pk in still}
    for report in reports:
        report.status = statuses.get(report.pk, report.status)
    spec = selectors.period_form_spec(period)
    # the stored values as plain rows (no model per row): most of a re-upload is compared, not written
    stored: dict[ImportKey, _Stored] = {
        (report_id, code, category): _Stored(pk, value, source, comment, version)
        for pk, report_id, code, category, value, source, comment, version in ReportValue.objects.filter(
            report__period=period
        ).values_list(
            "pk", "report_id", "indicator_code", "category", "value", "source", "comment", "version"
        )
        if report_id in still  # the period's values kept in Python: no list of thousands of ids in SQL
    }

    # What the file changes, key by key; the totals of categories follow from them.
    wanted: dict[ImportKey, tuple[Decimal | None, str | None]] = {}
    where: dict[ImportKey, int] = {}
    problems: list[Problem] = []
    keys: Iterable[ValueKey] = set(result.values) | set(result.comments)
    for zone_id, code, category in keys:
        open_report = by_zone.get(zone_id)
        row = result.positions.get((zone_id, code, category))
        if open_report is None:
            problems.append(
                Problem(
                    layout.DATA_SHEET, row, layout.ZONE_ID.letter, "该先导区的报表已提交审核，当前不能修改"
                )
            )
            continue
        key = (open_report.pk, code, category)
        value = result.values.get((zone_id, code, category))
        number = value.quantize(services.PLACES) if value is not None else None
        wanted[key] = (number, result.comments.get((zone_id, code, category)))
        if row is not None:
            where[key] = row
    if problems:
        outcome.problems = problems
        return outcome
    for item in spec.fields:
        if not item.categories:
            continue
        for report in by_zone.values():
            part_keys = [(report.pk, item.code, c) for c, _ in item.categories]
            if not any(k in wanted and wanted[k][0] is not None for k in part_keys):
                continue
            total_key = (report.pk, item.code, "")
            if total_key in wanted and wanted[total_key][0] is not None:
                continue
            numbers = [
                wanted[k][0]
                if k in wanted and wanted[k][0] is not None
                else (stored[k].value if k in stored else None)
                for k in part_keys
            ]
            present = [n for n in numbers if n is not None]
            if len(present) == len(numbers):
                wanted[total_key] = (sum(present, Decimal(0)).quantize(services.PLACES), None)
                first = next((where[k] for k in part_keys if k in where), None)
                if first is not None:
                    where[total_key] = first

    # The values as they would stand, report by report, and the checks on them.
    merged: dict[int, _Merged] = {}
    for report in by_zone.values():
        merged[report.pk] = _Merged(report)
    for (report_id, code, category), row_value in stored.items():
        m = merged[report_id]
        if category:
            m.parts[code][category] = row_value.value
        else:
            m.totals[code] = row_value.value
    changes: dict[ImportKey, tuple[Decimal | None, str]] = {}
    for key, (number, comment) in wanted.items():
        report_id, code, category = key
        current = stored.get(key)
        new_number = number if number is not None else (current.value if current else None)
        new_comment = comment if comment is not None else (current.comment if current else "")
        if (
            current is not None
            and current.value == new_number
            and current.comment == new_comment
            and current.source == source
        ):
            outcome.unchanged += 1
            continue
        changes[key] = (new_number, new_comment)
        m = merged[report_id]
        m.touched.add(code)
        if category:
            m.parts[code][category] = new_number
        else:
            m.totals[code] = new_number
    counts = {
        (z.zone_id, code): value for z in form.zones for (code, part), value in z.counted.items() if not part
    }
    # only the reports the file changes are checked again (a re-upload of the same values checks nothing)
    found = _checks(period, {rid: m for rid, m in merged.items() if m.touched}, counts)
    names = {r.pk: r.zone.name for r in by_zone.values()}
    for report_id, report_checks in found.items():
        touched = merged[report_id].touched
        for check in report_checks:
            if not set(check.indicators) & touched:
                continue
            if check.blocks:
                row = next(
                    (
                        where[(report_id, code, "")]
                        for code in check.indicators
                        if (report_id, code, "") in where
                    ),
                    None,
                ) or next(
                    (
                        r
                        for (rid, code, _), r in where.items()
                        if rid == report_id and code in check.indicators
                    ),
                    None,
                )
                problems.append(_cell(names[report_id], row, check.message))
            elif check.flagged:
                outcome.warnings.append(f"{names[report_id]}：{check.message}")
    reopening = [
        r for r in by_zone.values() if r.status == ReportStatus.APPROVED and r.pk in {k[0] for k in changes}
    ]
    if reopening and not reason.strip():
        for report in reopening:
            problems.append(
                Problem(
                    layout.DATA_SHEET,
                    None,
                    None,
                    f"{report.zone.name}：报表已审定，修改数值须填写修改原因；修改后须重新提交、重新审核。",
                )
            )
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        outcome.problems = problems
        outcome.warnings = []
        return outcome

    # Nothing wrong: write it all.
    for report in reopening:
        services._reopen(actor=actor, report=report, reason=reason)
        report.status = ReportStatus.DRAFT
    status_of = {r.pk: r.status for r in by_zone.values()}
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    new_values: list[_Row] = []
    changed_values: list[_Row] = []
    for (report_id, code, category), (number, comment) in changes.items():
        current = stored.get((report_id, code, category))
        if current is None:
            new_values.append(_Row(None, report_id, code, category, number, source, comment, 1, actor_id))
        else:
            changed_values.append(
                _Row(
                    current.pk,
                    report_id,
                    code,
                    category,
                    number,
                    source,
                    comment,
                    current.version + 1,
                    actor_id,
                )
            )
    _values_write(new_values, changed_values, now=now)
    _versions_write([*new_values, *changed_values], actor=actor, reason=reason, now=now, status_of=status_of)
    digest = hashlib.sha256(data).hexdigest()
    per_report: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for v in new_values:
        per_report[v.report_id][0] += 1
    for v in changed_values:
        per_report[v.report_id][1] += 1
    outcome.reports = [r for r in by_zone.values() if r.pk in per_report]
    audit_record(
        actor=actor,
        action=MonitoringAudit.VALUES_IMPORTED,
        target=period,
        after={
            "reports": {
                str(r.pk): {
                    "zone": r.zone.name,
                    "created": per_report[r.pk][0],
                    "changed": per_report[r.pk][1],
                }
                for r in outcome.reports
            },
            "created": len(new_values),
            "changed": len(changed_values),
            "file_sha256": digest,
        },
        reason=reason,
    )
    _flags_write({rid: checks for rid, checks in found.items() if rid in per_report}, period_id=period.pk)
    outcome.created, outcome.changed = len(new_values), len(changed_values)
    return outcome
