"""The kinds catalogue: declared once per app, unknown kinds refused."""

from __future__ import annotations

import re

import pytest
from django.db import models

from xiandao.notifications.kinds import (
    NotificationKind,
    UnknownNotificationKind,
    notification_kind,
    notification_kinds,
    notification_kinds_register,
)


def test_the_apps_own_kinds_are_registered_with_chinese_labels():
    spec = notification_kind(NotificationKind.NOTICE_PUBLISHED)
    assert spec.label == "通知公告" and spec.app_label == "notifications" and spec.email_by_default
    assert not notification_kind(NotificationKind.SYSTEM).email_by_default
    assert {s.code for s in notification_kinds()} >= {
        "notifications.notice_published",
        "notifications.system",
    }


def test_an_unknown_kind_is_refused_in_chinese():
    with pytest.raises(UnknownNotificationKind, match=re.escape("未登记的消息类型：programmes.typo")):
        notification_kind("programmes.typo")


def test_a_kind_must_carry_its_apps_name():
    class Stray(models.TextChoices):
        X = "elsewhere.thing", "别处"

    with pytest.raises(ValueError, match=re.escape("应以应用名 mine. 开头")):
        notification_kinds_register(Stray, app_label="mine")


def test_a_code_cannot_be_registered_twice_with_another_label():
    class Again(models.TextChoices):
        NOTICE = "notifications.notice_published", "另一个名字"

    with pytest.raises(ValueError, match=re.escape("已由 notifications 登记")):
        notification_kinds_register(Again, app_label="notifications")
    # Registering the same declaration again (a second ready()) is harmless.
    notification_kinds_register(
        NotificationKind, app_label="notifications", email_by_default={NotificationKind.NOTICE_PUBLISHED}
    )
