"""Files for the upload tests, made at test time: a PDF with a text layer, Word files with extra members."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx

PDF_LINES = (
    "Development targets",
    "By 2027, cultivate 20 listed enterprises and build 10 pilot zones.",
    "Tasks: build proof-of-concept centres and pilot-scale test platforms.",
)


def text_pdf(lines: tuple[str, ...] = PDF_LINES) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica), its content stream deflated.

    Written by hand with a correct cross-reference table, so that every byte a mutation changes
    is one a reader really parses (objects, a compressed stream, the xref, the trailer).
    """
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    return _pdf(zlib.compress(f"BT /F1 12 Tf 72 760 Td {text} ET".encode("latin-1")))


def flate_bomb_pdf(inflated: int = 80_000_000) -> bytes:
    """A PDF of a few hundred KB whose content stream inflates to ``inflated`` bytes (a flate bomb)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(b"BT /F1 12 Tf 72 760 Td (Development targets) Tj ET ")]
    blank = b" " * (1024 * 1024)
    parts += [packer.compress(blank) for _ in range(inflated // len(blank))]
    parts.append(packer.flush())
    return _pdf(b"".join(parts))


def _pdf(content: bytes) -> bytes:
    """A one-page PDF around a deflated content stream, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def word_file(text: str = "到2027年，培育20家左右上市企业。", extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx with one paragraph, plus ``extra`` members (name → content) deflated into its zip."""
    document = docx.Document()
    document.add_paragraph(text)
    plain = io.BytesIO()
    document.save(plain)
    if not extra:
        return plain.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()
