"""Is an account locked out (django-axes, by user name)? Used by the session and token checks."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest


def account_locked(request: HttpRequest, user: Any) -> bool:
    """A locked account's sessions and API tokens stop working until the lock ends or is lifted."""
    username = user.get_username() if user is not None else ""
    if not username:
        return False
    AxesProxyHandler.update_request(request)
    return not AxesProxyHandler.is_allowed(request, {"username": username})
