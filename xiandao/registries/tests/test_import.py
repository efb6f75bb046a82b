"""Excel import: the round trip, every problem at once by sheet, row and column, and the files refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from xiandao.registries.models import Enterprise, EnterpriseTag
from xiandao.registries.registry import BY_KEY
from xiandao.registries.services.importing import WorkbookRefused, columns, entries_import, workbook_check
from xiandao.registries.tests.factories import credit_code

pytestmark = pytest.mark.django_db
ENTERPRISES = BY_KEY["enterprise"]


def workbook(rows, *, headers=None, formula_at=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "企业"
    sheet.append(headers or [label for _, label in columns(ENTERPRISES)])
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(n, **values):
    data = {
        "name": f"示例导入企业{n}有限公司",
        "credit_code": credit_code(100 + n),
        "city": "合肥市",
        "zone": "示例量子精密测量先导区",
        "valid_from": "2025-01-15",
        "source": "先导区报送",
        **values,
    }
    return [data.get(name, "") for name, _ in columns(ENTERPRISES)]


def test_the_template_round_trip(client, zone_operator, quantum_zone):
    client.force_login(zone_operator)
    template = client.get("/registries/enterprises/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    sheet = book["企业"]
    assert [c.value for c in sheet[1]][:3] == ["名称", "所在市", "先导区"]
    sheet.append(row(1, tag="高新技术企业", certificate_no="GR202534001111", tag_valid_from="2025-11-01"))
    sheet.append(row(2))
    sheet.append(
        row(1, tag="科技型中小企业", certificate_no="20253401000123", tag_valid_from="2025-04-01")
    )  # same code again
    buffer = io.BytesIO()
    book.save(buffer)
    result = entries_import(
        actor=zone_operator, registry=ENTERPRISES, data=buffer.getvalue(), filename="企业.xlsx"
    )
    assert result.ok, result.problems
    assert len(result.created) == 2 and result.tags == 2
    first = Enterprise.objects.get(credit_code=credit_code(101))
    assert sorted(first.tags.values_list("tag", flat=True)) == ["high_tech", "tech_sme"]
    assert first.zone == quantum_zone and first.field == quantum_zone.field

    exported = client.get("/registries/enterprises/?format=xlsx")
    names = [c.value for c in load_workbook(io.BytesIO(exported.content)).active["A"]][1:]
    assert sorted(names) == ["示例导入企业1有限公司", "示例导入企业2有限公司"]


def test_every_problem_is_listed_at_once_and_nothing_is_saved(zone_operator, quantum_zone):
    bad_code = credit_code(150)[:17] + ("0" if credit_code(150)[17] != "0" else "1")
    data = workbook(
        [
            row(1),
            row(2, credit_code=bad_code),
            row(3, city="杭州市"),
            row(4, valid_from="去年"),
            row(5, tag="高新技术企业", tag_valid_from="2025-01-01"),
        ]
    )
    result = entries_import(actor=zone_operator, registry=ENTERPRISES, data=data)
    assert not result.ok
    text = "\n".join(result.problems)
    assert "工作表“企业”第3行第I列（统一社会信用代码）：统一社会信用代码校验位不符" in text
    assert "第4行第B列（所在市）：杭州市不在您的管辖范围内" in text
    assert "第5行第E列（起始日期）：“去年”不是日期" in text
    assert "第6行" in text and "证书编号" in text
    assert Enterprise.objects.count() == 0


def test_formulas_where_values_belong_are_refused(zone_operator, quantum_zone):
    data = workbook([row(1)], formula_at="A2")
    result = entries_import(actor=zone_operator, registry=ENTERPRISES, data=data)
    assert any("第2行第A列（名称）：应填写数值，不能是公式" in p for p in result.problems)
    assert not Enterprise.objects.exists()


def test_an_unknown_header_is_named(zone_operator, quantum_zone):
    data = workbook([["x"]], headers=["名称", "所在市", "起始日期", "统一社会信用代码", "备注栏"])
    result = entries_import(actor=zone_operator, registry=ENTERPRISES, data=data)
    assert result.problems == ["工作表“企业”第1行第E列：表头“备注栏”不是模板中的列"]


def _zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"name,city\n", "企业.csv", "不是 Excel 工作簿"),
        (b"PK\x03\x04broken", "企业.xlsx", "不是 Excel 工作簿"),
        (_zip({"word/document.xml": b"<w/>"}), "企业.xlsx", "不是 Excel 工作簿"),
        (
            _zip(
                {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"\0"}
            ),
            "企业.xlsx",
            "含有宏",
        ),
        (b"PK", "企业.xlsm", "含宏"),
        (b"PK", "企业.xls", "另存为 .xlsx"),
        (
            _zip(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "xl/workbook.xml": b"<w/>",
                    "xl/worksheets/sheet1.xml": b"0" * 30_000_000,
                }
            ),
            "企业.xlsx",
            "压缩炸弹",
        ),
        (b"0" * (50 * 1024 * 1024 + 1), "企业.xlsx", "超过 50 MB"),
    ],
    ids=["csv", "broken-zip", "docx-like", "macros", "xlsm", "xls", "zip-bomb", "50MB"],
)
def test_files_that_are_not_plain_workbooks_are_refused(data, filename, words):
    with pytest.raises(WorkbookRefused) as excinfo:
        workbook_check(data, filename)
    assert words in str(excinfo.value)


def test_an_import_refused_saves_nothing(zone_operator, quantum_zone):
    with pytest.raises(WorkbookRefused):
        entries_import(actor=zone_operator, registry=ENTERPRISES, data=b"not a workbook", filename="x.xlsx")
    assert not Enterprise.objects.exists() and not EnterpriseTag.objects.exists()


def test_blank_cells_take_the_fields_defaults(zone_operator, quantum_zone):
    data = workbook([row(1, source="")])
    result = entries_import(actor=zone_operator, registry=ENTERPRISES, data=data)
    assert result.ok, result.problems
    assert Enterprise.objects.get().source == "zone_report"


def test_a_row_without_a_code_is_offered_the_known_enterprise(zone_operator, quantum_zone):
    from xiandao.registries.tests.factories import EnterpriseFactory

    EnterpriseFactory(name="示例导入企业1有限公司", zone=quantum_zone)
    data = workbook([row(9, name="安徽示例导入企业1股份有限公司", credit_code="")])
    result = entries_import(actor=zone_operator, registry=ENTERPRISES, data=data)
    assert any("名称相近的已登记企业：示例导入企业1有限公司（相似度 1.0）" in p for p in result.problems)
    assert Enterprise.objects.count() == 1


def test_a_large_workbook_is_imported_as_a_background_job(
    client, zone_operator, quantum_zone, settings, tmp_path
):
    from xiandao.registries.services import importing

    settings.MEDIA_ROOT = tmp_path
    data = workbook([row(n) for n in range(3)] + [row(3, city="杭州市")])
    client.force_login(zone_operator)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importing, "INLINE_BYTES", 10)
        patch.setattr("xiandao.registries.views.imports.INLINE_BYTES", 10)
        response = client.post("/registries/enterprises/import/", {"file": io.BytesIO(data)}, follow=True)
    page = response.content.decode()
    assert "/registries/imports/" in response.redirect_chain[-1][0]
    assert "第5行第B列（所在市）：杭州市不在您的管辖范围内" in page and not Enterprise.objects.exists()
    assert not list(tmp_path.rglob("*.xlsx"))  # the kept file is gone once imported


def test_a_background_import_that_succeeds_says_what_it_saved(
    client, zone_operator, quantum_zone, settings, tmp_path
):
    from xiandao.registries.services import importing

    settings.MEDIA_ROOT = tmp_path
    client.force_login(zone_operator)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importing, "INLINE_BYTES", 10)
        patch.setattr("xiandao.registries.views.imports.INLINE_BYTES", 10)
        response = client.post(
            "/registries/enterprises/import/",
            {"file": io.BytesIO(workbook([row(n) for n in range(3)]))},
            follow=True,
        )
    assert "已导入 3 条新条目" in response.content.decode() and Enterprise.objects.count() == 3


def test_a_large_import_refreshes_the_planners_statistics(
    zone_operator, quantum_zone, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection

    from xiandao.registries.services import importing

    monkeypatch.setattr(importing, "ANALYZE_AFTER", 2)  # what counts as large, for the test
    with django_capture_on_commit_callbacks(execute=True):
        result = entries_import(
            actor=zone_operator, registry=ENTERPRISES, data=workbook([row(1), row(2)]), filename="企业.xlsx"
        )
    assert result.ok, result.problems
    table = Enterprise._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        assert cursor.fetchone()[0] > 0
