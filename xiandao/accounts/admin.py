"""The back office for accounts: the system administrator's users, organisations and roles;
the security administrator's lockouts, sessions, two-factor resets and token revocation;
the audit administrator's login logs (read-only). Every write here is audited by the site."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiandao.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .backoffice import backoffice_may
from .models import (
    POLICY_BOUNDS,
    ApiToken,
    Organisation,
    OrganisationAlias,
    RoleAssignment,
    SecurityPolicy,
    User,
)
from .policy import security_policy_ensure, security_policy_forget
from .services import api_token_issue, api_token_revoke, user_sessions_end

# The libraries' models read in Chinese in the back office, like ours (before they are registered,
# so the admin's audit codes get these labels too).
_CHINESE_NAMES = {
    AccessAttempt: ("登录失败计数（锁定）", "登录失败计数（锁定）"),
    AccessFailureLog: ("失败登录记录", "失败登录记录"),
    AccessLog: ("登录日志", "登录日志"),
    TOTPDevice: ("身份验证器", "身份验证器"),
    StaticDevice: ("恢复码", "恢复码"),
}
for _model, (_singular, _plural) in _CHINESE_NAMES.items():
    _model._meta.verbose_name = _singular
    _model._meta.verbose_name_plural = _plural
for _label, _name in {"axes": "登录安全", "otp_totp": "双因素认证", "otp_static": "双因素认证恢复码"}.items():
    apps.get_app_config(_label).verbose_name = _name

# Roles are the platform's RoleAssignment rows, not Django groups.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


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

    # `obj` is the user whose page this is: nobody changes their own roles.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return backoffice_may(request.user, "view", RoleAssignment)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return backoffice_may(request.user, "add", RoleAssignment) and not _own(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return backoffice_may(request.user, "change", RoleAssignment) and not _own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return backoffice_may(request.user, "delete", RoleAssignment) and not _own(request, obj)


def _own(request: HttpRequest, obj: Any) -> bool:
    """Is `obj` the acting user, or one of their own role assignments?"""
    if obj is None:
        return False
    owner = obj.user_id if isinstance(obj, RoleAssignment) else obj.pk
    return bool(owner == request.user.pk)


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    list_display = ["username", "display_name", "organisation", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "display_name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    # No superuser flag, staff flag, groups or Django permissions here: duties come from roles.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "organisation", "phone", "email")}),
        ("状态", {"fields": ("is_active", "last_login", "date_joined", "password_changed_at")}),
    )
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    inlines = [RoleAssignmentInline]
    actions = ["end_sessions"]

    def has_end_sessions_permission(self, request: HttpRequest) -> bool:
        return backoffice_may(request.user, "end_sessions", User)

    @admin.action(description="结束所选用户的全部会话", permissions=["end_sessions"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        ended = sum(user_sessions_end(actor=request.user, user=user) for user in queryset)
        self.message_user(request, f"已结束 {ended} 个会话。", messages.SUCCESS)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # The password and its audit entry are written together, or not at all.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "scope_kind", "scope_label", "valid_from", "valid_to"]
    list_filter = ["role", "scope_kind"]
    autocomplete_fields = ["user", "jurisdiction", "park", "organisation"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not _own(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if _own(request, obj):
            raise PermissionDenied("不能为本人授予或调整角色")
        super().save_model(request, obj, form, change)


class ApiTokenIssueForm(forms.Form):
    user = forms.ModelChoiceField(label="用户", queryset=User.objects.filter(is_active=True))
    name = forms.CharField(label="用途", max_length=100)
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=730, initial=365)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens are issued only by the service (the key shown once, here) and revoked, never edited."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    readonly_fields = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
    fields = [*readonly_fields]
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing is edited by hand; revoking is the action below

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return backoffice_may(request.user, "change", ApiToken)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="吊销所选令牌", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked=False):
            api_token_revoke(actor=request.user, token=token, reason="后台吊销")
        self.message_user(request, "所选令牌已吊销。", messages.SUCCESS)

    def get_urls(self) -> list[Any]:
        return [
            path("add/", self.admin_site.admin_view(self.issue_view), name="accounts_apitoken_add"),
            *super().get_urls(),
        ]

    def issue_view(self, request: HttpRequest) -> HttpResponse:
        """签发令牌: calls `api_token_issue`; the key is shown on this page once and never again."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenIssueForm(request.POST or None)
        key = ""
        token = None
        if request.method == "POST" and form.is_valid():
            try:
                token, key = api_token_issue(
                    actor=request.user,
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "签发接口令牌",
            "form": form,
            "token": token,
            "key": key,
            "changelist_url": reverse("admin:accounts_apitoken_changelist"),
        }
        return TemplateResponse(request, "admin/accounts/apitoken_issue.html", context)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(AuditedModelAdmin):
    """安全策略: one row the security administrator tightens; the list opens it directly."""

    fields = [
        "session_idle_minutes",
        "password_max_age_days",
        "password_min_length",
        "password_history",
        "lockout_failures",
        "lockout_minutes",
        "updated_at",
    ]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in POLICY_BOUNDS:
            low, high = POLICY_BOUNDS[db_field.name]
            field.help_text = f"可设 {low}–{high}（等保三级基线，只能收紧）"
        return field

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        policy = security_policy_ensure()
        return redirect("admin:accounts_securitypolicy_change", policy.pk)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        security_policy_forget()
        transaction.on_commit(security_policy_forget)  # and once more when others can see it


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AuditedModelAdmin):
    """Lockouts: the security administrator lifts one by deleting its attempt row (audited)."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    readonly_fields = [
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
        "attempt_time",
    ]
    fields = [*readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAdmin):
    """Every failed login: who, when, from where — kept, read by the audit administrator."""

    list_display = ["attempt_time", "username", "ip_address", "user_agent", "locked_out"]
    list_filter = ["locked_out"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "locked_out"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Successful logins and logouts, read by the audit administrator."""

    list_display = ["attempt_time", "logout_time", "username", "ip_address", "user_agent"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "path_info", "attempt_time", "logout_time"]


class DeviceAdmin(AuditedModelAdmin):
    """A user's second factor; deleting it (the security administrator) resets their two-factor login.

    The device's key never shows here.
    """

    list_display = ["user", "name", "confirmed"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = ["user", "name", "confirmed"]
    fields = [*readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
    admin.site.register(_device, DeviceAdmin)
