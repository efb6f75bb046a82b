"""Shared paths for the programme-definition tests: the repository's files and the policy folder."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from tests.support import policy_file, policy_folder
from xiandao.programmes.definition import ProgrammeDefinition, read_definition

REPO = Path(__file__).resolve().parents[3]
PROGRAMMES = REPO / "programmes"
PROGRAMME_CODES = ("anhui", "zhejiang", "yangzhou", "fuzhou")
ORGANISATIONS = REPO / "xiandao" / "accounts" / "reference" / "organisations.yaml"


def policy_dir() -> Path:
    """The folder of policy texts and gold labels; a missing folder skips, and fails under CI=true."""
    return policy_folder()


@cache
def programme(code: str) -> ProgrammeDefinition:
    """The shipped definition of one programme, read once per test session."""
    return read_definition(PROGRAMMES / f"{code}.yaml")


def gold(document: str, kind: str) -> list[dict[str, Any]]:
    """The hand-labelled answers beside a document: ``kind`` is ``targets`` or ``tasks``."""
    data = json.loads(policy_file(f"{document}.{kind}.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def document_text(document: str) -> str:
    return policy_file(f"{document}.txt").read_text(encoding="utf-8")
