"""Supervision at a province's size: the cockpit's and the target-progress page's time and queries, and
computing every warning of a programme, as the data grows.

Run: DATABASE_URL=postgres://…/xiandao_<name> .venv/bin/python bench/supervision.py
(or without DATABASE_URL on the embedded SQLite). It creates and drops its own test database.
Sizes: 30 zones; registries grown from 5,000 to 50,000 entries (bench/registries.py's generator);
25 tasks with 5 years of progress reports and two work-list items a year. Budget: the query count
stays the same as the data grows; the time is printed beside it (median and p95).
Not covered: ten years of zones' monitoring reports (bench/monitoring_pages.py grows those).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import registries as registry_bench  # noqa: E402  (bench/registries.py: world and entry generator)

RUNS = 7
SIZES = (5_000, 50_000)


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


def page_figures(label: str) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xiandao.accounts.models import User
    from xiandao.programmes.models import Programme
    from xiandao.supervision.selectors import warnings_all

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="ah_admin"))
    lines = []
    for name, url in (
        ("领导驾驶舱", "/supervision/anhui/cockpit/"),
        ("目标进度", "/supervision/anhui/targets/"),
        ("目标进度接口", "/api/v1/programmes/anhui/target-progress"),
    ):
        client.get(url)
        times, counts = [], []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
            counts.append(len(queries))
        p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
        lines.append(
            f"  {label} {name}：{max(counts)} 次查询，中位数 {statistics.median(times) * 1000:.0f} ms，p95 {p95 * 1000:.0f} ms"
        )
    programme = Programme.objects.get(code="anhui")
    times, counts = [], []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            found = warnings_all(programme)
            times.append(time.perf_counter() - start)
        counts.append(len(queries))
    lines.append(
        f"  {label} 计算全部预警（{len(found)}条）：{max(counts)} 次查询，中位数 {statistics.median(times) * 1000:.0f} ms"
    )
    return lines


def main() -> None:
    registry_bench.setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        registry_bench.world()
        tasks_grow()
        rng = random.Random(12)
        print(f"督查基准（数据库 {name}，每项 {RUNS} 次；30个先导区，25项任务×5年进展）")
        for size in SIZES:
            registry_bench.grow(size, rng)
            registry_bench.analyze()
            print("\n".join(page_figures(f"登记库{size:,}条")), flush=True)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
