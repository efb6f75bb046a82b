"""Reading a filled template back: every problem at once by sheet, row and column in Chinese, values
only when the whole file is valid, and refusals of what is not a plain workbook of this form."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from xiandao.monitoring.workbook import WorkbookLimits, layout, template_write, workbook_read

from .fixtures import fill, form, rezip, row_of

SPEC = form()
TEMPLATE = template_write(SPEC)


def J(code: str, part: str = "", zone: int = 10) -> str:
    return f"J{row_of(SPEC, zone, code, part)}"


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_a_filled_template_gives_its_values_and_comments() -> None:
    data = fill(
        TEMPLATE,
        {
            J("rnd_spend"): 13.25,
            J("high_tech", "national"): 31,
            J("high_tech", "provincial"): "12",
            J("local_share", zone=11): 99.5,
            f"K{row_of(SPEC, 11, 'rnd_spend')}": "统计局尚未发布",
        },
    )
    result = workbook_read(data, SPEC)
    assert result.ok, messages(result)
    assert result.values == {
        (10, "rnd_spend", ""): Decimal("13.25"),
        (10, "high_tech", "national"): Decimal(31),
        (10, "high_tech", "provincial"): Decimal(12),
        (11, "local_share", ""): Decimal("99.5"),
    }
    assert result.comments == {(11, "rnd_spend", ""): "统计局尚未发布"}


def test_every_problem_is_listed_at_once_and_nothing_is_taken() -> None:
    data = fill(
        TEMPLATE,
        {
            J("rnd_spend"): 13.25,  # valid, but not taken while others are wrong
            J("high_tech", "national"): -3,
            J("high_tech", "provincial"): 2.5,
            J("local_share"): 120,
            J("local_share", zone=11): "约八成",
            J("rnd_spend", zone=11): 1.234,
        },
    )
    result = workbook_read(data, SPEC)
    assert not result.refused
    assert result.values == {}
    sheet = f"工作表“{layout.DATA_SHEET}”"
    assert messages(result) == [
        f"{sheet}第{row_of(SPEC, 10, 'high_tech', 'national')}行J列：数值应为非负整数，实为-3",
        f"{sheet}第{row_of(SPEC, 10, 'high_tech', 'provincial')}行J列：数值应为非负整数，实为2.5",
        f"{sheet}第{row_of(SPEC, 10, 'local_share')}行J列：数值应为0至100之间的数（最多1位小数），实为120",
        f"{sheet}第{row_of(SPEC, 11, 'rnd_spend')}行J列：数值最多保留2位小数，实为1.234",
        f"{sheet}第{row_of(SPEC, 11, 'local_share')}行J列：数值应为0至100之间的数（最多1位小数），实为“约八成”",
    ]
    first = result.problems[0]
    assert (first.sheet, first.column) == (layout.DATA_SHEET, "J")


def test_full_width_digits_and_thousands_separators_are_numbers() -> None:
    result = workbook_read(fill(TEMPLATE, {J("rnd_spend"): "１,２３４.５"}), SPEC)
    assert result.values == {(10, "rnd_spend", ""): Decimal("1234.5")}


def test_a_date_is_not_a_number() -> None:
    import datetime as dt

    result = workbook_read(fill(TEMPLATE, {J("rnd_spend"): dt.date(2025, 3, 1)}), SPEC)
    assert "实为日期或时间" in result.problems[0].message


def test_a_registry_count_cannot_be_changed() -> None:
    changed = workbook_read(fill(TEMPLATE, {J("platforms"): 9}), SPEC)
    assert [p.message for p in changed.problems] == ["该指标由登记库自动统计，不能填写或修改（统计值为4）"]
    assert workbook_read(TEMPLATE, SPEC).ok, "the count as written is no problem"
    assert (10, "platforms", "") not in workbook_read(TEMPLATE, SPEC).values


def test_rows_are_found_by_their_codes_whatever_the_order() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    sheet = workbook[layout.DATA_SHEET]
    first, last = layout.FIRST_DATA_ROW, sheet.max_row
    rows = [[c.value for c in sheet[r]] for r in range(first, last + 1)]
    for offset, values in enumerate(reversed(rows)):
        for column, value in enumerate(values, start=1):
            sheet.cell(first + offset, column).value = value
    sheet.cell(first, 10).value = 7  # the first row now is the last zone's last indicator: the count
    sheet.cell(first + 1, 10).value = 50  # local_share of zone 11
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = workbook_read(buffer.getvalue(), SPEC)
    assert messages(result) == [
        f"工作表“{layout.DATA_SHEET}”第{first}行J列：该指标由登记库自动统计，不能填写或修改（统计值为4）"
    ]


def test_unknown_zones_indicators_and_duplicate_rows_are_named() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    sheet = workbook[layout.DATA_SHEET]
    row = sheet.max_row + 1
    sheet.append([99, "别的先导区", "rnd_spend", "", "", "", "", "", "", 1])
    sheet.append([10, "", "unknown", "", "", "", "", "", "", 1])
    sheet.append([10, "", "high_tech", "", "regional", "", "", "", "", 1])
    sheet.append([10, "", "rnd_spend", "", "", "", "", "", "", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = workbook_read(buffer.getvalue(), SPEC)
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (row, "A", "先导区编号“99”不在本期填报范围内"),
        (row + 1, "C", "指标代码“unknown”不在本期报表中"),
        (row + 2, "E", "分类代码“regional”不是指标“高新技术企业数”的分类"),
        (row + 3, "C", f"与第{row_of(SPEC, 10, 'rnd_spend')}行重复（同一先导区、指标和分类只能填写一行）"),
    ]


def test_formulas_where_values_belong_are_refused_cell_by_cell() -> None:
    data = fill(TEMPLATE, {J("rnd_spend"): "=1+1", J("local_share", zone=11): "=SUM(H3:H4)"})
    result = workbook_read(data, SPEC)
    assert result.refused
    assert [(p.row, p.column) for p in result.problems] == [
        (row_of(SPEC, 10, "rnd_spend"), "J"),
        (row_of(SPEC, 11, "local_share"), "J"),
    ]
    assert "不能使用公式" in result.problems[0].message


def test_a_formula_with_a_namespace_prefix_is_found_too() -> None:
    member = "xl/worksheets/sheet2.xml"
    xml = zipfile.ZipFile(io.BytesIO(TEMPLATE)).read(member)
    cell = f'<c r="{J("rnd_spend")}"'.encode()
    start = xml.index(cell)
    end = (
        xml.index(b"</c>", start) + 4
        if xml.find(b"/>", start) > xml.find(b"</c>", start)
        else xml.index(b"/>", start) + 2
    )
    xml = (
        xml[:start]
        + cell
        + b'><x:f xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">1+1</x:f><v>2</v></c>'
        + xml[end:]
    )
    result = workbook_read(rezip(TEMPLATE, {member: xml}), SPEC)
    assert [(p.row, p.column) for p in result.problems] == [(row_of(SPEC, 10, "rnd_spend"), "J")]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "不是 Excel 工作簿"),
        ("先导区编号,本期值\n10,3\n".encode(), "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "旧版 Excel（.xls）"),
        (b"PK\x03\x04broken", "已损坏"),
        (b"", "不是 Excel 工作簿"),
    ],
)
def test_what_is_not_a_workbook_is_refused_by_its_content(data: bytes, words: str) -> None:
    result = workbook_read(data, SPEC)
    assert result.refused
    assert words in result.problems[0].message


def test_a_word_document_named_xlsx_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    result = workbook_read(buffer.getvalue(), SPEC)
    assert result.problems[0].message.startswith("文件不是 Excel 工作簿（.xlsx）")


def test_a_macro_enabled_workbook_is_refused() -> None:
    with_vba = rezip(TEMPLATE, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "含有宏" in workbook_read(with_vba, SPEC).problems[0].message
    types = zipfile.ZipFile(io.BytesIO(TEMPLATE)).read("[Content_Types].xml")
    xlsm = rezip(
        TEMPLATE,
        {
            "[Content_Types].xml": types.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        },
    )
    result = workbook_read(xlsm, SPEC)
    assert result.refused
    assert "含有宏（.xlsm）" in result.problems[0].message


def test_a_file_over_the_size_limit_is_refused_before_reading() -> None:
    fifty_mb = TEMPLATE + b"\0" * (50 * 1024 * 1024)
    result = workbook_read(fifty_mb, SPEC)
    assert result.refused
    assert result.problems[0].message.startswith("文件大小约50MB，超过上限20MB")
    small = WorkbookLimits(max_bytes=1024)
    assert "超过上限" in workbook_read(TEMPLATE, SPEC, small).problems[0].message


def test_a_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    bomb = rezip(TEMPLATE, {"xl/worksheets/sheet2.xml": b" " * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    result = workbook_read(bomb, SPEC)
    assert result.refused
    assert "压缩比异常" in result.problems[0].message
    assert "压缩炸弹" in result.problems[0].message
    many = rezip(TEMPLATE, add={f"xl/media/p{i}.bin": b"x" for i in range(30)})
    assert "内部部件" in workbook_read(many, SPEC, WorkbookLimits(max_members=20)).problems[0].message
    total = workbook_read(TEMPLATE, SPEC, WorkbookLimits(max_expanded_bytes=1000)).problems[0].message
    assert "解压后约" in total


def test_a_member_that_lies_about_its_size_is_refused() -> None:
    data = bytearray(TEMPLATE)
    archive = zipfile.ZipFile(io.BytesIO(TEMPLATE))
    info = archive.getinfo("xl/styles.xml")
    # Corrupt the compressed bytes of one member: its CRC no longer matches what it inflates to.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10] ^= 0xFF
    result = workbook_read(bytes(data), SPEC)
    assert result.refused
    assert "已损坏" in result.problems[0].message or "无法读取" in result.problems[0].message


def test_a_template_of_another_period_or_programme_is_recognised() -> None:
    other = template_write(form(period_key="2024"))
    result = workbook_read(other, SPEC)
    assert result.refused
    assert result.problems[0].message.startswith("该文件是“2024年度”的填报模板，不是本期（2025年度）的模板")
    zhejiang = template_write(form(programme="zhejiang"))
    assert "不是本期" in workbook_read(zhejiang, SPEC).problems[0].message


def test_a_workbook_not_made_by_the_platform_is_recognised() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["先导区编号", "本期值"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = workbook_read(buffer.getvalue(), SPEC)
    assert result.refused
    assert "不是本平台生成的填报模板" in result.problems[0].message


def test_changed_headers_are_refused() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(TEMPLATE))
    workbook[layout.DATA_SHEET].insert_cols(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = workbook_read(buffer.getvalue(), SPEC)
    assert [(p.row, p.message) for p in result.problems] == [
        (layout.HEADER_ROW, "表头与模板不一致（请勿增删列或修改表头），请使用本期填报模板。")
    ]


def test_problems_read_as_excel_shows_the_place() -> None:
    from xiandao.monitoring.workbook import Problem

    assert (
        str(Problem("填报数据", 12, "C", "数值应为非负整数")) == "工作表“填报数据”第12行C列：数值应为非负整数"
    )
    assert str(Problem("", None, None, "文件不是 Excel 工作簿")) == "文件不是 Excel 工作簿"
