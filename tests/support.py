"""Helpers the tests of every app share: specification files that must be present under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """Skip a test that needs ``what`` on a developer's machine; under CI=true fail instead, never skip."""
    if on_ci():
        pytest.fail(f"CI 环境缺少{what}：该测试不能跳过", pytrace=False)
    pytest.skip(f"{what}不存在（设置 XIANDAO_POLICY_DIR 指向政策文件目录）")


def policy_folder() -> Path:
    """The policy folder the specification tests read (``settings.POLICY_DOCUMENTS_DIR``), or skip/fail."""
    folder = Path(settings.POLICY_DOCUMENTS_DIR)
    if not folder.is_dir():
        missing(f"政策文件目录 {folder}")
    return folder


def policy_file(name: str) -> Path:
    """A file of the policy folder (``anhui-pilot-zone-plan.txt``, ``….targets.json``), or skip/fail."""
    path = policy_folder() / name
    if not path.is_file():
        missing(f"政策文件 {path}")
    return path
