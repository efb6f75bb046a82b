"""The creation list end to end through its services: Anhui (departments consulted) and Zhejiang (public notice, acceptance)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from xiandao.core.models import AuditEntry
from xiandao.notifications.models import Notification
from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.lists import services
from xiandao.pilot_zones.lists.models import ListStatus, OpinionStance
from xiandao.pilot_zones.lists.selectors import listed_zones_public, published_lists_public
from xiandao.pilot_zones.models import Application, PilotZone, StatusChange, ZoneTarget

from .lists_support import department, reviewed_application

pytestmark = pytest.mark.django_db(transaction=False)
TODAY = timezone.localdate()


@pytest.fixture
def anhui(shipped_programmes: dict[str, Any]) -> Any:
    return shipped_programmes["anhui"]


@pytest.fixture
def zhejiang(shipped_programmes: dict[str, Any]) -> Any:
    return shipped_programmes["zhejiang"]


def _refused(call: Any, *words: str) -> services.ListRefused:
    with pytest.raises(services.ListRefused) as caught:
        call()
    for word in words:
        assert word in caught.value.message, caught.value.message
    return caught.value


def test_anhui_list_consults_the_departments_then_publishes_zones_with_their_plans(
    anhui: Any, province_admin: Any, department_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    quantum = reviewed_application(anhui, "示例量子传感先导区")
    lowalt = reviewed_application(
        anhui,
        "示例低空装备先导区",
        city="340200",
        parks=("芜湖经济技术开发区",),
        field="aerospace-information",
    )
    weak = reviewed_application(anhui, "示例薄弱方案先导区", field="life")
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    assert creation_list.title == "安徽省未来产业先导区创建名单（第1批）"
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=quantum, opinion="方向明确，目标可及"
    )
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=lowalt, opinion="产业基础好"
    )
    services.creation_list_entry_decline(
        actor=province_admin, creation_list=creation_list, application=weak, reason="目标可及性不足"
    )
    weak.refresh_from_db()
    assert weak.status == State.NOT_LISTED
    # Anhui consults the departments first: the lifecycle's own sentence refuses the short way.
    _refused(
        lambda: services.creation_list_publish(actor=province_admin, creation_list=creation_list),
        "不能公布名单",
        "本计划须先征求省有关单位意见",
    )
    dst = department("安徽省科学技术厅")
    with django_capture_on_commit_callbacks(execute=True):
        services.creation_list_consult(
            actor=province_admin,
            creation_list=creation_list,
            departments=[dst, department("安徽省工业和信息化厅")],
            deadline=TODAY + dt.timedelta(days=5),
        )
    assert Notification.objects.filter(
        recipient=department_officer, kind="pilot_zones.list_consultation"
    ).exists()
    quantum.refresh_from_db()
    assert quantum.status == State.CONSULTATION
    # Before the deadline, with a department still silent, the list waits.
    services.department_opinion_give(
        actor=department_officer,
        creation_list=creation_list,
        stance=OpinionStance.AGREE_WITH_COMMENTS,
        text="建议补充人才目标",
    )
    _refused(
        lambda: services.creation_list_publish(actor=province_admin, creation_list=creation_list),
        "安徽省工业和信息化厅尚未反馈意见",
    )
    # The silent department answers through the same service (its officer would; the platform stands in).
    from xiandao.pilot_zones.lists.models import DepartmentOpinion

    DepartmentOpinion.objects.create(
        creation_list=creation_list,
        organisation=department("安徽省工业和信息化厅"),
        stance=OpinionStance.AGREE,
        author_name="测试",
        submitted_at=timezone.now(),
    )
    zones = services.creation_list_publish(
        actor=province_admin, creation_list=creation_list, expected=ListStatus.CONSULTATION
    )
    assert sorted(z.name for z in zones) == ["示例低空装备先导区", "示例量子传感先导区"]
    zone = PilotZone.objects.get(name="示例量子传感先导区")
    assert zone.status == State.CREATING
    assert zone.application == quantum
    assert (zone.creation_start_year, zone.creation_end_year) == (2025, 2027)
    assert [p.park.name for p in zone.places.all()] == ["合肥高新技术产业开发区"]
    assert zone.places.get().valid_from == TODAY
    targets = {(t.indicator_code, t.year): t.value for t in ZoneTarget.objects.filter(zone=zone)}
    assert targets == {
        ("ic-rd-intensity", None): Decimal("6"),
        ("ic-rd-intensity", 2025): Decimal("4.5"),
        ("ic-rd-intensity", 2026): Decimal("5"),
        ("ic-rd-intensity", 2027): Decimal("6"),
    }
    quantum.refresh_from_db()
    assert quantum.status == State.CREATING
    moves = list(StatusChange.objects.filter(application=quantum).values_list("from_status", "to_status"))
    assert moves == [
        (State.UNDER_REVIEW, State.PROPOSED),
        (State.PROPOSED, State.CONSULTATION),
        (State.CONSULTATION, State.CREATING),
    ]
    assert StatusChange.objects.filter(zone=zone, to_status=State.CREATING, action="publish_list").exists()
    assert AuditEntry.objects.filter(action="pilot_zones.zone.listed", object_id=str(zone.pk)).exists()
    # Publishing twice is refused, and nothing moves.
    _refused(
        lambda: services.creation_list_publish(actor=province_admin, creation_list=creation_list),
        "不能重复公布",
    )
    # The public view: exactly the keys, the zone's own city and parks.
    lists = published_lists_public(anhui)
    assert [z.name for z in lists[0].zones] == ["示例量子传感先导区", "示例低空装备先导区"]
    record = next(z for z in listed_zones_public(anhui) if z.name == "示例低空装备先导区").record()
    assert set(record) == {"name", "field", "city", "host", "zone_type", "status", "url"}
    assert record["city"] == "芜湖市"
    assert record["host"] == ["芜湖经济技术开发区"]
    assert record["status"] == "创建中"


def test_a_late_opinion_is_refused_in_chinese(
    anhui: Any, province_admin: Any, department_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    application = reviewed_application(anhui, "示例逾期意见先导区")
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=application, opinion="拟列入"
    )
    deadline = TODAY + dt.timedelta(days=2)
    services.creation_list_consult(
        actor=province_admin,
        creation_list=creation_list,
        departments=[department("安徽省科学技术厅")],
        deadline=deadline,
    )
    monkeypatch.setattr(services, "_today", lambda: deadline + dt.timedelta(days=1))
    _refused(
        lambda: services.department_opinion_give(
            actor=department_officer, creation_list=creation_list, stance=OpinionStance.AGREE
        ),
        "意见反馈已于",
        "截止，不能再提交意见",
    )
    # After the deadline the silent department no longer holds the list back.
    zones = services.creation_list_publish(actor=province_admin, creation_list=creation_list)
    assert [z.name for z in zones] == ["示例逾期意见先导区"]


def test_zhejiang_list_goes_through_public_notice_and_objections_then_cultivation_and_acceptance(
    zhejiang: Any, zhejiang_admin: Any
) -> None:
    application = reviewed_application(
        zhejiang,
        "示例柔性电子培育先导区",
        city="330100",
        parks=("杭州高新技术产业开发区（滨江）",),
        field="flexible-electronics",
        zone_type="cluster",
        targets={"ic-rd-intensity": {None: "5", 2025: "4", 2026: "5"}},
        period=(2025, 2026),
    )
    creation_list = services.creation_list_create(actor=zhejiang_admin, programme=zhejiang)
    assert "培育名单" in creation_list.title
    services.creation_list_entry_propose(
        actor=zhejiang_admin, creation_list=creation_list, application=application, opinion="成熟一个"
    )
    # Zhejiang does not consult the departments on the list: that move is switched off.
    _refused(
        lambda: services.creation_list_consult(
            actor=zhejiang_admin,
            creation_list=creation_list,
            departments=[department("浙江省经济和信息化厅")],
            deadline=TODAY,
        ),
        "本计划不征求省有关单位意见",
    )
    _refused(
        lambda: services.creation_list_publish(actor=zhejiang_admin, creation_list=creation_list),
        "本计划的名单须先公示",
    )
    services.creation_list_notice_start(actor=zhejiang_admin, creation_list=creation_list)
    creation_list.refresh_from_db()
    assert creation_list.notice_ends_on == TODAY + dt.timedelta(days=6)  # 7 days, today included
    _refused(
        lambda: services.creation_list_publish(actor=zhejiang_admin, creation_list=creation_list),
        "期满后方可公布",
    )
    entry = creation_list.entries.get()
    objection = services.objection_record(
        actor=zhejiang_admin,
        creation_list=creation_list,
        objector="张某（电话略）",
        content="承载园区面积有误",
        entry=entry,
    )
    # The notice runs its course (moved back here, as if it had started a week ago).
    type(creation_list).objects.filter(pk=creation_list.pk).update(
        notice_starts_on=TODAY - dt.timedelta(days=7), notice_ends_on=TODAY - dt.timedelta(days=1)
    )
    _refused(
        lambda: services.creation_list_publish(actor=zhejiang_admin, creation_list=creation_list),
        "1条公示异议未答复",
    )
    services.objection_answer(
        actor=zhejiang_admin, objection=objection, answer="经核实面积无误", upheld=False
    )
    [zone] = services.creation_list_publish(actor=zhejiang_admin, creation_list=creation_list)
    record = listed_zones_public(zhejiang)[0].record()
    assert record["status"] == "培育建设" and record["zone_type"] == "区域集聚型未来产业先导区"
    # Cultivation, then the acceptance assessment by 省经信厅 with the departments.
    _refused(
        lambda: services.acceptance_record(
            actor=zhejiang_admin,
            assessment=services.acceptance_start(actor=zhejiang_admin, zone=zone, expected=State.RECOGNISED),
            passed=True,
            opinion="",
        ),
        "状态已变化",
    )
    assessment = services.acceptance_start(
        actor=zhejiang_admin,
        zone=zone,
        departments=[department("浙江省数字经济发展领导小组办公室")],
        expected=State.CREATING,
    )
    assert assessment.assessor == "省经信厅"
    _refused(
        lambda: services.acceptance_record(
            actor=zhejiang_admin, assessment=assessment, passed=False, opinion=" "
        ),
        "须写明理由",
    )
    services.acceptance_record(
        actor=zhejiang_admin, assessment=assessment, passed=False, opinion="产业规模未达标"
    )
    zone.refresh_from_db()
    assert zone.status == State.CREATING
    second = services.acceptance_start(actor=zhejiang_admin, zone=zone)
    services.acceptance_record(actor=zhejiang_admin, assessment=second, passed=True, opinion="达到验收要求")
    zone.refresh_from_db()
    assert zone.status == State.RECOGNISED
    assert listed_zones_public(zhejiang)[0].record()["status"] == "列入省级“未来产业先导区”名单"
    assert list(StatusChange.objects.filter(zone=zone).values_list("to_status", flat=True)) == [
        State.CREATING,
        State.ACCEPTANCE_ASSESSMENT,
        State.CREATING,
        State.ACCEPTANCE_ASSESSMENT,
        State.RECOGNISED,
    ]


def test_anhui_has_no_acceptance_assessment(anhui: Any, province_admin: Any) -> None:
    application = reviewed_application(anhui, "示例无验收先导区")
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=application, opinion="好"
    )
    services.creation_list_consult(
        actor=province_admin,
        creation_list=creation_list,
        departments=[department("安徽省科学技术厅")],
        deadline=TODAY,
    )
    type(creation_list).objects.filter(pk=creation_list.pk).update(
        consultation_deadline=TODAY - dt.timedelta(days=1)
    )
    [zone] = services.creation_list_publish(actor=province_admin, creation_list=creation_list)
    _refused(lambda: services.acceptance_start(actor=province_admin, zone=zone), "本计划不设培育验收考核")


def test_who_may_act_on_a_list(
    anhui: Any, province_admin: Any, zhejiang_admin: Any, hefei_city_officer: Any, department_officer: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.creation_list_create(actor=hefei_city_officer, programme=anhui)
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    application = reviewed_application(anhui, "示例权限先导区")
    for outsider in (zhejiang_admin, hefei_city_officer, department_officer):
        with pytest.raises(PermissionDenied):
            services.creation_list_entry_propose(
                actor=outsider, creation_list=creation_list, application=application, opinion="拟列入"
            )
    # Not consulted: the department cannot give an opinion.
    with pytest.raises(PermissionDenied):
        services.department_opinion_give(
            actor=department_officer, creation_list=creation_list, stance="agree"
        )
    application.refresh_from_db()
    assert application.status == State.UNDER_REVIEW


def test_bad_input_is_refused_and_nothing_is_half_saved(
    anhui: Any, zhejiang: Any, province_admin: Any
) -> None:
    creation_list = services.creation_list_create(actor=province_admin, programme=anhui)
    _refused(lambda: services.creation_list_create(actor=province_admin, programme=anhui), "尚未公布")
    draft = reviewed_application(anhui, "示例草稿先导区", status=State.DRAFT)
    _refused(
        lambda: services.creation_list_entry_propose(
            actor=province_admin, creation_list=creation_list, application=draft, opinion="拟列入"
        ),
        "当前为“编制申请”",
        "不能提出拟列入名单",
    )
    assert not creation_list.entries.exists()
    reviewed = reviewed_application(anhui, "示例理由先导区")
    _refused(
        lambda: services.creation_list_entry_decline(
            actor=province_admin, creation_list=creation_list, application=reviewed, reason="  "
        ),
        "须写明理由",
    )
    foreign = reviewed_application(
        zhejiang,
        "示例外省先导区",
        city="330100",
        parks=("杭州高新技术产业开发区（滨江）",),
        field="flexible-electronics",
    )
    _refused(
        lambda: services.creation_list_entry_propose(
            actor=province_admin, creation_list=creation_list, application=foreign, opinion="拟列入"
        ),
        "不属于本名单所在的培育计划",
    )
    _refused(
        lambda: services.creation_list_entry_propose(
            actor=province_admin,
            creation_list=creation_list,
            application=reviewed,
            opinion="拟列入",
            expected=ListStatus.CONSULTATION,
        ),
        "请刷新页面",
    )
    services.creation_list_entry_propose(
        actor=province_admin, creation_list=creation_list, application=reviewed, opinion="拟列入"
    )
    _refused(
        lambda: services.creation_list_consult(
            actor=province_admin,
            creation_list=creation_list,
            departments=[department("安徽省科学技术厅")],
            deadline=TODAY - dt.timedelta(days=1),
        ),
        "不能早于今天",
    )
    _refused(
        lambda: services.creation_list_consult(
            actor=province_admin,
            creation_list=creation_list,
            departments=[department("浙江省经济和信息化厅")],
            deadline=TODAY,
        ),
        "不是本省的有关单位",
    )
    creation_list.refresh_from_db()
    assert creation_list.status == ListStatus.DRAFT
    assert Application.objects.get(pk=reviewed.pk).status == State.PROPOSED
