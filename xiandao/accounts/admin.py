from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from xiandao.core.admin import AuditedModelAdmin

from .models import ApiToken, Organisation, OrganisationAlias, RoleAssignment, User


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind", "jurisdiction", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "code", "aliases__alias"]
    autocomplete_fields = ["jurisdiction", "park"]
    inlines = [OrganisationAliasInline]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["jurisdiction", "park", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    list_display = ["username", "display_name", "organisation", "is_active", "last_login"]
    search_fields = ["username", "display_name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("机构", {"fields": ("display_name", "organisation", "phone")}),
    )
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "scope_kind", "scope_label", "valid_from", "valid_to"]
    list_filter = ["role", "scope_kind"]
    autocomplete_fields = ["user", "jurisdiction", "park", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked"]
    readonly_fields = ["key_hash", "prefix", "last_used_at"]
