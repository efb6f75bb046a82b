"""notification_send: nothing before commit, nothing after a rollback, e-mail as each person chose."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings

from xiandao.accounts.models import User
from xiandao.notifications.kinds import NotificationKind, UnknownNotificationKind
from xiandao.notifications.models import Notification, NotificationPreference
from xiandao.notifications.services import notification_preferences_update, notification_send

NOTICE = NotificationKind.NOTICE_PUBLISHED  # mailed by default
SYSTEM = NotificationKind.SYSTEM  # in-app only by default


def people(*names: str) -> list[User]:
    return [User.objects.create_user(username=n, email=f"{n}@example.cn", display_name=n) for n in names]


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_notifies_and_a_rolled_back_one_sends_nothing():
    """Real transactions (not the test's wrapping one): on_commit fires only on a real commit."""
    alice, bob = people("alice", "bob")
    with pytest.raises(Boom), transaction.atomic():
        notification_send(recipients=[alice, bob], kind=NOTICE, title="不会发出", url="/x/")
        raise Boom
    assert Notification.objects.count() == 0
    assert mail.outbox == []

    with transaction.atomic():
        notification_send(recipients=[alice, bob], kind=NOTICE, title="已提交", url="/x/")
        # Inside the transaction nothing is visible yet: not the row, not the mail.
        assert Notification.objects.count() == 0
        assert mail.outbox == []
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["alice", "bob"]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.cn", "bob@example.cn"]


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_inside_a_committed_transaction_sends_nothing():
    (alice,) = people("alice")
    with transaction.atomic():
        notification_send(recipients=[alice], kind=NOTICE, title="外层")
        with pytest.raises(Boom), transaction.atomic():
            notification_send(recipients=[alice], kind=NOTICE, title="内层回滚")
            raise Boom
    assert list(Notification.objects.values_list("title", flat=True)) == ["外层"]
    assert [m.subject for m in mail.outbox] == ["【先导平台】外层"]


def test_preferences_decide_who_gets_mail(db, django_capture_on_commit_callbacks, mailoutbox):
    keen, quiet, default, no_address = people("keen", "quiet", "default", "noaddress")
    no_address.email = ""
    no_address.save()
    notification_preferences_update(user=keen, email_kinds={SYSTEM, NOTICE})
    notification_preferences_update(user=quiet, email_kinds=set())
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[keen, quiet, default, no_address], kind=NOTICE, title="通知", url="/n/1/"
        )
        notification_send(recipients=[keen, quiet, default, no_address], kind=SYSTEM, title="平台")
    sent = sorted((m.subject, m.to[0]) for m in mailoutbox)
    assert sent == [
        ("【先导平台】平台", "keen@example.cn"),  # opted in to an in-app-only kind
        ("【先导平台】通知", "default@example.cn"),  # the kind's default: mailed
        ("【先导平台】通知", "keen@example.cn"),
    ]
    # Everybody, mailed or not, has both in the bell; mailed rows say so.
    assert Notification.objects.count() == 8
    assert set(
        Notification.objects.filter(emailed_at__isnull=False).values_list("recipient__username", "kind")
    ) == {
        ("keen", NOTICE),
        ("keen", SYSTEM),
        ("default", NOTICE),
    }
    notice_mail = next(m for m in mailoutbox if m.to == ["default@example.cn"])
    assert f"查看详情：{settings.XIANDAO_SITE_URL}/n/1/" in notice_mail.body


def test_an_unknown_kind_is_refused_and_nothing_is_queued(db, django_capture_on_commit_callbacks, mailoutbox):
    (alice,) = people("alice")
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(UnknownNotificationKind):
        notification_send(recipients=[alice], kind="programmes.no_such_kind", title="?")
    assert callbacks == []
    with pytest.raises(ValidationError, match=re.escape("未登记的消息类型：programmes.no_such_kind")):
        notification_preferences_update(user=alice, email_kinds={"programmes.no_such_kind"})
    assert not NotificationPreference.objects.exists()


def test_recipients_are_deduplicated_inactive_and_excluded_left_out(db, django_capture_on_commit_callbacks):
    alice, bob, carol = people("alice", "bob", "carol")
    carol.is_active = False
    carol.save()
    with django_capture_on_commit_callbacks(execute=True):
        batch = notification_send(recipients=[alice, alice, bob, carol], kind=SYSTEM, title="x", exclude=bob)
    assert batch.recipient_ids == (alice.pk,)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise OSError("SMTP 服务器不可达")


@override_settings(EMAIL_BACKEND="xiandao.notifications.tests.test_sending.FailingBackend")
def test_a_mail_server_failure_keeps_the_notification(db, django_capture_on_commit_callbacks, caplog):
    (alice,) = people("alice")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[alice], kind=NOTICE, title="仍在铃铛里")
    row = Notification.objects.get()
    assert row.title == "仍在铃铛里" and row.emailed_at is None
    assert "消息邮件发送失败" in caplog.text
