"""Back office for pilot zones: a zone and the places hosting it over time (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from xiandao.core.admin import AuditedModelAdmin
from xiandao.core.audit import audit_record, snapshot
from xiandao.programmes.permissions import programme_policy

from .models import PilotZone, ZonePlace


class ZonePlaceInline(admin.TabularInline):
    model = ZonePlace
    extra = 0
    autocomplete_fields = ["jurisdiction", "park"]


@admin.register(PilotZone)
class PilotZoneAdmin(AuditedModelAdmin):
    list_display = ["name", "programme", "field", "zone_type", "status", "is_demo"]
    list_filter = ["programme", "status", "is_demo"]
    search_fields = ["name"]
    inlines = [ZonePlaceInline]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[PilotZone]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        return queryset.filter(programme__in=programme_policy.instances_for(request.user, "change"))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    action="pilot_zones.zoneplace.admin_deleted",
                    target=obj,
                    before=snapshot(obj),
                )
                obj.delete()
            for obj in instances:
                event = "admin_changed" if obj.pk else "admin_created"
                obj.save()
                audit_record(
                    actor=request.user,
                    action=f"pilot_zones.zoneplace.{event}",
                    target=obj,
                    after=snapshot(obj),
                )
            formset.save_m2m()
