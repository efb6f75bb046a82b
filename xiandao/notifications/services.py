"""Writes: sending notifications (always after commit), reading them, preferences, notices, reminders."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.core.audit import audit_record
from xiandao.geo.models import JurisdictionLevel
from xiandao.geo.selectors import jurisdiction_descendant_ids, jurisdiction_list_by_ids

from .kinds import KindSpec, NotificationKind, notification_kind
from .kinds import notification_kinds_register as notification_kinds_register  # for other apps' ready()
from .models import Notice, Notification, NotificationPreference, ReminderDelivery
from .permissions import notification_policy, programmes_for_publishing
from .reminders import Reminder, reminder_providers
from .reminders import reminder_provider_register as reminder_provider_register  # for other apps' ready()
from .selectors import email_wanted, notice_audience

if TYPE_CHECKING:
    from xiandao.accounts.models import User
    from xiandao.geo.models import Jurisdiction
    from xiandao.programmes.models import Programme

logger = logging.getLogger(__name__)

TITLE_MAX = 200


@dataclass(frozen=True)
class NotificationBatch:
    """What ``notification_send`` will deliver once the surrounding transaction commits."""

    kind: str
    recipient_ids: tuple[int, ...]


def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    exclude: User | None = None,
) -> NotificationBatch:
    """Tell people something: an in-app notification each, and e-mail to those who want this kind.

    Nothing happens until the caller's transaction commits (``transaction.on_commit``): a change
    that rolls back sends neither a row nor a mail. Outside a transaction it is delivered at once.
    An unregistered ``kind`` is refused (``UnknownNotificationKind``) before anything is queued.
    """
    spec = notification_kind(kind)
    if not title.strip():
        raise ValueError("消息标题不能为空")
    people: dict[int, User] = {}
    for user in recipients:
        if user.is_active and (exclude is None or user.pk != exclude.pk):
            people.setdefault(user.pk, user)
    batch = NotificationBatch(kind=spec.code, recipient_ids=tuple(people))
    if people:
        deliver = partial(
            _deliver, users=list(people.values()), spec=spec, title=title[:TITLE_MAX], body=body, url=url
        )
        transaction.on_commit(deliver, robust=True)
    return batch


def _deliver(*, users: list[User], spec: KindSpec, title: str, body: str, url: str) -> None:
    """After commit: write the rows, then send the mails; a mail server that fails loses no row."""
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [Notification(recipient=u, kind=spec.code, title=title, body=body, url=url) for u in users]
        )
    wanted = email_wanted(users, spec)
    if not wanted:
        return
    link = f"{settings.XIANDAO_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url
    text = "\n\n".join(part for part in (body, f"查看详情：{link}" if link else "") if part)
    footer = "\n\n——\n此邮件由先导 · 未来产业培育平台发送。可在平台“个人中心 › 消息设置”中选择接收哪些邮件。"
    messages = [
        EmailMessage(subject=f"【先导平台】{title}", body=text + footer, to=[u.email])
        for u in users
        if u.pk in wanted
    ]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:  # a mail server's failure must not undo what committed; the bell still has it
        logger.exception("消息邮件发送失败：%s（%d 封）", spec.code, len(messages))
        return
    Notification.objects.filter(pk__in=[r.pk for r in rows], recipient_id__in=wanted).update(
        emailed_at=timezone.now()
    )


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications as read (someone else's answers 404).

    Reading is not audited: it changes nothing anyone else sees.
    """
    notification = notification_policy.get_or_404(user, "mark_read", pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user as read; returns how many were unread."""
    return (
        notification_policy.instances_for(user, "mark_read")
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )


@transaction.atomic
def notification_preferences_update(*, user: User, email_kinds: Collection[str]) -> dict[str, bool]:
    """Save which kinds the user wants by e-mail (every registered kind not listed is in-app only)."""
    from .kinds import notification_kinds

    unknown = sorted(set(email_kinds) - {spec.code for spec in notification_kinds()})
    if unknown:
        raise ValidationError({"email_kinds": [f"未登记的消息类型：{'、'.join(unknown)}。"]})
    before = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    after = {spec.code: spec.code in email_kinds for spec in notification_kinds()}
    for code, email in after.items():
        NotificationPreference.objects.update_or_create(user=user, kind=code, defaults={"email": email})
    audit_record(
        actor=user, action="notifications.preference.updated", target=user, before=before, after=after
    )
    return after


# -- notices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticePublished:
    notice: Notice
    recipients: int


def _notice_errors(
    *, programme: Programme, title: str, body: str, roles: Collection[str], city_ids: Collection[int]
) -> tuple[dict[str, list[str]], list[Jurisdiction]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append("请填写标题。")
    elif len(title.strip()) > TITLE_MAX:
        errors.setdefault("title", []).append(
            f"标题不能超过 {TITLE_MAX} 个字（现为 {len(title.strip())} 个）。"
        )
    if not body.strip():
        errors.setdefault("body", []).append("请填写正文。")
    unknown_roles = sorted(set(roles) - set(Role.values))
    if unknown_roles:
        errors.setdefault("roles", []).append(f"未知角色：{'、'.join(unknown_roles)}。")
    subtree = jurisdiction_descendant_ids([programme.jurisdiction_id])
    cities = jurisdiction_list_by_ids(city_ids)
    outside = [c.name for c in cities if c.pk not in subtree or c.level != JurisdictionLevel.CITY]
    missing = len(set(city_ids)) - len(cities)
    if outside or missing:
        errors.setdefault("cities", []).append(
            f"只能选择本计划范围内的设区市（{programme.jurisdiction.name}）。"
        )
    return errors, cities


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    programme: Programme,
    title: str,
    body: str,
    roles: Collection[str] = (),
    city_ids: Collection[int] = (),
) -> NoticePublished:
    """Publish a notice to the programme's users (all, or those of some roles and/or cities).

    Only the programme's admins publish; anyone else gets 404. The people it reaches get a
    notification (and an e-mail if they want notices by mail) once the notice is committed.
    """
    if not programmes_for_publishing(actor).filter(pk=programme.pk).exists():
        raise Http404("未找到该培育计划，或您无权发布通知公告。")
    errors, cities = _notice_errors(
        programme=programme, title=title, body=body, roles=roles, city_ids=city_ids
    )
    if errors:
        raise ValidationError(errors)
    notice = Notice.objects.create(
        programme=programme,
        title=title.strip(),
        body=body.strip(),
        roles=sorted(set(roles), key=Role.values.index),
        published_by=actor,
    )
    notice.cities.set(cities)
    audience = notice_audience(notice)
    audit_record(
        actor=actor,
        action="notifications.notice.published",
        target=notice,
        after={
            "programme": programme.code,
            "title": notice.title,
            "roles": notice.roles,
            "cities": sorted(c.code for c in cities),
            "recipients": len(audience),
        },
    )
    batch = notification_send(
        recipients=audience,
        kind=NotificationKind.NOTICE_PUBLISHED,
        title=notice.title,
        body=notice.body,
        url=f"/notifications/notices/{notice.pk}/",
        exclude=actor,
    )
    return NoticePublished(notice=notice, recipients=len(batch.recipient_ids))


# -- reminders -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    already_sent: int
    failed: int


def reminders_send(*, now: dt.datetime | None = None) -> ReminderRun:
    """Ask every registered provider for due reminders and send each one not sent before.

    Each reminder is claimed by inserting its key (unique) in the same transaction as its
    notification is queued, so a second run, or two runs at once, never send it twice.
    """
    now = now or timezone.now()
    sent = already = failed = 0
    for provider in reminder_providers():
        try:
            due: list[Reminder] = list(provider(now))
        except Exception:
            logger.exception("提醒来源 %s 出错，已跳过", getattr(provider, "__qualname__", provider))
            failed += 1
            continue
        for reminder in due:
            if ReminderDelivery.objects.filter(key=reminder.key).exists():
                already += 1
                continue
            try:
                with transaction.atomic():
                    ReminderDelivery.objects.create(
                        key=reminder.key,
                        kind=reminder.kind,
                        title=reminder.title[:TITLE_MAX],
                        recipients=len({u.pk for u in reminder.recipients}),
                    )
                    notification_send(
                        recipients=reminder.recipients,
                        kind=reminder.kind,
                        title=reminder.title,
                        body=reminder.body,
                        url=reminder.url,
                    )
                    audit_record(
                        actor=None,
                        action="notifications.reminder.sent",
                        after={"key": reminder.key, "kind": reminder.kind, "title": reminder.title},
                    )
            except IntegrityError:
                already += 1
            except ValueError:  # an unregistered kind or an empty title: the provider's mistake
                logger.exception("提醒 %s 无法发送", reminder.key)
                failed += 1
            else:
                sent += 1
    return ReminderRun(sent=sent, already_sent=already, failed=failed)
