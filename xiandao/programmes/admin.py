"""Back office for programmes: after loading, the database is the truth and admins edit here.

Every save is audited (``AuditedModelAdmin``, and inline rows below). Non-superusers see only
the programmes ``programme_policy`` lets them change. An edit here changes the programme's
fingerprint, so ``load_programme`` will refuse to overwrite it and show the difference.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from xiandao.core.admin import AuditedModelAdmin

from .models import (
    Dimension,
    Field,
    FieldDirection,
    FieldKind,
    FieldPlace,
    Indicator,
    IndicatorFramework,
    Lifecycle,
    PolicyDocument,
    Programme,
    RuleParameter,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    TaxonomyVersion,
    UnitRole,
    ZoneType,
)
from .permissions import programme_policy


class ProgrammeScopedAdmin(AuditedModelAdmin):
    """Audited admin whose rows are limited to the programmes the user may change; inlines audited too."""

    programme_path = "programme"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        if getattr(request.user, "is_superuser", False):
            return queryset
        allowed = programme_policy.instances_for(request.user, "change")
        return queryset.filter(**{f"{self.programme_path}__in": allowed})


@admin.register(Programme)
class ProgrammeAdmin(ProgrammeScopedAdmin):
    programme_path = "pk"
    list_display = [
        "name",
        "code",
        "jurisdiction",
        "level",
        "start_year",
        "end_year",
        "admin_organisation",
        "loaded_at",
    ]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "schema_version", "source_file", "loaded_at", "definition_hash"]
    autocomplete_fields = ["admin_organisation"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "jurisdiction", "admin_organisation", "admin_note"]}),
        ("计划期", {"fields": ["start_year", "end_year", "period_note"]}),
        ("加载情况", {"fields": ["schema_version", "source_file", "loaded_at", "definition_hash"]}),
    ]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ProgrammeScopedAdmin):
    list_display = ["title", "programme", "number", "issuer", "date", "source_file"]
    list_filter = ["programme"]
    search_fields = ["title", "number", "issuer"]


class FieldKindInline(admin.TabularInline):
    model = FieldKind
    extra = 0


@admin.register(TaxonomyVersion)
class TaxonomyVersionAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme", "code", "valid_from", "document"]
    list_filter = ["programme"]
    inlines = [FieldKindInline]


class FieldDirectionInline(admin.TabularInline):
    model = FieldDirection
    extra = 0


class FieldPlaceInline(admin.TabularInline):
    model = FieldPlace
    extra = 0
    autocomplete_fields = ["jurisdiction", "park"]


@admin.register(Field)
class FieldAdmin(ProgrammeScopedAdmin):
    programme_path = "version__programme"
    list_display = ["name", "code", "order", "kind", "version"]
    list_filter = ["version__programme", "version"]
    search_fields = ["name", "code"]
    inlines = [FieldDirectionInline, FieldPlaceInline]


@admin.register(ZoneType)
class ZoneTypeAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme", "code", "industry_stage"]
    list_filter = ["programme"]


@admin.register(Lifecycle)
class LifecycleAdmin(ProgrammeScopedAdmin):
    list_display = ["programme", "specified", "kind", "article"]


@admin.register(RuleParameter)
class RuleParameterAdmin(ProgrammeScopedAdmin):
    list_display = ["label", "programme", "value", "unit", "is_default"]
    list_editable = ["value"]
    list_filter = ["programme", "is_default"]
    readonly_fields = ["key"]


@admin.register(IndicatorFramework)
class IndicatorFrameworkAdmin(ProgrammeScopedAdmin):
    list_display = ["programme", "specified", "article"]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(ProgrammeScopedAdmin):
    programme_path = "framework__programme"
    list_display = ["name", "framework", "weight", "is_default"]
    list_filter = ["framework__programme"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ProgrammeScopedAdmin):
    programme_path = "dimension__framework__programme"
    list_display = ["code", "name", "dimension", "unit", "direction", "source", "weight", "is_default"]
    list_filter = ["dimension__framework__programme", "source", "is_default"]
    search_fields = ["code", "name"]


@admin.register(Target)
class TargetAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "year", "metric", "value", "unit", "qualifier", "scope", "basis", "document"]
    list_filter = ["programme", "document", "year", "scope", "basis"]
    search_fields = ["code", "metric", "quote"]


class TaskUnitFormSet(BaseInlineFormSet):
    """The task's rules need its units: the lead rule is checked on the rows as entered (``Task.clean``)."""

    def clean(self) -> None:
        super().clean()
        task = self.instance
        if task.kind != TaskKind.TASK or task.programme_id is None:
            return
        lead = tuple(
            form.cleaned_data["written"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == UnitRole.LEAD
            and form.cleaned_data.get("written")
        )
        try:
            task.clean(lead=lead)
        except ValidationError as invalid:
            raise ValidationError(
                [m for messages in invalid.message_dict.values() for m in messages]
            ) from None


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    formset = TaskUnitFormSet
    extra = 0
    filter_horizontal = ["organisations"]


@admin.register(Task)
class TaskAdmin(ProgrammeScopedAdmin):
    list_display = ["code", "title", "kind", "parent", "document", "article"]
    list_filter = ["programme", "document", "kind"]
    search_fields = ["code", "title", "quote"]
    raw_id_fields = ["parent"]
    inlines = [TaskUnitInline]
