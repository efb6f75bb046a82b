import uuid

import pytest

from xiandao.accounts.services import api_token_issue


@pytest.mark.django_db
def test_me_with_session_returns_organisation_and_roles(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    body = client.get("/api/v1/me").json()
    assert body["organisation"]["name"] == "合肥市发展和改革委员会"
    assert body["organisation"]["jurisdiction"] == "340100"
    assert body["roles"] == [
        {
            "role": "city_officer",
            "role_label": "市级管理员",
            "scope_kind": "jurisdiction",
            "scope": "合肥市",
            "valid_from": "2024-01-01",
            "valid_to": None,
        }
    ]


@pytest.mark.django_db
def test_me_with_a_token(client, department_officer):
    _token, key = api_token_issue(actor=department_officer, user=department_officer, name="对接测试")
    body = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["organisation"]["name"] == "安徽省科学技术厅"


@pytest.mark.django_db
def test_unauthenticated_and_bad_token_get_one_chinese_error_shape(client, personas):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
        response = client.get("/api/v1/me", **headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
        assert "未登录" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_malformed_request_gets_a_chinese_message_naming_the_field(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    response = client.get("/api/v1/jobs/not-a-uuid")
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid_request"
    assert "job_id" in body["details"][0]["field"] and "编号" in body["details"][0]["message"]


@pytest.mark.django_db
def test_foreign_organisation_is_not_found_over_the_api(client, hefei_city_officer, zhejiang_admin):
    client.force_login(hefei_city_officer)
    response = client.get(f"/api/v1/organisations/{zhejiang_admin.organisation_id}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "未找到该对象，或您无权访问。"
    own = client.get(f"/api/v1/organisations/{hefei_city_officer.organisation_id}")
    assert own.status_code == 200 and "合肥市发展改革委" in own.json()["aliases"]


@pytest.mark.django_db
def test_missing_job_is_not_found(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    assert client.get(f"/api/v1/jobs/{uuid.uuid4()}").status_code == 404


@pytest.mark.django_db
def test_openapi_document_is_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "先导平台接口"
    assert client.get("/api/v1/docs").status_code == 200
