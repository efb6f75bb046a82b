"""Back office: the audited base of every admin, the audit log and jobs read-only.

Every write through the admin site leaves an audit entry. The Django admin tells each of its
write paths to `log_addition`, `log_change` or `log_deletions` — the change form, the change
list's in-place edits, the delete page and action, and custom views such as the user's
password form — so those three hooks are where the audit is written; inline rows get an entry
each in `save_formset`. The site (`xiandao.core.admin_site`) wraps every registered admin,
a library's included, in this class, so no admin escapes it.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.html import format_html

from .audit import audit_record, secret_fields, snapshot
from .audit_codes import audit_code_label
from .backoffice import backoffice_gate
from .models import AuditEntry, DemoDataset, Job

# Fields that only a service may change, on every model: a status moves through its
# transition service (which checks the move and writes its own audit entry), never by hand.
RULE_BOUND_FIELD_NAMES = frozenset({"status"})


def rule_bound_fields(model: type[models.Model]) -> list[str]:
    """Fields of a model that are read-only in the admin: its status, and what it declares.

    A model names its own derived or provenance fields in ``RULE_BOUND_FIELDS``
    (a target's document and quote, say); those change through services only.
    """
    declared = tuple(getattr(model, "RULE_BOUND_FIELDS", ()))
    names = [f.name for f in model._meta.concrete_fields if f.name in RULE_BOUND_FIELD_NAMES]
    return list(dict.fromkeys([*names, *declared]))


def _before_key(obj: Any) -> tuple[str, str]:
    return (obj._meta.label_lower, str(obj.pk))


def _remember(request: HttpRequest, obj: Any) -> None:
    """Keep an object's state before an admin write on the request (secrets in memory only)."""
    store: dict[tuple[str, str], Any] = request.__dict__.setdefault("_xiandao_audit_before", {})
    store[_before_key(obj)] = (snapshot(obj), secret_fields(obj))


def _remembered(request: HttpRequest, obj: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    store = request.__dict__.get("_xiandao_audit_before", {})
    before, secrets = store.get(_before_key(obj), (None, {}))
    return before, secrets


def _message_text(message: Any) -> str:
    """The admin's change message (JSON or text) in words, as the admin's own history shows it."""
    if not message:
        return ""
    raw = message if isinstance(message, str) else json.dumps(message)
    return str(LogEntry(change_message=raw).get_change_message())


def _action(obj: Any, event: str) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{event}"


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits are writes like any other: each one leaves an audit entry.

    Who may see or change a model here is the back office's duty table
    (`xiandao.accounts.backoffice`, reached through `core.backoffice`), not Django's per-model permissions.
    """

    # -- permissions: the three administrators' duties --------------------------------------

    def _may(self, request: HttpRequest, action: str) -> bool:
        return bool(backoffice_gate().may(request.user, action, self.model))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "delete")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        declared = list(super().get_readonly_fields(request, obj))
        return list(dict.fromkeys([*declared, *rule_bound_fields(self.model)]))

    # -- the state before a write ----------------------------------------------------------

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            _remember(request, obj)
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and obj.pk:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                _remember(request, stored)
        super().save_model(request, obj, form, change)

    # -- the audit entries -----------------------------------------------------------------

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        audit_record(
            actor=request.user,
            action=_action(obj, "admin_created"),
            target=obj,
            after=snapshot(obj),
            reason=_message_text(message),
        )
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        before, secrets_before = _remembered(request, obj)
        changed_secrets = [
            str(obj._meta.get_field(name).verbose_name)
            for name, value in secret_fields(obj).items()
            if name in secrets_before and secrets_before[name] != value
        ]
        text = _message_text(message)
        if changed_secrets:
            # Which secret changed is recorded; its value never is.
            text = f"{text} 已修改保密字段：{'、'.join(changed_secrets)}（内容不记录）".strip()
        audit_record(
            actor=request.user,
            action=_action(obj, "admin_changed"),
            target=obj,
            before=before,
            after=snapshot(obj),
            reason=text,
        )
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        objects = list(queryset)
        entries = super().log_deletions(request, objects)  # type: ignore[arg-type]
        for obj in objects:
            audit_record(
                actor=request.user, action=_action(obj, "admin_deleted"), target=obj, before=snapshot(obj)
            )
        return entries

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            super().delete_queryset(request, queryset)

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
                stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
                before = snapshot(stored) if stored is not None else None
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


class ReadOnlyAdmin(AuditedModelAdmin):
    """Shown to those whose duty is to read it; nobody adds, changes or deletes here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditActionFilter(admin.SimpleListFilter):
    """Filter by operation, listed by their Chinese labels."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        return [(code, audit_code_label(code)) for code in codes]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditObjectTypeFilter(admin.SimpleListFilter):
    """Filter by kind of object, listed by the models' Chinese names."""

    title = "对象类型"
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from django.apps import apps

        kinds = AuditEntry.objects.exclude(object_type="").order_by("object_type")
        choices = []
        for label in kinds.values_list("object_type", flat=True).distinct():
            try:
                name = str(apps.get_model(label)._meta.verbose_name)
            except (LookupError, ValueError):
                name = label
            choices.append((label, name))
        return choices

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "action_display", "object_label"]
    list_filter = [AuditActionFilter, AuditObjectTypeFilter]
    search_fields = ["actor_label", "action", "object_label", "object_id", "reason"]
    date_hierarchy = "occurred_at"

    @admin.display(description="操作", ordering="action")
    def action_display(self, entry: AuditEntry) -> str:
        """The catalogue's Chinese label, the code as a muted second line for administrators."""
        return format_html(
            '{}<div class="help">{}</div>',
            audit_code_label(entry.action),
            entry.action,
        )


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "done", "total", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]


@admin.register(DemoDataset)
class DemoDatasetAdmin(ReadOnlyAdmin):
    list_display = ["name", "loaded_at"]
