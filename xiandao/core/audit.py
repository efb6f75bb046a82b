"""The one audit function. Services call it inside their transaction; nothing else writes audit rows.

No secret ever enters an entry: one rule (`is_secret_name`) drops password hashes, token hashes,
session keys, one-time-password seeds and recovery codes from every snapshot and every
before/after mapping, whatever the model, so a new model with a secret is covered without a list.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models

from .audit_codes import audit_code_known
from .models import AuditEntry

# The one exclusion rule. A field or mapping key is secret when one of its words says so
# (password, secret, token, salt, seed, otp, recovery, session…: password hashes, token hashes,
# session keys and data, TOTP seeds, recovery codes), when "key" is part of a longer name
# (key_hash, api_key, session_key), or when it is the key of a credential model — one that
# verifies one-time passwords (django-otp's devices). A plain identifier named `key` is no secret.
SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "secrets",
        "token",
        "tokens",
        "salt",
        "seed",
        "otp",
        "recovery",
        "session",
        "credential",
        "credentials",
        "pin",
    }
)


def is_secret_name(name: str, model: Any = None) -> bool:
    """Is a field (or mapping key) of this name a secret? `model` lets a credential's `key` count."""
    words = [w for w in re.split(r"[^a-z0-9]+", str(name).lower().replace("_", " ")) if w]
    if not SECRET_WORDS.isdisjoint(words):
        return True
    if "key" in words:
        return len(words) > 1 or (model is not None and callable(getattr(model, "verify_token", None)))
    return False


def _jsonable(value: Any) -> Any:
    """Make a snapshot value JSON-safe without losing what a reader needs (decimals stay exact)."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if not is_secret_name(str(k))}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for the before/after of an audit entry.

    Secret fields are left out (`is_secret_name`), even when asked for by name.
    """
    names = fields or [f.attname for f in instance._meta.concrete_fields if not _is_secret_field(f)]
    model = type(instance)
    return {name: _jsonable(getattr(instance, name)) for name in names if not is_secret_name(name, model)}


def _is_secret_field(field: Any) -> bool:
    return is_secret_name(field.name, field.model) or is_secret_name(field.attname, field.model)


def secret_fields(instance: models.Model) -> dict[str, Any]:
    """The secret field values of an instance, held in memory only, to tell *that* one changed."""
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if _is_secret_field(f)
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record one write. `action` is a catalogued code `<app>.<entity>.<event>` (`accounts.role.granted`).

    A code no app declared (`xiandao.core.audit_codes`) is refused, so the log never holds a
    code without a Chinese label.
    """
    action = str(action)
    if action.count(".") < 2:
        raise ValueError(f"操作代码须为 <应用>.<对象>.<事件>：{action!r}")
    if not audit_code_known(action):
        raise ValueError(f"未登记的操作代码：{action!r}（请在该应用的 audit_codes.py 中登记）")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=_object_label(target),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )


def _object_label(target: models.Model | None) -> str:
    """How the object reads in the log; a model whose text is a secret (a session's key) reads by its type."""
    if target is None:
        return ""
    label = str(target)
    if any(label and str(value) in label for value in secret_fields(target).values() if value):
        return f"{target._meta.verbose_name} #{target.pk}"
    return label[:300]


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    name = getattr(user, "display_name", "") or user.get_username()
    organisation = getattr(user, "organisation", None)
    return f"{name}（{organisation}）" if organisation else str(name)
