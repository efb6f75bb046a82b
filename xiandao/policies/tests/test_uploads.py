"""Uploading: who may, what a bad file does (nothing saved), inline and background extraction."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from xiandao.core.models import AuditEntry, Job, JobStatus
from xiandao.policies.models import DocumentVersion, Proposal, ProposalKind, VersionStatus
from xiandao.policies.services import UploadInvalid, document_upload

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return (
        not DocumentVersion.objects.exists()
        and not Proposal.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="policies.").exists()
    )


def test_the_programme_admin_uploads_and_gets_proposals_at_their_offsets(
    anhui, plan_text, upload, province_admin
):
    version = upload(
        anhui, plan_text, filename="anhui-pilot-zone-plan.txt", title="安徽省未来产业先导区建设方案（试行）"
    )
    assert version.status == VersionStatus.READY
    assert version.text == plan_text and version.uploaded_by == province_admin
    assert version.document is None and not version.is_new_version
    kinds = {kind: version.proposals.filter(kind=kind).count() for kind in ProposalKind.values}
    assert kinds == {"target": 6, "task": 7, "field": 11}
    for proposal in version.proposals.all():
        assert version.text[proposal.start : proposal.end] == proposal.payload["quote"]
    listed = version.proposals.get(kind=ProposalKind.TARGET, payload__quote="培育30家左右上市企业")
    assert listed.payload["value"] == 30 and listed.payload["unit"] == "家"
    actions = list(
        AuditEntry.objects.filter(action__startswith="policies.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["policies.document.uploaded", "policies.document.extracted"]


def test_a_new_version_takes_the_documents_title_when_none_is_typed(anhui, plan_text, upload):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, plan_text, title="", document=document)
    assert version.is_new_version and version.document == document and version.title == document.title


@pytest.mark.parametrize(
    "persona", ["zhejiang_admin", "hefei_city_officer", "department_officer", "scientist_expert"]
)
def test_only_the_programmes_own_admins_may_upload(anhui, plan_text, upload, personas, persona):
    with pytest.raises(PermissionDenied):
        upload(anhui, plan_text, actor=personas[persona])
    assert nothing_saved()


def _scanned_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (_scanned_pdf(), "扫描件.pdf", "没有可提取的文字层"),
        (b"\xd0\xcf\x11\xe0 old word", "方案.doc", "暂不支持旧版 Word"),
        (b"PK\x03\x04 broken", "方案.docx", "无法打开该 Word 文件"),
        (b"%PDF-1.4 broken", "方案.pdf", "无法读取该 PDF 文件"),
        (b"<html></html>", "方案.html", "不支持的文件类型"),
        (b"", "empty.txt", "上传的文件是空的"),
        (b"   \n  ", "blank.txt", "没有文字内容"),
    ],
    ids=["scanned-pdf", "doc", "broken-docx", "broken-pdf", "html", "empty", "blank"],
)
def test_a_file_that_cannot_be_read_is_refused_in_chinese_and_nothing_is_saved(
    anhui, province_admin, data, filename, message
):
    with pytest.raises(UploadInvalid) as refused:
        document_upload(actor=province_admin, programme=anhui, data=data, filename=filename, title="方案")
    assert message in " ".join(refused.value.errors["file"])
    assert nothing_saved()


def test_every_problem_is_reported_at_once(anhui, province_admin):
    other = anhui.documents.first()
    other.programme_id = -1  # a document of another programme
    with pytest.raises(UploadInvalid) as refused:
        document_upload(
            actor=province_admin, programme=anhui, data=b"", filename="a.txt", title="", document=other
        )
    assert set(refused.value.errors) == {"file", "document"}
    assert nothing_saved()


def test_a_docx_upload_is_read_with_its_paragraphs(anhui, upload, province_admin):
    import docx

    document = docx.Document()
    document.add_paragraph("一、发展目标")
    document.add_paragraph("到2027年，培育20家左右上市企业，新增30个左右创新平台。")
    buffer = io.BytesIO()
    document.save(buffer)
    version = document_upload(
        actor=province_admin, programme=anhui, data=buffer.getvalue(), filename="方案.docx", title="方案"
    )
    quotes = sorted(p.payload["quote"] for p in version.proposals.filter(kind=ProposalKind.TARGET))
    assert quotes == ["培育20家左右上市企业", "新增30个左右创新平台"]


def test_a_long_document_is_read_by_a_background_job_with_progress(
    anhui, plan_text, upload, settings, django_capture_on_commit_callbacks
):
    settings.POLICIES_INLINE_EXTRACTION_CHARS = 1000
    with django_capture_on_commit_callbacks(execute=True):
        version = upload(anhui, plan_text)
    assert version.status == VersionStatus.EXTRACTING  # as the upload returned it
    version.refresh_from_db()
    assert version.status == VersionStatus.READY and version.proposals.count() == 24
    job = Job.objects.get(pk=version.job_id)
    assert job.kind == "policies.extract" and job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total) == (4, 4) and "目标6条" in job.message


def test_an_extractor_failure_is_recorded_on_the_version_not_raised(anhui, plan_text, upload, monkeypatch):
    def broken(text, norm=None):
        raise RuntimeError("boom")

    monkeypatch.setattr("xiandao.policies.services.uploads.extract_tasks", broken)
    version = upload(anhui, plan_text)
    assert version.status == VersionStatus.FAILED and "RuntimeError" in version.error
    assert not version.proposals.exists()
    assert AuditEntry.objects.filter(action="policies.document.extraction_failed").exists()
