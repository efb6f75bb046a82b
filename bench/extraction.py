"""Bench for the policy-document extractor: P/R/F1 against the gold labels, and documents per second.

Run: `.venv/bin/python bench/extraction.py` (reads ../shared/policies or $XIANDAO_POLICY_DIR).
Targets match on year, value, unit and metric similarity; tasks on lead and cooperating units.
The same scores are shown for the texts with half-width `,:;()` punctuation, as copied from
web pages, and for the test corpus of issue 11 (xiandao/policies/extraction/tests/corpus: sentences
kept from real web copies of other provinces' and cities' plans, with their labels). Speed is
measured on 20,000-character documents, on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xiandao.policies.extraction import extract
from xiandao.policies.extraction.evaluation import (
    DOCUMENTS,
    DocumentResult,
    Score,
    compare_corpus_document,
    compare_document,
    corpus_names,
    load_corpus_document,
    load_text,
    policy_dir,
    total,
)
from xiandao.policies.extraction.normalise import to_half_width

DOCUMENT_CHARS = 20_000


def _row(label: str, targets: Score, tasks: Score) -> str:
    """One table row: P/R/F1 for targets and tasks."""
    return (
        f"{label:<40} {targets.precision:6.3f} {targets.recall:6.3f} {targets.f1:6.3f}"
        f"   {tasks.precision:6.3f} {tasks.recall:6.3f} {tasks.f1:6.3f}"
    )


def quality(half_width: bool) -> list[DocumentResult]:
    """Compare every document's extraction with its gold labels."""
    results = []
    for name in DOCUMENTS:
        text = load_text(name)
        if half_width:
            text = to_half_width(text)
        results.append(compare_document(name, extract(text)))
    return results


def corpus_quality(half_width: bool) -> list[DocumentResult]:
    """Compare every document of the test corpus (real web pages, never used to build the rules)."""
    results = []
    for name in corpus_names():
        document = load_corpus_document(name)
        text = to_half_width(document.text) if half_width else document.text
        results.append(compare_corpus_document(document, extract(text)))
    return results


def print_quality(results: list[DocumentResult], title: str, verbose: bool) -> None:
    """Print the per-document and overall table."""
    print(f"\n{title}")
    print(f"{'document':<40} {'targets P':>9} {'R':>6} {'F1':>6}   {'tasks P':>7} {'R':>6} {'F1':>6}")
    for result in results:
        print(_row(result.name, result.targets.score, result.tasks.score))
        if verbose:
            for kind, comparison in (("target", result.targets), ("task", result.tasks)):
                for item in comparison.missed:
                    print(f"    missed {kind}: {item}")
                for item in comparison.extra:
                    print(f"    extra {kind}: {item}")
    targets, tasks = total(results)
    print(_row("overall (micro)", targets, tasks))
    counts = f"targets {targets.tp}/{targets.fp}/{targets.fn}, tasks {tasks.tp}/{tasks.fp}/{tasks.fn}"
    print(f"{'':<40} tp/fp/fn {counts}")


def sized_documents(chars: int) -> list[str]:
    """Each gold document repeated and cut at a line break to about `chars` characters."""
    documents = []
    for name in DOCUMENTS:
        text = load_text(name)
        body = (text + "\n") * (chars // max(len(text), 1) + 1)
        cut = body.rfind("\n", 0, chars)
        documents.append(body[: cut if cut > 0 else chars])
    return documents


def speed(seconds: float) -> tuple[float, float, int]:
    """Documents per second of wall-clock time and of this process's CPU time (the second is what
    one core gives when other processes share the machine), over at least `seconds`."""
    documents = sized_documents(DOCUMENT_CHARS)
    extract(documents[0])  # compile the regular expressions outside the timing
    count = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for document in documents:
            extract(document)
            count += 1
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return count / elapsed, count / max(cpu, 1e-9), count


def main() -> int:
    """Print quality and speed figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to measure speed")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed and extra proposals")
    args = parser.parse_args()
    print(f"gold labels: {policy_dir()}")
    print_quality(quality(half_width=False), "Texts as stored", args.verbose)
    print_quality(quality(half_width=True), "Texts with half-width ,:;() (web copies)", args.verbose)
    print_quality(corpus_quality(half_width=False), "Test corpus (tests/corpus, web copies)", args.verbose)
    rate, cpu_rate, count = speed(args.seconds)
    print(
        f"\nspeed: {rate:.1f} documents/s of {DOCUMENT_CHARS:,} characters ({count} documents, one core;"
        f" {cpu_rate:.1f} per second of CPU time)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
