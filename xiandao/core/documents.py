"""Documents out: Word laid out after GB/T 9704 (党政机关公文格式) and PDF through WeasyPrint with a CJK font.

Word (python-docx): A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; body in
仿宋_GB2312 三号 (16 pt) at a fixed 28.95 pt line (22 lines of 28 characters); the title in
方正小标宋简体 二号 (22 pt), centred; first-level headings 黑体, second-level 楷体_GB2312; page
numbers “— 1 —” in 宋体 四号 at the foot. Every run sets its East Asian font (``w:eastAsia``) —
python-docx alone sets only the Latin one, and Word would then show Chinese in its default font.

PDF (WeasyPrint): HTML rendered with ``Noto Sans CJK SC`` (installed by ``make sysdeps``), so
every character has a glyph whatever fonts the reader has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312"}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
LINE_PT = 28.95  # 22 lines in the 225 mm text block
PDF_FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans CJK", "Noto Serif CJK SC", sans-serif'


def _run_fonts(run: Any, east_asian: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run.font
    font.name = LATIN_FONT
    font.size = Pt(size_pt)
    font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(key), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_format(paragraph: Any, *, first_line_chars: int = 2, align: str = "justify") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * first_line_chars) if first_line_chars else None
    fmt.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]


def _page_number_footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        run = paragraph.add_run(text or "")
        _run_fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        if field:
            for kind, instruction in (("begin", None), (None, field), ("end", None)):
                if kind:
                    element = OxmlElement("w:fldChar")
                    element.set(qn("w:fldCharType"), kind)
                else:
                    element = OxmlElement("w:instrText")
                    element.set(qn("xml:space"), "preserve")
                    element.text = instruction
                run._element.append(element)


def gbt9704_document() -> Any:
    """An empty Word document with GB/T 9704's page, margins, body style and page numbers."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28 - 7 - 7)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    _page_number_footer(section)
    return document


def doc_title(document: Any, text: str) -> None:
    """The document's title: 二号 方正小标宋简体, centred, a blank line after."""
    paragraph = document.add_paragraph()
    _paragraph_format(paragraph, first_line_chars=0, align="center")
    _run_fonts(paragraph.add_run(text), TITLE_FONT, TITLE_PT)
    document.add_paragraph()


def doc_heading(document: Any, text: str, level: int = 1) -> None:
    """A heading: level 1 in 黑体 (一、), level 2 in 楷体 (（一）), level 3 in bold 仿宋 (1.)."""
    paragraph = document.add_paragraph()
    _paragraph_format(paragraph)
    _run_fonts(paragraph.add_run(text), HEADING_FONTS.get(level, BODY_FONT), BODY_PT, bold=level == 3)


def doc_paragraph(document: Any, text: str, *, align: str = "justify", indent: bool = True) -> None:
    """Body text; each line of ``text`` is its own paragraph, indented two characters."""
    for line in (text or "").splitlines() or [""]:
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, first_line_chars=2 if indent else 0, align=align)
        _run_fonts(paragraph.add_run(line.strip()), BODY_FONT, BODY_PT)


def doc_table(
    document: Any, headers: Sequence[str], rows: Iterable[Sequence[object]], *, size_pt: float = 12
) -> None:
    """A bordered table (header row in 黑体), cells in 仿宋 at ``size_pt`` (tables may use 小四)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    data: list[list[Any]] = [list(r) for r in rows]
    grid: list[list[Any]] = [list(headers), *data]
    table = document.add_table(rows=1 + len(data), cols=len(headers))
    table.style = "Table Grid"
    for row_index, values in enumerate(grid):
        for col, value in enumerate(values):
            cell = table.rows[row_index].cells[col]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else WD_ALIGN_PARAGRAPH.LEFT
            font = "黑体" if row_index == 0 else BODY_FONT
            _run_fonts(paragraph.add_run("" if value is None else str(value)), font, size_pt)
    document.add_paragraph()


def docx_bytes(document: Any) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_STYLESHEET = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {PDF_FONT_FAMILY}; font-size: 14pt; }} }}
html {{ font-family: {PDF_FONT_FAMILY}; font-size: 16pt; line-height: 28.95pt; }}
h1 {{ font-size: 22pt; text-align: center; font-weight: normal; margin: 0 0 28.95pt; line-height: 1.4; }}
h2 {{ font-size: 16pt; font-weight: bold; margin: 0; }}
h3 {{ font-size: 16pt; font-weight: normal; margin: 0; }}
p {{ text-indent: 2em; margin: 0; text-align: justify; }}
table {{ border-collapse: collapse; width: 100%; font-size: 11pt; line-height: 1.5; margin: 6pt 0 14pt; }}
th, td {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }}
th {{ font-weight: bold; text-align: center; }}
td.num {{ text-align: right; }}
.meta {{ text-indent: 0; }}
"""


def pdf_from_html(html: str, *, stylesheet: str = PDF_STYLESHEET) -> bytes:
    """The HTML as a PDF with the CJK font and GB/T 9704's page; the HTML must hold no remote URLs."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    pdf = HTML(string=html, base_url=None).write_pdf(
        stylesheets=[CSS(string=stylesheet, font_config=fonts)], font_config=fonts
    )
    return bytes(pdf or b"")


def download_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A generated document as a download, with the Chinese file name kept (RFC 6266 ``filename*``)."""
    response = HttpResponse(data, content_type=content_type)
    ascii_name = (
        "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename) or "document"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
