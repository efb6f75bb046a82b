"""What every page's frame needs: the user's organisation and role, the menu, the demo ribbon."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import account_step_pending, primary_role, session_idle_seconds, user_scope
from xiandao.core.models import DemoDataset

from .navigation import navigation_for

#: The platform's name, at the end of every tab title and in the header.
PLATFORM_NAME = "先导 · 未来产业培育平台"


def platform(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "platform_name": PLATFORM_NAME,
        "demo_mode": settings.DEMO_MODE,
        "demo_data_loaded": DemoDataset.objects.exists(),
        "show_codes": False,
    }
    if user.is_authenticated:
        # The session-timeout warning reads these from the page (static script, no inline code).
        context["session_idle_seconds"] = session_idle_seconds()
        context["session_warning_seconds"] = settings.XIANDAO_SESSION_WARNING_SECONDS
    if user.is_authenticated:
        scope = user_scope(user)
        context["current_role"] = primary_role(user)
        # While a login step is still due (second factor, password change) the menu leads nowhere.
        if not account_step_pending(request):
            context["navigation"] = navigation_for(scope.roles, is_superuser=scope.is_superuser)
        # Codes (indicator codes, registry keys) are for the people who maintain the programme:
        # a muted second line or a tooltip for them, never for anyone else.
        context["show_codes"] = scope.has_role(Role.PROGRAMME_ADMIN) or user.is_staff
    return context
