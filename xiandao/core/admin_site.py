"""The back office's site: only the three administrators (三员) enter, and every admin is audited.

`register` wraps any admin class that is not already an `AuditedModelAdmin` — the libraries'
(axes, django-otp) included — so every write through this site leaves an audit entry, and
declares the model's admin audit codes in the catalogue. The login is the platform's own (with
its lockout and two-factor step), not the admin's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models.base import ModelBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .backoffice import backoffice_gate


class XiandaoAdminSite(admin.AdminSite):
    site_header = "先导平台管理后台"
    site_title = "先导平台管理后台"
    index_title = "后台管理"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        from .admin import AuditedModelAdmin
        from .audit_codes import audit_codes_declare_for_admin

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            # The library's class first, so its own restrictions stay; the audit underneath.
            admin_class = type(admin_class.__name__, (admin_class, AuditedModelAdmin), {})
        models: list[Any] = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        )
        for model in models:
            audit_codes_declare_for_admin(model)
        for inline in getattr(admin_class, "inlines", ()):
            audit_codes_declare_for_admin(inline.model)
        super().register(models, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        """Only an active user with a back-office duty, past the two-factor step where it is required."""
        gate = backoffice_gate()
        user: Any = request.user
        developer = user.is_superuser and settings.DEMO_MODE
        if not (user.is_active and (developer or gate.roles(user))):
            return False
        return bool(gate.second_factor_satisfied(request))

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:  # type: ignore[override]
        """The platform's own 修改密码 page: its rules, history and audit entry apply to admins too."""
        return redirect(
            f"{reverse('accounts:password_change')}?{urlencode({'next': reverse('admin:index')})}"
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The platform's login page, then back here."""
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
