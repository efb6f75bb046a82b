"""The attachments kernel: a file's type from its content, the size limit, storage outside the web root."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from xiandao.core.files import DOC_REFUSED, FileRefused, file_check, file_kind, file_store


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def ofd_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
        archive.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buffer.getvalue()


def test_kinds_come_from_the_content_not_the_name() -> None:
    assert file_check(docx_bytes(), "报告.pdf").kind.code == "docx"
    assert file_check(ofd_bytes(), "报告").kind.code == "ofd"
    assert file_check(b"%PDF-1.7\n...", "scan.png").kind.code == "pdf"
    assert file_check(b"\xff\xd8\xff\xe0" + b"0" * 10, "photo").kind.code == "jpeg"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "x")
    assert file_kind(plain_zip.getvalue()) is None


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, "报告.docx"),
        (b"%PDF-1.4", "报告.wps"),
        (b"%PDF-1.4", "x.DOC"),
    ],
)
def test_word_97_and_wps_files_are_refused_with_what_to_do(data: bytes, name: str) -> None:
    with pytest.raises(FileRefused) as refused:
        file_check(data, name)
    assert DOC_REFUSED in refused.value.message


def test_empty_unknown_and_too_large_files_are_refused_in_chinese() -> None:
    with pytest.raises(FileRefused, match="文件为空"):
        file_check(b"", "a.pdf")
    with pytest.raises(
        FileRefused,
        match=re.escape("无法识别该文件的格式，只接受PDF、Word（.docx）、OFD、PNG 图片、JPEG 图片文件"),
    ):
        file_check(b"<html>", "a.pdf")
    with pytest.raises(FileRefused, match="文件超过1MB"):
        file_check(b"%PDF-" + b"0" * (1024 * 1024), "a.pdf", max_bytes=1024 * 1024)


def test_files_are_stored_by_hash_outside_the_web_root(settings, tmp_path: Path) -> None:
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    checked = file_check(b"%PDF-1.4 hello", "../../etc/passwd.pdf")
    assert checked.original_name == "passwd.pdf"
    name = file_store(checked, "applications/7")
    assert name == f"applications/7/{checked.sha256[:2]}/{checked.sha256}.pdf"
    assert (tmp_path / "attachments" / name).read_bytes() == b"%PDF-1.4 hello"
    assert file_store(checked, "applications/7") == name  # the same content is stored once
    assert not str(tmp_path / "attachments").startswith(str(settings.STATIC_ROOT))
