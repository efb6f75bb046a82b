"""计划设置 and 变更记录 over the API: the same services as the pages, for the same people (session or token)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from .models import Programme, ProgrammeChange
from .permissions import ProgrammeAction, programme_policy
from .services.history import ChangeRefused, change_list
from .services.parameters import Seen, parameter_change, parameter_confirm
from .settings_selectors import ParameterRow, parameter_rows

router = Router(tags=["计划设置"])


class ParameterOut(Schema):
    key: str
    label: str
    value: int | float | str | None
    unit: str
    default: bool
    group: str
    document: str | None
    article: str
    changed_at: dt.datetime | None
    changed_by: str | None
    editable: bool


class ParameterPatch(Schema):
    """``{"value": …, "reason": …}`` changes a value; ``{"confirm": true, "reason": …}`` confirms a default.

    ``seen`` (optional) is the value the caller last read: a different current value is refused.
    """

    value: Any = None
    confirm: bool = False
    reason: str = ""
    seen: int | None = None


class ChangeOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    kind: str
    kind_label: str
    subject: str
    subject_label: str
    before: Any
    after: Any
    reason: str
    reverts: int | None


def _programme(request: HttpRequest, code: str, action: ProgrammeAction) -> Programme:
    programme: Programme = programme_policy.get_or_404(request.user, action, code=code)
    return programme


def _parameter(row: ParameterRow) -> dict[str, Any]:
    value = row.value
    if value is not None and not isinstance(value, int):
        value = float(value) if value != int(value) else int(value)
    return {
        "key": row.key,
        "label": row.label,
        "value": value,
        "unit": row.unit,
        "default": row.default,
        "group": row.group,
        "document": row.document.code if row.document else None,
        "article": row.article,
        "changed_at": row.changed_at,
        "changed_by": row.changed_by or None,
        "editable": row.editable,
    }


@router.get(
    "/{programme_code}/parameters",
    response=list[ParameterOut],
    url_name="programme_parameters",
    summary="计划设置：全部参数",
)
def programme_parameters(request: HttpRequest, programme_code: str) -> list[dict[str, Any]]:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return [_parameter(row) for row in parameter_rows(programme)]


@router.patch(
    "/{programme_code}/parameters/{parameter_key}",
    response=ParameterOut,
    url_name="programme_parameter_update",
    summary="修改参数（须填写理由）或确认采用默认值",
)
def programme_parameter_update(
    request: HttpRequest, programme_code: str, parameter_key: str, payload: ParameterPatch
) -> dict[str, Any]:
    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    seen = None
    if payload.seen is not None:
        current = programme.rule_parameters.filter(key=parameter_key).first()
        seen = Seen(value=payload.seen, default=bool(current and current.is_default))
    try:
        if payload.confirm:
            parameter_confirm(
                user=request.user, programme=programme, key=parameter_key, reason=payload.reason, seen=seen
            )
        else:
            parameter_change(
                user=request.user,
                programme=programme,
                key=parameter_key,
                value=payload.value,
                reason=payload.reason,
                seen=seen,
            )
    except ChangeRefused as exc:
        raise ValidationError(exc.message) from exc
    row = next(row for row in parameter_rows(programme) if row.key == parameter_key)
    return _parameter(row)


def _change(change: ProgrammeChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "at": change.at,
        "actor": change.actor_label,
        "kind": change.kind,
        "kind_label": change.get_kind_display(),
        "subject": change.subject,
        "subject_label": change.subject_label,
        "before": change.before,
        "after": change.after,
        "reason": change.reason,
        "reverts": change.reverts_id,
    }


@router.get(
    "/{programme_code}/changes",
    response=list[ChangeOut],
    url_name="programme_changes",
    summary="变更记录（新的在前）",
)
def programme_changes(request: HttpRequest, programme_code: str) -> list[dict[str, Any]]:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return [_change(change) for change in change_list(programme)]
