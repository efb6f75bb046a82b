"""Applications: eligibility, drafting, completeness, attestation, recommendation, acceptance and return."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from xiandao.core.audit_codes import audit_code_known
from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction, Park, ParkKind, ParkLocation
from xiandao.notifications.models import Notification
from xiandao.pilot_zones.application_rules import application_missing, application_rules
from xiandao.pilot_zones.application_selectors import application_steps, revisions_compare
from xiandao.pilot_zones.demo import ATTESTATION_TEXTS, DEMO_LETTER_PDF, application_complete_data
from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.models import (
    Application,
    ApplicationRevision,
    ApplicationTarget,
    AttachmentKind,
    Attestation,
    StatusChange,
)
from xiandao.pilot_zones.services import (
    application_accept,
    application_attachment_add,
    application_attest,
    application_create,
    application_recommend,
    application_return,
    application_submit,
    application_update,
)

pytestmark = pytest.mark.django_db

HEFEI = "340100"


@pytest.fixture
def anhui(shipped_programmes: dict[str, Any]) -> Any:
    return shipped_programmes["anhui"]


@pytest.fixture
def hefei() -> Jurisdiction:
    return Jurisdiction.objects.get(code=HEFEI)


def park(name: str) -> Park:
    return Park.objects.get(name=name)


def conditions(programme: Any, zone_type: str | None = None) -> dict[str, str]:
    return {c.code: f"说明：{c.name}" for c in application_rules(programme).conditions_for(zone_type)}


def draft(anhui: Any, hefei: Jurisdiction, officer: Any, **kwargs: Any) -> Application:
    return application_create(
        actor=officer,
        programme=anhui,
        city=hefei,
        host_park_ids=[park("合肥高新技术产业开发区").pk],
        answers=conditions(anhui),
        name="测试量子先导区",
        **kwargs,
    )


def complete(application: Application, officer: Any, *, start: int = 2025, years: int = 3) -> Application:
    data = application_complete_data(application, "quantum", start, years)
    return application_update(actor=officer, application=application, version=application.version, data=data)


def recommended(anhui: Any, hefei: Jurisdiction, officer: Any) -> Application:
    app = complete(draft(anhui, hefei, officer), officer)
    app = application_submit(actor=officer, application=app, expected="draft")
    app = application_attest(
        actor=officer, application=app, expected="submitted", statements=ATTESTATION_TEXTS
    )
    application_attachment_add(
        actor=officer,
        application=app,
        data=DEMO_LETTER_PDF,
        filename="推荐函.pdf",
        kind="recommendation_letter",
    )
    return application_recommend(actor=officer, application=app, expected="attested")


def test_the_anhui_plan_lists_its_five_conditions_and_zhejiang_adds_its_zone_types_requirements(
    shipped_programmes,
):
    anhui = application_rules(shipped_programmes["anhui"])
    assert [c.name for c in anhui.conditions_for(None)] == [
        "创新资源丰富",
        "新兴产业基础良好",
        "体制机制健全",
        "未来产业方向明确",
        "区域相对集中",
    ]
    zhejiang = application_rules(shipped_programmes["zhejiang"])
    cluster = [c.name for c in zhejiang.conditions_for("cluster")]
    assert {"规划范围相对集中连片", "符合国土空间规划", "符合“三线一单”管控要求"} <= set(cluster)
    assert "一中心（创新中心）多平台（产业化平台）" not in cluster
    assert "network" in zhejiang.multi_host_zone_types and "cluster" not in zhejiang.multi_host_zone_types
    assert anhui.attestations == ("authenticity", "accuracy", "completeness", "compliance")


def test_eligibility_creates_a_draft_with_its_statements_revision_and_status_change(
    anhui, hefei, hefei_city_officer
):
    app = draft(anhui, hefei, hefei_city_officer)
    assert app.status == State.DRAFT
    assert set(app.eligibility.values_list("condition_code", flat=True)) == set(conditions(anhui))
    assert list(app.host_parks.values_list("name", flat=True)) == ["合肥高新技术产业开发区"]
    assert app.revisions.count() == 1
    change = StatusChange.objects.get(application=app)
    assert (change.from_status, change.to_status, change.actor_name) == (
        "",
        "draft",
        hefei_city_officer.display_name,
    )
    assert AuditEntry.objects.filter(action="pilot_zones.application.created", object_id=str(app.pk)).exists()


def test_a_host_outside_the_city_or_below_provincial_level_is_refused_and_nothing_saved(
    anhui, hefei, hefei_city_officer
):
    before = Application.objects.count()
    with pytest.raises(ValidationError) as outside:
        application_create(
            actor=hefei_city_officer,
            programme=anhui,
            city=hefei,
            host_park_ids=[park("芜湖经济技术开发区").pk],
            answers=conditions(anhui),
        )
    assert "只能选择合肥市的开发区或园区" in " ".join(outside.value.messages)
    small = Park.objects.create(name="测试市级工业园", kind=ParkKind.OTHER, level="市级")
    ParkLocation.objects.create(park=small, jurisdiction=hefei)
    with pytest.raises(ValidationError) as low:
        application_create(
            actor=hefei_city_officer,
            programme=anhui,
            city=hefei,
            host_park_ids=[small.pk],
            answers=conditions(anhui),
        )
    assert "不是省级以上开发区或特色园区" in " ".join(low.value.messages)
    assert Application.objects.count() == before


def test_every_condition_needs_a_statement(anhui, hefei, hefei_city_officer):
    answers = conditions(anhui)
    answers["institutions"] = "  "
    with pytest.raises(ValidationError) as refused:
        application_create(
            actor=hefei_city_officer,
            programme=anhui,
            city=hefei,
            host_park_ids=[park("合肥高新技术产业开发区").pk],
            answers=answers,
        )
    assert refused.value.message_dict["answer_institutions"] == ["请说明是否具备“体制机制健全”。"]


def test_zhejiang_takes_several_hosts_only_for_the_network_type(shipped_programmes, superuser_actor):
    zhejiang = shipped_programmes["zhejiang"]
    hangzhou = Jurisdiction.objects.get(code="330100")
    hosts = [park("杭州高新技术产业开发区（滨江）").pk, park("嘉兴经济技术开发区").pk]
    with pytest.raises(ValidationError) as cluster:
        application_create(
            actor=superuser_actor,
            programme=zhejiang,
            city=hangzhou,
            host_park_ids=hosts,
            answers=conditions(zhejiang, "cluster"),
            zone_type_code="cluster",
        )
    assert "只能选择杭州市的开发区或园区" in " ".join(cluster.value.messages)
    app = application_create(
        actor=superuser_actor,
        programme=zhejiang,
        city=hangzhou,
        host_park_ids=hosts,
        answers=conditions(zhejiang, "network"),
        zone_type_code="network",
    )
    assert app.host_parks.count() == 2
    assert app.eligibility.filter(condition_code="one-centre-platforms").exists()


def test_a_city_officer_cannot_apply_for_another_city(anhui, hefei_city_officer):
    from django.core.exceptions import PermissionDenied

    wuhu = Jurisdiction.objects.get(code="340200")
    with pytest.raises(PermissionDenied):
        application_create(
            actor=hefei_city_officer,
            programme=anhui,
            city=wuhu,
            host_park_ids=[park("芜湖经济技术开发区").pk],
            answers=conditions(anhui),
        )


def test_completeness_lists_every_missing_item_at_once(anhui, hefei, hefei_city_officer):
    app = draft(anhui, hefei, hefei_city_officer)
    missing = application_missing(app)
    required = [i for i in application_rules(anhui).conditions if i]  # conditions are answered already
    assert required
    assert "基本信息：未选择领域。" in missing
    assert "创建周期：未填写起止年份。" in missing
    assert "主要举措：未填写推进举措（一区一策）。" in missing
    assert (
        sum(1 for m in missing if m.startswith("目标：")) == 5
    )  # the five indicators marked target_required
    with pytest.raises(ValidationError) as refused:
        application_submit(actor=hefei_city_officer, application=app, expected="draft")
    messages = refused.value.messages
    assert messages[0].startswith(f"申请报告还不完整，不能提交。请补齐以下{len(missing)}项")
    assert messages[1:] == missing
    app.refresh_from_db()
    assert app.status == "draft"


def test_a_saved_draft_keeps_each_revision_and_two_can_be_compared(anhui, hefei, hefei_city_officer):
    app = complete(draft(anhui, hefei, hefei_city_officer), hefei_city_officer)
    app = application_update(
        actor=hefei_city_officer,
        application=app,
        version=app.version,
        data={"measures": "新的举措", "targets": {("ia-revenue", 2026): "99.5"}},
    )
    numbers = list(app.revisions.values_list("number", flat=True))
    assert numbers == [3, 2, 1]
    rows = {r.label: r for r in revisions_compare(app, 2, 3)}
    assert rows["主要举措"].changed and rows["主要举措"].right == "新的举措"
    assert rows["目标：未来产业营业收入（2026年）"].right == "99.5"
    assert not rows["先导区名称"].changed
    assert ApplicationTarget.objects.get(
        application=app, indicator_code="ia-revenue", year=2026
    ).value == Decimal("99.5")


def test_a_stale_form_is_refused_and_nothing_saved(anhui, hefei, hefei_city_officer):
    app = draft(anhui, hefei, hefei_city_officer)
    old = app.version
    application_update(actor=hefei_city_officer, application=app, version=old, data={"summary": "第一处"})
    with pytest.raises(ValidationError) as stale:
        application_update(actor=hefei_city_officer, application=app, version=old, data={"summary": "另一处"})
    assert "已在别处更新" in stale.value.messages[0]
    app.refresh_from_db()
    assert app.summary == "第一处"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"field": "no-such-field"}, "本培育计划没有领域“no-such-field”"),
        ({"creation_start_year": 2025, "creation_end_year": 2026}, "创建周期须为3至5年（填写的是2年）"),
        ({"creation_start_year": 2025, "creation_end_year": 2031}, "创建周期须为3至5年（填写的是7年）"),
        (
            {"creation_start_year": 2019, "creation_end_year": 2021},
            "创建期起始年须在本计划期2024年至2030年之间",
        ),
        ({"targets": {("ia-revenue", None): "一百"}}, "“未来产业营业收入”总体目标应为数字"),
        ({"targets": {("no-such-indicator", None): "1"}}, "指标体系中没有指标“no-such-indicator”"),
        ({"hosts": [999999]}, "只能选择合肥市的开发区或园区"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_half_saved(
    anhui, hefei, hefei_city_officer, data, message
):
    app = draft(anhui, hefei, hefei_city_officer)
    payload = {"summary": "这段不应保存", **data}
    with pytest.raises(ValidationError) as refused:
        application_update(actor=hefei_city_officer, application=app, version=app.version, data=payload)
    assert message in " ".join(refused.value.messages)
    app.refresh_from_db()
    assert app.summary == "" and app.version == 1 and app.revisions.count() == 1


def test_the_whole_way_with_a_return_and_a_resubmission(
    anhui, hefei, hefei_city_officer, province_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = recommended(anhui, hefei, hefei_city_officer)
    assert app.status == "recommended" and app.round == 1
    assert Attestation.objects.filter(application=app, round=1).count() == 4
    assert Notification.objects.filter(
        recipient=province_admin, kind="pilot_zones.application_recommended"
    ).exists()
    with pytest.raises(ValidationError) as no_reason:
        application_return(actor=province_admin, application=app, expected="recommended", reason=" ")
    assert no_reason.value.messages == ["退回修改须写明理由。"]
    with django_capture_on_commit_callbacks(execute=True):
        app = application_return(
            actor=province_admin, application=app, expected="recommended", reason="目标偏低"
        )
    assert app.status == "returned"
    note = Notification.objects.get(recipient=hefei_city_officer, kind="pilot_zones.application_returned")
    assert "目标偏低" in note.body
    app = application_update(
        actor=hefei_city_officer, application=app, version=app.version, data={"summary": "已调高"}
    )
    app = application_submit(actor=hefei_city_officer, application=app, expected="returned")
    assert app.round == 2
    with pytest.raises(ValidationError) as old_attestations:
        application_recommend(actor=hefei_city_officer, application=app, expected="submitted")
    assert (
        "须由" in old_attestations.value.messages[0] or "不能书面推荐" in old_attestations.value.messages[0]
    )
    app = application_attest(
        actor=hefei_city_officer, application=app, expected="submitted", statements=ATTESTATION_TEXTS
    )
    with pytest.raises(ValidationError) as no_letter:
        application_recommend(actor=hefei_city_officer, application=app, expected="attested")
    assert "推荐函：未上传本次推荐的盖章推荐函。" in no_letter.value.messages
    application_attachment_add(
        actor=hefei_city_officer,
        application=app,
        data=DEMO_LETTER_PDF,
        filename="第二次推荐函.pdf",
        kind="recommendation_letter",
    )
    app = application_recommend(actor=hefei_city_officer, application=app, expected="attested")
    app = application_accept(actor=province_admin, application=app, expected="recommended")
    assert app.status == "under_review"
    path = list(StatusChange.objects.filter(application=app).values_list("action", "to_status"))
    assert path == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("attest", "attested"),
        ("recommend", "recommended"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("attest", "attested"),
        ("recommend", "recommended"),
        ("accept", "under_review"),
    ]
    steps = application_steps(app)
    assert all(s.done for s in steps) and steps[-1].actor == province_admin.display_name
    codes = set(AuditEntry.objects.filter(object_id=str(app.pk)).values_list("action", flat=True))
    assert {"pilot_zones.application.returned", "pilot_zones.application.accepted"} <= codes
    assert all(audit_code_known(c) for c in codes)


def test_a_transition_not_allowed_or_from_a_status_the_user_did_not_see_is_refused(
    anhui, hefei, hefei_city_officer, province_admin
):
    app = recommended(anhui, hefei, hefei_city_officer)
    with pytest.raises(ValidationError) as stale:
        application_accept(actor=province_admin, application=app, expected="attested")
    assert "可能已有他人办理" in stale.value.messages[0]
    application_accept(actor=province_admin, application=app, expected="recommended")
    with pytest.raises(ValidationError) as again:
        application_accept(actor=province_admin, application=app, expected="under_review")
    assert again.value.messages[0].startswith("当前为“论证中”，不能受理论证。")
    assert StatusChange.objects.filter(application=app, action="accept").count() == 1


def test_the_province_cannot_see_a_draft_and_another_city_cannot_see_anything(
    anhui, hefei, hefei_city_officer, province_admin, zhejiang_admin
):
    from xiandao.pilot_zones.permissions import ApplicationAction, application_policy

    app = draft(anhui, hefei, hefei_city_officer)
    assert not application_policy.user_may(province_admin, ApplicationAction.VIEW, app)
    with pytest.raises(Http404):
        application_accept(actor=province_admin, application=app, expected="draft")
    app = recommended(anhui, hefei, hefei_city_officer)
    assert application_policy.user_may(province_admin, ApplicationAction.VIEW, app)
    assert not application_policy.user_may(zhejiang_admin, ApplicationAction.VIEW, app)
    assert not application_policy.user_may(province_admin, ApplicationAction.EDIT, app)


def test_attachments_are_typed_by_content_and_size_limited(anhui, hefei, hefei_city_officer, settings):
    app = draft(anhui, hefei, hefei_city_officer)
    with pytest.raises(ValidationError) as doc:
        application_attachment_add(
            actor=hefei_city_officer,
            application=app,
            data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100,
            filename="报告.pdf",
        )
    assert "请另存为 .docx 或 PDF 后上传" in doc.value.messages[0]
    with pytest.raises(ValidationError) as wps:
        application_attachment_add(
            actor=hefei_city_officer, application=app, data=DEMO_LETTER_PDF, filename="报告.wps"
        )
    assert "请另存为 .docx 或 PDF 后上传" in wps.value.messages[0]
    with pytest.raises(ValidationError) as exe:
        application_attachment_add(
            actor=hefei_city_officer, application=app, data=b"MZ\x90\x00", filename="说明.pdf"
        )
    assert "无法识别该文件的格式" in exe.value.messages[0]
    settings.ATTACHMENTS_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError) as big:
        application_attachment_add(
            actor=hefei_city_officer,
            application=app,
            data=DEMO_LETTER_PDF + b"0" * (1024 * 1024),
            filename="大.pdf",
        )
    assert "文件超过1MB" in big.value.messages[0]
    assert app.attachments.count() == 0
    png = application_attachment_add(
        actor=hefei_city_officer, application=app, data=b"\x89PNG\r\n\x1a\n" + b"0" * 20, filename="照片.pdf"
    )
    assert png.content_type == "image/png" and png.file.name.endswith(".png")
    assert str(settings.ATTACHMENTS_ROOT) in png.file.path
    assert ApplicationRevision.objects.filter(application=app, note="上传其他附件").exists()
    assert AttachmentKind.RECOMMENDATION_LETTER.label == "盖章推荐函"


@pytest.fixture
def superuser_actor(db: Any) -> Any:
    from xiandao.accounts.models import User

    return User.objects.create_superuser(username="root_test", password="x", display_name="平台管理员")
