"""The publish step: an upload and what was accepted from it are public only once published.

Before that the admin may withdraw it, with a reason: what it added is retired (never deleted)
and the public pages and API are as they were. The uploaded file is served only to those who
may see its document.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import connection

from xiandao.accounts.models import Role
from xiandao.accounts.tests.factories import RoleAssignmentFactory
from xiandao.core.models import AuditEntry
from xiandao.policies.models import DocumentVersion, ProposalKind, Publication
from xiandao.policies.services import (
    DecisionRefused,
    PublicationInvalid,
    PublicationRefused,
    PublicationStale,
    proposal_accept,
    version_publish,
    version_withdraw,
)
from xiandao.programmes.models import PolicyDocument, RecordStatus, Target, Task

from .conftest import revised
from .files import word_file
from .test_decisions import NEW_DOCUMENT, proposal

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TITLE = "关于加快培育未来产业的实施意见"


def accepted_new_document(anhui: Any, upload: Any, admin: Any) -> DocumentVersion:
    """The new document uploaded, its target and its first task accepted."""
    version = upload(anhui, NEW_DOCUMENT, title=TITLE, issuer="安徽省人民政府办公厅")
    for listed in (
        proposal(version, ProposalKind.TARGET, "培育30家左右上市企业"),
        version.proposals.get(kind=ProposalKind.TASK, position=0),
    ):
        proposal_accept(actor=admin, proposal=listed, expected="proposed")
    version.refresh_from_db()
    return version


def _page(client: Any, url: str) -> str:
    """A page's HTML without its per-request CSRF token."""
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", client.get(url).content.decode())


def public_view(client: Any, anhui: Any) -> dict[str, Any]:
    """What a visitor sees of the programme: the pages and the public API."""
    client.logout()
    api_targets = client.get(f"/api/v1/programmes/{anhui.code}/targets").json()
    api_tasks = client.get(f"/api/v1/programmes/{anhui.code}/tasks").json()
    api_programme = client.get(f"/api/v1/programmes/{anhui.code}").json()
    return {
        "targets_page": _page(client, f"/programmes/{anhui.code}/targets/"),
        "tasks_page": _page(client, f"/programmes/{anhui.code}/tasks/"),
        "documents_page": _page(client, f"/programmes/{anhui.code}/documents/"),
        "overview": _page(client, f"/programmes/{anhui.code}/"),
        "api_target_quotes": [t["quote"] for t in api_targets],
        "api_task_titles": [t["task"] for t in api_tasks],
        "api_documents": [d["title"] for d in api_programme["documents"]],
    }


def test_an_upload_and_what_was_accepted_from_it_are_public_only_once_published(
    anhui, upload, province_admin, client
):
    before = public_view(client, anhui)
    version = accepted_new_document(anhui, upload, province_admin)
    document = version.document
    assert document is not None and document.status == RecordStatus.DRAFT
    drafts = Target.objects.filter(document=document)
    assert [t.status for t in drafts] == [RecordStatus.DRAFT]
    hidden = public_view(client, anhui)
    assert hidden == before  # nothing of the draft upload, on any page or in the API
    assert client.get(f"/programmes/{anhui.code}/documents/{document.code}/").status_code == 404

    version = version_publish(actor=province_admin, version=version, expected="draft")
    assert version.publication == Publication.PUBLISHED and version.published_by == province_admin
    shown = public_view(client, anhui)
    assert "培育30家左右上市企业" in shown["api_target_quotes"]
    assert TITLE in shown["api_documents"] and TITLE in shown["documents_page"]
    assert "建设创新平台" in " ".join(shown["api_task_titles"])
    page = client.get(f"/programmes/{anhui.code}/documents/{document.code}/").content.decode()
    assert "布局建设一批概念验证中心和中试验证平台" in page
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "policies.document.published",
        "programmes.document.published",
        "programmes.target.published",
        "programmes.task.published",
    } <= actions
    entry = AuditEntry.objects.get(action="policies.document.published")
    assert (entry.after or {})["targets"] == 1 and (entry.after or {})["documents"] == 1


def test_withdrawing_retires_what_the_upload_added_with_a_reason_and_an_audit_entry(
    anhui, upload, province_admin, client
):
    before = public_view(client, anhui)
    counts_before = (PolicyDocument.objects.count(), Target.objects.count(), Task.objects.count())
    version = accepted_new_document(anhui, upload, province_admin)
    with pytest.raises(PublicationInvalid):
        version_withdraw(actor=province_admin, version=version, expected="draft", reason=" ")
    version = version_withdraw(actor=province_admin, version=version, expected="draft", reason="上传错了文件")
    assert version.publication == Publication.WITHDRAWN and version.withdrawal_reason == "上传错了文件"
    document = version.document
    assert document is not None
    # Retired, never deleted: the rows stay, with their status and an audit entry each.
    assert document.__class__.objects.get(pk=document.pk).status == RecordStatus.RETIRED
    assert {t.status for t in Target.objects.filter(document=document)} == {RecordStatus.RETIRED}
    assert {t.status for t in Task.objects.filter(document=document)} == {RecordStatus.RETIRED}
    assert (PolicyDocument.objects.count(), Target.objects.count(), Task.objects.count()) == (
        counts_before[0] + 1,
        counts_before[1] + 1,
        counts_before[2] + 1,
    )
    withdrawn = AuditEntry.objects.get(action="policies.document.withdrawn")
    assert withdrawn.reason == "上传错了文件" and (withdrawn.after or {})["retired_targets"] == 1
    retired = AuditEntry.objects.filter(action="programmes.target.retired").get()
    assert "上传错了文件" in retired.reason
    assert public_view(client, anhui) == before
    # A withdrawn version is done with: no more decisions, no publication.
    rest = version.proposals.filter(status="proposed").first()
    assert rest is not None
    with pytest.raises(DecisionRefused, match="已撤回"):
        proposal_accept(actor=province_admin, proposal=rest, expected="proposed")
    with pytest.raises(PublicationStale):
        version_publish(actor=province_admin, version=version, expected="draft")
    with pytest.raises(PublicationRefused, match="不能再发布"):
        version_publish(actor=province_admin, version=version, expected="withdrawn")


def test_a_new_version_changes_public_targets_only_when_published_and_never_if_withdrawn(
    anhui, plan_text, upload, province_admin
):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    listed = Target.objects.get(programme=anhui, code="pz-2030-listed-enterprises")
    version = upload(anhui, revised(plan_text), document=document)
    for quote in ("培育40家左右上市企业", "引育50个以上高层次人才团队"):
        proposal_accept(
            actor=province_admin, proposal=proposal(version, ProposalKind.TARGET, quote), expected="proposed"
        )
    added = Target.objects.get(document=document, quote="引育50个以上高层次人才团队")
    assert added.status == RecordStatus.DRAFT
    listed.refresh_from_db()
    assert listed.value == 30
    version_withdraw(actor=province_admin, version=version, expected="draft", reason="征求意见稿，非正式印发")
    listed.refresh_from_db()
    added.refresh_from_db()
    assert listed.value == 30 and listed.status == RecordStatus.ACTIVE  # the document's target untouched
    assert added.status == RecordStatus.RETIRED
    # The same file uploaded again after the withdrawal is a new version, compared afresh.
    again = upload(anhui, revised(plan_text), document=document)
    assert again.pk != version.pk and not again.already_uploaded
    row = next(r for r in _target_rows(again) if r.get("quote") == "引育50个以上高层次人才团队")
    assert row["change"] == "new"  # the retired target does not count as the document's


def _target_rows(version: DocumentVersion) -> list[dict[str, Any]]:
    from xiandao.policies.selectors import version_comparison

    comparison = version_comparison(version, fields=False)
    return [{"quote": (r.proposed or {}).get("quote"), "change": r.change} for r in comparison.targets.rows]


def test_publish_and_withdraw_from_the_page(anhui, upload, province_admin, client):
    version = accepted_new_document(anhui, upload, province_admin)
    client.force_login(province_admin)
    review = f"/policies/documents/{version.pk}/"
    page = client.get(review).content.decode()
    assert 'data-testid="publication-tag"' in page and "草稿" in page
    assert 'data-testid="publish"' in page and 'data-testid="withdraw"' in page
    confirm = client.get(f"{review}withdraw/").content.decode()
    assert "确定撤回" in confirm and "目标：2028年 上市企业 30家" in confirm
    refused = client.post(f"{review}withdraw/", {"expected": "draft", "reason": ""}).content.decode()
    assert "请填写撤回理由" in refused
    version_publish(actor=province_admin, version=version, expected="draft")  # another admin, meanwhile
    stale = client.post(f"{review}withdraw/", {"expected": "draft", "reason": "文件有误"}).content.decode()
    assert "本次操作没有执行" in stale and "文件有误" in stale
    version.refresh_from_db()
    assert version.publication == Publication.PUBLISHED
    page = client.get(review).content.decode()
    assert "已发布" in page and 'data-testid="publish"' not in page


def test_publish_over_htmx_redirects_to_the_review_page(anhui, upload, province_admin, client):
    version = accepted_new_document(anhui, upload, province_admin)
    client.force_login(province_admin)
    response = client.post(f"/policies/documents/{version.pk}/publish/", {"expected": "draft"}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == f"/policies/documents/{version.pk}/"
    version.refresh_from_db()
    assert version.publication == Publication.PUBLISHED


@pytest.mark.parametrize("persona", ["zhejiang_admin", "hefei_city_officer"])
def test_only_the_programmes_admins_publish_or_withdraw(
    anhui, upload, province_admin, personas, persona, client
):
    version = accepted_new_document(anhui, upload, province_admin)
    client.force_login(personas[persona])
    assert client.post(f"/policies/documents/{version.pk}/publish/", {"expected": "draft"}).status_code == 404
    assert client.get(f"/policies/documents/{version.pk}/withdraw/").status_code == 404
    api = client.post(
        f"/api/v1/policies/versions/{version.pk}/publish",
        {"expected": "draft"},
        content_type="application/json",
    )
    assert api.status_code == 404
    version.refresh_from_db()
    assert version.publication == Publication.DRAFT


def test_the_api_publishes_and_withdraws_over_the_same_services(anhui, upload, province_admin, client):
    client.force_login(province_admin)
    first = accepted_new_document(anhui, upload, province_admin)
    url = f"/api/v1/policies/versions/{first.pk}"
    assert client.get(url).json()["publication_label"] == "草稿"
    stale = client.post(
        f"{url}/withdraw", {"expected": "published", "reason": "x"}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    missing = client.post(f"{url}/withdraw", {"expected": "draft"}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["details"][0]["field"] == "reason"
    done = client.post(f"{url}/publish", {"expected": "draft"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["publication"] == "published"
    again = client.post(f"{url}/publish", {"expected": "draft"}, content_type="application/json")
    assert again.status_code == 409


def test_the_api_decides_with_the_expected_status(anhui, upload, province_admin, client):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    client.force_login(province_admin)
    url = f"/api/v1/policies/proposals/{listed.pk}"
    rejected = client.post(
        f"{url}/reject", {"expected": "proposed", "reason": "重复"}, content_type="application/json"
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    late = client.post(f"{url}/accept", {"expected": "proposed"}, content_type="application/json")
    assert late.status_code == 409 and "本次操作没有执行" in late.json()["error"]["message"]
    reconsidered = client.post(f"{url}/accept", {"expected": "rejected"}, content_type="application/json")
    assert reconsidered.status_code == 200 and reconsidered.json()["target"]


def test_the_api_uploads_and_the_same_file_answers_with_the_existing_version(anhui, province_admin, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(province_admin)
    data = word_file()
    answers = [
        client.post(
            "/api/v1/policies/versions",
            {"programme": "anhui", "title": "方案", "file": SimpleUploadedFile("方案.docx", data)},
        ).json()
        for _ in range(2)
    ]
    assert answers[0]["id"] == answers[1]["id"] and answers[1]["already_uploaded"]
    assert answers[0]["publication"] == "draft" and answers[0]["proposals"]["undecided"] == 1


# -- the uploaded file ------------------------------------------------------------------------------


def test_the_file_is_kept_outside_the_web_root_and_served_to_those_who_may_see_the_document(
    anhui, province_admin, personas, client, settings, upload_root
):
    from xiandao.policies.services import document_upload

    data = word_file()
    version = document_upload(
        actor=province_admin, programme=anhui, data=data, filename="实施意见.docx", title=TITLE
    )
    stored = upload_root / version.file.name
    assert stored.read_bytes() == data
    for web_root in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert not stored.resolve().is_relative_to(web_root)
    url = f"/policies/documents/{version.pk}/file/"
    client.force_login(province_admin)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert "attachment" in response["Content-Disposition"] and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    for persona in ("zhejiang_admin", "hefei_city_officer", "scientist_expert"):
        client.force_login(personas[persona])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    # Once published, with its document public, the file is public as the document is.
    listed = version.proposals.get(kind=ProposalKind.TARGET)
    proposal_accept(actor=province_admin, proposal=listed, expected="proposed")
    version_publish(actor=province_admin, version=version, expected="draft")
    assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_publish_and_withdraw_pressed_at_once_move_the_version_once(anhui, upload, province_admin):
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")
    version = accepted_new_document(anhui, upload, province_admin)
    other = RoleAssignmentFactory(role=Role.PROGRAMME_ADMIN, jurisdiction=anhui.jurisdiction).user
    barrier = threading.Barrier(2)
    outcome: dict[str, Any] = {}

    def run(name: str, move: Any) -> None:
        try:
            barrier.wait(10)
            outcome[name] = move()
        except Exception as error:  # the outcome is what the test asserts
            outcome[name] = error
        finally:
            connection.close()

    moves = {
        "publish": lambda: version_publish(actor=province_admin, version=version, expected="draft"),
        "withdraw": lambda: version_withdraw(actor=other, version=version, expected="draft", reason="误传"),
    }
    threads = [threading.Thread(target=run, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    failed = [name for name, result in outcome.items() if isinstance(result, Exception)]
    assert len(failed) == 1 and isinstance(outcome[failed[0]], PublicationStale), outcome
    version.refresh_from_db()
    winner = "publish" if failed == ["withdraw"] else "withdraw"
    assert version.publication == {"publish": "published", "withdraw": "withdrawn"}[winner]
    statuses = set(Target.objects.filter(document=version.document).values_list("status", flat=True))
    assert statuses == {RecordStatus.ACTIVE if winner == "publish" else RecordStatus.RETIRED}


def test_the_programme_as_exported_and_reloaded_is_the_published_one(anhui, upload, province_admin):
    """Drafts are not in the programme's export or fingerprint; reloading never deletes retired rows."""
    from xiandao.programmes.state import programme_definition_data
    from xiandao.programmes.tests.loading import load

    published = programme_definition_data(anhui)
    version = accepted_new_document(anhui, upload, province_admin)
    assert programme_definition_data(anhui) == published
    version_withdraw(actor=province_admin, version=version, expected="draft", reason="误传")
    retired = list(Target.objects.filter(status=RecordStatus.RETIRED).values_list("pk", flat=True))
    load("anhui")  # the file again: nothing of the programme changed, nothing refused
    assert list(Target.objects.filter(status=RecordStatus.RETIRED).values_list("pk", flat=True)) == retired
    assert PolicyDocument.objects.filter(status=RecordStatus.RETIRED, title=TITLE).exists()


def test_the_back_office_shows_a_version_with_its_file_without_a_public_address(
    anhui, province_admin, client, django_user_model
):
    from xiandao.policies.services import document_upload

    version = document_upload(
        actor=province_admin, programme=anhui, data=word_file(), filename="实施意见.docx", title=TITLE
    )
    admin = django_user_model.objects.create_superuser("root-admin", password="x-very-long-password-1")
    client.force_login(admin)
    page = client.get(f"/admin/policies/documentversion/{version.pk}/change/")
    assert page.status_code == 200 and "草稿" in page.content.decode()
    with pytest.raises(ValueError, match="没有公开地址"):
        version.file.url  # noqa: B018 - the property itself refuses


def test_the_list_shows_each_versions_publication_and_filters_by_it(anhui, upload, province_admin, client):
    kept = upload(anhui, "到2028年，培育30家左右上市企业。", title="保留的草稿")
    gone = upload(anhui, "到2029年，培育40家左右上市企业。", title="撤回的上传")
    version_withdraw(actor=province_admin, version=gone, expected="draft", reason="误传")
    client.force_login(province_admin)
    page = client.get("/policies/").content.decode()
    assert page.count('data-testid="publication-tag"') == 2 and "已撤回" in page and "草稿" in page
    withdrawn = client.get("/policies/", {"publication": "withdrawn"}).content.decode()
    assert "撤回的上传" in withdrawn and kept.title not in withdrawn
