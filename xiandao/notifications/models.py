"""In-app notifications, e-mail preferences, programme notices (通知公告) and sent reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiandao.geo.models import Jurisdiction
from xiandao.programmes.models import Programme


class Notification(models.Model):
    """One message to one person, shown behind the bell until they read it.

    Rows are only written after the change they announce has committed (``notification_send``).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("消息类型", max_length=80, help_text="登记在消息类型目录中的代码")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether a person wants one kind of message by e-mail; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="用户",
    )
    kind = models.CharField("消息类型", max_length=80)
    email = models.BooleanField("邮件提醒", default=True)

    class Meta:
        verbose_name = "消息设置"
        verbose_name_plural = "消息设置"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {'邮件' if self.email else '仅站内'}"


class Notice(models.Model):
    """A notice (通知公告) a programme admin publishes to the programme's users.

    The audience is every user of the programme, narrowed by role and/or by city when those
    lists are not empty (both must match when both are given).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="notices", verbose_name="培育计划"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    roles = models.JSONField("面向角色", default=list, blank=True, help_text="留空表示全部角色")
    cities = models.ManyToManyField(
        Jurisdiction, blank=True, related_name="+", verbose_name="面向设区市", help_text="留空表示全部地区"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReminderDelivery(models.Model):
    """A reminder that has been sent; its key makes ``send_reminders`` send each reminder once."""

    key = models.CharField("提醒键", max_length=200, unique=True)
    kind = models.CharField("消息类型", max_length=80)
    title = models.CharField("标题", max_length=200)
    recipients = models.PositiveIntegerField("接收人数", default=0)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "已发送提醒"
        verbose_name_plural = "已发送提醒"
        ordering = ["-sent_at"]
        constraints = [models.CheckConstraint(condition=~Q(key=""), name="notif_reminder_key_set")]

    def __str__(self) -> str:
        return self.key
