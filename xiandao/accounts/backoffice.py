"""The back office's duty table: what each of the three administrators (三员) may do there.

等保 2.0 level 3 asks that system, security and audit administration be separate, each done only
through its own screens and each audited. The table is data: a model missing from a role's row
is not shown to that role at all. Programme models are in no row — programme work is done on
the platform's pages through the services, never in the back office — and no role may change or
delete an audit entry (the audit admin only reads it; the database refuses it anyway).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .models import BACKOFFICE_ROLES, Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = frozenset({VIEW, ADD, CHANGE, DELETE})

BACKOFFICE_DUTIES: dict[str, dict[str, frozenset[str]]] = {
    # users, organisations, roles (and issuing API tokens to a user through the service)
    Role.SYSTEM_ADMIN: {
        "accounts.user": frozenset({VIEW, ADD, CHANGE}),
        "accounts.organisation": ALL,
        "accounts.organisationalias": ALL,
        "accounts.roleassignment": ALL,
        "accounts.apitoken": frozenset({VIEW, ADD}),
    },
    # the security policy (password, session, lockout), lockouts (unlock = delete the attempt),
    # sessions, two-factor resets, revoking API tokens
    Role.SECURITY_ADMIN: {
        "accounts.user": frozenset({VIEW, "end_sessions"}),
        "accounts.securitypolicy": frozenset({VIEW, CHANGE}),
        "axes.accessattempt": frozenset({VIEW, DELETE}),
        "accounts.apitoken": frozenset({VIEW, CHANGE}),
        "otp_totp.totpdevice": frozenset({VIEW, DELETE}),
        "otp_static.staticdevice": frozenset({VIEW, DELETE}),
    },
    # reads the audit log and the login logs
    Role.AUDIT_ADMIN: {
        "core.auditentry": frozenset({VIEW}),
        "axes.accesslog": frozenset({VIEW}),
        "axes.accessfailurelog": frozenset({VIEW}),
        "axes.accessattempt": frozenset({VIEW}),
    },
}


def backoffice_roles(user: Any) -> frozenset[str]:
    """The back-office roles a user holds today."""
    from .selectors import user_scope

    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(user_scope(user).roles & BACKOFFICE_ROLES)


def backoffice_may(user: Any, action: str, model: type[models.Model]) -> bool:
    """May this user do `action` (view/add/change/delete) to `model` in the back office?

    A superuser may do what the admin classes allow only in demo mode (a developer's machine):
    outside it a superuser is nobody special here, so 三员分立 cannot be bypassed. The first
    system administrator is appointed with ``manage.py backoffice_appoint``.
    """
    if not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False) and settings.DEMO_MODE:
        return True
    label = model._meta.label_lower
    return any(action in BACKOFFICE_DUTIES.get(role, {}).get(label, ()) for role in backoffice_roles(user))
