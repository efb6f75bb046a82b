"""Pages and API: the results a committee reads, the report card a zone sees, the public grades."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from xiandao.evaluation import services
from xiandao.evaluation.models import EvaluationSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(anhui, zones, data, province_admin, compute):
    run = compute(province_admin, anhui, 2025)
    result = run.zone_results.get(zone=zones[1])
    services.grade_adjust(
        actor=province_admin,
        result=result,
        grade="A" if result.grade != "A" else "AA",
        reason="专家组复核后调整",
    )
    services.run_finalise(actor=province_admin, run=run)
    services.run_publish(actor=province_admin, run=run)
    return run


def test_the_public_api_lists_published_runs_with_grades_probabilities_and_reasons(client, published, zones):
    response = client.get("/api/v1/programmes/anhui/evaluations")
    assert response.status_code == 200
    [run] = response.json()
    assert run["year"] == 2025 and run["method_version"] == published.method_version and run["published_at"]
    by_name = {z["name"]: z for z in run["zones"]}
    assert set(by_name) == {z.name for z in zones}
    for zone in run["zones"]:
        assert set(zone) == {
            "name",
            "grade",
            "proposed_grade",
            "index",
            "rank",
            "probabilities",
            "adjustment_reason",
        }
        assert set(zone["probabilities"]) == {"A", "AA", "AAA"}
        assert sum(Decimal(str(p)) for p in zone["probabilities"].values()) == Decimal(1)
    adjusted = by_name[zones[1].name]
    assert (
        adjusted["adjustment_reason"] == "专家组复核后调整"
        and adjusted["grade"] != adjusted["proposed_grade"]
    )
    assert by_name[zones[0].name]["adjustment_reason"] is None


def test_grades_not_public_are_scoped(client, published, anhui, zone_operator, scientist_expert):
    EvaluationSettings.objects.filter(programme=anhui).update(grades_public=False)
    assert client.get("/api/v1/programmes/anhui/evaluations").json() == []
    assert client.get("/evaluation/public/anhui/").status_code == 404
    client.force_login(zone_operator)
    [run] = client.get("/api/v1/programmes/anhui/evaluations").json()
    assert len(run["zones"]) == 4  # the operator's park hosts the four test zones


def test_runs_and_adjustments_over_the_api(
    client, anhui, zones, data, province_admin, django_capture_on_commit_callbacks
):
    client.force_login(province_admin)
    created = client.post(
        "/api/v1/evaluation/runs", {"programme": "anhui", "year": 2025}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    run_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/v1/evaluation/runs/{run_id}/start")
    assert started.status_code == 200
    run = client.get(f"/api/v1/evaluation/runs/{run_id}").json()
    assert run["status"] == "computed" and len(run["zones"]) == 4
    zone = run["zones"][0]
    refused = client.post(
        f"/api/v1/evaluation/results/{zone['id']}/adjustments",
        {"grade": "A"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["message"] == "调整等次须写明理由。"
    ok = client.post(
        f"/api/v1/evaluation/results/{zone['id']}/adjustments",
        {"grade": "A", "reason": "核查发现数据口径不一致"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["to_grade"] == "A"
    assert client.post(f"/api/v1/evaluation/runs/{run_id}/finalise").json()["status"] == "finalised"
    assert client.post(f"/api/v1/evaluation/runs/{run_id}/publish").json()["status"] == "published"
    twice = client.post(f"/api/v1/evaluation/runs/{run_id}/publish")
    assert twice.status_code == 400 and "不能重复发布" in twice.json()["error"]["message"]


def test_the_results_page_and_the_report_card(
    client, published, zones, province_admin, zone_operator, django_assert_max_num_queries
):
    client.force_login(province_admin)
    page = client.get(f"/evaluation/runs/{published.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "专家组复核后调整" in body and 'data-chart="index-chart"' in body
    assert "Sobol" in body
    result = published.zone_results.get(zone=zones[3])
    client.force_login(zone_operator)
    card = client.get(f"/evaluation/results/{result.pk}/")
    text = card.content.decode()
    assert card.status_code == 200
    assert 'data-chart="radar-chart"' in text and 'id="radar-chart"' in text
    assert "提档路径" in text and "Sobol" not in text
    options = json.loads(text.split('id="radar-chart" type="application/json">')[1].split("</script>")[0])
    assert options["series"][0]["type"] == "radar"
    assert client.get(f"/evaluation/results/{result.pk}/card.docx").status_code == 200
    assert client.get(f"/evaluation/runs/{published.pk}/").status_code == 404
    excel = client.get("/evaluation/public/anhui/?format=xlsx")
    assert excel.status_code == 200 and excel["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_draft_run_is_invisible_to_the_zone_before_publication(
    client, anhui, zones, data, province_admin, zone_operator, compute
):
    run = compute(province_admin, anhui, 2025)
    result = run.zone_results.first()
    client.force_login(zone_operator)
    assert client.get(f"/evaluation/results/{result.pk}/").status_code == 404


def test_the_completeness_page_names_unapproved_reports(client, anhui, zones, data, province_admin):
    from xiandao.evaluation.services.snapshot import ReportState

    data.states[2025][0] = ReportState(zones[0].pk, zones[0].name, False, "待省级审核")
    client.force_login(province_admin)
    page = client.get("/evaluation/new/?programme=anhui&year=2025")
    body = page.content.decode()
    assert (
        page.status_code == 200
        and f"{zones[0].name}（待省级审核）" in body
        and "仅依据已审核数据评估" in body
    )
