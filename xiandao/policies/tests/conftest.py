"""Fixtures of the policies tests: the Anhui programme loaded, a policy text read at test time.

The texts are read from the policy folder when a test runs; the repository never holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import policy_file
from xiandao.policies.models import DocumentVersion
from xiandao.policies.services import document_upload
from xiandao.programmes.models import Programme
from xiandao.programmes.tests.loading import programme_ensure

REPO = Path(__file__).resolve().parents[3]


def policy_text(name: str) -> str:
    """A shipped policy document's text from the policy folder (skipped without it; failed under CI=true)."""
    return policy_file(f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def anhui(reference_data: None) -> Programme:
    """The Anhui programme as shipped: two documents, their targets and tasks."""
    return programme_ensure("anhui")


@pytest.fixture
def plan_text() -> str:
    return policy_text("anhui-pilot-zone-plan")


#: The plan as a later version might read: one figure raised, one target dropped, one added,
#: one cooperating unit added.
REVISIONS = (
    ("培育30家左右上市企业", "培育40家左右上市企业"),
    ("，主导或参与制定100项左右标准", ""),
    ("推出100件左右高端“三首”产品", "推出100件左右高端“三首”产品，引育50个以上高层次人才团队"),
)


def revised(text: str) -> str:
    for old, new in REVISIONS:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def upload(province_admin: Any) -> Callable[..., DocumentVersion]:
    """Upload a text as the Anhui admin (or ``actor``), as a .txt file unless ``filename`` says otherwise."""

    def run(programme: Programme, text: str, **options: Any) -> DocumentVersion:
        options.setdefault("actor", province_admin)
        options.setdefault("filename", "文件.txt")
        options.setdefault("title", "测试上传的政策文件")
        return document_upload(programme=programme, data=text.encode("utf-8"), **options)

    return run


@pytest.fixture(autouse=True)
def upload_root(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a folder of the test's own."""
    settings.POLICIES_UPLOAD_ROOT = tmp_path / "uploads"
    return Path(settings.POLICIES_UPLOAD_ROOT)
