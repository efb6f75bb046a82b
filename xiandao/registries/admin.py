"""Back office for the registries: audited, and entries are never deleted (they are retired)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xiandao.core.admin import AuditedModelAdmin

from .models import EnterpriseTag, ProjectProgress, ProvinceConfirmation, ReadinessAssessment
from .registry import REGISTRIES


class NoDeleteAdmin(AuditedModelAdmin):
    list_display = ["name", "city", "zone", "valid_from", "ends_on", "status"]
    list_filter = ["status", "is_demo"]
    search_fields = ["name"]
    readonly_fields = ["ends_on", "confirmed_at", "confirmed_by", "city_confirmed_by", "created_by"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TagInline(admin.TabularInline):
    model = EnterpriseTag
    extra = 0


class AssessmentInline(admin.TabularInline):
    model = ReadinessAssessment
    extra = 0


class ProgressInline(admin.TabularInline):
    model = ProjectProgress
    extra = 0


INLINES: dict[str, list[type[admin.TabularInline]]] = {
    "enterprise": [TagInline],
    "technology": [AssessmentInline],
    "project": [ProgressInline],
}

for _registry in REGISTRIES:
    admin.site.register(
        _registry.model,
        type(
            f"{_registry.model.__name__}Admin", (NoDeleteAdmin,), {"inlines": INLINES.get(_registry.key, [])}
        ),
    )


@admin.register(ProvinceConfirmation)
class ProvinceConfirmationAdmin(AuditedModelAdmin):
    list_display = ["province", "registry", "basis"]
