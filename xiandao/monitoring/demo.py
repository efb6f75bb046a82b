"""Demonstration reports: the demo zones of Anhui and Zhejiang report 2023–2026, through the services.

2023 and 2024 go the whole chain (zone → city → province) and are approved; in 2025 one zone's
report waits at the city, another at the province and the rest are still being filled in, so
every state of the chain shows. 2026 is the year being reported now (deadline 31 March 2027):
two zones in three have reported early and been approved, the others are still filling in, so
the evaluation's draft run of 2026 runs on what is approved. Figures are invented, grow year on year, keep every rule of the
programme, and are written by the demo personas where one holds the level (Hefei), else by the
platform. Periods opened here carry a 示例 note so removing the demo data removes them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from xiandao.programmes.selectors import programme_list_by_codes

from . import checks, selectors, services
from .models import Report, ReportingPeriod, ReportStatus, ValueSource
from .permissions import MonitoringAction, report_policy

DEMO_NOTE = "示例数据：演示用填报期"
YEARS = (2023, 2024, 2025, 2026)
#: The year whose reports stand at every step of the chain.
SPREAD_YEAR = 2025
#: The year being reported now: early reporters approved, the others still filling in.
CURRENT_YEAR = 2026


def _grow(base: Decimal, year: int, index: int) -> Decimal:
    """A value that grows by a tenth or so a year, different for each zone."""
    factor = Decimal("1.12") ** (year - 2023) * (Decimal(1) + Decimal(index) / 10)
    return (base * factor).quantize(Decimal("0.01"))


#: Base figures (2023) of the entered indicators of each programme.
BASES = {
    "anhui": {
        "ic-rd-intensity": Decimal("5.2"),
        "ic-invention-patents": Decimal("35"),
        "ia-revenue": Decimal("80"),
        "ia-lead-share": Decimal("55"),
        "fs-equity-investment": Decimal("10"),
        "fs-fiscal-support": Decimal("2.4"),
        "fs-degree-share": Decimal("48"),
        "fs-incubation-space": Decimal("9"),
        "cr-target-attainment": Decimal("75"),
        "cr-value-added-share": Decimal("1.8"),
        "cr-national-recognitions": Decimal("2"),
        "cr-energy-intensity": Decimal("0.35"),
    },
    "zhejiang": {
        "ic-rd-intensity": Decimal("4.8"),
        "ic-invention-patents": Decimal("30"),
        "in-revenue": Decimal("60"),
        "in-lead-share": Decimal("50"),
        "in-revenue-per-mu": Decimal("900"),
        "fs-equity-investment": Decimal("8"),
        "fs-ip-financing": Decimal("1.5"),
        "fs-land": Decimal("300"),
        "fs-computing": Decimal("20"),
    },
}
REVENUE = {"anhui": "ia-revenue", "zhejiang": "in-revenue"}
GROWTH = {"anhui": "ia-revenue-growth", "zhejiang": "in-revenue-growth"}


def _values(code: str, year: int, index: int, spec: selectors.FormSpec) -> list[services.ValueChange]:
    wanted = {f.code for f in spec.fields if not f.counted}
    whole = {f.code for f in spec.fields if f.unit in checks.COUNT_UNITS}
    values = {
        k: _grow(v, year, index).quantize(Decimal(1)) if k in whole else _grow(v, year, index)
        for k, v in BASES[code].items()
        if k in wanted
    }
    # A share cannot pass 100 %, however fast the zone grows: the programme's rules refuse it.
    percentages = {f.code for f in spec.fields if f.unit == "%"}
    values = {k: min(v, Decimal(95)) if k in percentages else v for k, v in values.items()}
    revenue = REVENUE[code]
    previous = _grow(BASES[code][revenue], year - 1, index)
    if GROWTH[code] in wanted:
        values[GROWTH[code]] = ((values[revenue] - previous) / previous * 100).quantize(Decimal("0.01"))
    if "cr-net-revenue-increase" in wanted:
        values["cr-net-revenue-increase"] = values[revenue] - previous
    changes = [services.ValueChange(k, v, source=ValueSource.ZONE) for k, v in values.items()]
    for item in spec.fields:
        if item.categories and item.code in values:
            total = values[item.code]
            shares = [Decimal("0.5"), Decimal("0.3")]
            parts = [(total * s).quantize(Decimal("0.01")) for s in shares]
            parts.append(total - sum(parts))
            changes += [
                services.ValueChange(item.code, part, category=c, source=ValueSource.ZONE)
                for (c, _), part in zip(item.categories, parts, strict=False)
            ]
    missing = wanted - set(values)
    changes += [services.ValueChange(k, None, comment="示例：本年未统计该项") for k in sorted(missing)]
    return changes


def _actor(report: Report, action: str, people: dict[str, Any]) -> Any:
    """A demo persona who may act, else the platform (None)."""
    for user in people.values():
        if report_policy.user_may(user, action, report):
            return user
    return None


def _explain_and_submit(report: Report, actor: Any, commenter: Any = None) -> None:
    """Submit; a warning that stands is explained in its flag's thread first, as a zone would."""
    try:
        services.report_submit(actor=actor, report=report)
    except services.ReportRefused:
        for flag in services.flags_refresh(report=report):
            if flag.importance == "warning":
                services.flag_comment(
                    actor=actor or commenter, flag=flag, text="示例说明：数据已与统计部门核对无误。"
                )
        services.report_submit(actor=actor, report=report)


@transaction.atomic
def demo_reports_create(users: list[Any] | None = None) -> int:
    """Periods 2023–2026 for Anhui and Zhejiang and a report of every demo zone; running twice changes nothing."""
    people = {u.username: u for u in users or []}
    created = 0
    for programme in programme_list_by_codes(BASES):
        for year in YEARS:
            if year > programme.end_year:
                continue  # Zhejiang's guidance runs to 2025: no 2026 period to report in
            period = ReportingPeriod.objects.filter(programme=programme, year=year, quarter=0).first()
            if period is None:
                period = services.period_open(
                    actor=None,
                    programme=programme,
                    year=year,
                    deadline=dt.date(year + 1, 3, 31),
                    note=DEMO_NOTE,
                )
            else:
                services.reports_ensure(period=period)
            spec = selectors.period_form_spec(period)
            reports = list(
                Report.objects.filter(period=period, zone__is_demo=True)
                .select_related("period__programme", "zone__field")
                .order_by("zone__name")
            )
            for index, report in enumerate(reports):
                if report.status != ReportStatus.DRAFT or report.values.exists():
                    continue  # written before
                services.values_save(
                    actor=_actor(report, MonitoringAction.ENTER, people),
                    report=report,
                    changes=_values(programme.code, year, index, spec),
                )
                created += 1
                last_year = year == SPREAD_YEAR
                if (last_year or year == CURRENT_YEAR) and index % 3 == 2:
                    continue  # still being filled in
                _explain_and_submit(
                    report,
                    _actor(report, MonitoringAction.SUBMIT, people),
                    _actor(report, MonitoringAction.COMMENT, people),
                )
                if last_year and index % 3 == 0:
                    continue  # waits at the city
                report.refresh_from_db()
                services.report_approve(actor=_actor(report, MonitoringAction.REVIEW, people), report=report)
                if last_year:
                    continue  # waits at the province
                report.refresh_from_db()
                services.report_approve(actor=_actor(report, MonitoringAction.REVIEW, people), report=report)
    return created


@transaction.atomic
def demo_reports_remove() -> int:
    """The demo periods (with every report in them) and the demo zones' reports elsewhere."""
    removed, _ = Report.objects.filter(zone__is_demo=True).delete()
    periods = ReportingPeriod.objects.filter(note=DEMO_NOTE).exclude(reports__zone__is_demo=False)
    gone, _ = periods.delete()
    return removed + gone
