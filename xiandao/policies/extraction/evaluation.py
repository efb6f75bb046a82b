"""Scoring proposals against the hand-labelled gold answers, shared by the tests and the bench.

Targets match on year, value, unit and metric similarity; tasks match on their lead and
cooperating units (issue 5, "Quality, measured"). Each gold object is matched at most once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .model import Extraction, TargetProposal, TaskProposal

METRIC_THRESHOLD = 0.5
DOCUMENTS = (
    "anhui-action-plan-2024",
    "anhui-pilot-zone-plan",
    "fuzhou-implementation-opinions",
    "yangzhou-guidance",
    "zhejiang-pilot-zone-guidance",
)


def policy_dir() -> Path:
    """Return the folder of the shared policy documents: $XIANDAO_POLICY_DIR or ../shared/policies."""
    configured = os.environ.get("XIANDAO_POLICY_DIR")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "policies"


@dataclass(frozen=True, slots=True)
class Score:
    """True positives, false positives and false negatives, with P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of proposals that match a gold object (1.0 when nothing is proposed or expected)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        """Share of gold objects found (1.0 when the gold list is empty)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of one kind of proposal, with what was missed and what was extra."""

    score: Score
    missed: tuple[dict[str, Any], ...] = field(default=())
    extra: tuple[dict[str, Any], ...] = field(default=())


def metric_similarity(left: str, right: str) -> float:
    """Similarity of two metric names in [0, 1]; containment counts as close (标准 vs 标准规范)."""
    if left == right:
        return 1.0
    ratio = SequenceMatcher(None, left, right).ratio()
    if left and right and (left in right or right in left):
        ratio = max(ratio, 0.75)
    return ratio


def _same_value(left: object, right: object) -> bool:
    """Compare JSON numbers without float noise."""
    try:
        return abs(float(left) - float(right)) < 1e-9  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def compare_targets(predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]) -> Comparison:
    """Match targets on year, value and unit, pairing the most similar metrics first."""
    candidates: list[tuple[float, int, int]] = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if p.get("year") != g.get("year") or p.get("unit") != g.get("unit"):
                continue
            if not _same_value(p.get("value"), g.get("value")):
                continue
            similarity = metric_similarity(str(p.get("metric", "")), str(g.get("metric", "")))
            if similarity >= METRIC_THRESHOLD:
                candidates.append((similarity, i, j))
    return _greedy(candidates, predicted, gold)


def compare_tasks(predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]) -> Comparison:
    """Match tasks on their lead and cooperating units; the task name only breaks ties."""
    candidates: list[tuple[float, int, int]] = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if set(p.get("lead", ())) != set(g.get("lead", ())):
                continue
            if set(p.get("cooperating", ())) != set(g.get("cooperating", ())):
                continue
            name = metric_similarity(str(p.get("task", "")), str(g.get("task", "")))
            candidates.append((name - 0.001 * abs(i - j), i, j))
    return _greedy(candidates, predicted, gold)


def _greedy(
    candidates: list[tuple[float, int, int]],
    predicted: Sequence[dict[str, Any]],
    gold: Sequence[dict[str, Any]],
) -> Comparison:
    """Pair candidates best first, each side used once."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    score = Score(tp=len(used_p), fp=len(predicted) - len(used_p), fn=len(gold) - len(used_g))
    missed = tuple(g for j, g in enumerate(gold) if j not in used_g)
    extra = tuple(p for i, p in enumerate(predicted) if i not in used_p)
    return Comparison(score, missed, extra)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Targets and tasks compared for one document."""

    name: str
    targets: Comparison
    tasks: Comparison


def load_gold(name: str, directory: Path | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the gold targets and tasks of document `name`."""
    directory = policy_dir() if directory is None else directory
    targets = json.loads((directory / f"{name}.targets.json").read_text(encoding="utf-8"))
    tasks = json.loads((directory / f"{name}.tasks.json").read_text(encoding="utf-8"))
    return targets, tasks


def load_text(name: str, directory: Path | None = None) -> str:
    """Return the text of document `name`."""
    directory = policy_dir() if directory is None else directory
    return (directory / f"{name}.txt").read_text(encoding="utf-8")


def compare_document(name: str, extraction: Extraction, directory: Path | None = None) -> DocumentResult:
    """Compare one document's extraction with its gold labels."""
    gold_targets, gold_tasks = load_gold(name, directory)
    return DocumentResult(
        name=name,
        targets=compare_targets(_dicts(extraction.targets), gold_targets),
        tasks=compare_tasks(_dicts(extraction.tasks), gold_tasks),
    )


CORPUS_DIR = Path(__file__).resolve().parent / "tests" / "corpus"


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    """One labelled document of the test corpus: sentences kept from a real web page, with its labels."""

    name: str
    title: str
    level: str
    sources: tuple[str, ...]
    text: str
    targets: tuple[dict[str, Any], ...]
    tasks: tuple[dict[str, Any], ...]
    negative: bool = False  # kept for its past figures, forecasts and the like: no target at all


def corpus_names(directory: Path | None = None) -> list[str]:
    """Return the names of the corpus documents (tests/corpus/*.json), sorted."""
    directory = CORPUS_DIR if directory is None else directory
    return sorted(path.stem for path in directory.glob("*.json"))


def load_corpus_document(name: str, directory: Path | None = None) -> CorpusDocument:
    """Return one corpus document with its gold targets and tasks."""
    directory = CORPUS_DIR if directory is None else directory
    data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    return CorpusDocument(
        name=data["name"],
        title=data["title"],
        level=data["level"],
        sources=tuple(data["sources"]),
        text=data["text"],
        targets=tuple(data["targets"]),
        tasks=tuple(data["tasks"]),
        negative=bool(data.get("negative", False)),
    )


def compare_corpus_document(document: CorpusDocument, extraction: Extraction) -> DocumentResult:
    """Compare one corpus document's extraction with its labels."""
    return DocumentResult(
        name=document.name,
        targets=compare_targets(_dicts(extraction.targets), document.targets),
        tasks=compare_tasks(_dicts(extraction.tasks), document.tasks),
    )


def _dicts(proposals: Iterable[TargetProposal | TaskProposal]) -> list[dict[str, Any]]:
    """Proposals as LABELLING.md dictionaries, without offsets."""
    return [p.to_dict(offsets=False) for p in proposals]


def total(results: Iterable[DocumentResult]) -> tuple[Score, Score]:
    """Micro-averaged target and task scores over several documents."""
    targets, tasks = Score(), Score()
    for result in results:
        targets += result.targets.score
        tasks += result.tasks.score
    return targets, tasks
