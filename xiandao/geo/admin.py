from __future__ import annotations

from django.contrib import admin

from xiandao.core.admin import AuditedModelAdmin

from .models import Jurisdiction, JurisdictionMembership, Park, ParkLocation


class MembershipInline(admin.TabularInline):
    model = JurisdictionMembership
    fk_name = "child"
    extra = 0
    autocomplete_fields = ["parent"]


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


class ParkLocationInline(admin.TabularInline):
    model = ParkLocation
    extra = 0
    autocomplete_fields = ["jurisdiction"]


@admin.register(Park)
class ParkAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "kind", "level"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "short_name"]
    inlines = [ParkLocationInline]
