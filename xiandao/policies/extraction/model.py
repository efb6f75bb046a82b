"""Frozen proposals the extractor returns, with `to_dict` in the keys of LABELLING.md.

Offsets (`start`, `end`) are character offsets into the text exactly as given to the extractor,
so `text[start:end] == quote` always holds and the platform can highlight the quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Qualifier = Literal["about", "at_least", "at_most", "strive", "exceed", "exactly"]
Scope = Literal["province", "city", "zone", "national"]


def json_number(value: float) -> int | float:
    """Return an int for integral values so JSON shows 80, not 80.0, like the gold labels."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True, slots=True)
class TargetProposal:
    """A quantitative goal the document sets (LABELLING.md, Targets)."""

    year: int | None
    metric: str
    value: float
    unit: str | None
    qualifier: Qualifier
    strive: bool
    cumulative: bool
    scope: Scope
    quote: str
    start: int
    end: int

    def to_dict(self, *, offsets: bool = True) -> dict[str, Any]:
        """Return the LABELLING.md keys, plus `start`/`end` unless `offsets` is false."""
        data: dict[str, Any] = {
            "year": self.year,
            "metric": self.metric,
            "value": json_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "strive": self.strive,
            "cumulative": self.cumulative,
            "scope": self.scope,
            "quote": self.quote,
        }
        if offsets:
            data["start"] = self.start
            data["end"] = self.end
        return data


@dataclass(frozen=True, slots=True)
class TaskProposal:
    """A task with the units the document makes responsible for it (LABELLING.md, Tasks)."""

    task: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    quote: str
    start: int
    end: int

    def to_dict(self, *, offsets: bool = True) -> dict[str, Any]:
        """Return the LABELLING.md keys, plus `start`/`end` unless `offsets` is false."""
        data: dict[str, Any] = {
            "task": self.task,
            "lead": list(self.lead),
            "cooperating": list(self.cooperating),
            "quote": self.quote,
        }
        if offsets:
            data["start"] = self.start
            data["end"] = self.end
        return data


@dataclass(frozen=True, slots=True)
class FieldProposal:
    """A field of the programme's taxonomy (领域) with its directions (重点方向)."""

    name: str
    directions: tuple[str, ...]
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return `{"name", "directions", "quote", "start", "end"}` as issue 5 specifies."""
        return {
            "name": self.name,
            "directions": list(self.directions),
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything proposed for one document, in document order."""

    targets: tuple[TargetProposal, ...] = field(default=())
    tasks: tuple[TaskProposal, ...] = field(default=())
    fields: tuple[FieldProposal, ...] = field(default=())

    def proposals(self) -> tuple[TargetProposal | TaskProposal | FieldProposal, ...]:
        """Every proposal, for code that only needs the quote and its offsets (highlighting)."""
        return (*self.targets, *self.tasks, *self.fields)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Return the shape the command line prints: `{"targets", "tasks", "fields"}`."""
        return {
            "targets": [t.to_dict() for t in self.targets],
            "tasks": [t.to_dict() for t in self.tasks],
            "fields": [f.to_dict() for f in self.fields],
        }
