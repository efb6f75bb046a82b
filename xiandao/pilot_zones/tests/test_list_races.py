"""Two admins pressing 公布名单 at once: the list is published once and its zones made once.

The thread test runs on PostgreSQL (``make test-postgres``): two real connections, the second
blocked on the first one's row lock. SQLite serialises whole transactions, so there it is
skipped; the expected-status rule itself is tested on both (``test_creation_lists``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.tests.factories import RoleAssignmentFactory
from xiandao.core.models import AuditEntry
from xiandao.pilot_zones.lists import services
from xiandao.pilot_zones.lists.models import CreationList, ListStatus
from xiandao.pilot_zones.models import PilotZone, StatusChange

from .lists_support import department, reviewed_application


def _race(first: Callable[[], Any], second: Callable[[], Any], monkeypatch: Any) -> dict[str, Any]:
    """``second`` starts once ``first`` holds the list's lock and pauses inside its transaction."""
    locked = threading.Event()
    real = services.audit_record

    def slow_audit(**kwargs: Any) -> Any:
        if threading.current_thread().name == "first" and not locked.is_set():
            locked.set()
            threading.Event().wait(0.5)  # second is now blocked on the row lock
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", slow_audit)
    outcome: dict[str, Any] = {}

    def run(name: str, act: Callable[[], Any]) -> None:
        try:
            if name == "second":
                locked.wait(10)
            outcome[name] = act()
        except Exception as error:  # the outcome is what the test asserts
            outcome[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair, name=pair[0])
        for pair in (("first", first), ("second", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_publish_pressed_twice_at_once_publishes_once(
    shipped_programmes: dict[str, Any], personas: dict[str, Any], monkeypatch: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")
    anhui = shipped_programmes["anhui"]
    admin = personas["province_admin"]
    other = RoleAssignmentFactory(
        role=Role.PROGRAMME_ADMIN, jurisdiction=anhui.jurisdiction, user__username="anhui-admin-2"
    ).user
    application = reviewed_application(anhui, "示例并发公布先导区")
    creation_list = services.creation_list_create(actor=admin, programme=anhui)
    services.creation_list_entry_propose(
        actor=admin, creation_list=creation_list, application=application, opinion="好"
    )
    services.creation_list_consult(
        actor=admin,
        creation_list=creation_list,
        departments=[department("安徽省科学技术厅")],
        deadline=timezone.localdate(),
    )
    CreationList.objects.filter(pk=creation_list.pk).update(
        consultation_deadline=timezone.localdate() - dt.timedelta(days=1)
    )

    def publish(actor: Any) -> Callable[[], Any]:
        return lambda: services.creation_list_publish(
            actor=actor, creation_list=creation_list, expected=ListStatus.CONSULTATION
        )

    outcome = _race(publish(admin), publish(other), monkeypatch)
    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], services.ListRefused), outcome["second"]
    assert outcome["second"].code == "stale"
    assert PilotZone.objects.filter(name="示例并发公布先导区").count() == 1
    assert StatusChange.objects.filter(application=application, to_status="creating").count() == 1
    assert AuditEntry.objects.filter(action="pilot_zones.zone.listed").count() == 1
