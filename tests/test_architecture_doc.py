"""docs/architecture.md stays true: every app and every kind of module the code has is named there."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

REPOSITORY = Path(__file__).resolve().parents[1]
DOC = (REPOSITORY / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGE = REPOSITORY / "xiandao"


def named_in_doc(name: str) -> bool:
    return re.search(rf"`[^`]*\b{re.escape(name)}\b[^`]*`", DOC) is not None


def test_every_listed_app_folder_exists_and_every_app_is_listed() -> None:
    listed = set(re.findall(r"^\| `xiandao/([a-z_]+)/`", DOC, flags=re.MULTILINE))
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert listed == folders, {"listed, missing": listed - folders, "present, unlisted": folders - listed}
    installed = {c.name.split(".")[1] for c in apps.get_app_configs() if c.name.startswith("xiandao.")}
    assert installed <= listed


def test_every_kind_of_module_an_app_has_is_described() -> None:
    unnamed = set()
    for app in PACKAGE.iterdir():
        if not (app / "__init__.py").is_file():
            continue
        for entry in app.iterdir():
            if entry.name.startswith(("_", ".")) or entry.suffix not in (".py", ""):
                continue
            if entry.is_dir() and not any(entry.iterdir()):
                continue
            name = entry.stem if entry.suffix == ".py" else entry.name
            if not named_in_doc(f"{name}.py") and not named_in_doc(f"{name}/") and not named_in_doc(name):
                unnamed.add(f"xiandao/{app.name}/{entry.name}")
    assert not unnamed, f"docs/architecture.md 未说明这些模块：{sorted(unnamed)}"


def test_the_doc_names_no_app_that_is_gone() -> None:
    for path in re.findall(r"`(xiandao/[a-z_/]+\.?[a-z]*)`", DOC):
        assert (REPOSITORY / path.rstrip("/")).exists(), path
