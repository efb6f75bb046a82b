"""The public API of the programmes, compared with the gold labels read at test time."""

from __future__ import annotations

import pytest

from xiandao.programmes.tests.support import PROGRAMME_CODES, gold, programme

pytestmark = pytest.mark.django_db

LABELLING_KEYS = ("year", "metric", "value", "unit", "qualifier", "strive", "cumulative", "scope", "quote")


@pytest.fixture
def loaded(shipped_programmes):
    return shipped_programmes


def test_programmes_are_listed_with_their_codes_without_logging_in(client, loaded):
    response = client.get("/api/v1/programmes")
    assert response.status_code == 200
    assert sorted(p["code"] for p in response.json()) == sorted(PROGRAMME_CODES)
    anhui = next(p for p in response.json() if p["code"] == "anhui")
    assert [d["code"] for d in anhui["documents"]] == ["anhui-pilot-zone-plan", "anhui-action-plan-2024"]


def test_anhui_targets_equal_the_gold_of_both_documents(client, loaded):
    response = client.get("/api/v1/programmes/anhui/targets")
    assert response.status_code == 200
    targets = response.json()
    expected = [
        {**item, "document": document}
        for document in ("anhui-pilot-zone-plan", "anhui-action-plan-2024")
        for item in gold(document, "targets")
    ]
    keys = (*LABELLING_KEYS, "document")
    assert sorted(keys) == sorted({*expected[0]})
    assert [{k: t[k] for k in keys} for t in targets] == expected


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_every_programmes_targets_and_tasks_equal_gold_per_document(client, loaded, code):
    for document in programme(code).documents:
        targets = client.get(f"/api/v1/programmes/{code}/targets", {"document": document.code}).json()
        assert [{k: t[k] for k in LABELLING_KEYS} for t in targets] == gold(document.code, "targets")
        assert {t["document"] for t in targets} <= {document.code}
        tasks = client.get(f"/api/v1/programmes/{code}/tasks", {"document": document.code}).json()
        assert [{k: t[k] for k in ("task", "lead", "cooperating", "quote")} for t in tasks] == gold(
            document.code, "tasks"
        )
        assert all(t["document"] == document.code for t in tasks)


def test_tasks_carry_the_organisations_their_units_mean(client, loaded):
    tasks = client.get("/api/v1/programmes/anhui/tasks", {"organisation": "省科技厅"}).json()
    assert {t["code"] for t in tasks} >= {"ap-innovation-system", "ap-research-organisation"}
    tiers = next(
        t for t in client.get("/api/v1/programmes/anhui/tasks").json() if t["code"] == "ap-enterprise-tiers"
    )
    [lead] = tiers["lead_units"]
    assert (
        lead["written"] == "各市人民政府" and lead["fan_out"] == "city" and len(lead["organisations"]) == 16
    )
    assert client.get("/api/v1/programmes/anhui/tasks", {"organisation": "不存在的单位"}).json() == []


def test_fields_by_version(client, loaded):
    fields = client.get("/api/v1/programmes/anhui/fields").json()
    names = {(f["version"], f["code"]): f["name"] for f in fields}
    assert names[("anhui-2024-02", "life")] == "生命与健康"
    assert names[("anhui-2024-09", "life")] == "生命科学"
    latest = client.get("/api/v1/programmes/anhui/fields", {"version": "anhui-2024-09"}).json()
    assert [f["name"] for f in latest][:3] == ["量子科技", "空天信息", "通用智能"]
    yangzhou = client.get("/api/v1/programmes/yangzhou/fields").json()
    assert next(f for f in yangzhou if f["code"] == "metaverse")["places"][0] == "邗江区"


def test_indicators_and_rules_or_not_specified(client, loaded):
    anhui = client.get("/api/v1/programmes/anhui/indicators").json()
    assert anhui["specified"] is True
    assert [d["name"] for d in anhui["dimensions"]] == [
        "创新能力",
        "企业培育",
        "产业集聚",
        "要素支撑",
        "建设成果",
    ]
    indicator = anhui["dimensions"][0]["indicators"][0]
    assert {"code", "unit", "direction", "definition", "formula", "source", "weight", "default"} <= set(
        indicator
    )
    assert sum(d["weight"] for d in anhui["dimensions"]) == pytest.approx(1)
    rules = client.get("/api/v1/programmes/anhui/rules").json()
    assert [g["code"] for g in rules["grades"]] == ["A", "AA", "AAA"]
    assert rules["consequences"]["removal"]["consecutive_years"]["value"] == 3
    assert rules["consequences"]["host_city_bonus"][0]["points"]["default"] is True
    zhejiang = client.get("/api/v1/programmes/zhejiang/rules").json()
    assert zhejiang["kind"] == "acceptance"
    for code in ("yangzhou", "fuzhou"):
        for part in ("rules", "indicators"):
            body = client.get(f"/api/v1/programmes/{code}/{part}").json()
            assert body["specified"] is False and body["note"]


def test_an_unknown_programme_is_a_404_in_the_one_error_shape(client, loaded):
    response = client.get("/api/v1/programmes/jiangsu/targets")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
