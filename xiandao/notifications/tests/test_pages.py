"""The bell, the message list, preferences and the notice pages, as a user meets them; and the API."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from xiandao.accounts.models import Role
from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction
from xiandao.notifications.kinds import NotificationKind, notification_kinds
from xiandao.notifications.models import Notice, Notification, NotificationPreference
from xiandao.notifications.services import notice_publish, notification_send
from xiandao.programmes.models import ProgrammeNotificationKind


@pytest.fixture
def inbox(hefei_city_officer, django_capture_on_commit_callbacks):
    """Three notifications for the Hefei officer, sent in order: the oldest is read."""
    with django_capture_on_commit_callbacks(execute=True):
        for title in ("旧消息", "第二条", "最新消息"):
            notification_send(
                recipients=[hefei_city_officer],
                kind=NotificationKind.SYSTEM,
                title=title,
                url="/notifications/",
            )
    Notification.objects.filter(title="旧消息").update(read_at="2026-01-01T00:00:00Z")
    return {n.title: n for n in Notification.objects.all()}


def test_the_header_shows_the_unread_count(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    page = client.get("/").content.decode()
    assert 'data-testid="bell-count"' in page and "2 条未读消息" in page
    assert "<script>" not in page.replace("<script src=", "")  # no inline scripts for the CSP


def test_no_badge_when_everything_is_read(client, zone_operator):
    client.force_login(zone_operator)
    assert 'data-testid="bell-count"' not in client.get("/").content.decode()


def test_the_bell_lists_unread_first_and_opening_one_marks_it_read(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    menu = client.get(reverse("notifications:bell")).content.decode()
    assert menu.index("最新消息") < menu.index("第二条") < menu.index("旧消息")
    response = client.post(reverse("notifications:read", args=[inbox["第二条"].pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Notification.objects.get(title="第二条").is_read


def test_marking_read_with_htmx_answers_the_item_and_tells_the_bell(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    response = client.post(reverse("notifications:read", args=[inbox["最新消息"].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "notifications-changed"
    assert "已读" in response.content.decode()
    count = client.get(reverse("notifications:bell_count")).content.decode()
    assert "1 条未读消息" in count


def test_mark_all_read(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_someone_elses_notification_is_404(client, zone_operator, inbox):
    client.force_login(zone_operator)
    assert client.post(reverse("notifications:read", args=[inbox["最新消息"].pk])).status_code == 404
    assert not Notification.objects.get(title="最新消息").is_read


def test_the_list_page(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "我的消息" in page and "个人中心" in page
    assert page.index("最新消息") < page.index("旧消息")
    unread = client.get(reverse("notifications:list") + "?unread=1").content.decode()
    assert "旧消息" not in unread


def test_preferences_page_saves_choices(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "消息设置" in page and "通知公告" in page and "平台消息" in page
    assert "尚未登记邮箱" in page
    client.post(reverse("notifications:preferences"), {"email": [NotificationKind.SYSTEM]})
    saved = dict(NotificationPreference.objects.filter(user=hefei_city_officer).values_list("kind", "email"))
    # Every registered kind is saved (other apps register theirs); only the one chosen is mailed.
    assert set(saved) == {spec.code for spec in notification_kinds()}
    assert {NotificationKind.NOTICE_PUBLISHED, ProgrammeNotificationKind.PARAMETER_CHANGED} <= set(saved)
    assert "pilot_zones.application_returned" in saved and "monitoring.report_returned" in saved
    assert [k for k, v in saved.items() if v] == [NotificationKind.SYSTEM]
    assert AuditEntry.objects.filter(action="notifications.preference.updated").exists()


def test_the_admin_publishes_from_the_page(client, anhui, province_admin, django_capture_on_commit_callbacks):
    client.force_login(province_admin)
    form = client.get(reverse("notifications:notice_publish")).content.decode()
    assert "合肥市" in form and "杭州市" not in form
    hefei = Jurisdiction.objects.get(code="340100")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:notice_publish"),
            {"programme": anhui.pk, "title": "调度会通知", "body": "周五召开。", "cities": [hefei.pk]},
            follow=True,
        )
    assert "已通知 2 位用户" in response.content.decode()
    assert Notice.objects.get().title == "调度会通知"


def test_the_publish_page_says_what_is_missing(client, anhui, province_admin):
    client.force_login(province_admin)
    page = client.post(
        reverse("notifications:notice_publish"), {"programme": anhui.pk, "title": ""}
    ).content.decode()
    assert "未能发布" in page and "请填写标题。" in page and "请填写正文。" in page


@pytest.mark.parametrize("persona", ["hefei_city_officer", "scientist_expert", "department_officer"])
def test_the_publish_page_is_404_to_non_admins(client, anhui, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("notifications:notice_publish")).status_code == 404
    assert "发布通知公告" not in client.get(reverse("notifications:notice_list")).content.decode()


def test_the_workbench_card_links_the_notice(client, anhui, province_admin, hefei_city_officer):
    published = notice_publish(actor=province_admin, programme=anhui, title="填报通知", body="请按期填报。")
    client.force_login(hefei_city_officer)
    home = client.get("/").content.decode()
    assert f'href="/notifications/notices/{published.notice.pk}/">填报通知</a>' in home
    detail = client.get(reverse("notifications:notice_detail", args=[published.notice.pk])).content.decode()
    assert "请按期填报。" in detail


# -- API ---------------------------------------------------------------------------------------------


def test_api_my_notifications_unread_first_and_mark_read(client, hefei_city_officer, inbox):
    client.force_login(hefei_city_officer)
    listed = client.get("/api/v1/me/notifications").json()
    assert [n["title"] for n in listed] == ["最新消息", "第二条", "旧消息"]
    assert listed[0]["kind_label"] == "平台消息" and listed[0]["read_at"] is None
    read = client.post(f"/api/v1/me/notifications/{inbox['第二条'].pk}/read").json()
    assert read["read_at"] is not None
    assert client.post("/api/v1/me/notifications/read-all").json() == {"marked": 1}
    assert client.get("/api/v1/me/notifications?unread=true").json() == []


def test_api_someone_elses_notification_is_404(client, zone_operator, inbox):
    client.force_login(zone_operator)
    response = client.post(f"/api/v1/me/notifications/{inbox['第二条'].pk}/read")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_api_preferences(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    saved = client.put(
        "/api/v1/me/notification-preferences",
        json.dumps({"email_kinds": []}),
        content_type="application/json",
    ).json()
    assert {p["kind"]: p["email"] for p in saved}[NotificationKind.NOTICE_PUBLISHED] is False
    refused = client.put(
        "/api/v1/me/notification-preferences",
        json.dumps({"email_kinds": ["nobody.kind"]}),
        content_type="application/json",
    )
    assert refused.status_code == 400 and "未登记的消息类型" in refused.json()["error"]["message"]


def test_api_publish_and_list_notices(client, anhui, personas, django_capture_on_commit_callbacks):
    payload = {
        "programme": anhui.code,
        "title": "专家通知",
        "body": "请查收评审任务。",
        "roles": [Role.EXPERT],
    }
    client.force_login(personas["hefei_city_officer"])
    denied = client.post("/api/v1/notices", json.dumps(payload), content_type="application/json")
    assert denied.status_code == 404
    client.force_login(personas["province_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/notices", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201 and created.json()["recipients"] == 3  # the three expert personas
    bad = client.post(
        "/api/v1/notices",
        json.dumps({**payload, "cities": ["330100"]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "只能选择本计划范围内的设区市" in bad.json()["error"]["message"]
    client.force_login(personas["scientist_expert"])
    assert [n["title"] for n in client.get("/api/v1/notices").json()] == ["专家通知"]
    notice_id = created.json()["notice"]["id"]
    assert client.get(f"/api/v1/notices/{notice_id}").json()["roles"] == ["expert"]
    client.force_login(personas["hefei_city_officer"])
    assert client.get(f"/api/v1/notices/{notice_id}").status_code == 404


def test_the_bell_and_the_notice_card_cost_the_same_queries_however_many_there_are(
    client, anhui, province_admin, hefei_city_officer, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish(n: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(n):
                notice_publish(actor=province_admin, programme=anhui, title=f"通知{i}", body="…")

    client.force_login(hefei_city_officer)
    publish(1)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    with CaptureQueriesContext(connection) as few_bell:
        client.get(reverse("notifications:bell"))
    publish(30)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    with CaptureQueriesContext(connection) as many_bell:
        client.get(reverse("notifications:bell"))
    assert len(many) == len(few) and len(many_bell) == len(few_bell)
    assert "31 条未读消息" in page and len(re.findall(r'href="/notifications/notices/\d+/"', page)) == 5


def test_the_api_documents_the_operations(client, hefei_city_officer):
    client.force_login(hefei_city_officer)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/me/notifications", "/api/v1/notices", "/api/v1/notices/{notice_id}"} <= set(paths)
