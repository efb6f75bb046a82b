"""Reading an uploaded file without letting it hurt the server: zip bombs, text floods, broken files.

``read_bytes_limited`` wraps the readers: a Word file's zip members are checked before any is
inflated (their number, their total size and each one's compression ratio), the text taken is
capped, and *any* failure of a reader becomes an :class:`ExtractionError` with a Chinese
message. The readers rest on third-party parsers (pypdf, python-docx) that fail on malformed
input in many ways — TypeError, AttributeError, AssertionError, NotImplementedError, pypdf's
LimitReachedError on a flate bomb — and none of these may reach the user as a server error.

The member sizes checked are the ones the zip's central directory declares. That is enough:
Python's ``zipfile`` never inflates a member beyond its declared size (it stops and fails the
CRC), so a member that lies about its size cannot grow past the limit either.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from .readers import ExtractionError, read_bytes

MIB = 1024 * 1024
#: Members smaller than this are not held to the ratio: a short XML part compresses very well.
RATIO_FLOOR_BYTES = MIB
#: Characters no database text column takes (NUL) or no UTF-8 encoder writes (lone surrogates).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class ReadLimits:
    """How much an upload may make the server read; the platform fills it from settings."""

    max_chars: int = 2_000_000
    max_zip_members: int = 2_000
    max_zip_bytes: int = 200 * MIB
    max_zip_ratio: int = 100


class FileTooLarge(ExtractionError):
    """The file would make the server read more than the limits allow."""


class FileUnreadable(ExtractionError):
    """A reader failed on the file in a way it does not itself explain (a malformed file)."""


def zip_members_check(data: bytes, limits: ReadLimits) -> None:
    """Refuse a .docx whose members are too many, inflate too far in total, or compress too well."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise ExtractionError("无法打开该 Word 文件，文件可能已损坏或不是 .docx 格式。") from error
    if len(members) > limits.max_zip_members:
        raise FileTooLarge(
            f"该 Word 文件包含{len(members)}个内部部件，超过上限{limits.max_zip_members}个，"
            "不像正常的公文，请另存为新的 .docx 文件后再上传。"
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_zip_bytes:
        raise FileTooLarge(
            f"该 Word 文件解压后约{_mib(total)}MB，超过上限{_mib(limits.max_zip_bytes)}MB。"
            "请删除其中的大图片或拆分文件后再上传。"
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_zip_ratio:
            raise FileTooLarge(
                f"该 Word 文件中的“{member.filename}”压缩比异常（约{ratio:.0f}倍，上限"
                f"{limits.max_zip_ratio}倍），可能是恶意构造的文件，已拒绝读取。"
            )


def text_check(text: str, limits: ReadLimits) -> str:
    """The text as it will be stored: unstorable characters dropped, refused beyond the cap."""
    if len(text) > limits.max_chars:
        raise FileTooLarge(
            f"该文件的文字超过{limits.max_chars:,}个字符（约{len(text):,}个），超出单份政策文件的上限。"
            "请确认上传的是政策文件正文，或拆分后分别上传。"
        )
    return UNSTORABLE.sub("", text)


def read_bytes_limited(data: bytes, filename: str, limits: ReadLimits) -> str:
    """Return an upload's text as ``read_bytes`` does, within ``limits``; every failure is Chinese."""
    if Path(filename).suffix.lower() == ".docx":
        zip_members_check(data, limits)
    try:
        text = read_bytes(data, filename)
    except ExtractionError:
        raise
    except Exception as error:  # a parser's failure on a malformed file, whatever its type
        raise FileUnreadable(
            f"文件无法读取：文件结构已损坏或不符合格式规范（{error.__class__.__name__}）。"
            "请用办公软件打开后另存一份，或上传 Word / 文本版本。"
        ) from error
    return text_check(text, limits)


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f}"
