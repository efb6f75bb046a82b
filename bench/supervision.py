"""Supervision at a province's size: the cockpit's and the target-progress page's time and queries, and
computing every warning of a programme, as the data grows.

Run: DATABASE_URL=postgres://…/xiandao_<name> .venv/bin/python bench/supervision.py
(or without DATABASE_URL on the embedded SQLite). It creates and drops its own test database;
about three minutes on either database on two shared cores (BENCH_RUNS=… sets the requests per page).
Sizes: 30 zones; registries grown from 5,000 to 50,000 entries (bench/registries.py's generator,
entries dated 2017–2026), then the programme's period stretched from 2024 to 2017 so the pages
follow ten years (a count and a trend point at each year's end); 25 tasks with 5 years of progress
reports and two work-list items a year. Each page is asked through the test client as Anhui's
programme admin, beside a floor (the profile page: same client, session, middleware and layout).
Budget: the query count stays the same as entries and years grow; the time is printed beside it
(median and p95) with its ratio to the floor.
Not covered: zones' approved monitoring values over ten years (bench/monitoring_pages.py grows
reports; supervision reads all years' approved values in two queries whatever their number).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import registries as registry_bench  # noqa: E402  (bench/registries.py: world and entry generator)

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
#: (registry entries, the programme's first year): entries grow tenfold, then the years from 3 to 10.
SIZES = ((5_000, 2024), (50_000, 2024), (50_000, 2017))
FLOOR = "/accounts/profile/"
PAGES = (
    ("领导驾驶舱", "/supervision/anhui/cockpit/"),
    ("目标进度", "/supervision/anhui/targets/"),
    ("目标进度接口", "/api/v1/programmes/anhui/target-progress"),
)


def tasks_grow() -> None:
    """25 tasks with reports 2022–2026 and two items a year (rows written directly: a benchmark, not demo data)."""
    from django.utils import timezone

    from xiandao.accounts.models import User
    from xiandao.programmes.models import Programme, TaskKind
    from xiandao.supervision.models import ProgressReport, WorkItem

    programme = Programme.objects.get(code="anhui")
    officer = User.objects.get(username="ah_dst_officer")
    tasks = list(programme.tasks.filter(kind=TaskKind.TASK).order_by("position")[:25])
    reports, items = [], []
    for task in tasks:
        for year in range(2022, 2027):
            reports.append(
                ProgressReport(
                    task=task,
                    year=year,
                    organisation=officer.organisation,
                    summary="基准",
                    completion=50,
                    reported_by=officer,
                    reported_at=timezone.now(),
                )
            )
            for month in (6, 12):
                items.append(
                    WorkItem(
                        programme=programme,
                        task=task,
                        year=year,
                        title=f"基准{year}-{month}",
                        due=dt.date(year, month, 28),
                        done_on=dt.date(year, month, 1) if year < 2025 else None,
                    )
                )
    ProgressReport.objects.bulk_create(reports, ignore_conflicts=True)
    WorkItem.objects.bulk_create(items)


def analyze() -> None:
    """Fresh planner statistics on either database, as a database that has lived with its rows has.

    SQLite without statistics plans the tag counts' EXISTS on the (tag, valid_from) index instead
    of the enterprise's: 6 s instead of 0.17 s for Anhui's counts at one date and 5,000 entries.
    """
    from django.db import connection

    registry_bench.analyze()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def queries_text(counts: list[int]) -> str:
    """The usual number of queries, and the most when a request met an expired cache (the security
    policy is cached for a while, then read again: one query more, whatever the data)."""
    usual = int(statistics.median_low(counts))
    return f"查询 {usual:3d} 次" + (f"（最多 {max(counts)}：缓存到期）" if max(counts) != usual else "")


def timed(client: Any, url: str) -> tuple[float, float, str]:
    """Median and p95 in milliseconds, and the queries, of RUNS requests after a warm one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    times.sort()
    return statistics.median(times), times[max(0, math.ceil(len(times) * 0.95) - 1)], queries_text(counts)


def page_figures(label: str) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xiandao.accounts.models import User
    from xiandao.programmes.models import Programme
    from xiandao.supervision.selectors import warnings_all

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="ah_admin"))
    floor, floor_p95, floor_queries = timed(client, FLOOR)
    lines = [
        f"  {label}",
        f"    {'下限（个人资料页）':<14} 中位 {floor:7.1f} ms  p95 {floor_p95:7.1f} ms  {floor_queries}",
    ]
    for name, url in PAGES:
        median, p95, queries = timed(client, url)
        lines.append(
            f"    {name:<14} 中位 {median:7.1f} ms  p95 {p95:7.1f} ms  中位为下限的 {median / floor:5.1f} 倍  "
            f"{queries}"
        )
    programme = Programme.objects.get(code="anhui")
    times, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            found = warnings_all(programme)
            times.append((time.perf_counter() - start) * 1000)
        counts.append(len(captured))
    times.sort()
    p95 = times[max(0, math.ceil(len(times) * 0.95) - 1)]
    lines.append(
        f"    {'计算全部预警':<14} 中位 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(found):3d} 条预警  {queries_text(counts)}"
    )
    return lines


def stretch_years(first: int) -> None:
    """Start the programme's period in ``first``: the pages then count at every year's end since (bench data)."""
    from xiandao.programmes.models import Programme

    Programme.objects.filter(code="anhui").update(start_year=first)


def main() -> None:
    registry_bench.setup()
    from django.db import connection, transaction

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            registry_bench.world()
            tasks_grow()
        rng = random.Random(12)
        print(
            f"督查基准（数据库 {name}，每页 {RUNS} 次；30个先导区，25项任务×5年进展，"
            f"准备世界 {time.perf_counter() - started:.0f} 秒；开始时负载 {os.getloadavg()[0]:.1f}，{os.cpu_count()} 核）",
            flush=True,
        )
        for size, first in SIZES:
            started = time.perf_counter()
            with transaction.atomic():
                registry_bench.grow(size, rng)
                stretch_years(first)
            analyze()
            grown = time.perf_counter() - started
            years = f"{first}—{dt.date.today().year}年"
            load = os.getloadavg()[0]
            lines = page_figures(f"登记库 {size:,} 条，计划期{years}（生成 {grown:.0f} 秒，负载 {load:.1f}）")
            print("\n".join(lines), flush=True)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
