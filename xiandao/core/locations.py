"""Where the platform finds files outside the repository (no Django, so pure code and settings share it)."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def policy_documents_dir() -> Path:
    """The folder of the policy documents' texts and gold labels: $XIANDAO_POLICY_DIR, else ../shared/policies.

    The texts are the government's and never copied into the repository.
    """
    configured = os.environ.get("XIANDAO_POLICY_DIR")
    return Path(configured) if configured else REPOSITORY.parent / "shared" / "policies"
