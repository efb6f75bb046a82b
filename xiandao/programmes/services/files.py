"""Where the shipped programme definitions live."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def programme_files() -> list[str]:
    """The definition files under ``programmes/`` of the repository, in name order."""
    folder = Path(settings.BASE_DIR) / "programmes"
    return [str(path) for path in sorted(folder.glob("*.yaml"))]
