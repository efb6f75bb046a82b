"""The specification tests need the policy folder: without it they skip on a laptop and fail on CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from tests.support import policy_file, policy_folder


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_policy_folder_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    with (
        override_settings(POLICY_DOCUMENTS_DIR=tmp_path / "absent"),
        pytest.raises(pytest.fail.Exception) as failed,
    ):
        policy_folder()
    assert "CI 环境缺少政策文件目录" in str(failed.value)


def test_a_missing_policy_file_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with override_settings(POLICY_DOCUMENTS_DIR=tmp_path), pytest.raises(pytest.fail.Exception):
        policy_file("anhui-pilot-zone-plan.txt")


def test_without_ci_a_missing_folder_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with override_settings(POLICY_DOCUMENTS_DIR=tmp_path / "absent"), pytest.raises(pytest.skip.Exception):
        policy_folder()


def test_a_present_file_is_returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    (tmp_path / "plan.txt").write_text("正文", encoding="utf-8")
    with override_settings(POLICY_DOCUMENTS_DIR=tmp_path):
        assert policy_file("plan.txt").read_text(encoding="utf-8") == "正文"
