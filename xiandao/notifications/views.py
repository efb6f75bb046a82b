"""Pages: the message list and the bell's dropdown (HTMX), e-mail preferences, the notice board.

Marking as read is a POST; with HTMX it answers with the changed fragment and the
``notifications-changed`` event (the bell's count listens for it), without it it redirects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiandao.accounts.models import Role

from . import selectors
from .forms import NoticeForm
from .kinds import notification_kinds
from .permissions import notice_policy
from .services import (
    notice_publish,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)

if TYPE_CHECKING:
    from xiandao.accounts.models import User

CHANGED = "notifications-changed"
PERSONAL = ("个人中心", None)


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind ``login_required``)."""
    return cast("User", request.user)


def _htmx(request: HttpRequest) -> Any:
    return getattr(request, "htmx", None)


def _safe(request: HttpRequest, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


def _changed(response: HttpResponse) -> HttpResponse:
    response["HX-Trigger"] = CHANGED
    return response


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """我的消息: every notification, unread first; 未读 only with ?unread=1."""
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.notification_list_for_user(request.user, unread_only=unread_only), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "breadcrumbs": [PERSONAL, ("我的消息", None)],
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.notification_unread_count(request.user),
            "section": "list",
        },
    )


@login_required
@require_GET
def bell_menu(request: HttpRequest) -> HttpResponse:
    """The bell's dropdown: the newest notifications, unread first."""
    return bell_menu_response(request)


@login_required
@require_GET
def bell_count(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/_bell_count.html",
        {"unread": selectors.notification_unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one as read; ``open`` then goes to what it is about."""
    notification = notification_mark_read(user=_user(request), notification_id=notification_id)
    if request.POST.get("open"):
        return redirect(_safe(request, notification.url) or reverse("notifications:list"))
    if _htmx(request):
        return _changed(render(request, "notifications/_item.html", {"n": notification}))
    return redirect(_safe(request, request.POST.get("next", "")) or reverse("notifications:list"))


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=_user(request))
    if _htmx(request) and _htmx(request).target == "xd-bell-menu":
        return _changed(bell_menu_response(request))
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect(_safe(request, request.POST.get("next", "")) or reverse("notifications:list"))


def bell_menu_response(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/_bell_menu.html",
        {
            "notifications": selectors.notification_list_for_user(request.user)[: selectors.BELL_LIMIT],
            "unread": selectors.notification_unread_count(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """消息设置: which kinds of message also come by e-mail."""
    if request.method == "POST":
        chosen = {
            code for code in request.POST.getlist("email") if code in {s.code for s in notification_kinds()}
        }
        notification_preferences_update(user=_user(request), email_kinds=chosen)
        messages.success(request, "消息设置已保存。")
        return redirect("notifications:preferences")
    groups: dict[str, list[tuple[Any, bool]]] = {}
    for spec, email in selectors.notification_preferences_for_user(request.user):
        groups.setdefault(str(apps.get_app_config(spec.app_label).verbose_name), []).append((spec, email))
    return render(
        request,
        "notifications/preferences.html",
        {
            "breadcrumbs": [PERSONAL, ("消息设置", None)],
            "groups": groups.items(),
            "has_email": bool(_user(request).email),
            "section": "preferences",
        },
    )


# -- notices ---------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """通知公告: the notices addressed to the user (and, for admins, all of their programme's)."""
    q = request.GET.get("q", "").strip()
    notices = selectors.notice_list_for_user(request.user)
    if q:
        notices = notices.filter(title__icontains=q)
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notice_list.html",
        {
            "breadcrumbs": [("通知公告", None)],
            "page": page,
            "q": q,
            "may_publish": selectors.programme_list_for_publishing(request.user).exists(),
            "role_labels": dict(Role.choices),
        },
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notice_policy.get_or_404(request.user, "view", pk=notice_id)
    return render(
        request,
        "notifications/notice_detail.html",
        {
            "breadcrumbs": [("通知公告", reverse("notifications:notice_list")), (notice.title, None)],
            "notice": notice,
            "role_labels": dict(Role.choices),
            "may_manage": notice_policy.user_may(request.user, "publish", notice),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_publish_view(request: HttpRequest) -> HttpResponse:
    """发布通知公告: for the programme's admins; anyone else gets 404."""
    programmes = selectors.programme_list_for_publishing(request.user)
    if not programmes.exists():
        raise Http404("未找到该页面，或您无权发布通知公告。")
    form = NoticeForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            published = notice_publish(
                actor=_user(request),
                programme=data["programme"],
                title=data["title"],
                body=data["body"],
                roles=data["roles"],
                city_ids=[c.pk for c in data["cities"]],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, f"通知公告已发布，已通知 {published.recipients} 位用户。")
            return redirect("notifications:notice_detail", notice_id=published.notice.pk)
    return render(
        request,
        "notifications/notice_publish.html",
        {
            "breadcrumbs": [("通知公告", reverse("notifications:notice_list")), ("发布通知公告", None)],
            "form": form,
        },
    )
