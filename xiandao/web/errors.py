"""The 403, 404 and 500 pages: Chinese, in the site's layout, each with a way back.

Wired in ``config/urls.py`` (handler403/404/500), so every app's ``PermissionDenied`` and
``Http404`` end here when DEBUG is off. The 403 page says what the user lacks: the message the
refusing code gave (every PermissionDenied in this project is raised with a Chinese sentence),
and the roles the user holds, so they know whom to ask.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

from .context_processors import PLATFORM_NAME

logger = logging.getLogger(__name__)

DEFAULT_FORBIDDEN = "您当前的账号没有执行此操作的权限。"
DEFAULT_NOT_FOUND = "您要找的页面不存在，或者您无权查看。"


def _message(exception: Exception | None, default: str) -> str:
    """The exception's own sentence when it is one a user may read (Chinese), else ``default``."""
    # Only a sentence someone wrote for users: the resolver's own 404 carries a dict of the URL
    # patterns tried, which is for developers (and would show the user's typed Chinese path).
    text = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return default


def _way_back(request: HttpRequest) -> dict[str, str]:
    """Where the buttons lead: the previous page of this site when known, and the start page."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    home = reverse("web:home") if signed_in else reverse("programmes:list")
    referer = request.META.get("HTTP_REFERER", "")
    back = ""
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and urlsplit(referer).path != request.path
    ):
        back = referer
    return {"home_url": home, "home_label": "返回工作台" if signed_in else "查看培育计划", "back_url": back}


def _render(request: HttpRequest, template: str, status: int, context: dict[str, Any]) -> HttpResponse:
    body = loader.get_template(template).render({**context, **_way_back(request)}, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: what the user lacks, the roles they hold, and whom to ask."""
    from xiandao.accounts.selectors import role_assignments_active

    user = getattr(request, "user", None)
    roles: list[str] = []
    if user is not None and user.is_authenticated:
        roles = [f"{a.get_role_display()}（{a.scope_label}）" for a in role_assignments_active(user)]
    context = {
        "reason": _message(exception, DEFAULT_FORBIDDEN),
        "roles": roles,
        "breadcrumbs": [("无权访问", None)],
    }
    return _render(request, "403.html", 403, context)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose CSRF check failed (an old tab, cookies blocked): the same page, in Chinese."""
    context = {
        "reason": "页面已过期或无法确认表单来自本平台，本次提交未被处理。请刷新页面后重新提交。",
        "roles": [],
        "csrf_refused": True,
        "heading": "无法提交",
        "breadcrumbs": [("无法提交", None)],
    }
    return _render(request, "403.html", 403, context)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: the address asked for, and the way back."""
    context = {
        "reason": _message(exception, DEFAULT_NOT_FOUND),
        "path": request.path,
        "breadcrumbs": [("页面不存在", None)],
    }
    return _render(request, "404.html", 404, context)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the database (it may be why we are here), falling back to plain HTML."""
    try:
        body = loader.get_template("500.html").render(
            {"platform_name": PLATFORM_NAME, "home_url": "/", "error_page": True}
        )
    except Exception:  # the layout itself failed: the user still gets a Chinese page
        logger.exception("500 页面渲染失败")
        body = FALLBACK_500
    return HttpResponse(body, status=500)


FALLBACK_500 = (
    '<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>系统出错 · 先导</title>'
    "<h1>系统暂时出错</h1><p>请稍后重试；如问题持续，请联系系统管理员。</p>"
    '<p><a href="/">返回首页</a></p></html>'
)


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return (Path(__file__).parent / "static" / "web" / "favicon.ico").read_bytes()


@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponseBase:
    """/favicon.ico: browsers ask for it at the root whatever the page links."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
