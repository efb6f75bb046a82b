"""The public programme pages: readable without logging in, exact, and constant in queries as data grows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from xiandao.accounts.models import Organisation
from xiandao.pilot_zones.models import PilotZone, ZonePlace
from xiandao.programmes.models import (
    Field,
    FieldDirection,
    FieldPlace,
    Programme,
    Target,
    Task,
    TaskUnit,
    TaxonomyVersion,
)
from xiandao.programmes.tests.loading import programme_ensure
from xiandao.programmes.tests.support import document_text, programme

pytestmark = pytest.mark.django_db

PAGES = (
    "/programmes/",
    "/programmes/anhui/",
    "/programmes/anhui/documents/",
    "/programmes/anhui/documents/anhui-action-plan-2024/",
    "/programmes/anhui/taxonomy/",
    "/programmes/anhui/taxonomy/?version=anhui-2024-02",
    "/programmes/anhui/targets/",
    "/programmes/anhui/targets/?document=anhui-action-plan-2024&year=2027",
    "/programmes/anhui/tasks/",
    "/programmes/anhui/tasks/?organisation=省科技厅",
    "/programmes/anhui/tasks/?organisation=合肥市人民政府&role=lead",
    "/programmes/anhui/rules/",
    "/programmes/anhui/framework/",
)


@pytest.fixture
def anhui(reference_data):
    return programme_ensure("anhui")


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_public(client, anhui, url):
    page = get(client, url)
    assert "安徽省未来产业培育" in page or url == "/programmes/"
    assert "/accounts/login/" not in client.get(url).get("Location", "")


def test_pages_of_an_unknown_programme_or_document_are_404(client, anhui):
    assert client.get("/programmes/jiangsu/").status_code == 404
    assert client.get("/programmes/anhui/documents/nothing/").status_code == 404


def _grow(programme: Programme, n: int, start: int = 0) -> None:
    """Add n targets, tasks (with units and organisations), fields (with directions and places) and zones.

    Measure after one of each exists, so an empty list (whose prefetch Django skips) is not compared.
    """
    document = programme.documents.all()[0]
    version = TaxonomyVersion.objects.filter(programme=programme).order_by("-position")[0]
    kind = version.kinds.all()[0]
    organisations = list(Organisation.objects.filter(code__in=["ah-dst", "ah-drc"]))
    for i in range(start, start + n):
        Target.objects.create(
            programme=programme,
            code=f"grown-{i}",
            document=document,
            year=2027 + i % 4,
            metric=f"增补指标{i}",
            value=i,
            unit="个",
            qualifier="about",
            scope="province",
            quote=f"增补原文{i}",
            basis="stock",
            position=1000 + i,
        )
        task = Task.objects.create(
            programme=programme,
            code=f"grown-task-{i}",
            document=document,
            title=f"增补任务{i}",
            quote=f"（责任单位：省科技厅、省发展改革委{i}）",
            parent=Task.objects.filter(programme=programme, kind="heading").first(),
            position=1000 + i,
        )
        for role, written in (("lead", "省科技厅"), ("cooperating", "省发展改革委")):
            unit = TaskUnit.objects.create(task=task, role=role, written=written)
            unit.organisations.set(organisations)
        field = Field.objects.create(
            version=version, code=f"grown-field-{i}", name=f"增补领域{i}", order=100 + i, kind=kind
        )
        FieldDirection.objects.create(field=field, name=f"方向{i}")
        FieldPlace.objects.create(field=field, name=f"地点{i}")
        zone = PilotZone.objects.create(programme=programme, field=field, name=f"测试先导区{i}", is_demo=True)
        ZonePlace.objects.create(zone=zone, jurisdiction=programme.jurisdiction, valid_from="2024-01-01")


def test_queries_per_page_stay_constant_as_data_grows(client, anhui):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            get(client, url)
        return len(context)

    _grow(anhui, 1)
    for url in PAGES:
        get(client, url)  # warm the per-process caches (jurisdiction trees), as any running server has
    before = {url: count(url) for url in PAGES}
    _grow(anhui, 12, start=1)
    after = {url: count(url) for url in PAGES}
    assert after == before
    print("queries per page:", before)
    # The targets page also counts every registry measure (one query per registry counted).
    assert max(before.values()) <= 30, before


def test_api_queries_stay_constant_as_data_grows(client, anhui):
    urls = [
        f"/api/v1/programmes/anhui/{part}" for part in ("targets", "tasks", "fields", "indicators", "rules")
    ]
    urls.append("/api/v1/programmes")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    _grow(anhui, 1)
    before = {url: count(url) for url in urls}
    _grow(anhui, 12, start=1)
    assert {url: count(url) for url in urls} == before


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def test_a_document_is_readable_with_every_quote_marked_and_anchored(client, anhui):
    page = get(client, "/programmes/anhui/documents/anhui-action-plan-2024/")
    defn = programme("anhui")
    for target in defn.targets:
        if target.document == "anhui-action-plan-2024":
            assert f'id="target-{target.code}"' in page
    for task in defn.tasks:
        if task.document == "anhui-action-plan-2024":
            assert f'id="task-{task.code}"' in page
    assert (
        'data-quotes="target-ap-2030-aerospace-information-output target-ap-2030-general-intelligence-output'
        in page
    )
    assert "以下摘句在文本中未找到" not in page
    # The text is shown from the folder, never stored: the page has it, the database does not.
    sentence = "为抢抓新一轮科技革命和产业变革机遇"
    assert sentence in document_text("anhui-action-plan-2024") and sentence in page


def test_without_the_policy_folder_the_text_is_unavailable_and_the_rest_works(client, anhui, tmp_path: Path):
    with override_settings(POLICY_DOCUMENTS_DIR=tmp_path / "absent"):
        page = get(client, "/programmes/anhui/documents/anhui-action-plan-2024/")
        assert "原文暂不可用" in page
        assert "构建创新策源体系" in page  # the tasks are still listed
        assert "上市企业" in get(client, "/programmes/anhui/targets/")


def test_a_source_file_outside_the_folder_is_never_read(client, anhui):
    anhui.documents.filter(code="anhui-action-plan-2024").update(source_file="../../../etc/passwd")
    page = get(client, "/programmes/anhui/documents/anhui-action-plan-2024/")
    assert "原文暂不可用" in page and "root:" not in page


# ---------------------------------------------------------------------------------------------
# Taxonomy, targets, tasks, rules, framework
# ---------------------------------------------------------------------------------------------


def test_taxonomy_shows_each_version_and_what_changed(client, anhui):
    latest = get(client, "/programmes/anhui/taxonomy/")
    assert "生命科学" in latest and "更名（原为“生命与健康”）" in latest
    february = get(client, "/programmes/anhui/taxonomy/?version=anhui-2024-02")
    assert "生命与健康" in february and "更名" not in february
    assert "现代中药" in february and "现代中药" not in latest


def test_targets_are_grouped_by_year_and_filtered_by_document(client, anhui):
    page = get(client, "/programmes/anhui/targets/")
    assert page.index("到2027年") < page.index("到2030年")
    assert "共 39 条目标" in page
    filtered = get(client, "/programmes/anhui/targets/?document=anhui-pilot-zone-plan")
    assert "共 6 条目标" in filtered
    assert "建设10个左右省级未来产业先导区" in filtered and "突破100项以上关键技术" not in filtered
    assert "/programmes/anhui/documents/anhui-pilot-zone-plan/#target-pz-2027-pilot-zones" in filtered


def test_targets_export_to_excel_exactly_what_is_filtered(client, anhui):
    from io import BytesIO
    from urllib.parse import quote

    from openpyxl import load_workbook

    response = client.get(
        "/programmes/anhui/targets/",
        {"document": "anhui-pilot-zone-plan", "format": "xlsx", "sort": "-value"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    name = "安徽省未来产业培育-目标.xlsx"  # the name without its bracketed qualifier
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == f"{anhui.name} · 目标"
    assert "《安徽省未来产业先导区建设方案（试行）》" in sheet["A2"].value and "共 6 条" in sheet["A2"].value
    assert [c.value for c in sheet[3]][:3] == ["年份", "指标", "目标值"]
    assert sheet.max_row == 3 + 6  # exactly the filtered rows, all pages
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:K9"
    values = [sheet.cell(r, 3).value for r in range(4, 10)]
    assert values == sorted(values, reverse=True)  # in the order the page is sorted


def test_what_is_the_provincial_science_department_responsible_for(client, anhui):
    page = get(client, "/programmes/anhui/tasks/?organisation=省科技厅")
    assert "安徽省科学技术厅" in page
    assert "牵头（责任）5 项，配合 12 项" in page
    assert "创新科研组织模式" in page and "推动多元化资金供给" not in page
    # The full name finds the same tasks as the alias.
    assert "共 17 项任务" in get(client, "/programmes/anhui/tasks/?organisation=安徽省科学技术厅")


def test_a_city_government_sees_the_tasks_of_each_city_government(client, anhui):
    page = get(client, "/programmes/anhui/tasks/?organisation=芜湖市人民政府")
    assert "培育企业梯队" in page  # 各市人民政府
    assert "提升科大硅谷能级" not in page  # 合肥市人民政府 only


def test_an_unknown_organisation_gets_suggestions(client, anhui):
    page = get(client, "/programmes/anhui/tasks/?organisation=科技厅")
    assert "未找到“科技厅”" in page and "省科技厅" in page


def test_a_collective_phrase_can_be_asked_as_written(client, anhui):
    page = get(client, "/programmes/anhui/tasks/?organisation=先导区所在的开发区")
    assert "集合称谓" in page and "先导区所在的开发区负责推进具体创建任务" in page


def test_rules_show_parameters_and_defaults(client, anhui):
    page = get(client, "/programmes/anhui/rules/")
    assert "连续A等次移出创建名单的年数" in page and "文件规定" in page and "默认值" in page
    assert "科学家＋企业家＋风险投资家" in page


def test_rules_and_framework_say_not_specified_where_the_documents_are_silent(client, reference_data):
    programme_ensure("yangzhou")
    programme_ensure("zhejiang")
    for part in ("rules", "framework"):
        assert "文件未作规定" in get(client, f"/programmes/yangzhou/{part}/")
    zhejiang = get(client, "/programmes/zhejiang/rules/")
    assert "培育验收考核" in zhejiang and "名单公示天数" in zhejiang


def test_framework_lists_indicators_with_definition_formula_and_source(client, anhui):
    page = get(client, "/programmes/anhui/framework/")
    assert "指标解释" in page and "计算公式" in page
    assert "企业研发经费支出 ÷ 企业营业收入 × 100%" in page
    assert "登记库计数" in page and "上市企业" in page and "registry:" not in page  # words, not keys


def test_demo_zones_are_marked_where_they_show(client, anhui, reference_data):
    programme_ensure("zhejiang")
    from xiandao.pilot_zones.demo import demo_zones_create

    demo_zones_create()
    page = get(client, "/programmes/zhejiang/")
    assert "示例柔性电子网络协同先导区" in page and "示例数据" in page
    assert "杭州高新区（滨江）、嘉兴经开区、绍兴高新区" in page
