"""Fixtures of the pilot-zone tests: attachments stored in a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
