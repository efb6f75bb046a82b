"""The security policy in force: the security administrator's row, or the settings' defaults.

Read on every request (idle timeout) and every login (lockout), so it is cached for a minute;
saving the row clears the cache (`security_policy_save`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import SecurityPolicy

CACHE_KEY = "xiandao:security-policy"


def policy_defaults() -> dict[str, int]:
    return {
        "session_idle_minutes": int(settings.XIANDAO_SESSION_IDLE_MINUTES),
        "password_max_age_days": int(settings.XIANDAO_PASSWORD_MAX_AGE_DAYS),
        "password_min_length": int(settings.XIANDAO_PASSWORD_MIN_LENGTH),
        "password_history": int(settings.XIANDAO_PASSWORD_HISTORY),
        "lockout_failures": int(settings.XIANDAO_LOCKOUT_FAILURES),
        "lockout_minutes": int(settings.XIANDAO_LOCKOUT_MINUTES),
    }


def security_policy() -> SecurityPolicy:
    """The policy row (created from the settings on first use)."""
    policy: SecurityPolicy | None = cache.get(CACHE_KEY)
    if policy is None:
        policy = SecurityPolicy.objects.order_by("pk").first()
        if policy is None:
            policy = SecurityPolicy(**policy_defaults())
        cache.set(CACHE_KEY, policy, int(settings.XIANDAO_SECURITY_POLICY_CACHE_SECONDS))
    return policy


def security_policy_forget() -> None:
    cache.delete(CACHE_KEY)


@transaction.atomic
def security_policy_ensure() -> SecurityPolicy:
    """The stored row, made from the settings if there is none yet (for the back office)."""
    policy = SecurityPolicy.objects.order_by("pk").first()
    if policy is None:
        policy = SecurityPolicy.objects.create(**policy_defaults())
    security_policy_forget()
    return policy


def session_idle_seconds() -> int:
    """How long a session may stay idle: the policy's minutes, never past the session cookie's age."""
    return min(security_policy().session_idle_minutes * 60, int(settings.SESSION_COOKIE_AGE))


# django-axes reads the lockout from these (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME in settings).
def axes_failure_limit(request: Any, credentials: Any) -> int:
    return security_policy().lockout_failures


def axes_cooloff(request: Any) -> dt.timedelta:
    return dt.timedelta(minutes=security_policy().lockout_minutes)
