"""An annual evaluation run from the click to stored results, and the results pages' time and queries.

Run: DATABASE_URL=postgres://…/xiandao_<name> .venv/bin/python bench/evaluation_run.py
(or without DATABASE_URL on the embedded SQLite). It creates and drops its own test database.
The size is the issue's: 30 zones × the Anhui framework's indicators × 5 years, 1,000 draws of
the Monte Carlo, the Sobol indices, the path to the next grade and the removal-risk forecast.
The values stand in for monitoring's approved values (the same in-memory sources the tests use).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = 30
YEARS = range(2022, 2027)
DRAWS = 1000
RUNS = 5


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("XIANDAO_JOBS_BACKEND", "inline")
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


def main() -> None:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.JOBS_BACKEND = "inline"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        world()
        from xiandao.accounts.models import User
        from xiandao.evaluation import services
        from xiandao.evaluation.models import EvaluationSettings
        from xiandao.evaluation.tests.factories import sources_replaced, values_make, zones_make
        from xiandao.programmes.models import Programme
        from xiandao.programmes.selectors import framework_for_year

        programme = Programme.objects.get(code="anhui")
        EvaluationSettings.objects.update_or_create(programme=programme, defaults={"draws": DRAWS})
        admin = User.objects.get(username="ah_drc_wang")
        zones = zones_make(programme, ZONES)
        indicators = sum(len(items) for _d, items in framework_for_year(programme, YEARS[-1]))
        print(
            f"年度评估基准（数据库 {name}）：{ZONES}个先导区 × {indicators}项指标 × {len(YEARS)}年，"
            f"蒙特卡洛 {DRAWS} 次"
        )
        with sources_replaced(values_make(programme, zones, YEARS)):
            start = time.perf_counter()
            run = services.run_create(actor=admin, programme=programme, year=YEARS[-1])
            frozen = time.perf_counter()
            services.run_start(actor=admin, run=run)  # outside a transaction: the job runs at once
            done = time.perf_counter()
            run.refresh_from_db()
            assert run.status == "computed", run.error
            print(f"  冻结快照：{(frozen - start) * 1000:.0f} ms（{len(run.snapshot) / 1024:.0f} KB）")
            print(f"  计算并存储（含蒙特卡洛、Sobol、提档路径、移出风险）：{done - frozen:.1f} s")
            print(f"  从点击到结果入库：{done - start:.1f} s")
            result = run.zone_results.order_by("rank").last()
            assert result is not None
            pages = {
                "评估结果页（计划管理员）": f"/evaluation/runs/{run.pk}/",
                "先导区评估报告单（计划管理员）": f"/evaluation/results/{result.pk}/",
            }
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(admin)
            for label, url in pages.items():
                client.get(url)
                times, counts = [], []
                for _ in range(RUNS):
                    with CaptureQueriesContext(connection) as queries:
                        begin = time.perf_counter()
                        response = client.get(url)
                        times.append(time.perf_counter() - begin)
                    assert response.status_code == 200, (url, response.status_code)
                    counts.append(len(queries))
                print(
                    f"  {label}：{max(counts)} 次查询，{statistics.median(times) * 1000:.0f} ms（中位数，{RUNS} 次）"
                )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
