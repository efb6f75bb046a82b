"""Publishing notices: only the programme's admins; reaching all, some roles or some cities; audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from xiandao.accounts.models import Role
from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction
from xiandao.notifications.models import Notice, Notification
from xiandao.notifications.selectors import notice_list_for_user, programme_users
from xiandao.notifications.services import notice_publish
from xiandao.web.workbench import workbench_for

ANHUI_PERSONAS = {
    "hf_officer",
    "hfgx_operator",
    "expert_chen",
    "expert_huang",
    "expert_lin",
    "evaluator_liu",
    "ah_dst_officer",
    "ah_diit_officer",
    "ah_drc_officer",
}


def publish(admin, programme, **audience):
    return notice_publish(
        actor=admin, programme=programme, title="关于数据填报的通知", body="请按期填报。", **audience
    )


def notified(capture, admin, programme, **audience) -> set[str]:
    with capture(execute=True):
        publish(admin, programme, **audience)
    return set(Notification.objects.values_list("recipient__username", flat=True))


def test_a_notice_to_all_reaches_every_user_of_the_programme_and_no_one_else(
    anhui, province_admin, django_capture_on_commit_callbacks
):
    # Everyone of Anhui (the publisher excepted), whatever their scope: jurisdiction, park, organisation.
    assert notified(django_capture_on_commit_callbacks, province_admin, anhui) == ANHUI_PERSONAS


def test_a_notice_by_role(anhui, province_admin, django_capture_on_commit_callbacks):
    assert notified(
        django_capture_on_commit_callbacks, province_admin, anhui, roles=[Role.EXPERT, Role.EVALUATOR]
    ) == {"expert_chen", "expert_huang", "expert_lin", "evaluator_liu"}


def test_a_notice_by_city_reaches_that_citys_users_down_to_its_parks(
    anhui, province_admin, django_capture_on_commit_callbacks
):
    hefei = Jurisdiction.objects.get(code="340100")
    # The Hefei officer (city scope) and the high-tech zone's operator (a park in Hefei); not the
    # province-wide expert, nor the provincial department whose organisation sits in the province.
    assert notified(django_capture_on_commit_callbacks, province_admin, anhui, city_ids=[hefei.pk]) == {
        "hf_officer",
        "hfgx_operator",
    }


def test_role_and_city_together(anhui, province_admin, django_capture_on_commit_callbacks):
    hefei = Jurisdiction.objects.get(code="340100")
    assert notified(
        django_capture_on_commit_callbacks,
        province_admin,
        anhui,
        roles=[Role.ZONE_OPERATOR],
        city_ids=[hefei.pk],
    ) == {"hfgx_operator"}


def test_programme_users_is_the_one_answer_for_other_apps(anhui, province_admin):
    assert [u.username for u in programme_users(anhui, roles=[Role.PROGRAMME_ADMIN])] == ["ah_admin"]


def test_publishing_is_audited(anhui, province_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published = publish(province_admin, anhui, roles=[Role.CITY_OFFICER])
    entry = AuditEntry.objects.get(action="notifications.notice.published")
    assert entry.actor == province_admin and entry.object_id == str(published.notice.pk)
    assert entry.after is not None
    assert entry.after["roles"] == ["city_officer"] and entry.after["recipients"] == 1
    assert published.recipients == 1


@pytest.mark.parametrize("persona", ["hefei_city_officer", "zhejiang_admin", "scientist_expert"])
def test_only_the_programmes_admins_publish_others_get_404(anhui, personas, persona):
    with pytest.raises(Http404):
        publish(personas[persona], anhui)
    assert (
        not Notice.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="notifications.").exists()
    )


def test_bad_input_is_refused_with_chinese_messages_and_nothing_saved(anhui, province_admin):
    hangzhou = Jurisdiction.objects.get(code="330100")
    with pytest.raises(ValidationError) as refused:
        notice_publish(
            actor=province_admin, programme=anhui, title=" ", body="", roles=["mayor"], city_ids=[hangzhou.pk]
        )
    assert refused.value.message_dict == {
        "title": ["请填写标题。"],
        "body": ["请填写正文。"],
        "roles": ["未知角色：mayor。"],
        "cities": ["只能选择本计划范围内的设区市（安徽省）。"],
    }
    assert not Notice.objects.exists()


def test_who_sees_a_notice_on_the_board_and_the_workbench(
    anhui, zhejiang, personas, django_capture_on_commit_callbacks
):
    hefei = Jurisdiction.objects.get(code="340100")
    with django_capture_on_commit_callbacks(execute=True):
        to_hefei = publish(personas["province_admin"], anhui, city_ids=[hefei.pk]).notice
        to_experts = notice_publish(
            actor=personas["province_admin"], programme=anhui, title="专家通知", body="…", roles=[Role.EXPERT]
        ).notice
        in_zhejiang = notice_publish(
            actor=personas["zhejiang_admin"], programme=zhejiang, title="浙江通知", body="…"
        ).notice

    def seen(key: str) -> set[int]:
        return set(notice_list_for_user(personas[key]).values_list("pk", flat=True))

    assert seen("province_admin") == {to_hefei.pk, to_experts.pk}  # the admin sees all of the programme's
    assert seen("hefei_city_officer") == {to_hefei.pk}
    assert seen("zone_operator") == {to_hefei.pk}
    assert seen("scientist_expert") == {to_experts.pk}
    assert seen("department_officer") == set()
    assert seen("zhejiang_admin") == {in_zhejiang.pk}
    card = workbench_for(personas["hefei_city_officer"]).notices
    assert [n.title for n in card] == ["关于数据填报的通知"]
    assert card[0].url == f"/notifications/notices/{to_hefei.pk}/"
