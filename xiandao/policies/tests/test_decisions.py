"""Accept, edit and accept, reject: what reaches the programme, and what never half-reaches it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from xiandao.core.models import AuditEntry
from xiandao.policies.comparison import Change
from xiandao.policies.models import Proposal, ProposalKind, ProposalStatus
from xiandao.policies.selectors import version_comparison
from xiandao.policies.services import (
    ConfirmationInvalid,
    Decision,
    DecisionRefused,
    proposal_accept,
    proposal_edit_and_accept,
    proposal_reject,
    version_publish,
)
from xiandao.programmes.models import PolicyDocument, Target, Task, UnitRole

from .conftest import revised

pytestmark = pytest.mark.django_db

NEW_DOCUMENT = """关于加快培育未来产业的实施意见
一、发展目标
到2028年，培育30家左右上市企业，力争未来产业规模达到500亿元。
二、重点任务
（一）建设创新平台。布局建设一批概念验证中心和中试验证平台。（责任单位：省发展改革委，配合单位：省科技厅）
（二）强化要素保障。加大金融支持力度。（责任单位：省数据和算力局）
"""


def proposal(version, kind: str, quote: str) -> Proposal:
    return version.proposals.get(kind=kind, payload__quote=quote)


def target_of(decision: Decision) -> Target:
    assert decision.target is not None
    return decision.target


def task_of(decision: Decision) -> Task:
    assert decision.task is not None
    return decision.task


def counts() -> tuple[int, int, int]:
    return Target.objects.count(), Task.objects.count(), PolicyDocument.objects.count()


def test_accepting_a_target_of_a_new_document_lists_the_document_and_writes_the_target(
    anhui, upload, province_admin
):
    version = upload(
        anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见", issuer="安徽省人民政府办公厅"
    )
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    decision = proposal_accept(expected="proposed", actor=province_admin, proposal=listed)
    listed.refresh_from_db()
    target = target_of(decision)
    assert decision.created and listed.status == ProposalStatus.ACCEPTED and listed.target == target
    assert listed.decided_by == province_admin and listed.decided_at is not None
    assert (target.programme, target.year, target.metric, target.value, target.unit) == (
        anhui,
        2028,
        "上市企业",
        Decimal(30),
        "家",
    )
    assert (target.qualifier, target.scope, target.basis, target.quote) == (
        "about",
        "province",
        "stock",
        "培育30家左右上市企业",
    )
    document = target.document
    assert document.title == "关于加快培育未来产业的实施意见" and document.issuer == "安徽省人民政府办公厅"
    version.refresh_from_db()
    assert version.document == document
    # The second acceptance reuses the listed document.
    scale = proposal(version, ProposalKind.TARGET, "力争未来产业规模达到500亿元")
    assert (
        target_of(proposal_accept(expected="proposed", actor=province_admin, proposal=scale)).document
        == document
    )
    assert PolicyDocument.objects.filter(programme=anhui).count() == 3
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "programmes.document.registered",
        "programmes.target.created",
        "policies.proposal.accepted",
    } <= actions


def test_accepting_a_task_resolves_its_units_as_the_loader_does(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    decision = proposal_accept(
        expected="proposed",
        actor=province_admin,
        proposal=proposal(version, ProposalKind.TASK, "（责任单位：省发展改革委，配合单位：省科技厅）"),
    )
    task = task_of(decision)
    assert task.title == "建设创新平台" and task.programme == anhui
    units = {(u.role, u.written): [o.code for o in u.organisations.all()] for u in task.units.all()}
    assert units == {
        (UnitRole.LEAD, "省发展改革委"): ["ah-drc"],
        (UnitRole.COOPERATING, "省科技厅"): ["ah-dst"],
    }


def test_an_unknown_unit_is_refused_with_a_suggestion_and_nothing_is_written(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    data_bureau = proposal(version, ProposalKind.TASK, "（责任单位：省数据和算力局）")
    before = counts()
    with pytest.raises(ConfirmationInvalid) as refused:
        proposal_accept(expected="proposed", actor=province_admin, proposal=data_bureau)
    assert "未知单位“省数据和算力局”" in refused.value.errors["lead"][0]
    assert counts() == before  # not even the document was listed
    data_bureau.refresh_from_db()
    assert data_bureau.status == ProposalStatus.PROPOSED and data_bureau.target is None
    # Corrected to a registered unit, it is accepted and keeps the edit beside the extractor's reading.
    decision = proposal_edit_and_accept(
        expected="proposed",
        actor=province_admin,
        proposal=data_bureau,
        values={"task": "强化要素保障", "lead": ["省发展改革委"], "cooperating": []},
        reason="省数据和算力局尚未登记，暂由省发展改革委牵头",
    )
    data_bureau.refresh_from_db()
    assert data_bureau.status == ProposalStatus.EDITED
    assert data_bureau.payload["lead"] == ["省数据和算力局"] and (data_bureau.final_payload or {})[
        "lead"
    ] == ["省发展改革委"]
    assert (
        data_bureau.reason.startswith("省数据和算力局")
        and task_of(decision).units.get().written == "省发展改革委"
    )


def test_an_edit_breaking_rules_reports_every_field_and_writes_nothing(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    before = counts()
    values = {
        "year": "1880",
        "metric": "",
        "value": "-3",
        "unit": "家",
        "qualifier": "roughly",
        "strive": False,
        "cumulative": True,
        "scope": "",
        "basis": "stock",
    }
    with pytest.raises(ConfirmationInvalid) as refused:
        proposal_edit_and_accept(expected="proposed", actor=province_admin, proposal=listed, values=values)
    assert set(refused.value.errors) == {"year", "metric", "value", "qualifier", "scope", "basis"}
    assert "计划期2024–2030年" in refused.value.errors["year"][0]
    assert counts() == before
    with pytest.raises(ConfirmationInvalid) as refused:
        proposal_edit_and_accept(
            expected="proposed",
            actor=province_admin,
            proposal=listed,
            values={**values, "value": "三十", "year": "二〇二八"},
        )
    assert set(refused.value.errors) == {"value", "year"}  # shapes first, then the rules
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.PROPOSED


def test_reject_needs_a_reason_and_may_be_reconsidered(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    with pytest.raises(ConfirmationInvalid) as refused:
        proposal_reject(expected="proposed", actor=province_admin, proposal=listed, reason="  ")
    assert "驳回理由" in refused.value.errors["reason"][0]
    proposal_reject(expected="proposed", actor=province_admin, proposal=listed, reason="与行动方案重复")
    listed.refresh_from_db()
    assert (
        listed.status == ProposalStatus.REJECTED
        and listed.reason == "与行动方案重复"
        and listed.target is None
    )
    entry = AuditEntry.objects.get(action="policies.proposal.rejected")
    assert entry.reason == "与行动方案重复" and entry.before == {"status": "proposed"}
    with pytest.raises(DecisionRefused):
        proposal_reject(expected="rejected", actor=province_admin, proposal=listed, reason="再次驳回")
    proposal_accept(expected="rejected", actor=province_admin, proposal=listed)
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.ACCEPTED and listed.target is not None


def test_an_accepted_proposal_cannot_be_decided_again(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    proposal_accept(expected="proposed", actor=province_admin, proposal=listed)
    for decide in (
        lambda: proposal_accept(expected="accepted", actor=province_admin, proposal=listed),
        lambda: proposal_reject(expected="accepted", actor=province_admin, proposal=listed, reason="误操作"),
    ):
        with pytest.raises(DecisionRefused, match="已接受"):
            decide()
    assert (
        Target.objects.filter(quote="培育30家左右上市企业", document__code__startswith="upload").count() == 1
    )


@pytest.mark.parametrize("persona", ["zhejiang_admin", "hefei_city_officer"])
def test_only_the_programmes_admins_decide(anhui, upload, personas, persona):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    before = counts()
    for decide in (
        lambda: proposal_accept(expected="proposed", actor=personas[persona], proposal=listed),
        lambda: proposal_reject(expected="proposed", actor=personas[persona], proposal=listed, reason="越权"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert counts() == before
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.PROPOSED


def test_field_proposals_are_recorded_but_not_written(anhui, plan_text, upload, province_admin):
    version = upload(anhui, plan_text)
    quantum = version.proposals.filter(kind=ProposalKind.FIELD, payload__name="量子科技").get()
    before = counts()
    proposal_accept(expected="proposed", actor=province_admin, proposal=quantum)
    assert counts() == before
    with pytest.raises(DecisionRefused):
        proposal_edit_and_accept(
            expected="proposed",
            actor=province_admin,
            proposal=version.proposals.filter(kind=ProposalKind.FIELD).last(),
            values={},
        )


# -- a new version of a document the programme already holds ---------------------------------------


def test_a_new_version_is_compared_with_the_documents_targets_and_tasks(anhui, plan_text, upload):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, revised(plan_text), document=document)
    comparison = version_comparison(version)
    assert comparison.targets.counts() == {"new": 1, "changed": 1, "unchanged": 4, "removed": 1}
    changed = comparison.targets.of(Change.CHANGED)[0]
    assert ((changed.current or {})["code"], changed.differences) == (
        "pz-2030-listed-enterprises",
        ("value",),
    )
    assert (comparison.targets.of(Change.REMOVED)[0].current or {})["quote"] == "主导或参与制定100项左右标准"
    assert (comparison.targets.of(Change.NEW)[0].proposed or {})["quote"] == "引育50个以上高层次人才团队"
    assert comparison.tasks.counts() == {"new": 0, "changed": 0, "unchanged": 7, "removed": 0}
    assert comparison.fields.counts()["removed"] == 0  # compared with the plan's own taxonomy version


def test_accepting_a_changed_figure_updates_the_target_in_place_when_published(
    anhui, plan_text, upload, province_admin
):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, revised(plan_text), document=document)
    current = Target.objects.get(programme=anhui, code="pz-2030-listed-enterprises")
    before = counts()
    decision = proposal_accept(
        expected="proposed",
        actor=province_admin,
        proposal=proposal(version, ProposalKind.TARGET, "培育40家左右上市企业"),
    )
    assert not decision.created and target_of(decision).pk == current.pk
    # Checked, linked, but the public target stays as it is until the version is published.
    current.refresh_from_db()
    assert current.value == Decimal(30)
    assert not AuditEntry.objects.filter(action="programmes.target.updated").exists()
    version_publish(actor=province_admin, version=version, expected="draft")
    current.refresh_from_db()
    assert current.value == Decimal(40) and current.quote == "培育40家左右上市企业"
    assert current.measure == "ec-listed" and current.basis == "stock"  # curated fields kept
    assert Proposal.objects.get(target=current).change_when_decided == "changed"
    assert counts() == before
    entry = AuditEntry.objects.get(action="programmes.target.updated")
    assert entry.before == {"value": "30.000000", "quote": "培育30家左右上市企业"}
    assert (entry.after or {})["value"] == "40"
    # Afterwards the pair is fixed: the comparison shows it unchanged and the rest as before.
    comparison = version_comparison(version)
    assert comparison.targets.counts() == {"new": 1, "changed": 0, "unchanged": 5, "removed": 1}


def test_accepting_an_unchanged_target_links_it_without_a_duplicate(anhui, plan_text, upload, province_admin):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, plan_text, document=document)
    before = counts()
    for listed in version.proposals.filter(kind__in=[ProposalKind.TARGET, ProposalKind.TASK]):
        proposal_accept(expected="proposed", actor=province_admin, proposal=listed)
    assert counts() == before
    assert not AuditEntry.objects.filter(
        action__in=["programmes.target.updated", "programmes.task.updated"]
    ).exists()
    linked = set(version.proposals.exclude(target=None).values_list("target__code", flat=True))
    assert linked == set(Target.objects.filter(document=document).values_list("code", flat=True))


def test_accepting_a_new_target_of_a_new_version_adds_it_to_that_document(
    anhui, plan_text, upload, province_admin
):
    document = anhui.documents.get(code="anhui-pilot-zone-plan")
    version = upload(anhui, revised(plan_text), document=document)
    decision = proposal_accept(
        expected="proposed",
        actor=province_admin,
        proposal=proposal(version, ProposalKind.TARGET, "引育50个以上高层次人才团队"),
    )
    target = target_of(decision)
    assert decision.created and target.document == document and target.code == "anhui-pilot-zone-plan-2030-1"
    assert (target.metric, target.value, target.unit, target.qualifier, target.basis) == (
        "高层次人才团队",
        Decimal(50),
        "个",
        "at_least",
        "increment",
    )


def test_a_confirmed_new_document_is_readable_with_its_target_highlighted_on_the_public_page(
    anhui, upload, province_admin, client
):
    version = upload(
        anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见", issuer="安徽省人民政府办公厅"
    )
    target = target_of(
        proposal_accept(
            expected="proposed",
            actor=province_admin,
            proposal=proposal(version, ProposalKind.TARGET, "培育30家左右上市企业"),
        )
    )
    public_page = f"/programmes/anhui/documents/{target.document.code}/"
    assert client.get(public_page).status_code == 404  # a draft until published
    version_publish(actor=province_admin, version=version, expected="draft")
    page = client.get(public_page).content.decode()
    assert "原文暂不可用" not in page
    assert "布局建设一批概念验证中心和中试验证平台" in page  # the uploaded text itself
    assert f'id="target-{target.code}"' in page and "培育30家左右上市企业" in page
