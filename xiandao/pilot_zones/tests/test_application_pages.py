"""The application pages and API: autosave answers, stale forms, downloads only to those allowed, Word and PDF."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from xiandao.geo.models import Jurisdiction
from xiandao.pilot_zones.demo import DEMO_LETTER_PDF
from xiandao.pilot_zones.models import Application
from xiandao.pilot_zones.services import application_attachment_add

from .test_applications import complete, draft, recommended

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def anhui(shipped_programmes: dict[str, Any]) -> Any:
    return shipped_programmes["anhui"]


@pytest.fixture
def hefei() -> Jurisdiction:
    return Jurisdiction.objects.get(code="340100")


def test_autosave_answers_saved_with_the_new_version_and_the_section_marks(
    client, anhui, hefei, hefei_city_officer
):
    app = draft(anhui, hefei, hefei_city_officer)
    client.force_login(hefei_city_officer)
    url = f"/pilot-zones/applications/{app.pk}/save/"
    page = client.post(url, {"version": "1", "measures": "一、建设中试平台。"}, **HTMX).content.decode()
    assert "已保存" in page and 'data-version="2"' in page
    assert 'data-testid="section-measures" data-complete="1"' in page
    assert 'data-testid="section-targets" data-complete="0"' in page
    # The same form posted again from version 1 (another tab): refused, nothing saved.
    stale = client.post(url, {"version": "1", "measures": "另一处的修改"}, **HTMX).content.decode()
    assert "未保存" in stale and "已在别处更新" in stale
    app.refresh_from_db()
    assert app.measures == "一、建设中试平台。" and app.version == 2


def test_the_form_refuses_a_field_the_programme_lacks_and_a_period_out_of_limits(
    client, anhui, hefei, hefei_city_officer
):
    app = draft(anhui, hefei, hefei_city_officer)
    client.force_login(hefei_city_officer)
    page = client.post(
        f"/pilot-zones/applications/{app.pk}/save/",
        {
            "version": "1",
            "field": "flexible-electronics",
            "creation_start_year": "2025",
            "creation_end_year": "2035",
        },
        **HTMX,
    ).content.decode()
    assert "本培育计划没有领域“flexible-electronics”" in page and "创建周期须为3至5年（填写的是11年）" in page
    app.refresh_from_db()
    assert app.field_id is None and app.creation_end_year is None


def test_an_attachment_is_served_only_to_those_who_see_the_application(
    client, anhui, hefei, hefei_city_officer, province_admin, zone_operator, evaluator
):
    app = draft(anhui, hefei, hefei_city_officer)
    attachment = application_attachment_add(
        actor=hefei_city_officer, application=app, data=DEMO_LETTER_PDF, filename="说明.pdf"
    )
    url = f"/pilot-zones/attachments/{attachment.pk}/"
    client.force_login(hefei_city_officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == DEMO_LETTER_PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(zone_operator)  # the host park's staff see their park's application
    assert client.get(url).status_code == 200
    for outsider in (province_admin, evaluator):  # a draft is the city's business
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_uploading_a_doc_through_the_page_says_what_to_do(client, anhui, hefei, hefei_city_officer):
    app = draft(anhui, hefei, hefei_city_officer)
    client.force_login(hefei_city_officer)
    upload = SimpleUploadedFile("报告.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)
    page = client.post(f"/pilot-zones/applications/{app.pk}/attachments/", {"file": upload}, follow=True)
    assert "请另存为 .docx 或 PDF 后上传" in page.content.decode()
    assert not app.attachments.exists()


def _east_asian(run: Any) -> str | None:
    return run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_word_follows_gbt_9704_with_east_asian_fonts_and_pdf_has_the_cjk_text(
    client, anhui, hefei, hefei_city_officer
):
    app = complete(draft(anhui, hefei, hefei_city_officer), hefei_city_officer)
    client.force_login(hefei_city_officer)
    word = client.get(f"/pilot-zones/applications/{app.pk}/word/")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in word["Content-Disposition"]
    document: Any = Document(io.BytesIO(word.content))
    section: Any = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    title: Any = document.paragraphs[0]
    assert title.text == "测试量子先导区创建申请报告"
    fonts = title.runs[0]._element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    headings = [p.text for p in document.paragraphs if p.runs and _east_asian(p.runs[0]) == "黑体"]
    assert headings == ["一、基本情况", "二、申报条件", "三、目标任务", "四、主要举措"]
    body = next(p for p in document.paragraphs if p.text.startswith("创新资源丰富"))
    assert _east_asian(body.runs[0]) == "仿宋_GB2312"
    pdf = client.get(f"/pilot-zones/applications/{app.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    reader: Any = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "测试量子先导区创建申请报告" in text and "企业研发经费投入强度" in text
    fonts_used = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in fonts_used)


def test_the_api_runs_the_same_way_with_chinese_refusals(
    client, anhui, hefei, hefei_city_officer, province_admin
):
    client.force_login(hefei_city_officer)
    from xiandao.geo.models import Park

    park = Park.objects.get(name="合肥高新技术产业开发区")
    from xiandao.pilot_zones.application_rules import application_rules

    answers = {c.code: "已具备" for c in application_rules(anhui).conditions}
    created = client.post(
        "/api/v1/applications",
        {
            "programme": "anhui",
            "city": "340100",
            "hosts": [park.pk],
            "answers": answers,
            "name": "接口先导区",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and "基本信息：未选择领域。" in body["missing"]
    pk = body["id"]
    patched = client.patch(
        f"/api/v1/applications/{pk}",
        {
            "version": body["version"],
            "field": "quantum",
            "targets": [{"indicator": "ia-revenue", "year": None, "value": "12.5"}],
        },
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["field"]["code"] == "quantum"
    stale = client.patch(
        f"/api/v1/applications/{pk}", {"version": body["version"]}, content_type="application/json"
    )
    assert stale.status_code == 400 and "已在别处更新" in stale.json()["error"]["message"]
    refused = client.post(
        f"/api/v1/applications/{pk}/submit", {"expected": "draft"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "申请报告还不完整" in refused.json()["error"]["message"]
    letter = client.post(
        f"/api/v1/applications/{pk}/attachments",
        {"file": SimpleUploadedFile("x.wps", b"PK\x03\x04"), "kind": "other"},
    )
    assert letter.status_code == 400 and "请另存为 .docx 或 PDF 后上传" in letter.json()["error"]["message"]
    client.force_login(province_admin)
    assert client.get(f"/api/v1/applications/{pk}").status_code == 404
    app = recommended(anhui, hefei, hefei_city_officer)
    accepted = client.post(
        f"/api/v1/applications/{app.pk}/accept",
        json.dumps({"expected": "recommended"}),
        content_type="application/json",
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "under_review"
    again = client.post(
        f"/api/v1/applications/{app.pk}/return",
        {"expected": "recommended", "reason": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "可能已有他人办理" in again.json()["error"]["message"]
    assert Application.objects.get(pk=app.pk).status == "under_review"


def test_the_workbench_lists_what_waits_for_each(client, anhui, hefei, hefei_city_officer, province_admin):
    recommended(anhui, hefei, hefei_city_officer)
    client.force_login(province_admin)
    page = client.get("/").content.decode()
    assert "受理或退回设区市推荐的先导区申请报告" in page
    assert "申报受理" in page  # 申报评审 in the admin's menu
    client.force_login(hefei_city_officer)
    page = client.get("/").content.decode()
    assert "申请报告" in page and "申报管理" in page


def test_the_host_parks_staff_draft_and_submit_and_the_city_attests(
    client, anhui, hefei, zone_operator, hefei_city_officer, django_capture_on_commit_callbacks
):
    from xiandao.notifications.models import Notification
    from xiandao.pilot_zones.application_rules import application_rules
    from xiandao.pilot_zones.services import application_submit

    client.force_login(zone_operator)
    page = client.get("/pilot-zones/applications/new/").content.decode()
    assert "合肥高新技术产业开发区" in page
    from xiandao.geo.models import Park

    park = Park.objects.get(name="合肥高新技术产业开发区")
    answers = {f"answer_{c.code}": "已具备" for c in application_rules(anhui).conditions}
    response = client.post(
        "/pilot-zones/applications/new/",
        {
            "programme": "anhui",
            "city": hefei.pk,
            "step": "create",
            "hosts": [park.pk],
            "name": "园区申报",
            **answers,
        },
    )
    assert response.status_code == 302
    app = Application.objects.get(name="园区申报")
    app = complete(app, zone_operator)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=zone_operator, application=app, expected="draft")
    assert Notification.objects.filter(
        recipient=hefei_city_officer, kind="pilot_zones.application_submitted"
    ).exists()
    client.force_login(hefei_city_officer)
    page = client.get(f"/pilot-zones/applications/{app.pk}/").content.decode()
    assert 'data-testid="attest-form"' in page
    client.force_login(zone_operator)
    page = client.get(f"/pilot-zones/applications/{app.pk}/").content.decode()
    assert 'data-testid="attest-form"' not in page  # the four checks are the city's
