"""Who may see and act on notifications and notices.

A notification is its recipient's alone. A notice is seen by the users it reaches and by the
admins of its programme; only those admins publish (``programme_policy`` ``change``). Anything
else answers 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from xiandao.core.permissions import PermissionPolicy
from xiandao.programmes.selectors import programme_list_administered_by

from .models import Notice, Notification

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


class NotificationAction(StrEnum):
    VIEW = "view"  # read one's own notifications
    MARK_READ = "mark_read"  # mark one's own as read


class NoticeAction(StrEnum):
    VIEW = "view"  # read a notice addressed to one (admins: every notice of their programme)
    PUBLISH = "publish"  # publish to a programme's users (the programme's admins only)


class NotificationPolicy(PermissionPolicy[Notification]):
    model = Notification
    actions = NotificationAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Notification]:
        if not getattr(user, "is_authenticated", False) or action not in frozenset(NotificationAction):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=user)


def programmes_for_publishing(user: Any) -> QuerySet[Programme]:
    """The programmes a user may publish notices to: those they administer (by code)."""
    return programme_list_administered_by(user)


class NoticePolicy(PermissionPolicy[Notice]):
    model = Notice
    actions = NoticeAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Notice]:
        if not getattr(user, "is_authenticated", False):
            return Notice.objects.none()
        administered = Notice.objects.filter(programme__in=programmes_for_publishing(user))
        if action == NoticeAction.PUBLISH:
            return administered
        if action == NoticeAction.VIEW:
            from .selectors import notice_ids_reaching

            return Notice.objects.filter(pk__in=notice_ids_reaching(user)) | administered
        return Notice.objects.none()


notification_policy = NotificationPolicy()
notice_policy = NoticePolicy()
