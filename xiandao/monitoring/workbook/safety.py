"""Checks of an uploaded file as an archive, before a cell of it is read.

Mirrors ``xiandao.policies.extraction.limits``: the zip's central directory is read and its members
judged by their declared sizes (their number, their total, each one's compression ratio) before any
is inflated. Python's ``zipfile`` never inflates a member past its declared size (it stops and
fails the CRC), and every member is streamed through it once (:func:`members_verify`) before
calamine reads the file, so a member that lies about its size is refused rather than inflated.

What a file *is* comes from its bytes, never its name: a zip with ``[Content_Types].xml`` naming an
.xlsx workbook part. A macro-enabled workbook (its content type, or a ``vbaProject.bin``) is refused,
so are .xlsb, the old .xls (an OLE compound file), and anything else.

Formulas are found in the data sheet's XML with a streaming parser: the member is inflated chunk by
chunk; where no ``<f>`` element can be there at all (the usual case) nothing is parsed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from posixpath import dirname, join, normpath
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

MIB = 1024 * 1024
#: Members smaller than this are not held to the ratio: a short XML part compresses very well.
RATIO_FLOOR_BYTES = MIB
CHUNK = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
MACRO_TYPES = (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "application/vnd.ms-office.vbaProject",
)
BINARY_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main+xml"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: An ``<f>`` element, with or without a namespace prefix; ``<formula1>`` of a validation is not one.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


@dataclass(frozen=True)
class WorkbookLimits:
    """How much an upload may make the server read; the platform fills it from settings."""

    max_bytes: int = 20 * MIB
    max_members: int = 1_000
    max_expanded_bytes: int = 400 * MIB
    max_ratio: int = 200
    max_rows: int = 200_000


class Refused(Exception):
    """The file is refused as a whole; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mib(size: int) -> str:
    return f"{size / MIB:,.1f}".rstrip("0").rstrip(".")


def _parse_small(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every element of a small XML member, parsed as a stream."""
    parser = XMLPullParser(events=("start",))
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
            for event in parser.read_events():
                element = cast(Any, event)[1]
                assert isinstance(element, Element)
                yield element.tag, dict(element.attrib)
    parser.close()


def archive_open(data: bytes, limits: WorkbookLimits) -> zipfile.ZipFile:
    """The upload as a zip archive of an .xlsx workbook, or :class:`Refused` with the reason."""
    if len(data) > limits.max_bytes:
        raise Refused(
            f"文件大小约{_mib(len(data))}MB，超过上限{_mib(limits.max_bytes)}MB。"
            "请删除多余的工作表或分批上传。"
        )
    if data.startswith(OLE_MAGIC):
        raise Refused("这是旧版 Excel（.xls）或加密的文件，请在 Excel 中另存为 .xlsx 工作簿后上传。")
    if not data.startswith(b"PK"):
        raise Refused("文件不是 Excel 工作簿（.xlsx），请下载本期填报模板，填写后上传。")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise Refused("文件已损坏或不是 Excel 工作簿（.xlsx），无法打开。") from error
    if len(members) > limits.max_members:
        raise Refused(
            f"工作簿包含{len(members)}个内部部件，超过上限{limits.max_members}个，结构异常，已拒绝读取。"
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_expanded_bytes:
        raise Refused(
            f"工作簿解压后约{_mib(total)}MB，超过上限{_mib(limits.max_expanded_bytes)}MB，"
            "可能是恶意构造的文件（压缩炸弹），已拒绝读取。"
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_ratio:
            raise Refused(
                f"工作簿中的“{member.filename}”压缩比异常（约{ratio:,.0f}倍，上限{limits.max_ratio}倍），"
                "可能是恶意构造的文件（压缩炸弹），已拒绝读取。"
            )
    if any(m.filename.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for m in members):
        raise Refused("工作簿含有宏（VBA），已拒绝。请在 Excel 中另存为不含宏的 .xlsx 工作簿后上传。")
    types = content_types(archive)
    if any(t in MACRO_TYPES for t in types.values()):
        raise Refused("工作簿含有宏（.xlsm），已拒绝。请在 Excel 中另存为不含宏的 .xlsx 工作簿后上传。")
    if BINARY_TYPE in types.values():
        raise Refused("不接受二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 工作簿后上传。")
    if not any(t in (WORKBOOK_TYPE, TEMPLATE_TYPE) for t in types.values()):
        raise Refused("文件不是 Excel 工作簿（.xlsx），请下载本期填报模板，填写后上传。")
    return archive


def content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name (without the leading slash) → content type, from ``[Content_Types].xml``."""
    try:
        elements = list(_parse_small(archive, "[Content_Types].xml"))
    except KeyError as error:
        raise Refused("文件不是 Excel 工作簿（.xlsx）：缺少内容类型说明。") from error
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Refused("文件已损坏或不是 Excel 工作簿（.xlsx），无法打开。") from error
    found: dict[str, str] = {}
    for tag, attributes in elements:
        if tag == f"{_CT}Override" and "PartName" in attributes:
            found[attributes["PartName"].lstrip("/")] = attributes.get("ContentType", "")
    return found


def members_verify(archive: zipfile.ZipFile, *, skip: frozenset[str] = frozenset()) -> None:
    """Inflate every member once (bounded by its declared size) so a corrupt or lying one is refused."""
    for member in archive.infolist():
        if member.filename in skip or member.is_dir():
            continue
        try:
            with archive.open(member) as stream:
                while stream.read(CHUNK):
                    pass
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise Refused(
                f"工作簿中的“{member.filename}”已损坏，无法读取。请用 Excel 打开后另存再上传。"
            ) from error


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the archive member holding its XML (from the workbook part and its relationships)."""
    types = content_types(archive)
    main = next((name for name, t in types.items() if t in (WORKBOOK_TYPE, TEMPLATE_TYPE)), "xl/workbook.xml")
    rels_name = join(dirname(main), "_rels", main.rsplit("/", 1)[-1] + ".rels")
    try:
        sheets = [
            (attributes.get("name", ""), attributes.get(f"{_REL}id", ""))
            for tag, attributes in _parse_small(archive, main)
            if tag == f"{_MAIN}sheet"
        ]
        targets = {
            attributes.get("Id", ""): attributes.get("Target", "")
            for tag, attributes in _parse_small(archive, rels_name)
            if tag == f"{_PKG_REL}Relationship"
        }
    except KeyError as error:
        raise Refused("工作簿结构不完整（缺少工作表目录），无法读取。") from error
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Refused("工作簿结构已损坏，无法读取。请用 Excel 打开后另存再上传。") from error
    found = {}
    for name, rid in sheets:
        target = targets.get(rid)
        if not target:
            continue
        found[name] = normpath(target.lstrip("/") if target.startswith("/") else join(dirname(main), target))
    return found


def formula_cells(archive: zipfile.ZipFile, member: str) -> list[tuple[str, int]]:
    """(column letters, row) of every cell of a sheet that holds a formula, in order.

    The member is inflated in chunks; only if an ``<f>`` tag can be there is it parsed (streaming).
    """
    tail = b""
    seen = False
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                if _FORMULA_TAG.search(tail + chunk):
                    seen = True
                    break
                tail = chunk[-64:]
    except KeyError:
        return []
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Refused("工作表已损坏，无法读取。请用 Excel 打开后另存再上传。") from error
    if not seen:
        return []
    found: list[tuple[str, int]] = []
    parser = XMLPullParser(events=("start", "end"))
    cell: str | None = None
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                parser.feed(chunk)
                for item in parser.read_events():
                    event, element = cast(tuple[str, Element], item)
                    assert isinstance(element, Element)
                    local = element.tag.rsplit("}", 1)[-1]
                    if event == "start" and local == "c":
                        cell = element.get("r")
                    elif event == "start" and local == "f" and cell:
                        match = _CELL_REF.match(cell)
                        if match and (not found or found[-1] != (match[1], int(match[2]))):
                            found.append((match[1], int(match[2])))
                    elif event == "end" and local == "c":
                        cell = None
                        element.clear()
                    elif event == "end" and local == "row":
                        element.clear()
        parser.close()
    except ParseError as error:
        raise Refused("工作表的结构已损坏（XML 无法解析），请用 Excel 打开后另存再上传。") from error
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise Refused("工作表已损坏，无法读取。请用 Excel 打开后另存再上传。") from error
    return found
