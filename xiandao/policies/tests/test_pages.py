"""The pages as a programme admin uses them: list, upload form, review with HTMX decisions, comparison."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiandao.policies.models import DocumentVersion, ProposalKind, ProposalStatus
from xiandao.policies.services import proposal_accept, version_publish
from xiandao.programmes.models import Target

from .conftest import revised
from .test_decisions import NEW_DOCUMENT, proposal

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
#: The status the review page showed: every decision form carries it.
SEEN = {"expected": "proposed"}


def test_the_menu_leads_the_programme_admin_to_the_list(client, province_admin, anhui, upload):
    upload(anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见")
    client.force_login(province_admin)
    home = client.get("/").content.decode()
    assert reverse("policies:document_list") in home
    page = client.get(reverse("policies:document_list")).content.decode()
    assert "《关于加快培育未来产业的实施意见》" in page and "待确认" in page and "新文件" in page
    filtered = client.get(reverse("policies:document_list"), {"q": "不存在的标题"}).content.decode()
    assert "没有符合条件的文件" in filtered


def test_a_city_officer_has_no_upload_page_and_sees_no_uploads(client, hefei_city_officer, anhui, upload):
    upload(anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见")
    client.force_login(hefei_city_officer)
    assert client.get(reverse("policies:document_upload")).status_code == 403
    assert "关于加快培育" not in client.get(reverse("policies:document_list")).content.decode()


def test_uploading_through_the_form_leads_to_the_review(client, province_admin, anhui):
    client.force_login(province_admin)
    form = client.get(reverse("policies:document_upload")).content.decode()
    assert "《安徽省未来产业先导区建设方案（试行）》" in form  # may be uploaded as a new version
    response = client.post(
        reverse("policies:document_upload"),
        {
            "programme": anhui.pk,
            "title": "关于加快培育未来产业的实施意见",
            "file": SimpleUploadedFile("意见.txt", NEW_DOCUMENT.encode("gb18030")),
        },
    )
    version = DocumentVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "policies:document_review", args=[version.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "已读取《关于加快培育未来产业的实施意见》" in page
    assert page.count('data-testid="proposal-card"') == 4
    # Every proposal is marked in the text, with its number and status in words.
    assert re.search(
        r'<a class="pl-tag pl-proposed" id="tag-\d+"[^>]*>目标1·待确认</a><mark class="pl-mark pl-proposed"[^>]*>培育30家左右上市企业</mark>',
        page,
    )


def test_a_bad_file_keeps_what_was_typed_and_says_what_to_do(client, province_admin, anhui):
    client.force_login(province_admin)
    response = client.post(
        reverse("policies:document_upload"),
        {
            "programme": anhui.pk,
            "title": "我输入的标题",
            "issuer": "安徽省发展改革委",
            "file": SimpleUploadedFile("扫描件.doc", b"\xd0\xcf\x11\xe0"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not DocumentVersion.objects.exists()
    assert "暂不支持旧版 Word（.doc）文件，请另存为 .docx 后再上传。" in page
    assert 'value="我输入的标题"' in page and 'value="安徽省发展改革委"' in page


def test_accepting_with_htmx_answers_with_the_card_the_summary_and_the_tag(
    client, province_admin, anhui, upload
):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    client.force_login(province_admin)
    response = client.post(reverse("policies:proposal_accept", args=[listed.pk]), SEEN, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="proposal-{listed.pk}"' in page and 'data-status="accepted"' in page
    assert '<div id="review-summary" class="small" data-testid="review-summary" hx-swap-oob="true">' in page
    assert re.search(
        rf'<a class="pl-tag pl-accepted" id="tag-{listed.pk}"[^>]*hx-swap-oob="true">目标1·已接受</a>', page
    )
    # The publish panel follows, out of band, with what is accepted and what still waits.
    assert re.search(r'id="publication-panel"[^>]*hx-swap-oob="true"', page) and "已接受1条" in page
    target = Target.objects.get(quote="培育30家左右上市企业", document__code__startswith="upload")
    assert "待发布：本文件发布后公开" in page
    # Not public until the version is published; then the targets page lists it, linked to its sentence.
    targets_page = reverse("programmes:targets", args=[anhui.code])
    assert f"#target-{target.code}" not in client.get(targets_page).content.decode()
    version_publish(actor=province_admin, version=version, expected="draft")
    card = client.get(reverse("policies:proposal_card", args=[listed.pk]), **HTMX).content.decode()
    link = reverse("programmes:document", args=[anhui.code, target.document.code]) + f"#target-{target.code}"
    assert link in card
    public = client.get(targets_page, {"document": target.document.code})
    assert f"#target-{target.code}" in public.content.decode()


def test_without_javascript_a_decision_returns_to_the_card_on_the_page(client, province_admin, anhui, upload):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    client.force_login(province_admin)
    response = client.post(reverse("policies:proposal_accept", args=[listed.pk]), SEEN)
    assert (
        response["Location"]
        == reverse("policies:document_review", args=[version.pk]) + f"#proposal-{listed.pk}"
    )
    edit_page = client.get(
        reverse(
            "policies:proposal_edit",
            args=[proposal(version, ProposalKind.TARGET, "力争未来产业规模达到500亿元").pk],
        )
    )
    assert "保存并接受" in edit_page.content.decode() and "面包屑" in edit_page.content.decode()


def test_an_edit_with_errors_keeps_every_typed_value_and_names_each_field(
    client, province_admin, anhui, upload
):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    client.force_login(province_admin)
    form = client.get(reverse("policies:proposal_edit", args=[listed.pk]), **HTMX).content.decode()
    assert 'value="2028"' in form and 'value="上市企业"' in form and 'value="30"' in form
    response = client.post(
        reverse("policies:proposal_edit", args=[listed.pk]),
        {
            **SEEN,
            "year": "2028",
            "metric": "上市企业（含新三板）",
            "value": "三十",
            "unit": "家",
            "qualifier": "about",
            "scope": "province",
            "basis": "stock",
            "reason": "原文有误",
        },
        **HTMX,
    )
    page = response.content.decode()
    assert "目标值：目标值应为数字，如 30、3.5 或 1000。" in page
    assert 'value="上市企业（含新三板）"' in page and 'value="三十"' in page and 'value="原文有误"' in page
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.PROPOSED
    ok = client.post(
        reverse("policies:proposal_edit", args=[listed.pk]),
        {
            **SEEN,
            "year": "2028",
            "metric": "上市企业",
            "value": "35",
            "unit": "家",
            "qualifier": "at_least",
            "scope": "province",
            "basis": "stock",
        },
        **HTMX,
    ).content.decode()
    assert "修改后接受" in ok and "已修改：目标值、限定" in ok
    again = client.get(reverse("policies:proposal_edit", args=[listed.pk]), **HTMX).content.decode()
    assert (
        "该条建议当前为“修改后接受”，不能修改后接受。" in again
        and "已已" not in again
        and 'data-testid="edit-form"' not in again
    )


def test_accepting_a_task_with_an_unknown_unit_opens_the_form_with_the_reason(
    client, province_admin, anhui, upload
):
    version = upload(anhui, NEW_DOCUMENT)
    bureau = proposal(version, ProposalKind.TASK, "（责任单位：省数据和算力局）")
    client.force_login(province_admin)
    page = client.post(reverse("policies:proposal_accept", args=[bureau.pk]), SEEN, **HTMX).content.decode()
    assert 'data-testid="edit-form"' in page and "未知单位“省数据和算力局”" in page
    assert "省数据和算力局</textarea>" in page


def test_reject_asks_for_a_reason(client, province_admin, anhui, upload):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    client.force_login(province_admin)
    url = reverse("policies:proposal_reject", args=[listed.pk])
    assert 'data-testid="reject-form"' in client.get(url, **HTMX).content.decode()
    assert "请填写驳回理由" in client.post(url, {**SEEN, "reason": ""}, **HTMX).content.decode()
    done = client.post(url, {**SEEN, "reason": "与行动方案重复"}, **HTMX).content.decode()
    assert "已驳回" in done and "理由：与行动方案重复" in done


def test_the_comparison_page_lists_new_changed_unchanged_and_removed(
    client, province_admin, anhui, plan_text, upload
):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, revised(plan_text), document=document)
    client.force_login(province_admin)
    page = client.get(reverse("policies:document_compare", args=[version.pk])).content.decode()
    for change, count in (("new", 1), ("changed", 1), ("unchanged", 4), ("removed", 1)):
        assert re.search(rf'data-testid="count-targets-{change}">[^<]* {count}</span>', page), change
    assert "2030年 上市企业 30家（左右）" in page and "目标值不同" in page
    assert "主导或参与制定100项左右标准" in page and "仍在培育计划中" in page
    proposal_accept(
        expected="proposed",
        actor=province_admin,
        proposal=proposal(version, ProposalKind.TARGET, "培育40家左右上市企业"),
    )
    page = client.get(reverse("policies:document_compare", args=[version.pk])).content.decode()
    assert "有变化（已更新）" in page and "2030年 上市企业 40家（左右）" in page


def test_the_review_page_keeps_its_query_count_with_more_proposals(
    client, province_admin, anhui, plan_text, upload, django_assert_max_num_queries
):
    version = upload(anhui, plan_text)
    client.force_login(province_admin)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("policies:document_review", args=[version.pk])).status_code == 200


def test_while_a_job_reads_a_long_document_the_page_shows_its_progress(
    client, province_admin, anhui, plan_text, upload, settings
):
    settings.POLICIES_INLINE_EXTRACTION_CHARS = 1000
    version = upload(anhui, plan_text)  # the job starts on commit, which this test never reaches
    client.force_login(province_admin)
    page = client.get(reverse("policies:document_review", args=[version.pk])).content.decode()
    assert "正在识别文件中的目标、任务和领域" in page and "排队中" in page
    status = client.get(reverse("policies:document_status", args=[version.pk]), **HTMX)
    assert "HX-Refresh" not in status
    DocumentVersion.objects.filter(pk=version.pk).update(
        status="failed", error="识别时出错（RuntimeError），请联系平台运维人员。"
    )
    status = client.get(reverse("policies:document_status", args=[version.pk]), **HTMX)
    assert status["HX-Refresh"] == "true" and "识别失败" in status.content.decode()


def test_waiting_proposals_show_on_the_admins_workbench(
    anhui, upload, province_admin, hefei_city_officer, client
):
    version = upload(
        anhui, "到2028年，培育30家左右上市企业，力争未来产业规模达到500亿元。", title="待确认的测试文件"
    )
    client.force_login(province_admin)
    page = client.get("/").content.decode()
    assert "确认政策文件识别结果：待确认的测试文件" in page
    assert f"/policies/documents/{version.pk}/" in page
    client.force_login(hefei_city_officer)
    assert "待确认的测试文件" not in client.get("/").content.decode()


def test_every_key_a_proposal_carries_has_a_word():
    """A card never shows a key (已修改：metric): every key the extractor writes has a label."""
    from xiandao.policies.extraction import extract
    from xiandao.policies.presentation import FIELD_LABELS, field_label

    text = "一、主要目标\n到2027年，全省培育上市企业30家以上。\n（一）建设平台。（责任单位：省科技厅，配合单位：省财政厅）\n"
    found = extract(text).to_dict()
    keys = {key for items in found.values() for item in items for key in item} - {"start", "end"}
    assert {"metric", "value", "lead", "cooperating"} <= keys, found
    assert keys <= set(FIELD_LABELS), keys - set(FIELD_LABELS)
    assert field_label("metric") == "指标" and field_label("not-a-key") == "其他内容"


def test_a_refused_move_reads_as_a_sentence():
    from xiandao.policies.models import PROPOSAL_TRANSITIONS, ProposalStatus, proposal_move_refused

    for current in ProposalStatus.values:
        for wanted in ProposalStatus.values:
            if wanted in PROPOSAL_TRANSITIONS[current]:
                continue
            message = proposal_move_refused(current, wanted)
            assert "已已" not in message and "再已" not in message and "不能已" not in message, message
            assert f"“{ProposalStatus(current).label}”" in message
    assert proposal_move_refused("accepted", "rejected").startswith("该条建议当前为“已接受”，不能驳回。")


def test_a_draft_with_accepted_proposals_waits_on_the_workbench_to_be_published(
    anhui, upload, province_admin, client
):
    version = upload(anhui, "到2028年，培育30家左右上市企业。", title="待发布的测试文件")
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    proposal_accept(actor=province_admin, proposal=listed, expected="proposed")
    client.force_login(province_admin)
    assert "发布政策文件：待发布的测试文件" in client.get("/").content.decode()
    version_publish(actor=province_admin, version=version, expected="draft")
    assert "发布政策文件：待发布的测试文件" not in client.get("/").content.decode()
