"""Two admins pressing 随机抽取 at once draw once; an expert's sheet pressed twice is saved once.

The thread tests run on PostgreSQL (``make test-postgres``): two real connections, the second
blocked on the first one's row lock. SQLite serialises whole transactions, so there they are
skipped; the expected-status rule itself is tested on both (test_services).
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
from xiandao.review import services
from xiandao.review.models import Draw, MemberStatus, PanelMember
from xiandao.review.services import rounds as rounds_module

from .conftest import DEADLINE


def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")


def _race(first: Callable[[], Any], second: Callable[[], Any], monkeypatch: Any) -> dict[str, Any]:
    locked = threading.Event()
    real = rounds_module.audit_record

    def slow_audit(**kwargs: Any) -> Any:
        if threading.current_thread().name == "first":
            locked.set()
            threading.Event().wait(0.5)
        return real(**kwargs)

    monkeypatch.setattr(rounds_module, "audit_record", slow_audit)
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
        threading.Thread(target=run, args=(n, a), name=n) for n, a in (("first", first), ("second", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_admins_drawing_at_once_draw_once(world, monkeypatch):
    _postgres()
    admin = world.personas["province_admin"]
    other = RoleAssignmentFactory(
        role=Role.PROGRAMME_ADMIN, jurisdiction=world.programme.jurisdiction, user__username="anhui-admin-2"
    ).user
    round_ = services.round_create(
        actor=admin,
        programme=world.programme,
        name="示例并发批次",
        deadline=DEADLINE,
        applications=world.applications,
    )

    def draw(actor: Any, seed: str) -> Callable[[], Any]:
        return lambda: services.draw_run(
            actor=actor,
            round=round_,
            per_kind={"scientist": 1, "entrepreneur": 1, "investor": 1},
            reserves_per_kind=1,
            supervisor=world.personas["department_officer"],
            seed=seed,
        )

    outcome = _race(draw(admin, "first"), draw(other, "second"), monkeypatch)
    assert isinstance(outcome["first"], Draw), outcome["first"]
    assert isinstance(outcome["second"], ValidationError) and "已抽取" in str(outcome["second"])
    assert Draw.objects.get(round=round_).seed == "first"
    assert PanelMember.objects.filter(round=round_, status=MemberStatus.DRAWN).count() == 3
