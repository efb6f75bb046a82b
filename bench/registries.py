"""Registry figures at a province's size: list pages, counting every Anhui measure, a 50,000-row import.

Run: DATABASE_URL=postgres://…/xiandao_<name> .venv/bin/python bench/registries.py
It creates and drops its own test database (test_<name>), so the demo database is untouched.
Budgets (issue 16): a list page's queries constant as entries grow; all of a programme's counts
at a date in well under a second; the import's time against calamine's bare read of the file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
TOTAL = 50_000
SMALL = 5_000
ZONES = 30
YEARS = range(2017, 2027)
RUNS = 30


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def world() -> None:
    """Reference data, the Anhui programme, personas and 30 zones across Anhui's cities."""
    from xiandao.accounts.demo import demo_personas_create
    from xiandao.accounts.services import organisation_reference_load
    from xiandao.geo.models import Jurisdiction
    from xiandao.geo.services import geo_reference_load
    from xiandao.pilot_zones.demo import demo_zones_create
    from xiandao.pilot_zones.models import PilotZone, ZonePlace
    from xiandao.programmes.models import Field
    from xiandao.programmes.tests.loading import load

    geo_reference_load()
    organisation_reference_load()
    programme = load("anhui").programme
    demo_personas_create()
    demo_zones_create()
    cities = list(Jurisdiction.objects.filter(code__startswith="34", level="city").order_by("code"))
    fields = list(Field.objects.filter(version__programme=programme))
    n = PilotZone.objects.filter(programme=programme).count()
    for i in range(ZONES - n):
        zone = PilotZone.objects.create(
            programme=programme, field=fields[i % len(fields)], name=f"示例基准先导区{i}", is_demo=True
        )
        ZonePlace.objects.create(
            zone=zone, jurisdiction=cities[i % len(cities)], valid_from=dt.date(2024, 1, 1)
        )


def grow(to: int, rng: random.Random) -> None:
    """Add confirmed entries (a third enterprises with tags) until the registries hold ``to``."""
    from django.utils import timezone

    from xiandao.pilot_zones.models import PilotZone
    from xiandao.registries.models import Enterprise, EnterpriseTag, TagKind
    from xiandao.registries.registry import REGISTRIES
    from xiandao.registries.tests.factories import credit_code
    from xiandao.registries.tiers import default_valid_to

    have = sum(r.model._default_manager.count() for r in REGISTRIES)
    zones = list(PilotZone.objects.select_related("field").prefetch_related("places"))
    from xiandao.geo.models import Jurisdiction

    cities = list(Jurisdiction.objects.filter(code__startswith="34", level="city"))
    now = timezone.now()
    need = to - have
    share = {r.key: (0.4 if r.key == "enterprise" else 0.6 / (len(REGISTRIES) - 1)) for r in REGISTRIES}
    tags = list(TagKind.values)
    for registry in REGISTRIES:
        count = int(need * share[registry.key])
        rows = []
        for i in range(count):
            zone = rng.choice(zones) if rng.random() < 0.6 else None
            start = dt.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))
            end = start + dt.timedelta(days=rng.randint(400, 4000)) if rng.random() < 0.1 else None
            values: dict[str, Any] = {
                "name": f"示例{registry.label}{have + i}",
                "city": zone.places.all()[0].jurisdiction
                if zone and zone.places.all()[0].jurisdiction
                else rng.choice(cities),
                "zone": zone,
                "field": zone.field if zone else None,
                "valid_from": start,
                "valid_to": end,
                "ends_on": end,
                "status": "confirmed",
                "confirmed_at": now,
                "is_demo": True,
            }
            for name in registry.fields:
                choices = registry.choices(name)
                if name == "credit_code":
                    values[name] = credit_code(have + i + 1_000_000)
                elif choices:
                    values[name] = rng.choice(choices)[0]
                elif name in ("planned_investment", "size"):
                    values[name] = 10_000
            rows.append(registry.model(**values))
        registry.model._default_manager.bulk_create(rows, batch_size=5000)
        if registry.model is Enterprise:
            tag_rows = []
            for enterprise in rows:
                for _ in range(rng.choice((0, 1, 1, 2))):
                    tag = rng.choice(tags)
                    start = dt.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))
                    tag_rows.append(
                        EnterpriseTag(
                            enterprise=cast(Enterprise, enterprise),
                            tag=tag,
                            valid_from=start,
                            valid_to=default_valid_to(tag, start),
                            confirmed=True,
                            certificate_no="GR0",
                        )
                    )
            EnterpriseTag.objects.bulk_create(tag_rows, batch_size=5000)


def analyze() -> None:
    """Fresh planner statistics, as a database that has lived with its rows has."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def list_page_figures(label: str) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xiandao.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="ah_admin"))
    lines = []
    for url in (
        "/registries/enterprises/",
        "/registries/enterprises/?tier=high_tech&on=2025-12-31&sort=name",
        "/registries/platforms/?city=340100&level=provincial",
        "/registries/enterprises/?page=40",
    ):
        client.get(url)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        lines.append(
            f"  {label:>7} {url:<68} 中位 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  查询 {len(queries):3d} 次"
        )
    return lines


def counting_figures() -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiandao.programmes.models import Programme
    from xiandao.registries.selectors import measure_counts

    programme = Programme.objects.get(code="anhui")
    on = dt.date(2026, 6, 30)
    measure_counts(programme, on=on)
    times = []
    for _ in range(7):
        started = time.perf_counter()
        counts = measure_counts(programme, on=on)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        measure_counts(programme, on=on)
    counted = [c for c in counts if c.count is not None]
    return [
        f"  安徽全部目标和指标的计数口径 {len(counts)} 个（登记库计数 {len(counted)} 个），截至 {on}：",
        f"  中位 {statistics.median(times) * 1000:.0f} ms，最慢 {max(times) * 1000:.0f} ms，查询 {len(queries)} 次",
    ]


def import_figures(rows: int = 50_000) -> list[str]:
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from xiandao.registries.models import Enterprise
    from xiandao.registries.registry import BY_KEY
    from xiandao.registries.services.importing import columns, entries_import
    from xiandao.registries.tests.factories import credit_code

    registry = BY_KEY["enterprise"]
    cols = columns(registry)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append([label for _, label in cols])
    cities = ["合肥市", "芜湖市", "蚌埠市", "马鞍山市", "安庆市"]
    for i in range(rows):
        values = {
            "name": f"示例导入企业{i}有限公司",
            "credit_code": credit_code(5_000_000 + i),
            "city": cities[i % len(cities)],
            "valid_from": dt.date(2020 + i % 7, 1 + i % 12, 1 + i % 28),
            "source": "先导区报送",
            "tag": "高新技术企业" if i % 3 == 0 else "",
            "certificate_no": f"GR2024340{i:06d}" if i % 3 == 0 else "",
            "tag_valid_from": dt.date(2024, 1 + i % 12, 1 + i % 28) if i % 3 == 0 else "",
        }
        sheet.append([values.get(name, "") for name, _ in cols])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    started = time.perf_counter()
    bare = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    bare_seconds = time.perf_counter() - started
    assert len(bare) == rows + 1

    before = Enterprise.objects.count()
    started = time.perf_counter()
    result = entries_import(
        actor=None, registry=registry, data=data, filename="企业.xlsx", check_permission=False
    )
    seconds = time.perf_counter() - started
    assert result.ok, result.problems[:3]
    assert Enterprise.objects.count() - before == rows
    return [
        f"  {rows:,} 行企业工作簿（{len(data) / 1024 / 1024:.1f} MB，{result.tags:,} 个标签）：",
        f"  导入 {seconds:.1f} 秒，{rows / seconds:,.0f} 行/秒；calamine 单纯读取 {bare_seconds:.2f} 秒；导入 ÷ 读取 = {seconds / bare_seconds:.1f} 倍",
    ]


def main() -> None:
    setup()
    from django.db import connection

    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(16)
        world()
        print(f"登记库基准（数据库 {name}，{ZONES} 个先导区，{YEARS[0]}—{YEARS[-1]} 年）")
        grow(SMALL, rng)
        analyze()
        small = list_page_figures(f"{SMALL:,}条")
        grow(TOTAL, rng)
        analyze()
        from xiandao.registries.registry import REGISTRIES

        total = sum(r.model._default_manager.count() for r in REGISTRIES)
        print(f"列表页（省级管理员，每页 50 条，各 {RUNS} 次）：")
        print("\n".join(small))
        print("\n".join(list_page_figures(f"{total:,}条")))
        print("计数：")
        print("\n".join(counting_figures()))
        print("导入：")
        print("\n".join(import_figures()))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
