"""计划设置: change a rule parameter with a reason, or confirm a default as it stands.

The value is checked by the loader's own rules (``definition.invariants.parameter_issues``), over
every parameter of the programme with the new value in place, so an inconsistency with another
parameter (AAA's threshold below AA's) is refused here exactly as in a definition file. A stale
form (the value changed since the page was opened) is refused and shows both values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from xiandao.programmes.definition.invariants import parameter_issues, parameter_label

from ..models import ChangeKind, Lifecycle, Programme, ProgrammeChange, RuleParameter
from ..permissions import ProgrammeAction, programme_policy
from .history import ChangeRefused, change_baseline, change_record, reason_required, revert_handler_register

SUBJECT_PREFIX = "parameter:"
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Seen:
    """The parameter as the form showed it when opened (to notice someone else's change)."""

    value: int | None
    default: bool


class StaleParameter(ChangeRefused):
    """Someone changed the parameter since the form was opened; both values are shown."""

    def __init__(self, label: str, current: RuleParameter, seen: Seen, by: ProgrammeChange | None) -> None:
        who = f"（{by.actor_label}于{by.at:%Y-%m-%d %H:%M}修改）" if by else ""
        super().__init__(
            f"{label}在您打开页面后已被修改：当前为{_text(current.value, current.is_default)}{who}，"
            f"您打开时为{_text(seen.value, seen.default)}。请核对当前值后重新提交。"
        )
        self.current = current
        self.seen = seen


def _text(value: int | None, default: bool) -> str:
    return f"{'未定' if value is None else value}{'（默认值）' if default else ''}"


def value_parsed(raw: Any) -> Any:
    """A submitted value as the rules see it: ``"85"`` → 85; anything else is left for them to refuse."""
    if isinstance(raw, str):
        text = raw.strip().replace("，", "").replace(",", "")
        return int(text) if _INTEGER.match(text) else raw.strip()
    return raw


def _grades(lifecycle: Lifecycle | None) -> tuple[dict[str, int], str]:
    structure = lifecycle.structure if lifecycle else {}
    ranks = {str(g["code"]): int(g["rank"]) for g in structure.get("grades", []) if "code" in g}
    removal = (structure.get("consequences") or {}).get("removal", {}).get("grade", "")
    return ranks, str(removal)


def parameters_check(programme: Programme, changed: dict[str, Any]) -> dict[str, list[str]]:
    """The rules' findings for the programme's parameters with ``changed`` in place, by key."""
    values: dict[str, object] = {p.key: p.value for p in programme.rule_parameters.all()}
    values.update(changed)
    ranks, removal = _grades(Lifecycle.objects.filter(programme=programme).first())
    return parameter_issues(values, grade_ranks=ranks, frame=programme.frame(), removal_grade=removal)


def _state(row: RuleParameter) -> dict[str, Any]:
    return {"value": row.value, "default": row.is_default}


def _write(
    *,
    user: Any,
    programme: Programme,
    row: RuleParameter,
    value: Any,
    default: bool,
    reason: str,
    kind: ChangeKind,
    audit_code: str,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    """Check, write and record one parameter (inside the caller's transaction)."""
    label = parameter_label(row.key, _grades(Lifecycle.objects.filter(programme=programme).first())[1])
    issues = parameters_check(programme, {row.key: value})
    if issues:
        raise ValidationError({row.key: [m for messages in issues.values() for m in messages]})
    baseline = change_baseline(programme)
    before = _state(row)
    row.value = value
    row.is_default = default
    row.save(update_fields=["value", "is_default"])
    return change_record(
        actor=user,
        programme=programme,
        kind=kind,
        subject=f"{SUBJECT_PREFIX}{row.key}",
        subject_label=label,
        before=before,
        after=_state(row),
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        audit_code=audit_code,
    )


def _locked(user: Any, programme: Programme, key: str) -> tuple[Programme, RuleParameter]:
    """The programme (404 unless the user administers it) and its parameter, locked for the change."""
    programme = programme_policy.get_or_404(user, ProgrammeAction.CHANGE, pk=programme.pk)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    row = RuleParameter.objects.select_for_update().filter(programme=programme, key=key).first()
    if row is None:
        raise ChangeRefused(f"本计划没有参数“{key}”。")
    return programme, row


def parameter_change(
    *, user: Any, programme: Programme, key: str, value: Any, reason: str, seen: Seen | None = None
) -> ProgrammeChange:
    """Change a parameter's value with a reason; the value counts as confirmed from then on."""
    reason = reason_required(reason)
    value = value_parsed(value)
    if value is None or value == "":
        raise ValidationError({key: [f"请填写{parameter_label(key)}的取值（整数）。"]})
    with transaction.atomic():
        programme, row = _locked(user, programme, key)
        _fresh(row, seen, programme)
        if value == row.value and not row.is_default:
            raise ChangeRefused(f"{row.label}已是{value}，无需修改。")
        return _write(
            user=user,
            programme=programme,
            row=row,
            value=value,
            default=False,
            reason=reason,
            kind=ChangeKind.PARAMETER_CHANGED,
            audit_code="programmes.parameter.changed",
        )


def parameter_confirm(
    *, user: Any, programme: Programme, key: str, reason: str, seen: Seen | None = None
) -> ProgrammeChange:
    """Confirm a default as it stands (确认采用): the value stays, it is no longer a default."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme, row = _locked(user, programme, key)
        _fresh(row, seen, programme)
        if not row.is_default:
            raise ChangeRefused(f"{row.label}不是默认值，无需确认。")
        return _write(
            user=user,
            programme=programme,
            row=row,
            value=row.value,
            default=False,
            reason=reason,
            kind=ChangeKind.PARAMETER_CONFIRMED,
            audit_code="programmes.parameter.confirmed",
        )


def _fresh(row: RuleParameter, seen: Seen | None, programme: Programme) -> None:
    if seen is None or (seen.value == row.value and seen.default == row.is_default):
        return
    last = (
        ProgrammeChange.objects.filter(programme=programme, subject=f"{SUBJECT_PREFIX}{row.key}")
        .only("actor_label", "at")
        .order_by("-at", "-id")
        .first()
    )
    raise StaleParameter(row.label, row, seen, last)


def _revert(*, user: Any, programme: Programme, change: ProgrammeChange, reason: str) -> ProgrammeChange:
    key = change.subject.removeprefix(SUBJECT_PREFIX)
    programme, row = _locked(user, programme, key)
    if _state(row) != change.after:
        raise ChangeRefused(
            f"{change.subject_label}在这次变更之后又被修改过（当前为{_text(row.value, row.is_default)}），"
            "不能直接撤销；请撤销较新的变更，或直接修改。"
        )
    before = change.before or {}
    return _write(
        user=user,
        programme=programme,
        row=row,
        value=before.get("value"),
        default=bool(before.get("default")),
        reason=reason,
        kind=ChangeKind.REVERTED,
        audit_code="programmes.change.reverted",
        reverts=change,
    )


revert_handler_register(SUBJECT_PREFIX, _revert)
