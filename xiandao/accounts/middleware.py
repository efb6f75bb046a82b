"""The gate every logged-in request passes: not locked, second factor done, password not due.

A locked account's existing session ends at its next request (and its API tokens are refused in
`xiandao.api.auth`); a user with a second factor to give, or a password to change (first login,
or older than ``XIANDAO_PASSWORD_MAX_AGE_DAYS``), reaches only the pages that let them do it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .locks import account_locked
from .passwords import password_change_due
from .policy import security_policy
from .two_factor import two_factor_pending

LAST_SEEN_KEY = "_xiandao_last_seen"

OPEN_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:session_keepalive",
)


def _is_demo_persona(user: Any) -> bool:
    from .demo import PERSONAS

    return settings.DEMO_MODE and user.get_username() in {p.username for p in PERSONAS}


def _refuse(request: HttpRequest, message: str, to: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "auth.step_required", "message": message}, "details": []}, status=403
        )
    messages.warning(request, message)
    return redirect(f"{reverse(to)}?{urlencode({'next': request.get_full_path()})}")


def account_step_pending(request: HttpRequest) -> str:
    """The login step the user still owes: "verify", "setup", "first", "expired", or "" (none)."""
    pending = two_factor_pending(request)
    if pending:
        return pending
    user: Any = request.user
    return "" if _is_demo_persona(user) else password_change_due(user)


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        if self._idle_too_long(request):
            logout(request)
            return _refuse(request, "您长时间未操作，会话已结束，请重新登录。", "accounts:login")
        if account_locked(request, user):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "auth.locked",
                            "message": "账号已被锁定，请稍后再试或联系安全管理员。",
                        },
                        "details": [],
                    },
                    status=403,
                )
            messages.error(request, "账号已被锁定，当前会话已结束。请稍后再试或联系安全管理员解锁。")
            return redirect("accounts:login")
        open_paths = {reverse(name) for name in OPEN_URL_NAMES}
        if request.path in open_paths or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        pending = two_factor_pending(request)
        if pending == "verify":
            return _refuse(request, "请输入动态验证码，完成双因素认证。", "accounts:two_factor_verify")
        if pending == "setup":
            return _refuse(request, "您的角色须启用双因素认证，请先完成设置。", "accounts:two_factor_setup")
        due = password_change_due(user)
        if due and not _is_demo_persona(user):
            text = "首次登录须修改密码。" if due == "first" else "密码已超过有效期，请修改密码。"
            return _refuse(request, text, "accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        """The policy's idle time (at most the session cookie's age) has passed since the last request.

        A bearer-token API call has no session and is not timed out here.
        """
        if not hasattr(request, "session"):
            return False
        now = int(time.time())
        last = request.session.get(LAST_SEEN_KEY)
        request.session[LAST_SEEN_KEY] = now
        return last is not None and now - int(last) > security_policy().session_idle_minutes * 60
