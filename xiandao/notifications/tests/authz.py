"""Notifications and notices for the authorization matrix: a notification is its recipient's alone; a
notice is seen only by those it reaches and its programme's admins."""

from __future__ import annotations

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.notifications.kinds import NotificationKind
from xiandao.notifications.models import Notice, Notification
from xiandao.programmes.tests.authz import foreign_programme


@provider("notification_id")
def notification_id(world: ForeignWorld) -> ForeignObject:
    notification, _ = Notification.objects.get_or_create(
        recipient=world.user,
        title=f"{world.marker}消息",
        defaults={"kind": NotificationKind.SYSTEM, "body": f"{world.marker}消息正文", "url": "/"},
    )
    return ForeignObject(str(notification.pk), (notification.title, notification.body))


@provider("notice_id")
def notice_id(world: ForeignWorld) -> ForeignObject:
    notice, _ = Notice.objects.get_or_create(
        programme=foreign_programme(world),
        title=f"{world.marker}通知公告",
        defaults={"body": f"{world.marker}公告正文", "published_by": world.user},
    )
    return ForeignObject(str(notice.pk), (notice.title, notice.body))
