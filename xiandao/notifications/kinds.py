"""The catalogue of notification kinds: each app declares its kinds once, as an enum with Chinese labels.

An app registers its enum from its ``ready()``; ``notification_send`` refuses a kind nobody
registered, so a typo cannot silently create a kind no preference page knows about. A kind's
code is ``<app>.<event>`` (``programmes.parameter_changed``), like the audit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from django.db import models


class NotificationKind(models.TextChoices):
    """This app's own kinds."""

    NOTICE_PUBLISHED = "notifications.notice_published", "通知公告"  # a programme admin published a notice
    SYSTEM = "notifications.system", "平台消息"  # from the platform itself: welcome, account matters


@dataclass(frozen=True)
class KindSpec:
    code: str
    label: str
    app_label: str
    email_by_default: bool


class UnknownNotificationKind(ValueError):
    """A kind that no app registered."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"未登记的消息类型：{code}（请在应用的 ready() 中用 notification_kinds_register 登记）"
        )
        self.code = code


_CATALOGUE: dict[str, KindSpec] = {}


def notification_kinds_register(
    kinds: type[models.TextChoices],
    *,
    app_label: str,
    email_by_default: Iterable[Enum] = (),
) -> None:
    """Register an app's kinds (a ``TextChoices`` enum); ``email_by_default`` are mailed unless a user opts out.

    Registering the same code twice with a different label or app is a programming error.
    """
    by_default = {str(k.value) for k in email_by_default}
    for member in kinds:
        code = str(member.value)
        if not code.startswith(f"{app_label}."):
            raise ValueError(f"消息类型 {code} 应以应用名 {app_label}. 开头")
        spec = KindSpec(code, str(member.label), app_label, code in by_default)
        existing = _CATALOGUE.get(code)
        if existing is not None and existing != spec:
            raise ValueError(f"消息类型 {code} 已由 {existing.app_label} 登记为“{existing.label}”")
        _CATALOGUE[code] = spec


def notification_kind(code: str) -> KindSpec:
    """The registered kind, or ``UnknownNotificationKind``."""
    try:
        return _CATALOGUE[code]
    except KeyError:
        raise UnknownNotificationKind(code) from None


def notification_kinds() -> list[KindSpec]:
    """Every registered kind, grouped by app, in the order registered."""
    return sorted(_CATALOGUE.values(), key=lambda s: s.app_label)


def notification_kind_label(code: str) -> str:
    spec = _CATALOGUE.get(code)
    return spec.label if spec else code
