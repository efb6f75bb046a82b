"""Log in (with one-click demonstration personas in demo mode), log out, organisation pages."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from .demo import DEMO_PASSWORD, PERSONAS, PERSONAS_BY_KEY
from .forms import LoginForm, OtpTokenForm, PasswordChangeOwnForm
from .models import User
from .passwords import password_change_due, password_max_age
from .permissions import organisation_policy
from .policy import security_policy, session_idle_seconds
from .selectors import role_assignments_active
from .services import password_change_own
from .two_factor import (
    totp_device_pending,
    totp_qr_svg,
    two_factor_confirm,
    two_factor_pending,
    two_factor_required,
    two_factor_skipped_in_demo,
)
from .two_factor import two_factor_verify as two_factor_verify_token


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["personas"] = PERSONAS
            context["demo_password"] = DEMO_PASSWORD
            context["two_factor_demo_skip"] = getattr(settings, "XIANDAO_TWO_FACTOR_DEMO_SKIP", False)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
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


def _safe_next(request: HttpRequest, default: str = "web:home") -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse(default)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """修改密码: self-service, with the rules listed beside the form."""
    form = PasswordChangeOwnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change_own(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("new_password1", exc.messages)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, "密码已修改。")
            return redirect(_safe_next(request, "accounts:profile"))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "rules": password_validators_help_texts(),
            "max_age_days": security_policy().password_max_age_days,
            "due": password_change_due(request.user),
            "next": request.GET.get("next", ""),
            "breadcrumbs": [("个人中心", reverse("accounts:profile")), ("修改密码", None)],
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """个人中心: who I am, for which organisation, with which roles in which scopes and dates."""
    from django_otp import user_has_device

    user: Any = request.user
    changed_at = user.password_changed_at
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "assignments": role_assignments_active(user),
            "password_changed_at": changed_at,
            "password_expires_at": changed_at + password_max_age() if changed_at else None,
            "two_factor_on": user_has_device(user, confirmed=True),
            "two_factor_required": two_factor_required(user),
            "breadcrumbs": [("个人中心", None)],
        },
    )


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: scan the code, type one code, keep the recovery codes.

    Replacing an authenticator needs the current one first: with only a password, nobody may
    enrol a device of their own on an account that has one.
    """
    if two_factor_pending(request) == "verify":
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
    device = totp_device_pending(request.user)
    form = OtpTokenForm(request.POST or None)
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_confirm(actor=request.user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.messages)
        else:
            import django_otp

            device.refresh_from_db()
            django_otp.login(request, device)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "device": device,
            "qr_svg": mark_safe(totp_qr_svg(device)),
            "secret": b32encode(device.bin_key).decode(),
            "codes": codes,
            "next": _safe_next(request),
            "demo_skip": two_factor_skipped_in_demo(request.user),
            "breadcrumbs": [("个人中心", reverse("accounts:profile")), ("双因素认证", None)],
        },
    )


@login_required
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the authenticator, or a recovery code."""
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor_verify_token(request, form.cleaned_data["token"]):
            return redirect(_safe_next(request))
        form.add_error("token", "验证码不正确或已过期；也可输入一个未用过的恢复码。")
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """The session-timeout warning's 继续使用 button: this request itself renews the session."""
    return JsonResponse({"remaining_seconds": session_idle_seconds()})
