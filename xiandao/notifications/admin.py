"""Back office: notices and notifications are read here, written by the services only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xiandao.core.admin import AuditedModelAdmin

from .models import Notice, Notification, ReminderDelivery


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "published_by", "published_at"]
    list_filter = ["programme"]
    search_fields = ["title", "body"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__display_name"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "title", "recipients", "sent_at"]
    search_fields = ["key", "title"]
