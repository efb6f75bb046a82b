"""Two-factor login (TOTP with recovery codes, by django-otp): who needs it and whether it is done.

Programme admins and the three back-office administrators must use it; others may. Demo mode
may skip the requirement (the one-click personas would otherwise need a phone) and says so on
screen; production may not (a system check refuses `XIANDAO_TWO_FACTOR_DEMO_SKIP` there).
A user who has set up a device always passes the second step, in demo mode too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device

from .models import BACKOFFICE_ROLES, Role

TWO_FACTOR_ROLES = frozenset({Role.PROGRAMME_ADMIN, *BACKOFFICE_ROLES})


def two_factor_required(user: Any) -> bool:
    """Must this user log in with a second factor (programme admins, 三员, superusers)?"""
    from .selectors import user_scope

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user_scope(user).roles & TWO_FACTOR_ROLES)


def two_factor_skipped_in_demo(user: Any) -> bool:
    """Demo mode lets a required second factor be skipped by a user who has not set one up."""
    return bool(
        settings.DEMO_MODE
        and getattr(settings, "XIANDAO_TWO_FACTOR_DEMO_SKIP", False)
        and two_factor_required(user)
        and not user_has_device(user, confirmed=True)
    )


def two_factor_pending(request: HttpRequest) -> str:
    """What the logged-in user still has to do: "verify", "setup" or "" (nothing)."""
    user: Any = request.user
    if not getattr(user, "is_authenticated", False):
        return ""
    if getattr(user, "is_verified", lambda: False)():
        return ""
    if user_has_device(user, confirmed=True):
        return "verify"
    if two_factor_required(user) and not two_factor_skipped_in_demo(user):
        return "setup"
    return ""


def two_factor_satisfied(request: HttpRequest) -> bool:
    return two_factor_pending(request) == ""


def totp_device_pending(user: Any) -> Any:
    """The user's unconfirmed authenticator being set up (made on first call)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


RECOVERY_CODE_COUNT = 10


def two_factor_confirm(*, actor: Any, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the recovery codes (shown once)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from xiandao.core.audit import audit_record

    with transaction.atomic():
        device = totp_device_pending(actor)
        if not device.verify_token(token.strip()):
            raise ValidationError("验证码不正确或已过期，请输入身份验证器上当前显示的6位数字。")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # The new authenticator replaces any earlier one.
        type(device).objects.filter(user=actor).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=actor).delete()
        static = StaticDevice.objects.create(user=actor, name="恢复码", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
        audit_record(actor=actor, action="accounts.otp_device.confirmed", target=device)
        audit_record(
            actor=actor,
            action="accounts.otp_device.recovery_codes_issued",
            target=static,
            after={"count": len(codes)},
        )
    return codes


def two_factor_verify(request: HttpRequest, token: str) -> bool:
    """Check a code (authenticator or recovery code) and mark the session as verified."""
    import django_otp
    from django_otp.plugins.otp_static.models import StaticDevice

    from xiandao.core.audit import audit_record

    device = django_otp.match_token(request.user, token.strip().replace(" ", ""))
    if device is None:
        return False
    django_otp.login(request, device)
    if isinstance(device, StaticDevice):
        audit_record(actor=request.user, action="accounts.otp_device.recovery_code_used", target=device)
    return True


def totp_qr_svg(device: Any) -> str:
    """The authenticator's set-up link as an inline SVG QR code (no script, no external image)."""
    import segno

    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2d3d"))
