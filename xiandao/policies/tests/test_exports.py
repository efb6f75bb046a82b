"""Every list a programme admin works from exports exactly what is filtered, in the shared format."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .test_decisions import NEW_DOCUMENT

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def test_the_uploaded_documents_export_as_filtered_and_sorted(client, province_admin, anhui, upload):
    upload(anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见")
    upload(anhui, NEW_DOCUMENT.replace("实施", "若干"), title="另一份文件")
    client.force_login(province_admin)
    url = reverse("policies:document_list")
    page = client.get(url, {"q": "实施意见", "sort": "title"}).content.decode()
    assert 'href="?q=%E5%AE%9E%E6%96%BD%E6%84%8F%E8%A7%81&amp;sort=title&amp;format=xlsx"' in page
    response = client.get(url, {"q": "实施意见", "sort": "title", "format": "xlsx"})
    assert quote("上传的政策文件.xlsx") in response["Content-Disposition"]
    sheet = _sheet(response)
    assert sheet["A1"].value == "上传的政策文件" and "搜索“实施意见”" in sheet["A2"].value
    assert sheet.max_row == 3 + 1 and sheet["A4"].value == "关于加快培育未来产业的实施意见"


def test_the_proposals_export_as_the_review_page_filters_them(client, province_admin, anhui, upload):
    version = upload(anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见")
    client.force_login(province_admin)
    url = reverse("policies:document_review", args=[version.pk])
    targets = version.proposals.filter(kind="target").count()
    assert targets
    sheet = _sheet(client.get(url, {"kind": "target", "format": "xlsx"}))
    assert sheet["A1"].value == "《关于加快培育未来产业的实施意见》识别结果"
    assert [c.value for c in sheet[3]][:4] == ["编号", "类别", "状态", "识别内容"]
    assert sheet.max_row == 3 + targets
    assert {sheet.cell(r, 2).value for r in range(4, sheet.max_row + 1)} == {"目标"}
    assert all(sheet.cell(r, 4).value for r in range(4, sheet.max_row + 1))  # each in words


def test_the_comparison_exports_every_row_the_page_shows(client, province_admin, anhui, upload):
    version = upload(anhui, NEW_DOCUMENT, title="关于加快培育未来产业的实施意见")
    client.force_login(province_admin)
    url = reverse("policies:document_compare", args=[version.pk])
    rows_on_page = client.get(url).content.decode().count('data-testid="compare-row"')
    sheet = _sheet(client.get(url, {"format": "xlsx"}))
    assert sheet["A1"].value == "《关于加快培育未来产业的实施意见》与培育计划比对"
    assert sheet.max_row - 3 == rows_on_page > 0
