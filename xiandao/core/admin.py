"""Back office: the audit log read-only, jobs read-only, and the audited base for every admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from .audit import audit_record, snapshot
from .models import AuditEntry, DemoDataset, Job


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits are writes like any other: each save and delete leaves an audit entry."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            event = "changed" if change else "created"
            audit_record(
                actor=request.user,
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.admin_{event}",
                target=obj,
                before=before,
                after=snapshot(obj),
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows are writes too: each deleted, changed or added row leaves its own audit entry."""
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user, action=_action(obj, "admin_deleted"), target=obj, before=snapshot(obj)
                )
                obj.delete()
            for obj in instances:
                before = snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
                obj.save()
                event = "admin_changed" if before is not None else "admin_created"
                audit_record(
                    actor=request.user,
                    action=_action(obj, event),
                    target=obj,
                    before=before,
                    after=snapshot(obj),
                )
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=f"{obj._meta.app_label}.{obj._meta.model_name}.admin_deleted",
                target=obj,
                before=snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _action(obj: Any, event: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{event}"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_label", "object_id", "reason"]
    date_hierarchy = "occurred_at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "done", "total", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]


@admin.register(DemoDataset)
class DemoDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "loaded_at"]
