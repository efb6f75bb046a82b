"""Queries per page of statistical monitoring as zones and years grow: the report form and the monitoring view.

Run: DATABASE_URL=postgres://…/xiandao_<name> .venv/bin/python bench/monitoring_pages.py
(or without DATABASE_URL on the embedded SQLite). It creates and drops its own test database, so
the demo database is untouched. Budget: each page's query count is the same at 5 zones × 1 year
as at 40 zones × 6 years; the time is printed beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((5, 1), (20, 3), (40, 6))
RUNS = 5


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def world() -> None:
    from xiandao.accounts.demo import demo_personas_create
    from xiandao.accounts.services import organisation_reference_load
    from xiandao.geo.services import geo_reference_load
    from xiandao.programmes.tests.loading import load

    geo_reference_load()
    organisation_reference_load()
    load("anhui")
    demo_personas_create()


def grow(zones: int, years: int) -> None:
    """At least ``zones`` reporting zones in Hefei's high-tech park and ``years`` periods, every report filled in."""
    from xiandao.geo.models import Park
    from xiandao.monitoring import services
    from xiandao.monitoring.models import Report, ReportingPeriod
    from xiandao.monitoring.tests.factories import ANHUI_VALUES
    from xiandao.pilot_zones.models import PilotZone, ZonePlace, ZoneStatus
    from xiandao.programmes.models import Field, Programme

    programme = Programme.objects.get(code="anhui")
    fields = list(Field.objects.filter(version__programme=programme).order_by("pk"))
    park = Park.objects.get(name="合肥高新技术产业开发区")
    have = PilotZone.objects.filter(programme=programme).count()
    for i in range(have, zones):
        zone = PilotZone.objects.create(
            programme=programme,
            field=fields[i % 3],
            name=f"示例基准监测先导区{i}",
            status=ZoneStatus.CREATING,
            is_demo=True,
        )
        ZonePlace.objects.create(zone=zone, park=park, valid_from=dt.date(2020, 1, 1))
    for year in range(2025 - years + 1, 2026):
        period = ReportingPeriod.objects.filter(programme=programme, year=year).first()
        if period is None:
            period = services.period_open(actor=None, programme=programme, year=year)
        else:
            services.reports_ensure(period=period)
        for report in Report.objects.filter(period=period, values__isnull=True):
            services.values_save(
                actor=None,
                report=report,
                changes=[services.ValueChange(code, value) for code, value in ANHUI_VALUES.items()],
            )


def figures(label: str) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xiandao.accounts.models import User
    from xiandao.monitoring.models import Report, ReportingPeriod

    period = ReportingPeriod.objects.filter(programme__code="anhui").order_by("-year").first()
    assert period is not None
    report = Report.objects.filter(period=period).order_by("pk").first()
    assert report is not None
    pages = {
        "填报表（先导区运营人员）": ("hfgx_operator", f"/monitoring/reports/{report.pk}/"),
        "统计监测（计划管理员）": ("ah_admin", "/monitoring/overview/"),
        "填报进度（计划管理员）": ("ah_admin", f"/monitoring/periods/{period.pk}/"),
    }
    lines = []
    for name, (username, url) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warm
        times = []
        counts = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            counts.append(len(queries))
        lines.append(
            f"  {label} {name}：{max(counts)} 次查询，{statistics.median(times) * 1000:.0f} ms（中位数）"
        )
    return lines


def main() -> None:
    setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        world()
        print(f"统计监测页面基准（数据库 {name}，每页 {RUNS} 次）")
        results = []
        for zones, years in SIZES:
            grow(zones, years)
            results.append(figures(f"{zones}个先导区×{years}年"))
        for lines in results:
            print("\n".join(lines))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
