"""Telling a programme's other admins that one of them changed its settings (issue 13)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from xiandao.accounts.models import Role
from xiandao.programmes.models import ProgrammeNotificationKind

from .selectors import programme_users
from .services import notification_send


def _value(state: Any) -> str:
    if isinstance(state, dict) and "value" in state:
        value = "未定" if state["value"] is None else str(state["value"])
        return value + ("（默认值）" if state.get("default") else "")
    return "—" if state is None else str(state)


def programme_change_notify(change: Any) -> None:
    """Inside the change's transaction: queue a notification to the other admins (sent on commit)."""
    programme = change.programme
    notification_send(
        recipients=programme_users(programme, roles=[Role.PROGRAMME_ADMIN]),
        kind=ProgrammeNotificationKind.PARAMETER_CHANGED,
        title=f"{change.actor_label}{change.get_kind_display()}：{change.subject_label}"
        f"（{_value(change.before)} → {_value(change.after)}）",
        body=f"培育计划：{programme.name}\n理由：{change.reason}",
        url=reverse("programmes:changes", args=[programme.code]),
        exclude=change.actor,
    )
