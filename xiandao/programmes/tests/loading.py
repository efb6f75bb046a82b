"""Helpers for the database tests of programmes: load a shipped or edited definition through the service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xiandao.programmes.definition import parse_located_definition, read_located_definition
from xiandao.programmes.models import Programme
from xiandao.programmes.services import ProgrammeLoadResult, programme_load
from xiandao.programmes.tests.support import PROGRAMMES


def load(code: str, **options: Any) -> ProgrammeLoadResult:
    """Load ``programmes/<code>.yaml`` as the command does."""
    return programme_load(actor=None, located=read_located_definition(PROGRAMMES / f"{code}.yaml"), **options)


def load_text(text: str, filename: str = "programmes/anhui.yaml", **options: Any) -> ProgrammeLoadResult:
    return programme_load(actor=None, located=parse_located_definition(text, filename=filename), **options)


def shipped_text(code: str) -> str:
    return (PROGRAMMES / f"{code}.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "anhui.yaml") -> Path:
    path = tmp_path / "programmes" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def programme_ensure(code: str) -> Programme:
    """The shipped programme ``code``: preloaded in every test database, loaded from its file only if missing."""
    found = Programme.objects.filter(code=code).first()
    return found if found is not None else load(code).programme


def programme(code: str) -> Programme:
    return Programme.objects.get(code=code)
