"""Back office for pilot zones: a zone and the places hosting it over time (audited)."""

from __future__ import annotations

from django.contrib import admin

from xiandao.programmes.admin import ProgrammeScopedAdmin

from .models import PilotZone, ZonePlace


class ZonePlaceInline(admin.TabularInline):
    model = ZonePlace
    extra = 0
    autocomplete_fields = ["jurisdiction", "park"]


@admin.register(PilotZone)
class PilotZoneAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme", "field", "zone_type", "status", "is_demo"]
    list_filter = ["programme", "status", "is_demo"]
    search_fields = ["name"]
    inlines = [ZonePlaceInline]
