"""Log in (with one-click demonstration personas in demo mode), log out, organisation pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .demo import DEMO_PASSWORD, PERSONAS, PERSONAS_BY_KEY
from .forms import LoginForm
from .models import User
from .permissions import organisation_policy


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["personas"] = PERSONAS
            context["demo_password"] = DEMO_PASSWORD
        return context


@require_POST
def demo_login(request: HttpRequest) -> HttpResponse:
    """One-click login as a demonstration persona; exists only in demo mode."""
    if not settings.DEMO_MODE:
        raise Http404("演示登录仅在演示模式下可用")
    persona = PERSONAS_BY_KEY.get(request.POST.get("persona", ""))
    if persona is None:
        messages.error(request, "未找到该演示账号，请从列表中选择。")
        return redirect("accounts:login")
    user = User.objects.filter(username=persona.username, is_active=True).first()
    if user is None:
        messages.error(request, "演示账号尚未创建，请先运行 make run 加载演示数据。")
        return redirect("accounts:login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("web:home")


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_policy.get_or_404(request.user, "view", pk=organisation_id)
    members = (
        organisation.members.filter(is_active=True).prefetch_related("role_assignments").order_by("username")
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "aliases": organisation.aliases.all(),
            "members": members,
            "breadcrumbs": [("机构", None), (organisation.name, None)],
        },
    )
