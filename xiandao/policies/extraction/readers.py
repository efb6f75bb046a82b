"""Reading a policy document's text from .txt, .docx or .pdf, with errors a programme admin can read.

Offsets in the proposals are offsets into the text these readers return, so the platform stores
that text with the document and highlights quotes in it.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import IO, Any

# A PDF page with fewer characters than this carries no usable text layer (a scan).
MIN_TEXT_CHARS = 20
TEXT_SUFFIXES = {".txt", ".text", ".md"}


class ExtractionError(Exception):
    """A document that cannot be read; the message is Chinese and meant for the admin."""


def read_document(path: str | Path) -> str:
    """Return the text of a .txt, .docx or .pdf policy document."""
    path = Path(path)
    if not path.is_file():
        raise ExtractionError(f"找不到文件：{path}")
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> str:
    """Return the text of an uploaded document, choosing the reader by the file name's suffix."""
    suffix = Path(filename).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(data)
    if suffix == ".docx":
        return read_docx(BytesIO(data))
    if suffix == ".pdf":
        return read_pdf(BytesIO(data))
    if suffix == ".doc":
        raise ExtractionError("暂不支持旧版 Word（.doc）文件，请另存为 .docx 后再上传。")
    raise ExtractionError(f"不支持的文件类型“{suffix or '无扩展名'}”：请上传 .txt、.docx 或 .pdf 文件。")


def read_text(data: bytes) -> str:
    """Decode a plain-text document: UTF-8 (with or without BOM), else GB18030 as older sites use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("无法识别文本文件的编码，请以 UTF-8 编码保存后再上传。")


def read_docx(source: Path | IO[bytes]) -> str:
    """Return a .docx's paragraphs and tables in body order; a table row becomes tab-separated cells.

    Rows start with a tab so that fields.py reads them like the 专栏 table of a plain-text reprint.
    """
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as error:  # pragma: no cover - python-docx is a dependency
        raise ExtractionError("服务器缺少 python-docx，无法读取 .docx 文件。") from error
    try:
        document = docx.Document(str(source) if isinstance(source, Path) else source)
    except Exception as error:
        raise ExtractionError("无法打开该 Word 文件，文件可能已损坏或不是 .docx 格式。") from error
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.append("")
            for row in Table(block, document).rows:
                cells = _unique_cells(row.cells)
                lines.append("".join("\t" + cell.text.replace("\n", "") for cell in cells))
                lines.append("")
    text = "\n".join(lines)
    if not text.strip():
        raise ExtractionError("该 Word 文件中没有文字内容。")
    return text


def _unique_cells(cells: Any) -> list[Any]:
    """Merged cells repeat in python-docx; keep each once."""
    seen: list[Any] = []
    for cell in cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen


def read_pdf(source: Path | IO[bytes]) -> str:
    """Return the text layer of a PDF; a scan without one raises a clear error instead of ''."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as error:  # pragma: no cover - pypdf is a dependency
        raise ExtractionError("服务器缺少 pypdf，无法读取 PDF 文件。") from error
    try:
        reader = PdfReader(str(source) if isinstance(source, Path) else source)
        if reader.is_encrypted:
            raise ExtractionError("该 PDF 文件已加密，请先解除密码保护后再上传。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, OSError) as error:
        raise ExtractionError("无法读取该 PDF 文件，文件可能已损坏。") from error
    text = "\n".join(pages)
    if len("".join(text.split())) < MIN_TEXT_CHARS:
        raise ExtractionError(
            "该 PDF 没有可提取的文字层（可能是扫描件或图片）。请先用 OCR 文字识别转换为文字版 PDF，"
            "或上传 Word / 文本版本。"
        )
    return text
