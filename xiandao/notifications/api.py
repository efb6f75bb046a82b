"""The caller's notifications, their e-mail preferences, and the notice board, over the same services."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from xiandao.geo.selectors import jurisdiction_ids_by_code

from . import selectors
from .kinds import notification_kind_label
from .models import Notice, Notification
from .permissions import notice_policy, programmes_for_publishing
from .services import (
    notice_publish,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
)

if TYPE_CHECKING:
    from xiandao.accounts.models import User

ROUTER_PREFIX = ""


def _caller(request: HttpRequest) -> User:
    """The authenticated caller (the API's auth refuses anyone else before an operation runs)."""
    return cast("User", request.user)


router = Router(tags=["消息与通知公告"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    emailed_at: dt.datetime | None


def _notification(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": notification_kind_label(n.kind),
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
        "emailed_at": n.emailed_at,
    }


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    email: bool


class PreferencesIn(Schema):
    email_kinds: list[str]


class NoticeOut(Schema):
    id: int
    programme: str
    programme_name: str
    title: str
    body: str
    roles: list[str]
    cities: list[str]
    published_by: str
    published_at: dt.datetime


class NoticeIn(Schema):
    programme: str
    title: str
    body: str
    roles: list[str] = []
    cities: list[str] = []


class NoticePublishedOut(Schema):
    notice: NoticeOut
    recipients: int


def _notice(n: Notice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "programme": n.programme.code,
        "programme_name": n.programme.name,
        "title": n.title,
        "body": n.body,
        "roles": list(n.roles),
        "cities": [c.code for c in n.cities.all()],
        "published_by": str(n.published_by) if n.published_by else "",
        "published_at": n.published_at,
    }


@router.get("/me/notifications", response=list[NotificationOut], summary="我的消息（未读在前）")
def my_notifications(request: HttpRequest, unread: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    notifications = selectors.notification_list_for_user(request.user, unread_only=unread)
    return [_notification(n) for n in notifications[: max(1, min(limit, 200))]]


@router.post("/me/notifications/read-all", response=MarkedOut, summary="全部标为已读")
def my_notifications_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": notification_mark_all_read(user=_caller(request))}


@router.post("/me/notifications/{notification_id}/read", response=NotificationOut, summary="标为已读")
def my_notification_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    return _notification(notification_mark_read(user=_caller(request), notification_id=notification_id))


@router.get(
    "/me/notification-preferences", response=list[PreferenceOut], summary="消息设置：哪些类型发送邮件"
)
def my_notification_preferences(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"kind": spec.code, "label": spec.label, "email": email}
        for spec, email in selectors.notification_preferences_for_user(request.user)
    ]


@router.put("/me/notification-preferences", response=list[PreferenceOut], summary="保存消息设置")
def my_notification_preferences_update(request: HttpRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    notification_preferences_update(user=_caller(request), email_kinds=set(payload.email_kinds))
    return my_notification_preferences(request)


@router.get("/notices", response=list[NoticeOut], summary="通知公告（发给我的）")
def notice_list(request: HttpRequest, limit: int = 50) -> list[dict[str, Any]]:
    return [_notice(n) for n in selectors.notice_list_for_user(request.user)[: max(1, min(limit, 200))]]


@router.get("/notices/{notice_id}", response=NoticeOut, summary="一条通知公告")
def notice_get(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return _notice(notice_policy.get_or_404(request.user, "view", pk=notice_id))


@router.post("/notices", response={201: NoticePublishedOut}, summary="发布通知公告（计划管理员）")
def notice_create(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    programme = get_object_or_404(programmes_for_publishing(request.user), code=payload.programme)
    known = jurisdiction_ids_by_code(payload.cities)
    unknown = [code for code in payload.cities if code not in known]
    cities = list(known.values())
    published = notice_publish(
        actor=_caller(request),
        programme=programme,
        title=payload.title,
        body=payload.body,
        roles=payload.roles,
        # An unknown city code becomes an id nothing has, so the service refuses it with its own message.
        city_ids=cities + ([-1] if unknown else []),
    )
    return Status(201, {"notice": _notice(published.notice), "recipients": published.recipients})
