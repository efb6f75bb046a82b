"""Fixtures of the programmes tests: a second Anhui admin, to be told of the first one's changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from xiandao.accounts.models import Organisation, Role, ScopeKind, User
from xiandao.accounts.services import role_grant
from xiandao.geo.models import Jurisdiction


def second_admin_make(username: str = "ah_admin2") -> User:
    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        display_name="孙丽",
        organisation=Organisation.objects.get(code="ah-drc"),
    )
    # A colleague who has logged in before: not sent to 修改密码 on the first request.
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    user.refresh_from_db()
    role_grant(
        actor=None,
        user=user,
        role=Role.PROGRAMME_ADMIN,
        scope_kind=ScopeKind.JURISDICTION,
        jurisdiction=Jurisdiction.objects.get(code="340000"),
        check_permission=False,
    )
    return user


@pytest.fixture
def second_admin(personas: dict[str, Any]) -> User:
    return second_admin_make()
