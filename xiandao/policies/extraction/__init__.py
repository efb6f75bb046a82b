"""Pure extractor of targets, tasks and fields from Chinese policy documents (issue 5).

No Django here: the platform's services call `extract` or `extract_file` and save what an
admin accepts. Every proposal carries `start`/`end` offsets into the text as given.
"""

from __future__ import annotations

from pathlib import Path

from .fields import extract_fields
from .model import Extraction, FieldProposal, TargetProposal, TaskProposal
from .normalise import normalise
from .readers import ExtractionError, read_document
from .targets import extract_targets
from .tasks import extract_tasks

__all__ = [
    "Extraction",
    "ExtractionError",
    "FieldProposal",
    "TargetProposal",
    "TaskProposal",
    "extract",
    "extract_fields",
    "extract_file",
    "extract_targets",
    "extract_tasks",
    "read_document",
]


def extract(text: str) -> Extraction:
    """Propose the targets, tasks and fields of a policy document's text."""
    norm = normalise(text)
    return Extraction(
        targets=extract_targets(text, norm),
        tasks=extract_tasks(text, norm),
        fields=extract_fields(text, norm),
    )


def extract_file(path: str | Path) -> tuple[str, Extraction]:
    """Read a .txt, .docx or .pdf file and return its text with the proposals made from it."""
    text = read_document(path)
    return text, extract(text)
