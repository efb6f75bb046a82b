"""The API: a statistics bureau pushes values with a token, through the same validation and chain."""

from __future__ import annotations

import pytest

from xiandao.accounts.models import ApiToken
from xiandao.monitoring.models import ReportValue, ValueSource
from xiandao.monitoring.tests.factories import ANHUI_VALUES, period_open, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(anhui, hefei_zone):
    return report_of(period_open(anhui, 2025), hefei_zone)


@pytest.fixture
def bureau_token(hefei_city_officer):
    """A token of a city account, as the city's statistics bureau's system uses it."""
    ApiToken.objects.create(
        user=hefei_city_officer,
        name="市统计局数据推送",
        key_hash=ApiToken.hash_key("tj-key"),
        prefix="tj-key",
    )
    return {"HTTP_AUTHORIZATION": "Bearer tj-key"}


def test_the_bureau_pushes_values_all_or_nothing(client, report, bureau_token):
    bad = client.post(
        f"/api/v1/monitoring/reports/{report.pk}/values",
        {
            "values": [
                {"indicator": "ia-revenue", "value": "120", "source": "statistics_bureau"},
                {"indicator": "ia-revenue-growth", "value": "abc"},
                {"indicator": "ec-listed", "value": "3"},
            ]
        },
        content_type="application/json",
        **bureau_token,
    )
    assert bad.status_code == 422
    messages = [d["message"] for d in bad.json()["details"]]
    assert any("不是数值" in m for m in messages) and any("登记库计数" in m for m in messages)
    assert not ReportValue.objects.filter(report=report).exists()
    good = client.post(
        f"/api/v1/monitoring/reports/{report.pk}/values",
        {
            "values": [
                {"indicator": k, "value": str(v), "source": "statistics_bureau"}
                for k, v in ANHUI_VALUES.items()
            ]
        },
        content_type="application/json",
        **bureau_token,
    )
    assert good.status_code == 200, good.content
    assert (
        ReportValue.objects.get(report=report, indicator_code="ia-revenue").source
        == ValueSource.STATISTICS_BUREAU
    )
    body = good.json()
    assert body["status"] == "draft" and body["submission_problems"] == []


def test_the_chain_over_the_api(
    client, report, zone_operator, hefei_city_officer, province_admin, bureau_token
):
    client.post(
        f"/api/v1/monitoring/reports/{report.pk}/values",
        {
            "values": [
                {"indicator": k, "value": str(v), "source": "statistics_bureau"}
                for k, v in ANHUI_VALUES.items()
            ]
        },
        content_type="application/json",
        **bureau_token,
    )
    # the bureau may push, but only the zone submits
    assert client.post(f"/api/v1/monitoring/reports/{report.pk}/submit", **bureau_token).status_code == 404
    client.force_login(zone_operator)
    assert client.post(f"/api/v1/monitoring/reports/{report.pk}/submit").json()["status"] == "pending"
    client.force_login(hefei_city_officer)
    assert (
        client.post(
            f"/api/v1/monitoring/reports/{report.pk}/approve",
            {"comment": ""},
            content_type="application/json",
        ).json()["stage"]
        == 2
    )
    client.force_login(province_admin)
    done = client.post(
        f"/api/v1/monitoring/periods/{report.period_id}/approve",
        {"report_ids": [report.pk, 999999]},
        content_type="application/json",
    ).json()
    assert done["approved"] == [report.pk] and done["refused"][0]["id"] == 999999
    progress = client.get(f"/api/v1/monitoring/periods/{report.period_id}").json()
    assert progress["total"]["approved"] == 1
    history = client.get(f"/api/v1/monitoring/reports/{report.pk}/history").json()
    assert all(v["approved"] for v in history["versions"] if v["current"])
