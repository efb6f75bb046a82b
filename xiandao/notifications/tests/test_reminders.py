"""send_reminders: every registered provider asked, each reminder sent once whatever the number of runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from xiandao.accounts.models import User
from xiandao.core.models import AuditEntry
from xiandao.notifications.kinds import NotificationKind
from xiandao.notifications.models import Notification, ReminderDelivery
from xiandao.notifications.reminders import Reminder, reminder_provider_register, reminder_provider_unregister
from xiandao.notifications.services import reminders_send

DEADLINE = dt.date.today() + dt.timedelta(days=3)  # due now: the command runs "now"


@pytest.fixture
def recipients(db):
    return [User.objects.create_user(username=n, email=f"{n}@example.cn") for n in ("a", "b")]


@pytest.fixture
def provider(recipients):
    """A provider like a later app's: reminds of a deadline from seven days before it."""
    calls: list[dt.datetime] = []

    def deadline_reminders(now: dt.datetime):
        calls.append(now)
        if now.date() >= DEADLINE - dt.timedelta(days=7):
            yield Reminder(
                key=f"test.report_due:{DEADLINE.isoformat()}:7d",
                kind=NotificationKind.SYSTEM,
                recipients=recipients,
                title=f"数据填报将于 {DEADLINE.isoformat()} 截止",
                url="/reports/",
            )

    reminder_provider_register(deadline_reminders)
    deadline_reminders.calls = calls  # type: ignore[attr-defined]
    yield deadline_reminders
    reminder_provider_unregister(deadline_reminders)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_a_due_reminder_is_sent_once_however_often_the_command_runs(
    provider, recipients, django_capture_on_commit_callbacks, mailoutbox
):
    assert reminders_send(now=at(DEADLINE - dt.timedelta(days=8))).sent == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(now=at(DEADLINE - dt.timedelta(days=7)))
        second = reminders_send(now=at(DEADLINE - dt.timedelta(days=6)))
    assert (first.sent, first.already_sent) == (1, 0)
    assert (second.sent, second.already_sent) == (0, 1)
    assert len(provider.calls) == 3
    assert (
        Notification.objects.filter(title=f"数据填报将于 {DEADLINE.isoformat()} 截止").count() == 2
    )  # one per recipient
    assert ReminderDelivery.objects.get().recipients == 2
    assert AuditEntry.objects.filter(action="notifications.reminder.sent").count() == 1


def test_the_command_reports_in_chinese(provider, recipients, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
        call_command("send_reminders", stdout=out)
    assert "已发送提醒 1 条" in out.getvalue() and "跳过 1 条" in out.getvalue()
    assert Notification.objects.count() == 2


def test_a_broken_provider_does_not_stop_the_others(provider, recipients, django_capture_on_commit_callbacks):
    def broken(now):
        raise RuntimeError("数据库里没有这张表")

    def unknown_kind(now):
        return [Reminder(key="test.bad", kind="nobody.registered", recipients=recipients, title="x")]

    reminder_provider_register(broken)
    reminder_provider_register(unknown_kind)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = reminders_send(now=at(DEADLINE))
    finally:
        reminder_provider_unregister(broken)
        reminder_provider_unregister(unknown_kind)
    assert (run.sent, run.failed) == (1, 2)
    assert not ReminderDelivery.objects.filter(key="test.bad").exists()  # free to send once fixed


def test_celery_beat_runs_the_reminders_hourly():
    from config.celery import app

    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == "xiandao.notifications.send_reminders" and entry["task"] in app.tasks
    assert entry["schedule"].minute == {5} and len(entry["schedule"].hour) == 24
