"""The pages and the API over the same services: scoping, confidentiality, Excel, reminders, to-dos."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.utils import timezone

from xiandao.notifications.models import Notification
from xiandao.notifications.services import reminders_send
from xiandao.review import services
from xiandao.review.models import Assignment, MemberStatus, PanelMember, RoundStatus
from xiandao.review.selectors import reviews_due_todo

from .conftest import DEADLINE, persona_experts

pytestmark = pytest.mark.django_db
PER_KIND = {"scientist": 1, "entrepreneur": 1, "investor": 1}


def scoring_round(world):
    admin = world.personas["province_admin"]
    experts = persona_experts(world)
    for expert in world.experts:
        services.expert_update(actor=admin, expert=expert, active=False)
    round_ = services.round_create(
        actor=admin,
        programme=world.programme,
        name="示例页面批次",
        deadline=DEADLINE,
        applications=world.applications,
    )
    services.draw_run(
        actor=admin,
        round=round_,
        per_kind=PER_KIND,
        reserves_per_kind=0,
        supervisor=world.personas["department_officer"],
        seed="p",
    )
    for member in PanelMember.objects.filter(round=round_, status=MemberStatus.DRAWN):
        services.member_contact(actor=admin, member=member, accepted=True)
    services.panel_confirm(actor=admin, round=round_)
    round_.refresh_from_db()
    return experts, round_


def test_the_panel_list_is_confidential_to_experts_and_city_officers_until_published(client, world):
    experts, round_ = scoring_round(world)
    names = [e.name for e in experts.values()]
    for key in ("hefei_city_officer", "scientist_expert"):
        client.force_login(world.personas[key])
        assert client.get(f"/review/rounds/{round_.pk}/").status_code == 404
        assert client.get(f"/api/v1/review/rounds/{round_.pk}").status_code == 404
    client.force_login(world.personas["department_officer"])  # the supervisor
    page = client.get(f"/review/rounds/{round_.pk}/").content.decode()
    assert all(name in page for name in names) and "p" in page
    client.force_login(world.personas["province_admin"])
    body = client.get(f"/api/v1/review/rounds/{round_.pk}").json()
    assert sorted(m["expert"] for m in body["panel"]) == sorted(names)
    assert body["draw"]["seed"] == "p" and body["draw"]["supervised_by"] == str(
        world.personas["department_officer"]
    )


def test_an_expert_sees_only_their_own_and_others_scores_only_after_submitting(client, world):
    experts, _round = scoring_round(world)
    chen, huang = experts["scientist"].user, experts["entrepreneur"].user
    mine = Assignment.objects.get(member__expert__user=chen, application=world.applications[1])
    theirs = Assignment.objects.get(member__expert__user=huang, application=world.applications[1])
    client.force_login(chen)
    assert client.get(f"/review/assignments/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/review/assignments/{theirs.pk}").status_code == 404
    page = client.get(f"/review/assignments/{mine.pk}/").content.decode()
    assert "回避声明" in page and "评分（发展方向" not in page
    assert client.post(f"/review/assignments/{mine.pk}/declare/", {"no_conflict": "yes"}).status_code == 302
    # huang scores first through the API
    client.force_login(huang)
    answer = client.post(
        f"/api/v1/review/assignments/{theirs.pk}/declare",
        json.dumps({"no_conflict": True}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    bad = client.post(
        f"/api/v1/review/assignments/{theirs.pk}/score",
        json.dumps(
            {
                "points": {"direction": 101, "attainability": 80, "soundness": 80, "feasibility": 80},
                "comments": "好",
                "recommendation": "recommend",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "“发展方向”的评分应在0～100分之间" in bad.json()["error"]["message"]
    good = client.post(
        f"/api/v1/review/assignments/{theirs.pk}/score",
        json.dumps(
            {
                "points": {"direction": 90, "attainability": 80, "soundness": 80, "feasibility": 70},
                "comments": "方向明确",
                "recommendation": "recommend",
            }
        ),
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["sheet"]["overall"] == "80.00"
    assert good.json()["others"]["count"] == 1
    client.force_login(chen)
    page = client.get(f"/review/assignments/{mine.pk}/").content.decode()
    assert "专家组评分" not in page and "80.00" not in page  # not before chen's own sheet
    response = client.post(
        f"/review/assignments/{mine.pk}/score/",
        {
            "direction": "70",
            "attainability": "70",
            "soundness": "70",
            "feasibility": "abc",
            "comments": "",
            "recommendation": "revise",
        },
    )
    assert "“措施可行性”的评分应为数字（填写的是“abc”）" in response.content.decode()
    client.post(
        f"/review/assignments/{mine.pk}/score/",
        {
            "direction": "70",
            "attainability": "70",
            "soundness": "70",
            "feasibility": "70",
            "comments": "需细化",
            "recommendation": "revise",
        },
    )
    page = client.get(f"/review/assignments/{mine.pk}/").content.decode()
    assert "专家组评分（匿名）" in page and "80.00" in page and huang.display_name not in page


def test_the_admin_results_page_chart_opinion_and_excel_summary(client, world):
    experts, round_ = scoring_round(world)
    for expert in experts.values():
        for application in world.applications:
            a = Assignment.objects.get(member__expert=expert, application=application)
            services.assignment_declare(actor=expert.user, assignment=a)
            services.score_submit(
                actor=expert.user,
                assignment=a,
                points=dict.fromkeys(("direction", "attainability", "soundness", "feasibility"), "80"),
                comments="同意",
                recommendation="recommend",
            )
    admin = world.personas["province_admin"]
    client.force_login(admin)
    client.post(f"/review/rounds/{round_.pk}/close/")
    page = client.get(f"/review/rounds/{round_.pk}/results/").content.decode()
    assert 'data-chart="review-results-chart"' in page and "80.00" in page
    target = world.applications[0]
    client.post(
        f"/review/rounds/{round_.pk}/applications/{target.pk}/opinion/",
        {
            f"a{target.pk}-text": "方向明确，建议列入。",
            f"a{target.pk}-conclusion": "recommend",
            f"a{target.pk}-version": "0",
        },
    )
    summary = client.get(f"/review/rounds/{round_.pk}/summary/")
    sheet = openpyxl.load_workbook(io.BytesIO(summary.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "申报")
    line = next(r for r in rows if r and r[0] == target.name)
    assert line[header.index("加权平均分")] == 80 and line[header.index("论证意见")] == "方向明确，建议列入。"
    put = client.post(
        f"/api/v1/review/rounds/{round_.pk}/applications/{world.applications[1].pk}/opinion",
        json.dumps({"text": "同意。", "conclusion": "recommend"}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["opinion"]["text"] == "同意。"
    assert client.post(f"/api/v1/review/rounds/{round_.pk}/publish").json()["status"] == RoundStatus.PUBLISHED


def test_workbench_to_dos_and_reminders_for_late_experts(client, world, django_capture_on_commit_callbacks):
    experts, round_ = scoring_round(world)
    chen = experts["scientist"].user
    todo = reviews_due_todo(chen)
    assert len(todo) == 1 and todo[0].count == 2 and todo[0].url == "/review/mine/"
    client.force_login(chen)
    assert "论证评审：示例页面批次" in client.get("/").content.decode()
    round_.deadline = timezone.localdate() - dt.timedelta(days=1)
    round_.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send()
        reminders_send()  # the same day's reminder only once
    reminders = Notification.objects.filter(recipient=chen, kind="review.reminder")
    assert reminders.count() == 1 and "已逾期1天" in reminders.get().title


def test_the_api_draw_refuses_a_panel_without_investors_in_chinese(client, world):
    admin = world.personas["province_admin"]
    round_ = services.round_create(
        actor=admin,
        programme=world.programme,
        name="示例接口批次",
        deadline=DEADLINE,
        applications=world.applications,
    )
    client.force_login(admin)
    answer = client.post(
        f"/api/v1/review/rounds/{round_.pk}/draw",
        json.dumps(
            {
                "per_kind": {"scientist": 1, "entrepreneur": 1, "investor": 0},
                "supervisor": world.personas["department_officer"].username,
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 400 and "须包含风险投资家" in answer.json()["error"]["message"]
    ok = client.post(
        f"/api/v1/review/rounds/{round_.pk}/draw",
        json.dumps(
            {
                "per_kind": PER_KIND,
                "reserves_per_kind": 1,
                "supervisor": world.personas["department_officer"].username,
                "seed": "api",
            }
        ),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["draw"]["seed"] == "api"
    assert client.post(f"/api/v1/review/rounds/{round_.pk}/verify").json()["same"] is True


def test_the_pool_pages_list_and_export_what_is_filtered(client, world):
    client.force_login(world.personas["province_admin"])
    page = client.get("/review/experts/?kind=investor").content.decode()
    assert "示例investor2" in page and "示例scientist0" not in page
    export = client.get("/review/experts/?kind=investor&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [
        row[0].value for row in sheet.iter_rows() if row[0].value and str(row[0].value).startswith("示例")
    ]
    assert sorted(names) == ["示例investor2", "示例investor5", "示例investor8"]
    client.force_login(world.personas["hefei_city_officer"])
    assert client.get("/review/experts/").status_code == 404


def test_an_assignment_in_conflict_answers_404_on_the_page_and_the_api(client, world):
    experts, _round = scoring_round(world)
    chen = experts["scientist"]
    assignment = Assignment.objects.get(member__expert=chen, application=world.applications[0])
    client.force_login(chen.user)
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 200
    services.relationship_record(
        actor=world.personas["province_admin"],
        expert=chen,
        kind="teacher_student",
        person="示例联系人",
        note="导师",
    )
    application = world.applications[0]
    application.contact_name = "示例联系人"
    application.save()
    services.expert_update(actor=world.personas["province_admin"], expert=chen, title="研究员")  # re-checks
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 404
    assert client.get(f"/api/v1/review/assignments/{assignment.pk}").status_code == 404
    assert (
        client.post(f"/review/assignments/{assignment.pk}/declare/", {"no_conflict": "yes"}).status_code
        == 404
    )
    assert "示例合肥申报" not in client.get("/review/mine/").content.decode()
