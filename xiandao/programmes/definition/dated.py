"""Dated values of the indicator framework: what earlier years had when a change takes effect later.

An indicator or a dimension carries its current values and ``earlier``: a list of
``{before_year, <field>: value, …}``, each saying what the years before ``before_year`` had for the
fields it names. The value of a field in a year is the current one, unless an entry with a
later ``before_year`` names it; the nearest such entry wins. So a weight changed from 2026 keeps
2025's weight in the definition itself, and an export → load keeps it (pure: no Django).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The fields that may change from a stated year (the rest are the indicator's identity).
DATED_FIELDS: tuple[str, ...] = ("weight", "definition", "formula")


def _entries(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(item.get("earlier") or [])


def values_for_year(item: Mapping[str, Any], year: int) -> dict[str, Any]:
    """The dated fields of ``item`` (a dict with ``earlier``) as they stood in ``year``."""
    values = {name: item[name] for name in DATED_FIELDS if name in item}
    applying = sorted(
        (entry for entry in _entries(item) if year < int(entry["before_year"])),
        key=lambda entry: int(entry["before_year"]),
        reverse=True,
    )
    for entry in applying:  # furthest first, so the nearest later change decides
        values.update({name: entry[name] for name in DATED_FIELDS if entry.get(name) is not None})
    return values


def earlier_changed(
    item: Mapping[str, Any], changes: Mapping[str, Any], from_year: int | None
) -> list[dict[str, Any]]:
    """``earlier`` once ``changes`` take effect from ``from_year`` (None: every year).

    Years from ``from_year`` on get the new values (later entries forget the changed fields);
    the years before keep what they had (an entry at ``from_year`` remembers it).
    """
    # Only the fields whose value changes: a form sends every field, the unchanged ones keep their years.
    changed = [name for name in DATED_FIELDS if name in changes and str(changes[name]) != str(item.get(name))]
    kept_before = values_for_year(item, from_year - 1) if from_year is not None else {}
    out: list[dict[str, Any]] = []
    for entry in _entries(item):
        year = int(entry["before_year"])
        if from_year is None or year > from_year:
            entry = {k: v for k, v in entry.items() if k not in changed}
        else:
            entry = dict(entry)
        out.append(entry)
    if from_year is not None:
        remembered = {
            name: kept_before[name]
            for name in changed
            if name in kept_before and str(kept_before[name]) != str(changes[name])
        }
        at = next((entry for entry in out if int(entry["before_year"]) == from_year), None)
        if at is None and remembered:
            out.append({"before_year": from_year, **remembered})
        elif at is not None:
            at.update(remembered)
    cleaned = [entry for entry in out if any(entry.get(name) is not None for name in DATED_FIELDS)]
    return sorted(cleaned, key=lambda entry: int(entry["before_year"]))
