"""The registry pages as a user sees them: lists, entry history, export escaping, charts, target counts."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from xiandao.registries.exports import cell_safe
from xiandao.registries.tests.factories import EnterpriseFactory, EnterpriseTagFactory, PlatformFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("示例", "示例"),
        (-1, -1),
    ],
)
def test_export_cells_that_excel_would_run_are_escaped(value, safe):
    assert cell_safe(value) == safe


def test_the_list_filters_and_exports_escaped(client, hefei_city_officer, anhui):
    EnterpriseFactory(name='=HYPERLINK("http://x")')
    EnterpriseTagFactory(enterprise=EnterpriseFactory(name="示例高新企业"), valid_from=dt.date(2025, 1, 1))
    client.force_login(hefei_city_officer)
    page = client.get("/registries/enterprises/?tier=high_tech").content.decode()
    assert "示例高新企业" in page and "HYPERLINK" not in page
    export = client.get("/registries/enterprises/?format=xlsx")
    cells = [c.value for c in load_workbook(io.BytesIO(export.content)).active["A"]]
    assert '\'=HYPERLINK("http://x")' in cells


def test_the_list_page_takes_the_same_queries_however_many_entries(client, hefei_city_officer, anhui):
    client.force_login(hefei_city_officer)
    PlatformFactory.create_batch(3)
    client.get("/registries/platforms/")
    with CaptureQueriesContext(connection) as few:
        client.get("/registries/platforms/")
    PlatformFactory.create_batch(60)
    with CaptureQueriesContext(connection) as many:
        client.get("/registries/platforms/")
    assert len(many) == len(few)


def test_an_entry_page_shows_tags_gained_and_lost(client, hefei_city_officer, anhui):
    enterprise = EnterpriseFactory.create(name="示例历史企业")
    EnterpriseTagFactory(
        enterprise=enterprise, tag="tech_sme", valid_from=dt.date(2024, 3, 1), valid_to=dt.date(2025, 1, 1)
    )
    EnterpriseTagFactory(
        enterprise=enterprise, valid_from=dt.date(2025, 11, 1), valid_to=dt.date(2028, 11, 1)
    )
    client.force_login(hefei_city_officer)
    page = client.get(f"/registries/enterprises/{enterprise.pk}/").content.decode()
    assert (
        "科技型中小企业" in page
        and "2025年1月1日" in page
        and "高新技术企业" in page
        and "2028年11月1日" in page
    )


def test_the_public_sees_counts_and_charts_but_no_entry(client, anhui):
    PlatformFactory(name="示例公开平台", level="provincial")
    index = client.get("/registries/").content.decode()
    assert "示例公开平台" not in index and 'data-testid="registry-count-platform">1' in index
    chart = client.get("/registries/platforms/chart/")
    assert (
        chart.status_code == 200
        and "<script>" not in chart.content.decode().split("registry-chart-data")[0][-200:]
    )
    assert client.get("/registries/platforms/").status_code == 302
    assert client.get("/api/v1/registries/platforms").status_code in (401, 403)


def test_chart_data_is_given_as_json_not_inline_script(client, anhui):
    PlatformFactory(valid_from=dt.date(2024, 5, 1))
    page = client.get("/registries/platforms/chart/").content.decode()
    start = page.index('id="registry-chart-data"')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert data["years"] == ["2023", "2024", "2025", "2026"] and data["by_year"] == [0, 1, 1, 1]


def test_the_target_page_shows_the_measure_by_name_and_its_count(client, hefei_city_officer, anhui):
    PlatformFactory(level="provincial", valid_from=dt.date(2025, 5, 1))
    client.force_login(hefei_city_officer)
    page = client.get("/programmes/anhui/targets/").content.decode()
    row = page[page.index('data-code="ap-2027-platforms"') :][:3000]
    assert "省级及以上创新和公共服务平台" in row and "registry:platform" not in row.split("href")[0]
    assert '现有 <a href="/registries/platforms/?measure=registry%3Aplatform%3Aprovincial' in row


def test_the_city_officers_workbench_lists_entries_to_confirm(
    client, hefei_city_officer, zone_operator, anhui
):
    from xiandao.registries.models import EntryStatus

    PlatformFactory(status=EntryStatus.DRAFT, confirmed_at=None)
    PlatformFactory(status=EntryStatus.DRAFT, confirmed_at=None)
    client.force_login(hefei_city_officer)
    assert "确认登记库条目（创新和公共服务平台2条等）" in client.get("/").content.decode()
    client.force_login(zone_operator)
    assert "确认登记库条目" not in client.get("/").content.decode()
