"""Uploads that must not hurt the server: zip bombs, text floods, malformed PDFs, the same file twice.

Each refusal is a Chinese message on the form, never a server error, and leaves nothing behind:
no version, no proposal, no document, no audit entry, no stored file.
"""

from __future__ import annotations

import hashlib
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pypdf.errors import LimitReachedError

from xiandao.core.models import AuditEntry
from xiandao.policies.extraction import limits
from xiandao.policies.models import DocumentVersion, Proposal
from xiandao.policies.services import UploadInvalid, document_upload
from xiandao.policies.services import uploads as uploads_module
from xiandao.programmes.models import PolicyDocument

from .files import flate_bomb_pdf, text_pdf, word_file

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


def rows() -> tuple[int, int, int, int]:
    return (
        DocumentVersion.objects.count(),
        Proposal.objects.count(),
        PolicyDocument.objects.count(),
        AuditEntry.objects.filter(action__startswith="policies.").count(),
    )


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post(client: Any, anhui: Any, data: bytes, name: str) -> Any:
    return client.post(
        "/policies/upload/",
        {"programme": anhui.pk, "title": "测试文件", "file": SimpleUploadedFile(name, data)},
    )


# -- Word files: the zip is checked before anything is inflated ------------------------------------


@pytest.mark.parametrize(
    ("limit", "extra", "message"),
    [
        # A member inflating far beyond the total allowed (the 1 MB file that became 1 GiB).
        ({"POLICIES_DOCX_MAX_UNCOMPRESSED_MB": 4}, {"word/media/bomb.bin": b"\0" * (6 * MIB)}, "解压后约"),
        # A member compressing suspiciously well, though small enough in total.
        ({"POLICIES_DOCX_MAX_RATIO": 50}, {"word/media/zeros.bin": b"\0" * (2 * MIB)}, "压缩比异常"),
        # Too many members.
        ({"POLICIES_DOCX_MAX_MEMBERS": 40}, {f"customXml/p{i}.xml": b"<a/>" for i in range(40)}, "内部部件"),
    ],
)
def test_a_word_file_whose_zip_would_hurt_is_refused_before_it_is_read(
    anhui, province_admin, client, settings, upload_root, monkeypatch, limit, extra, message
):
    for name, value in limit.items():
        setattr(settings, name, value)
    data = word_file(extra=extra)
    assert len(data) < MIB
    read: list[str] = []

    def reader(data: bytes, filename: str) -> str:
        read.append(filename)
        return ""

    monkeypatch.setattr(limits, "read_bytes", reader)
    client.force_login(province_admin)
    before = rows()
    response = post(client, anhui, data, "方案.docx")
    assert response.status_code == 200 and message in response.content.decode()
    assert read == [] and rows() == before and stored_files(upload_root) == []


def test_an_ordinary_word_file_passes_the_zip_checks(anhui, province_admin, upload_root):
    data = word_file()
    version = document_upload(
        actor=province_admin, programme=anhui, data=data, filename="方案.docx", title="方案"
    )
    assert "培育20家左右上市企业" in version.text
    assert version.proposals.filter(kind="target").count() == 1


def test_the_text_taken_from_any_file_is_capped(anhui, province_admin, client, settings, upload_root):
    settings.POLICIES_MAX_TEXT_CHARS = 1000
    client.force_login(province_admin)
    before = rows()
    long_text = "到2027年，培育20家上市企业。" * 80
    for data, name in ((long_text.encode(), "长文.txt"), (word_file(long_text), "长文.docx")):
        page = post(client, anhui, data, name).content.decode()
        assert "该文件的文字超过1,000个字符" in page
    assert rows() == before and stored_files(upload_root) == []
    version = document_upload(
        actor=province_admin, programme=anhui, data=long_text[:1000].encode(), filename="a.txt", title="短文"
    )
    assert len(version.text) == 1000


# -- any failure of a reader is a refusal ----------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        TypeError("'NoneType' object is not subscriptable"),
        AttributeError("'NullObject' object has no attribute 'get_object'"),
        AssertionError(),
        NotImplementedError("unsupported filter /JBIG2Decode"),
        LimitReachedError("Limit reached while decompressing"),
        RecursionError("maximum recursion depth exceeded"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_reader_failing_in_any_way_is_a_chinese_refusal(
    anhui, province_admin, client, monkeypatch, upload_root, failure
):
    def broken(data: bytes, filename: str) -> str:
        raise failure

    monkeypatch.setattr(limits, "read_bytes", broken)
    client.force_login(province_admin)
    before = rows()
    response = post(client, anhui, text_pdf(), "方案.pdf")
    assert response.status_code == 200
    assert "文件无法读取" in response.content.decode()
    assert rows() == before and stored_files(upload_root) == []


def test_a_flate_bomb_pdf_is_refused_without_inflating_it(anhui, province_admin, client, upload_root):
    """pypdf stops inflating at its limit (LimitReachedError); the upload is a Chinese refusal."""
    data = flate_bomb_pdf()
    assert len(data) < MIB
    client.force_login(province_admin)
    before = rows()
    response = post(client, anhui, data, "方案.pdf")
    assert response.status_code == 200 and "文件无法读取" in response.content.decode()
    assert rows() == before and stored_files(upload_root) == []


def _mutated(data: bytes, rng: random.Random) -> bytes:
    """One to eight random byte flips, truncations, insertions or deletions of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        move = rng.choice(("flip", "flip", "truncate", "insert", "delete", "duplicate"))
        at = rng.randrange(len(out)) if out else 0
        if move == "flip" and out:
            out[at] ^= 1 << rng.randrange(8)
        elif move == "truncate":
            del out[max(at, 1) :]
        elif move == "insert":
            out[at:at] = rng.choice((b"0", b" ", b"R", b"<<", b">>", b"/Length 99999", b"\xff", b"9 0 R"))
        elif move == "delete" and out:
            del out[at : at + rng.randint(1, 16)]
        elif move == "duplicate" and out:
            out[at:at] = out[at : at + rng.randint(1, 64)]
    return bytes(out)


def test_mutated_pdfs_never_cause_a_server_error_nor_leave_anything_half_written(
    anhui, province_admin, client, upload_root
):
    """300 seeded mutations of a valid PDF through ``POST /policies/upload/``.

    The test client re-raises any exception a view lets through, so a 500 fails the test with
    its traceback. A refused upload leaves no row and no file; a taken one is a whole version
    with its file, or answers with the version of the same file taken before.
    """
    rng = random.Random(20261201)
    client.force_login(province_admin)
    original = text_pdf()
    outcomes = {"refused": 0, "taken": 0, "again": 0}
    for _ in range(300):
        data = _mutated(original, rng)
        before = rows()
        files_before = len(stored_files(upload_root))
        response = post(client, anhui, data, "方案.pdf")
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            page = response.content.decode()
            assert "errorlist" in page or "is-invalid" in page or "invalid-feedback" in page
            assert rows() == before and len(stored_files(upload_root)) == files_before
            outcomes["refused"] += 1
            continue
        version = DocumentVersion.objects.get(sha256=hashlib.sha256(data).hexdigest())
        if rows() == before:
            outcomes["again"] += 1
            continue
        outcomes["taken"] += 1
        assert version.file and version.file.read() == data
        assert rows()[0] == before[0] + 1
    print("mutated PDF uploads:", outcomes)
    assert outcomes["refused"] > 50 and outcomes["taken"] > 10  # the mutations reach both outcomes


def test_unstorable_characters_are_dropped_from_the_text(anhui, province_admin):
    version = document_upload(
        actor=province_admin,
        programme=anhui,
        data="到2027年，培育20家\x00左右上市企业。".encode(),
        filename="a.txt",
        title="含空字符的文本",
    )
    assert "\x00" not in version.text and "培育20家左右上市企业" in version.text


# -- the same file twice ---------------------------------------------------------------------------


def test_the_same_file_uploaded_again_answers_with_the_existing_version(
    anhui, province_admin, client, upload_root
):
    client.force_login(province_admin)
    data = word_file()
    first = post(client, anhui, data, "方案.docx")
    before = rows()
    second = post(client, anhui, data, "方案（副本）.docx")
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert rows() == before and len(stored_files(upload_root)) == 1
    page = client.get(second["Location"]).content.decode()
    assert "未重复保存" in page


def test_a_race_lost_at_the_constraint_answers_with_the_winners_version(
    anhui, province_admin, upload_root, monkeypatch
):
    """The second of two uploads at once passes the first look-up and meets the unique constraint."""
    data = word_file()
    first = document_upload(actor=province_admin, programme=anhui, data=data, filename="a.docx", title="方案")
    real = uploads_module._version_of_file
    looks = iter([None])  # the first look-up misses, as it does while the other upload is unsaved
    monkeypatch.setattr(uploads_module, "_version_of_file", lambda *a: next(looks, None) or real(*a))
    before = rows()
    second = document_upload(
        actor=province_admin, programme=anhui, data=data, filename="b.docx", title="方案"
    )
    assert second.pk == first.pk and second.already_uploaded
    assert rows() == before and len(stored_files(upload_root)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_uploads_at_once_make_one_version(anhui, province_admin, upload_root):
    if connection.vendor != "postgresql":
        pytest.skip("两个连接的并发测试在 PostgreSQL 上运行（make test-postgres）")
    data = word_file()
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def run() -> None:
        try:
            barrier.wait(10)
            results.append(
                document_upload(
                    actor=province_admin, programme=anhui, data=data, filename="a.docx", title="方案"
                )
            )
        except Exception as error:  # the outcome is what the test asserts
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert all(isinstance(r, DocumentVersion) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert DocumentVersion.objects.filter(sha256=hashlib.sha256(data).hexdigest()).count() == 1
    assert len(stored_files(upload_root)) == 1


def test_an_empty_file_is_refused_and_leaves_nothing(anhui, province_admin, upload_root):
    before = rows()
    with pytest.raises(UploadInvalid, match="上传的文件是空的"):
        document_upload(actor=province_admin, programme=anhui, data=b"", filename="a.txt", title="空")
    assert rows() == before and stored_files(upload_root) == []
