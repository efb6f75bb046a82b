"""Password rules (等保 2.0 level 3, 身份鉴别): Django password validators, with Chinese messages.

Configured in ``AUTH_PASSWORD_VALIDATORS``, so the self-service page, the back office's password
form and ``createsuperuser`` all apply the same rules. `PasswordHistoryValidator` also keeps the
history: Django calls ``password_changed`` on every validator whenever a user's password is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

CHARACTER_CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)


class ChineseMinimumLengthValidator:
    """At least the security policy's minimum length (10 by default; `min_length` fixes it)."""

    def __init__(self, min_length: int | None = None) -> None:
        self.fixed = min_length

    @property
    def min_length(self) -> int:
        from .policy import security_policy

        return self.fixed or security_policy().password_min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """At least `min_classes` of the four classes: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        present = [name for name, pattern in CHARACTER_CLASSES if pattern.search(password)]
        if len(present) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类（现有 {len(present)} 类）。",
                code="password_too_few_classes",
            )

    def get_help_text(self) -> str:
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class NotUsernameValidator:
    """Not the user name (nor the user name spelled backwards, nor containing it)."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (user.get_username() if user is not None else "") or ""
        lowered = password.lower()
        if (
            username
            and len(username) >= 3
            and (username.lower() in lowered or username.lower()[::-1] in lowered)
        ):
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "不能包含用户名。"


class ChineseCommonPasswordValidator(CommonPasswordValidator):
    """Not one of the 20,000 most common passwords (Django's list)."""

    def validate(self, password: str, user: Any = None) -> None:
        if password.lower().strip() in self.passwords:
            raise ValidationError("该密码过于常见，请换一个。", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能是常见密码。"


class PasswordHistoryValidator:
    """Not one of the user's last passwords (the policy's count, 5 by default); remembers each new one."""

    def __init__(self, count: int | None = None) -> None:
        self.fixed = count

    @property
    def count(self) -> int:
        from .policy import security_policy

        return self.fixed or security_policy().password_history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        recent = PasswordHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[: self.count]
        hashes = [row.password for row in recent]
        if user.password and user.password not in hashes:
            hashes.append(user.password)
        if any(check_password(password, stored) for stored in hashes if stored):
            raise ValidationError(f"不能与最近 {self.count} 次使用过的密码相同。", code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        """Record the new hash; the clock for the 90-day change restarts only if the user chose it."""
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory, User

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        chosen_by_self = bool(getattr(user, "_password_chosen_by_self", False))
        changed_at = timezone.now() if chosen_by_self else None
        User.objects.filter(pk=user.pk).update(password_changed_at=changed_at)
        user.password_changed_at = changed_at

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次使用过的密码相同。"


def password_max_age() -> dt.timedelta:
    from .policy import security_policy

    return dt.timedelta(days=security_policy().password_max_age_days)


def password_change_due(user: Any) -> str:
    """Why the user must change their password now: "first" (set by someone else), "expired", or ""."""
    if not getattr(user, "is_authenticated", False) or not user.has_usable_password():
        return ""
    changed_at = getattr(user, "password_changed_at", None)
    if changed_at is None:
        return "first"
    if timezone.now() - changed_at >= password_max_age():
        return "expired"
    return ""
