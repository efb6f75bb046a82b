"""Two admins deciding the same proposal at once: it moves once, and the later one is told why.

The thread tests run on PostgreSQL (``make test-postgres``): two real connections, the second
blocked on the first one's row lock. SQLite serialises whole transactions, so there they are
skipped; the expected-status rule itself is tested on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from xiandao.accounts.models import Role
from xiandao.accounts.tests.factories import RoleAssignmentFactory
from xiandao.core.models import AuditEntry
from xiandao.policies.models import Proposal, ProposalKind, ProposalStatus
from xiandao.policies.services import DecisionStale, proposal_accept, proposal_reject
from xiandao.policies.services import decisions as decisions_module
from xiandao.programmes.models import Target

from .test_decisions import NEW_DOCUMENT, proposal

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_a_decision_from_a_status_that_changed_meanwhile_is_refused(anhui, upload, province_admin):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    proposal_reject(actor=province_admin, proposal=listed, expected="proposed", reason="描述的是现状")
    # The other admin's page still shows 待确认: a rejection may be reconsidered, but not unseen.
    with pytest.raises(DecisionStale, match="已驳回"):
        proposal_accept(actor=province_admin, proposal=listed, expected="proposed")
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.REJECTED and listed.reason == "描述的是现状"
    assert not Target.objects.filter(
        quote="培育30家左右上市企业", document__code__startswith="upload"
    ).exists()


@pytest.mark.django_db
def test_a_stale_reject_form_keeps_the_reason_typed(anhui, upload, province_admin, client):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    proposal_accept(actor=province_admin, proposal=listed, expected="proposed")
    client.force_login(province_admin)
    url = f"/policies/proposals/{listed.pk}/reject/"
    page = client.post(url, {"expected": "proposed", "reason": "与行动方案重复"}, **HTMX).content.decode()
    assert "本次操作没有执行" in page and "您填写的内容：驳回理由：与行动方案重复" in page
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.ACCEPTED and listed.reason == ""
    # A form without the status it saw is refused too (an old page, a hand-made request).
    page = client.post(url, {"reason": "再次驳回"}, **HTMX).content.decode()
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.ACCEPTED and "本次操作没有执行" in page


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")


def _race(first: Callable[[], Any], second: Callable[[], Any], monkeypatch: Any) -> dict[str, Any]:
    """Run ``first`` and ``second`` on two connections; ``second`` starts once ``first`` holds its lock.

    ``first`` pauses inside its transaction (at its audit entry) until ``second`` has had time
    to reach the row lock, so the two transactions overlap for certain.
    """
    locked = threading.Event()
    real = decisions_module.audit_record

    def slow_audit(**kwargs: Any) -> Any:
        if threading.current_thread().name == "first":
            locked.set()
            threading.Event().wait(0.5)  # second is now blocked on the row lock (or past it)
        return real(**kwargs)

    monkeypatch.setattr(decisions_module, "audit_record", slow_audit)
    outcome: dict[str, Any] = {}

    def run(name: str, decide: Callable[[], Any]) -> None:
        try:
            if name == "second":
                locked.wait(10)
            outcome[name] = decide()
        except Exception as error:  # the outcome is what the test asserts
            outcome[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(name, decide), name=name)
        for name, decide in (("first", first), ("second", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_move", ["reject", "accept"])
def test_accept_and_reject_pressed_at_once_move_the_proposal_once(
    anhui, upload, province_admin, first_move, monkeypatch
):
    _postgres()
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    targets_before = Target.objects.count()
    other_admin = RoleAssignmentFactory(
        role=Role.PROGRAMME_ADMIN, jurisdiction=anhui.jurisdiction, user__username="anhui-admin-2"
    ).user

    def accept() -> Any:
        return proposal_accept(actor=province_admin, proposal=listed, expected="proposed")

    def reject() -> Any:
        return proposal_reject(actor=other_admin, proposal=listed, expected="proposed", reason="重复")

    moves = {"accept": accept, "reject": reject}
    second_move = "accept" if first_move == "reject" else "reject"
    outcome = _race(moves[first_move], moves[second_move], monkeypatch)

    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], DecisionStale), outcome["second"]
    listed = Proposal.objects.get(pk=listed.pk)
    decided = AuditEntry.objects.filter(action__startswith="policies.proposal.", object_id=str(listed.pk))
    assert decided.count() == 1
    if first_move == "reject":
        assert (listed.status, listed.reason, listed.target_id) == (ProposalStatus.REJECTED, "重复", None)
        assert Target.objects.count() == targets_before
    else:
        assert listed.status == ProposalStatus.ACCEPTED and listed.reason == ""
        assert Target.objects.count() == targets_before + 1


@pytest.mark.django_db
def test_a_stale_edit_form_is_shown_again_with_what_was_typed(anhui, upload, province_admin, client):
    version = upload(anhui, NEW_DOCUMENT)
    listed = proposal(version, ProposalKind.TARGET, "培育30家左右上市企业")
    proposal_reject(actor=province_admin, proposal=listed, expected="proposed", reason="描述的是现状")
    client.force_login(province_admin)
    typed = {"expected": "proposed", "year": "2028", "metric": "上市企业", "value": "35", "unit": "家"}
    typed |= {"qualifier": "about", "scope": "province", "basis": "stock", "reason": "按印发稿"}
    page = client.post(f"/policies/proposals/{listed.pk}/edit/", typed, **HTMX).content.decode()
    # Rejected meanwhile: a rejection may still be reconsidered, so the form comes back as typed.
    assert "本次操作没有执行" in page and "您填写的内容已保留在下方" in page
    assert 'value="35"' in page and 'value="按印发稿"' in page
    assert 'name="expected" value="rejected"' in page
    listed.refresh_from_db()
    assert listed.status == ProposalStatus.REJECTED
