"""API authentication: the browser's session, or a machine's bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from xiandao.accounts.models import ApiToken


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request.user
        return None


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` for machines; expired or revoked tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=ApiToken.hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if found is None or (found.expires_at and found.expires_at <= timezone.now()):
            return None
        from xiandao.accounts.selectors import account_locked

        if account_locked(request, found.user):
            return None  # a locked account's tokens stop working while the lock lasts
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


session_or_token = [SessionAuth(csrf=True), TokenAuth()]
