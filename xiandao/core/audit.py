"""The one audit function. Services call it inside their transaction; nothing else writes audit rows."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models

from .models import AuditEntry


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
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, for the before/after of an audit entry."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record one write. `action` is namespaced: `<app>.<entity>.<event>` (e.g. `accounts.role.granted`)."""
    if action.count(".") < 2:
        raise ValueError(f"audit action must be <app>.<entity>.<event>, got {action!r}")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=_actor_label(user),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:300] if target is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    name = getattr(user, "display_name", "") or user.get_username()
    organisation = getattr(user, "organisation", None)
    return f"{name}（{organisation}）" if organisation else str(name)
