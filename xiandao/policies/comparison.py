"""What a new version of a document changes against the programme's current targets, tasks and fields (no Django).

Both sides are dictionaries in the keys of LABELLING.md (fields: ``name``/``directions``), each
with an ``id`` the caller chooses. Pairing is done in two passes, best pair first, each item used
once:

1. **The same item.** Targets pair when the extractor's own matching rule holds
   (:func:`compare_targets`: same year, value and unit, metric similar); tasks when their lead and
   cooperating units are the same (:func:`compare_tasks`) *and* their names or quotes are alike —
   one department leads many tasks, so units alone would pair unrelated tasks. Such a pair is
   *unchanged* unless its qualifier, 力争, 累计 or scope differ (then *changed*). Metric and task
   wording is not compared: the programme's wording is curated and the extractor's is not.
2. **The same item, altered.** What is left pairs when the metric is the same thing
   (similarity ≥ 0.75) in the same year or with the same value — the value or year moved — or,
   for tasks, when the names or quotes are alike but the units differ. Such a pair is *changed*.

Proposals left over are *new*; current items left over are *no longer present*. Fields pair by
name and are *changed* when the new text names a direction the taxonomy lacks (running text
names fewer directions than a taxonomy's table, so a direction left unmentioned is no change).

Worked example: current ``{2027, 上市企业, 30, 家, about}``; the new text says 「培育40家左右上市企业」
→ pass 1 fails (30 ≠ 40), pass 2 pairs them (same metric, same year): changed, ``value`` 30 → 40.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from .extraction.evaluation import compare_targets, compare_tasks, metric_similarity

SAME_METRIC = 0.75  # containment (标准 / 标准规范) scores 0.75 in metric_similarity
ALIKE_TEXT = 0.6
TARGET_MEANING_KEYS = ("qualifier", "strive", "cumulative", "scope")
TARGET_MOVE_KEYS = ("year", "value", "unit")
TASK_UNIT_KEYS = ("lead", "cooperating")


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REMOVED = "removed"


CHANGE_LABELS = {
    Change.NEW: "新增",
    Change.CHANGED: "有变化",
    Change.UNCHANGED: "无变化",
    Change.REMOVED: "新版本中已无",
}


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a proposal, a current item, or a pair of them."""

    change: Change
    proposed: dict[str, Any] | None = None
    current: dict[str, Any] | None = None
    differences: tuple[str, ...] = ()  # keys whose values differ between the pair
    reworded: bool = False  # the quote's wording differs (the meaning does not)

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self.change]


@dataclass
class Comparison:
    """The rows of one kind, grouped by change."""

    rows: list[Row] = field(default_factory=list)

    def of(self, change: Change) -> list[Row]:
        return [row for row in self.rows if row.change == change]

    def counts(self) -> dict[str, int]:
        return {change.value: len(self.of(change)) for change in Change}

    def for_proposal(self, proposal_id: Any) -> Row | None:
        return next(
            (r for r in self.rows if r.proposed is not None and r.proposed["id"] == proposal_id), None
        )


Scorer = Callable[[dict[str, Any], dict[str, Any]], float | None]


def _pairs(
    proposed: Sequence[dict[str, Any]],
    current: Sequence[dict[str, Any]],
    score: Scorer,
    used_p: set[int],
    used_c: set[int],
) -> list[tuple[int, int]]:
    """Pair items best score first, each side once; ``score`` None means "not a pair"."""
    candidates: list[tuple[float, int, int]] = []
    for i, p in enumerate(proposed):
        if i in used_p:
            continue
        for j, c in enumerate(current):
            if j in used_c:
                continue
            value = score(p, c)
            if value is not None:
                candidates.append((value, i, j))
    pairs: list[tuple[int, int]] = []
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_p and j not in used_c:
            used_p.add(i)
            used_c.add(j)
            pairs.append((i, j))
    return pairs


def _differences(p: dict[str, Any], c: dict[str, Any], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(key for key in keys if _normal(p.get(key)) != _normal(c.get(key)))


def _normal(value: Any) -> Any:
    """Compare numbers as numbers (30 == 30.0), lists as sets, '' as None."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return frozenset(value)
    return value or None


def _similar(left: str, right: str) -> float:
    if not left or not right:
        return 0.0
    return SequenceMatcher(None, left, right, autojunk=False).ratio()


Differ = Callable[[dict[str, Any], dict[str, Any]], tuple[str, ...]]
Pair = tuple[dict[str, Any], dict[str, Any]]


def _row(p: dict[str, Any], c: dict[str, Any], diff: tuple[str, ...]) -> Row:
    reworded = bool(p.get("quote") and c.get("quote")) and _normal(p.get("quote")) != _normal(c.get("quote"))
    return Row(Change.CHANGED if diff else Change.UNCHANGED, p, c, diff, reworded)


def _result(
    proposed: Sequence[dict[str, Any]],
    current: Sequence[dict[str, Any]],
    passes: list[tuple[Scorer, Differ]],
    fixed: Sequence[Pair],
    fixed_differ: Differ,
) -> Comparison:
    """Rows for the ``fixed`` pairs (decided earlier), for what the passes pair, then the rest.

    Rows follow the document: by the proposal's ``start`` where it has one, removed items last.
    """
    rows = [_row(p, c, fixed_differ(p, c)) for p, c in fixed]
    used_p: set[int] = set()
    used_c: set[int] = set()
    for score, differences in passes:
        for i, j in _pairs(proposed, current, score, used_p, used_c):
            rows.append(_row(proposed[i], current[j], differences(proposed[i], current[j])))
    rows += [Row(Change.NEW, proposed=p) for i, p in enumerate(proposed) if i not in used_p]
    rows += [Row(Change.REMOVED, current=c) for j, c in enumerate(current) if j not in used_c]
    rows.sort(key=lambda r: (r.proposed is None, (r.proposed or {}).get("start") or 0))
    return Comparison(rows)


def compare_target_sets(
    proposed: Sequence[dict[str, Any]], current: Sequence[dict[str, Any]], fixed: Sequence[Pair] = ()
) -> Comparison:
    """Pair proposed targets with current ones; ``fixed`` pairs were decided before (accepted)."""

    def same(p: dict[str, Any], c: dict[str, Any]) -> float | None:
        if compare_targets([p], [c]).score.tp != 1:
            return None
        return metric_similarity(str(p.get("metric", "")), str(c.get("metric", "")))

    def moved(p: dict[str, Any], c: dict[str, Any]) -> float | None:
        similarity = metric_similarity(str(p.get("metric", "")), str(c.get("metric", "")))
        if similarity < SAME_METRIC:
            return None
        same_year = p.get("year") == c.get("year")
        same_value = _normal(p.get("value")) == _normal(c.get("value")) and p.get("unit") == c.get("unit")
        return similarity if same_year or same_value else None

    def all_keys(p: dict[str, Any], c: dict[str, Any]) -> tuple[str, ...]:
        return _differences(p, c, TARGET_MOVE_KEYS + TARGET_MEANING_KEYS)

    return _result(
        proposed,
        current,
        [(same, lambda p, c: _differences(p, c, TARGET_MEANING_KEYS)), (moved, all_keys)],
        fixed,
        all_keys,
    )


def _task_likeness(p: dict[str, Any], c: dict[str, Any]) -> float:
    name = metric_similarity(str(p.get("task", "")), str(c.get("task", "")))
    quote = _similar(str(p.get("quote", "")), str(c.get("quote", "")))
    return max(name, quote)


def compare_task_sets(
    proposed: Sequence[dict[str, Any]], current: Sequence[dict[str, Any]], fixed: Sequence[Pair] = ()
) -> Comparison:
    """Pair proposed tasks with current ones; ``fixed`` pairs were decided before (accepted)."""

    def same(p: dict[str, Any], c: dict[str, Any]) -> float | None:
        if compare_tasks([p], [c]).score.tp != 1:
            return None
        likeness = _task_likeness(p, c)
        return likeness if likeness >= ALIKE_TEXT else None

    def altered(p: dict[str, Any], c: dict[str, Any]) -> float | None:
        likeness = _task_likeness(p, c)
        return likeness if likeness >= ALIKE_TEXT else None

    def units(p: dict[str, Any], c: dict[str, Any]) -> tuple[str, ...]:
        return _differences(p, c, TASK_UNIT_KEYS)

    return _result(proposed, current, [(same, lambda p, c: ()), (altered, units)], fixed, units)


def compare_field_sets(proposed: Sequence[dict[str, Any]], current: Sequence[dict[str, Any]]) -> Comparison:
    """Pair fields by name; a pair whose directions differ is changed."""

    def same(p: dict[str, Any], c: dict[str, Any]) -> float | None:
        similarity = metric_similarity(str(p.get("name", "")), str(c.get("name", "")))
        return similarity if similarity >= SAME_METRIC else None

    def directions(p: dict[str, Any], c: dict[str, Any]) -> tuple[str, ...]:
        # Running text names fewer directions than a taxonomy's table: only a direction the
        # taxonomy lacks is a change.
        added = set(p.get("directions") or ()) - set(c.get("directions") or ())
        return ("directions",) if added else ()

    return _result(proposed, current, [(same, directions)], (), directions)
