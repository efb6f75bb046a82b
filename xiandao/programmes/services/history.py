"""The change history of a programme (变更记录): recording a change, reverting one, the state on a date.

Every admin edit made through the platform goes through :func:`change_record`, inside the edit's
transaction: one :class:`ProgrammeChange` row (who, when, why, before, after, and the whole
programme after it), one audit entry, and the listeners other apps registered (the notifications
app tells the programme's other admins; it sends on commit, so a rolled-back edit tells no one).

A revert is a change of its own: the editor that owns the subject puts back the ``before`` of
the reverted change, by the same rules as any edit, provided nothing changed the subject since.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiandao.core.audit import audit_record
from xiandao.core.providers import Providers
from xiandao.programmes.definition import ProgrammeDefinition, dump_definition

from ..models import ChangeKind, Programme, ProgrammeChange
from ..permissions import ProgrammeAction, programme_policy
from ..state import programme_definition_data

#: Told of every recorded change, inside its transaction: ``listener(change)``.
programme_change_listeners: Providers[Callable[[ProgrammeChange], None]] = Providers("programmes.changed")

#: Reverting a change, by the prefix of its subject (``parameter:``): ``handler(user, change, reason)``.
RevertHandler = Callable[..., ProgrammeChange]
_REVERT_HANDLERS: dict[str, RevertHandler] = {}


class ChangeRefused(Exception):
    """A change that cannot be made as asked; ``message`` says why in Chinese."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def revert_handler_register(prefix: str, handler: RevertHandler) -> None:
    """Let an editor module undo the changes whose subject starts with ``prefix``."""
    _REVERT_HANDLERS[prefix] = handler


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact: 0.25 stays "0.25", never a float
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"不能序列化的值：{value!r}")


def programme_state(programme: Programme) -> dict[str, Any]:
    """The programme's whole definition as JSON data (what a change row keeps)."""
    data = programme_definition_data(programme)
    loaded: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False, default=_json_default))
    return loaded


def change_baseline(programme: Programme) -> dict[str, Any] | None:
    """The state before the programme's first recorded change: taken only while it has none."""
    if programme.changes.exists():
        return None
    return programme_state(programme)


def change_record(
    *,
    actor: Any,
    programme: Programme,
    kind: ChangeKind,
    subject: str,
    subject_label: str,
    before: Any,
    after: Any,
    reason: str,
    baseline: dict[str, Any] | None,
    reverts: ProgrammeChange | None = None,
    effective_year: int | None = None,
    audit_code: str,
) -> ProgrammeChange:
    """Record a change already written (inside its transaction): history row, audit entry, listeners."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    change = ProgrammeChange.objects.create(
        programme=programme,
        at=timezone.now(),
        actor=user,
        actor_label=_actor_label(user),
        kind=kind,
        subject=subject,
        subject_label=subject_label,
        before=before,
        after=after,
        reason=reason,
        reverts=reverts,
        effective_year=effective_year,
        state_before=baseline,
        state_after=programme_state(programme),
    )
    audit_record(
        actor=actor,
        action=audit_code,
        target=programme,
        before={"subject": subject, "value": before},
        after={"subject": subject, "value": after, "change": change.pk},
        reason=reason,
    )
    for listener in programme_change_listeners:
        listener(change)
    return change


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    name = getattr(user, "display_name", "") or user.get_username()
    organisation = getattr(user, "organisation", None)
    return f"{name}（{organisation}）" if organisation else str(name)


def reason_required(reason: str) -> str:
    """The reason, stripped; a change without one is refused."""
    text = (reason or "").strip()
    if not text:
        raise ChangeRefused("请填写变更理由（将记入变更记录，供其他管理员查看）。")
    return text


def change_revert(*, user: Any, programme: Programme, change_id: int, reason: str) -> ProgrammeChange:
    """Undo one change as a new change; refused when the subject changed since (say so)."""
    programme = programme_policy.get_or_404(user, ProgrammeAction.CHANGE, pk=programme.pk)
    change = ProgrammeChange.objects.filter(programme=programme, pk=change_id).first()
    if change is None:
        from django.http import Http404

        raise Http404("未找到该变更记录。")
    reason = reason_required(reason)
    undone = change.reverted_by.order_by("at").first()
    if undone is not None:
        raise ChangeRefused(
            f"这项变更已于{timezone.localtime(undone.at):%Y-%m-%d %H:%M}由{undone.actor_label}撤销过。"
        )
    handler = next(
        (handler for prefix, handler in _REVERT_HANDLERS.items() if change.subject.startswith(prefix)), None
    )
    if handler is None:
        raise ChangeRefused(f"“{change.get_kind_display()}”类变更暂不能撤销，请直接修改。")
    with transaction.atomic():
        reverted: ProgrammeChange = handler(user=user, programme=programme, change=change, reason=reason)
    return reverted


# ---------------------------------------------------------------------------------------------
# Reads: the history, and the programme as it stood on a date
# ---------------------------------------------------------------------------------------------


def change_list(programme: Programme) -> list[ProgrammeChange]:
    """Every change of the programme, newest first (the reverted one named for each revert)."""
    return list(
        ProgrammeChange.objects.filter(programme=programme)
        .select_related("reverts")
        .prefetch_related("reverted_by")
        .defer("state_before", "state_after")
        .order_by("-at", "-id")
    )


def programme_state_on(programme: Programme, day: dt.date) -> dict[str, Any]:
    """The programme as it stood at the end of ``day``: after the last change by then, else before the first."""
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    changes = ProgrammeChange.objects.filter(programme=programme)
    last = changes.filter(at__lt=end).order_by("-at", "-id").only("state_after").first()
    if last is not None:
        state: dict[str, Any] = last.state_after
        return state
    first = changes.order_by("at", "id").only("state_before").first()
    if first is not None and first.state_before is not None:
        before: dict[str, Any] = first.state_before
        return before
    return programme_state(programme)


def definition_from_state(state: dict[str, Any]) -> ProgrammeDefinition:
    """A stored state as a definition (validated by the loader's schema and rules)."""
    return ProgrammeDefinition.model_validate_json(json.dumps(state, ensure_ascii=False))


def programme_yaml_on(programme: Programme, day: dt.date) -> str:
    """The programme as it stood on ``day``, as a definition file ``load_programme`` reads."""
    definition = definition_from_state(programme_state_on(programme, day))
    header = (
        f"培育计划“{programme.name}”于 {day.isoformat()} 的定义，由平台变更记录导出"
        f"（{timezone.localtime():%Y-%m-%d %H:%M}）。\n格式见 xiandao/programmes/definition/schema.py。"
    )
    return dump_definition(definition, header=header)
