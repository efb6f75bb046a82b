"""What accepting a proposal writes unless the admin edits it (no Django).

A proposal carries the extractor's reading; where the comparison paired it with a target or task
the programme already has, the programme's curated wording (metric, basis, task name) is kept and
the document's figures, units and quote are taken from the new version.
"""

from __future__ import annotations

from typing import Any

# Words that make a target count new items made during the programme (schema ``basis``:
# increment), as the programme files label them; 突破 is left out, it also qualifies a level.
INCREMENT_WORDS = ("新增", "引育", "引进", "制定", "推出", "新建", "攻克", "培育引进")


def basis_suggested(payload: dict[str, Any]) -> str:
    """``cumulative`` where the clause says 累计, ``increment`` for new items, else ``stock``."""
    if payload.get("cumulative"):
        return "cumulative"
    quote = str(payload.get("quote", ""))
    if any(word in quote for word in INCREMENT_WORDS):
        return "increment"
    return "stock"


def target_defaults(payload: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The target an unedited acceptance writes: the proposal, with a paired target's metric and basis."""
    values = {
        "year": payload.get("year"),
        "metric": payload.get("metric") or "",
        "value": payload.get("value"),
        "unit": payload.get("unit") or "",
        "qualifier": payload.get("qualifier") or "",
        "strive": bool(payload.get("strive")),
        "cumulative": bool(payload.get("cumulative")),
        "scope": payload.get("scope") or "",
        "basis": payload.get("basis") or basis_suggested(payload),
        "quote": payload.get("quote") or "",
    }
    if current is not None:
        values["metric"] = current.get("metric") or values["metric"]
        if not values["cumulative"] and current.get("basis"):
            values["basis"] = current["basis"]
    return values


def task_defaults(payload: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The task an unedited acceptance writes: the proposal, with a paired task's name."""
    values = {
        "task": payload.get("task") or "",
        "lead": list(payload.get("lead") or []),
        "cooperating": list(payload.get("cooperating") or []),
        "quote": payload.get("quote") or "",
    }
    if current is not None and current.get("task"):
        values["task"] = current["task"]
    return values
