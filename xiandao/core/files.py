"""Uploaded attachments: their type read from the content, a size limit, storage outside the web root.

Any app that takes files from users (an application's attachments, evidence) uses this kernel:

- :func:`file_check` reads the first bytes and, for zip containers, the member names — never the
  name the uploader chose — and answers a :class:`CheckedFile` (kind, content type, suffix,
  SHA-256) or raises :class:`FileRefused` with a Chinese message. Word 97–2003 (.doc) and WPS
  files (both OLE compound files) are refused with “请另存为 .docx 或 PDF 后上传”.
- :func:`attachment_storage` stores under ``settings.ATTACHMENTS_ROOT`` (``var/attachments``),
  never under MEDIA_ROOT or STATIC_ROOT; files have no URL, names are the content's hash.
- :func:`file_response` serves a stored file as a download, after the caller has checked
  who may see it (an object the user may not see answers 404 before this is reached).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

MIB = 1024 * 1024
DOC_REFUSED = "请另存为 .docx 或 PDF 后上传"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A zip with more members than this is no ordinary document (a zip bomb or an archive).
MAX_ZIP_MEMBERS = 5_000


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    suffix: str


PDF = FileKind("pdf", "PDF", "application/pdf", ".pdf")
DOCX = FileKind(
    "docx",
    "Word（.docx）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
)
OFD = FileKind("ofd", "OFD", "application/ofd", ".ofd")
PNG = FileKind("png", "PNG 图片", "image/png", ".png")
JPEG = FileKind("jpeg", "JPEG 图片", "image/jpeg", ".jpg")
#: What an attachment may be: PDF, Word .docx, OFD, PNG and JPEG images.
DOCUMENT_KINDS: tuple[FileKind, ...] = (PDF, DOCX, OFD, PNG, JPEG)


class FileRefused(Exception):
    """The file cannot be taken; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    data: bytes
    original_name: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def max_upload_bytes() -> int:
    """The largest attachment taken (``ATTACHMENTS_MAX_UPLOAD_MB``)."""
    return int(settings.ATTACHMENTS_MAX_UPLOAD_MB) * MIB


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise FileRefused("文件内部部件过多，不像正常的文档，请另存后再上传。")
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names and "[Content_Types].xml" in names:
        return DOCX
    if "OFD.xml" in names:
        return OFD
    return None


def file_kind(data: bytes) -> FileKind | None:
    """The kind of document ``data`` is, by its content; None for anything else."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _allowed_labels(kinds: tuple[FileKind, ...]) -> str:
    return "、".join(k.label for k in kinds)


def file_check(
    data: bytes,
    original_name: str,
    *,
    kinds: tuple[FileKind, ...] = DOCUMENT_KINDS,
    max_bytes: int | None = None,
) -> CheckedFile:
    """``data`` as a file of one of ``kinds`` within the size limit; :class:`FileRefused` otherwise."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    name = PurePath(original_name or "").name[:255] or "附件"
    if not data:
        raise FileRefused("文件为空，请重新选择。")
    if len(data) > limit:
        raise FileRefused(f"文件超过{limit // MIB}MB，请压缩或拆分后再上传。")
    if data.startswith(_OLE) or PurePath(name).suffix.lower() in {".doc", ".wps"}:
        raise FileRefused(f"不接受 Word 97-2003（.doc）或 WPS 格式的文件，{DOC_REFUSED}。")
    kind = file_kind(data)
    if kind is None or kind not in kinds:
        raise FileRefused(
            f"无法识别该文件的格式，只接受{_allowed_labels(kinds)}文件（按文件内容判断，与文件名无关）。"
        )
    return CheckedFile(kind=kind, data=data, original_name=name, sha256=hashlib.sha256(data).hexdigest())


class AttachmentStorage(FileSystemStorage):
    """Files under ``settings.ATTACHMENTS_ROOT``: outside the web root, with no public URL."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> str:
        return str(settings.ATTACHMENTS_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("附件没有公开地址，请通过有权限检查的下载页面获取。")


_storage = AttachmentStorage()


def attachment_storage() -> Storage:
    return _storage


def file_store(checked: CheckedFile, folder: str) -> str:
    """Save ``checked`` under ``folder`` by its hash; the stored name (same content: same name)."""
    name = f"{folder.strip('/')}/{checked.sha256[:2]}/{checked.sha256}{checked.kind.suffix}"
    if not _storage.exists(name):
        name = _storage.save(name, ContentFile(checked.data))
    return name


def file_response(file: FieldFile, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A download of a stored file; the caller has already checked the user may see it."""
    response = FileResponse(file.open("rb"), content_type=content_type)
    disposition = "inline" if inline else "attachment"
    ascii_name = (
        "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in filename) or "file"
    )
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
