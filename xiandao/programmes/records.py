"""One shape per entity: a target's and a task's row as the definition schema names its keys.

The programme state (export, fingerprint), the public API and the policies app's comparison all
read targets and tasks through these two functions, so a key added to the schema is added once.
The shapes are those of :class:`xiandao.programmes.definition.schema.Target` and ``Task``; the API
serves those very models (``api.TargetOut`` is ``schema.Target``).
"""

from __future__ import annotations

from typing import Any

from .definition.values import plain_number
from .models import Target, Task, UnitRole


def _none_if_blank(value: str) -> str | None:
    return value or None


def target_record(target: Target, *, document_code: str) -> dict[str, Any]:
    """A target in the definition's keys and order."""
    return {
        "code": target.code,
        "document": document_code,
        "year": target.year,
        "metric": target.metric,
        "value": plain_number(target.value),
        "unit": _none_if_blank(target.unit),
        "qualifier": target.qualifier,
        "strive": target.strive,
        "cumulative": target.cumulative,
        "scope": target.scope,
        "quote": target.quote,
        "basis": target.basis,
        "measure": _none_if_blank(target.measure),
        "field": _none_if_blank(target.field_code),
        "note": _none_if_blank(target.note),
        "retired_from": target.retired_from,
        "retired_reason": _none_if_blank(target.retired_reason),
    }


def task_record(task: Task, *, document_code: str, parent_code: str | None = None) -> dict[str, Any]:
    """A task in the definition's keys and order, its units as written (``units`` prefetched)."""
    units = task.units_by_role()
    return {
        "code": task.code,
        "document": document_code,
        "task": task.title,
        "lead": [unit.written for unit in units[UnitRole.LEAD]],
        "cooperating": [unit.written for unit in units[UnitRole.COOPERATING]],
        "quote": task.quote,
        "parent": parent_code if parent_code is not None else (task.parent.code if task.parent else None),
        "article": _none_if_blank(task.article),
        "fields": list(task.field_codes),
        "retired_from": task.retired_from,
        "retired_reason": _none_if_blank(task.retired_reason),
    }
