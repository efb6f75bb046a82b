"""Readers: plain text in two encodings, .docx with a table, a PDF without a text layer, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from xiandao.policies.extraction import ExtractionError, extract, extract_file, read_document
from xiandao.policies.extraction.readers import read_bytes

REPO = Path(__file__).resolve().parents[4]
GOALS = "二、发展目标\n到2027年，培育20家左右上市企业，建设10个左右省级未来产业先导区。\n"


def test_plain_text_utf8_and_gb18030(tmp_path: Path) -> None:
    for encoding in ("utf-8", "gb18030"):
        path = tmp_path / f"doc-{encoding}.txt"
        path.write_bytes(GOALS.encode(encoding))
        assert read_document(path) == GOALS


def test_docx_with_paragraphs_and_a_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("三、发展方向")
    document.add_paragraph("（一）量子科技。加快量子计算、量子通信、量子精密测量等技术突破。")
    document.add_paragraph("专栏：重点领域及方向")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "领域", "重点方向"
    table.cell(1, 0).text, table.cell(1, 1).text = "区块链", "突破安全隐私保护、链链互联互通等关键技术。"
    document.add_paragraph("四、发展目标")
    document.add_paragraph("到2027年，培育20家左右上市企业。（责任单位：省发展改革委，配合单位：省科技厅）")
    path = tmp_path / "plan.docx"
    document.save(str(path))

    text, extraction = extract_file(path)
    assert [(t.metric, t.value) for t in extraction.targets] == [("上市企业", 20)]
    assert [(t.lead, t.cooperating) for t in extraction.tasks] == [(("省发展改革委",), ("省科技厅",))]
    assert [f.name for f in extraction.fields] == ["量子科技", "区块链"]
    for proposal in extraction.proposals():
        assert text[proposal.start : proposal.end] == proposal.quote


def _scanned_pdf(path: Path) -> None:
    """A one-page PDF with no text layer, as a scanner without OCR produces."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)


def test_pdf_without_text_layer_gives_a_clear_chinese_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _scanned_pdf(path)
    with pytest.raises(ExtractionError, match="没有可提取的文字层"):
        read_document(path)
    with pytest.raises(ExtractionError, match="扫描件"):
        read_bytes(path.read_bytes(), "scan.pdf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf", "另存为 .docx"),
        ("sheet.xlsx", b"PK", "不支持的文件类型"),
        ("broken.docx", b"not a zip", "无法打开该 Word 文件"),
        ("broken.pdf", b"not a pdf", "无法读取该 PDF 文件"),
    ],
)
def test_unreadable_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        read_bytes(data, name)


def test_missing_file() -> None:
    with pytest.raises(ExtractionError, match="找不到文件"):
        read_document("/nonexistent/policy.txt")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiandao.policies.extraction", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_json(tmp_path: Path) -> None:
    path = tmp_path / "goals.txt"
    path.write_text(GOALS, encoding="utf-8")
    result = _cli(str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"targets", "tasks", "fields"}
    assert data == extract(GOALS).to_dict()
    assert set(data["targets"][0]) == {
        "year",
        "metric",
        "value",
        "unit",
        "qualifier",
        "strive",
        "cumulative",
        "scope",
        "quote",
        "start",
        "end",
    }


def test_cli_error_is_chinese_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _scanned_pdf(path)
    result = _cli(str(path), "--json")
    assert result.returncode != 0
    assert "文字层" in result.stderr
    assert "Traceback" not in result.stderr
