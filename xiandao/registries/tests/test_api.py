"""The registries over the API: refusal naming the field, idempotent POST by code, scoping, counts."""

from __future__ import annotations

import json

import pytest

from xiandao.registries.models import Enterprise
from xiandao.registries.tests.factories import PlatformFactory, credit_code

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def body(**extra):
    return {
        "name": "示例接口企业有限公司",
        "credit_code": credit_code(7),
        "city": "340100",
        "valid_from": "2025-02-01",
        **extra,
    }


def test_a_bad_credit_code_answers_422_in_chinese_naming_the_field(client, hefei_city_officer, anhui):
    client.force_login(hefei_city_officer)
    wrong = credit_code(7)[:17] + ("0" if credit_code(7)[17] != "0" else "1")
    response = post(client, "/api/v1/registries/enterprises", body(credit_code=wrong))
    assert response.status_code == 422
    data = response.json()
    assert data["error"]["message"].startswith("统一社会信用代码：统一社会信用代码校验位不符")
    assert (
        data["details"][0]["field"] == "credit_code"
        and data["details"][0]["field_label"] == "统一社会信用代码"
    )
    assert not Enterprise.objects.exists()


def test_a_second_post_with_the_same_code_answers_with_the_existing_enterprise(
    client, hefei_city_officer, anhui
):
    client.force_login(hefei_city_officer)
    first = post(client, "/api/v1/registries/enterprises", body())
    second = post(client, "/api/v1/registries/enterprises", body(name="示例接口企业股份有限公司"))
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and second.json()["name"] == "示例接口企业有限公司"
    assert Enterprise.objects.count() == 1


def test_lists_are_scoped_filtered_and_paged(client, hefei_city_officer, zhejiang_admin, anhui):
    for n in range(3):
        PlatformFactory(name=f"示例平台{n}", level="provincial")
    PlatformFactory(name="示例市级平台", level="municipal")
    client.force_login(hefei_city_officer)
    page = client.get("/api/v1/registries/platforms?level=provincial&page_size=2").json()
    assert page["count"] == 3 and page["pages"] == 2 and len(page["results"]) == 2
    one = page["results"][0]
    assert client.get(f"/api/v1/registries/platforms/{one['id']}").json()["level_label"] == "省级"
    client.force_login(zhejiang_admin)
    assert client.get("/api/v1/registries/platforms").json()["count"] == 0
    assert client.get(f"/api/v1/registries/platforms/{one['id']}").status_code == 404


def test_programme_counts_at_a_date(client, anhui):
    PlatformFactory(level="provincial")
    response = client.get("/api/v1/programmes/anhui/counts?date=2025-12-31")
    assert response.status_code == 200
    measures = {m["code"]: m for m in response.json()["measures"]}
    assert measures["ap-2027-platforms"]["count"] == 1
    assert measures["ap-2027-platforms"]["label"] == "省级及以上创新和公共服务平台"
    assert client.get("/api/v1/programmes/anhui/counts?date=2025-13-01").status_code == 422
