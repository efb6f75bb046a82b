"""The one Excel format: title row, header, widths, freeze, autofilter, safe cells, Chinese file names."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from xiandao.core.excel import Column, content_disposition, export_filename, workbook_bytes, xlsx_response


def _sheet(data: bytes):
    return load_workbook(BytesIO(data)).active


def test_a_workbook_has_title_header_widths_freeze_and_filter():
    data = workbook_bytes(
        title="安徽省未来产业培育 · 目标",
        subtitle="筛选条件：全部",
        sheet="目标",
        columns=["年份", Column("指标", 30), "目标值"],
        rows=[
            [2027, "上市企业", Decimal("30")],
            [2030, "突破100项以上关键技术（原文很长的一句话）", Decimal("2.5")],
        ],
    )
    sheet = _sheet(data)
    assert sheet.title == "目标"
    assert sheet["A1"].value == "安徽省未来产业培育 · 目标" and sheet["A1"].font.b
    assert "A1:C1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "筛选条件：全部"
    assert [c.value for c in sheet[3]] == ["年份", "指标", "目标值"] and all(c.font.b for c in sheet[3])
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:C5"
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.column_dimensions["A"].width >= 6  # fitted: 年份 is four columns wide
    assert sheet["C4"].value == 30 and sheet["C5"].value == 2.5  # numbers stay numbers


@given(st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text(max_size=20))
def test_no_text_cell_becomes_a_formula(trigger, rest):
    text = trigger + rest
    data = workbook_bytes(title="t", sheet="s", columns=["a"], rows=[[text]])
    cell = _sheet(data)["A3"]
    assert cell.data_type == "s"
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_formula_like_text_is_kept_as_written_and_marked_as_text():
    data = workbook_bytes(
        title="t", sheet="s", columns=["a"], rows=[['=HYPERLINK("http://x")'], ["-5%"], ["ok"]]
    )
    sheet = _sheet(data)
    assert sheet["A3"].value == '=HYPERLINK("http://x")' and sheet["A3"].quotePrefix
    assert sheet["A4"].value == "-5%" and sheet["A4"].quotePrefix
    assert not sheet["A5"].quotePrefix


def test_dates_and_booleans_read_as_a_user_expects():
    data = workbook_bytes(title="t", sheet="s", columns=["d", "b"], rows=[[dt.date(2024, 2, 5), True]])
    sheet = _sheet(data)
    assert sheet["A3"].value.date() == dt.date(2024, 2, 5) and sheet["B3"].value == "是"
    assert sheet["A3"].number_format == 'yyyy"年"m"月"d"日"'  # shown 2024年2月5日, still a date


def test_chinese_file_names_survive_the_header():
    name = export_filename("安徽省未来产业培育", "目标")
    assert name == "安徽省未来产业培育-目标.xlsx"
    assert export_filename("a/b:c", "目标") == "a_b_c-目标.xlsx"
    header = content_disposition(name)
    assert header.startswith('attachment; filename="')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == name
    header.encode("latin-1")  # an HTTP header must be latin-1; the name travels percent-encoded
    response = xlsx_response(filename=name, title="t", sheet="s", columns=["a"], rows=[])
    assert response["Content-Disposition"] == header
