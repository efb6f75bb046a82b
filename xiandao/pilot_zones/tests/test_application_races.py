"""Two admins pressing accept and return on the same application at once: it moves once.

Run on PostgreSQL (``make test-postgres``): two real connections, the second blocked on the
first one's row lock (``select_for_update``), then refused because the status it expected is
gone. SQLite serialises whole transactions, so there it is skipped; the expected-status rule
itself is tested on both (``test_applications``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from xiandao.accounts.models import Role
from xiandao.accounts.tests.factories import RoleAssignmentFactory
from xiandao.pilot_zones import application_services
from xiandao.pilot_zones.models import Application, StatusChange
from xiandao.pilot_zones.services import application_accept, application_return

from .test_applications import recommended


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")


def _race(first: Callable[[], Any], second: Callable[[], Any], monkeypatch: Any) -> dict[str, Any]:
    """Run ``first`` and ``second`` on two connections; ``second`` starts once ``first`` holds the lock."""
    locked = threading.Event()
    real = application_services.audit_record

    def slow_audit(**kwargs: Any) -> Any:
        if threading.current_thread().name == "first":
            locked.set()
            threading.Event().wait(0.5)  # second is now blocked on the row lock
        return real(**kwargs)

    monkeypatch.setattr(application_services, "audit_record", slow_audit)
    outcome: dict[str, Any] = {}

    def run(name: str, move: Callable[[], Any]) -> None:
        try:
            if name == "second":
                locked.wait(10)
            outcome[name] = move()
        except Exception as error:  # the outcome is what the test asserts
            outcome[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(n, m), name=n) for n, m in (("first", first), ("second", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_move", ["accept", "return"])
def test_accept_and_return_pressed_at_once_move_the_application_once(
    shipped_programmes, hefei_city_officer, province_admin, first_move, monkeypatch, settings, tmp_path
):
    _postgres()
    settings.ATTACHMENTS_ROOT = tmp_path
    from xiandao.geo.models import Jurisdiction

    app = recommended(
        shipped_programmes["anhui"], Jurisdiction.objects.get(code="340100"), hefei_city_officer
    )
    other_admin = RoleAssignmentFactory(
        role=Role.PROGRAMME_ADMIN, jurisdiction=app.programme.jurisdiction, user__username="anhui-admin-2"
    ).user

    def accept() -> Any:
        return application_accept(actor=province_admin, application=app.pk, expected="recommended")

    def give_back() -> Any:
        return application_return(
            actor=other_admin, application=app.pk, expected="recommended", reason="目标偏低"
        )

    moves = {"accept": accept, "return": give_back}
    second_move = "return" if first_move == "accept" else "accept"
    outcome = _race(moves[first_move], moves[second_move], monkeypatch)

    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], ValidationError), outcome["second"]
    assert "可能已有他人办理" in outcome["second"].messages[0]
    app = Application.objects.get(pk=app.pk)
    assert app.status == ("under_review" if first_move == "accept" else "returned")
    moved = StatusChange.objects.filter(application=app, from_status="recommended")
    assert moved.count() == 1 and moved.get().action == first_move
