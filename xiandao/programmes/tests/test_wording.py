"""What a new user stumbled on in the programme pages: repeated years and units, developer words,
titles, dates and weights."""

from __future__ import annotations

import re
from html import unescape

import pytest

from xiandao.core.queries import distinct_values
from xiandao.programmes.models import Indicator, Target
from xiandao.programmes.selectors import organisation_filter, unit_choices
from xiandao.programmes.tests.loading import load
from xiandao.programmes.tests.support import PROGRAMME_CODES
from xiandao.web.templatetags.xiandao import date_zh, page_title, percent, user_text

pytestmark = pytest.mark.django_db

PUBLIC_TABS = ("", "documents/", "taxonomy/", "targets/", "tasks/", "rules/", "framework/")


@pytest.fixture
def programmes(reference_data):
    return {code: load(code).programme for code in PROGRAMME_CODES}


@pytest.fixture
def anhui(reference_data):
    return load("anhui").programme


def visible_text(html: str) -> str:
    """What a person reads: the page without tags, attributes, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pages(client, programme) -> dict[str, str]:
    urls = [f"/programmes/{programme.code}/{tab}" for tab in PUBLIC_TABS]
    urls += [f"/programmes/{programme.code}/documents/{d.code}/" for d in programme.documents.all()]
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = response.content.decode()
    return out


def test_distinct_values_ignore_the_models_default_ordering(anhui):
    years = distinct_values(Target.objects.filter(programme=anhui), "year")
    assert len(years) == len(set(years)) == len(set(anhui.targets.values_list("year", flat=True)))


def test_the_year_filter_lists_each_year_once(client, programmes):
    for programme in programmes.values():
        html = client.get(f"/programmes/{programme.code}/targets/").content.decode()
        found = re.search(r'<select[^>]*id="f-year".*?</select>', html, re.S)
        assert found is not None
        select = found.group(0)
        options = re.findall(r'<option value="(\d+)"', select)
        expected = sorted({y for y in programme.targets.values_list("year", flat=True) if y})
        assert options == [str(y) for y in expected], programme.code


def test_unit_suggestions_offer_each_organisation_once(client, programmes):
    for programme in programmes.values():
        choices = unit_choices(programme)
        names = [c.name for c in choices]
        assert len(names) == len(set(names)), programme.code
        # A short name is never offered beside the organisation it stands for.
        short_names = {a for c in choices for a in c.also}
        assert not short_names & set(names), programme.code
    zhejiang = programmes["zhejiang"]
    assert [c.name for c in organisation_filter(zhejiang, "经信").suggestions] == ["浙江省经济和信息化厅"]
    html = client.get("/programmes/zhejiang/tasks/?organisation=经信").content.decode()
    assert html.count('data-testid="unit-suggestion"') == 1 and "（省经信厅）" in html
    found = re.search(r'<datalist id="unit-names">.*?</datalist>', html, re.S)
    assert found is not None
    datalist = found.group(0)
    assert re.findall(r'<option value="([^"]+)"', datalist) == ["浙江省经济和信息化厅"]


def test_public_pages_show_no_developer_words(client, programmes):
    for programme in programmes.values():
        codes = set(
            Indicator.objects.filter(dimension__framework__programme=programme).values_list("code", flat=True)
        )
        for url, html in pages(client, programme).items():
            text = visible_text(html)
            assert not re.search(r"\b\w+\.md\b", text), (url, re.findall(r"\b\w+\.md\b", text))
            assert "registry:" not in text, url
            shown = [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]
            assert not shown, (url, shown)


def test_administrators_see_codes_as_a_muted_second_line(client, anhui, province_admin):
    client.force_login(province_admin)
    html = client.get("/programmes/anhui/framework/").content.decode()
    assert '<div class="xd-code small text-secondary"><code>registry:enterprise:listed</code></div>' in html
    assert "<code>ic-rd-intensity</code>" in html


def test_tab_titles_put_the_separator_between_page_and_platform(client, anhui, hefei_city_officer):
    html = client.get("/programmes/anhui/targets/").content.decode()
    assert "<title>目标 · 安徽省未来产业培育（未来产业先导区建设） · 先导 · 未来产业培育平台</title>" in html
    client.force_login(hefei_city_officer)
    assert "<title>工作台 · 先导 · 未来产业培育平台</title>" in client.get("/").content.decode()


def test_page_title_rule():
    assert page_title("\n  工作台 \n", "先导") == "工作台 · 先导"
    assert page_title("", "先导") == "先导"
    assert page_title("<b>目标</b> · 安徽", "先导") == "目标 · 安徽 · 先导"


def test_dates_read_as_chinese_offices_write_them(client, anhui):
    import datetime as dt

    assert date_zh(dt.date(2024, 2, 5)) == "2024年2月5日"
    assert date_zh(None) == ""
    html = client.get("/programmes/anhui/documents/").content.decode()
    assert "2024年2月5日" in html and "2024-02-05" not in html


def test_dimension_weights_read_as_percentages(client, anhui):
    assert percent("0.25") == "25.0%" and percent("0.33335") == "33.3%" and percent("0.00125", 2) == "0.13%"
    html = client.get("/programmes/anhui/framework/").content.decode()
    dimension = anhui.framework.dimensions.order_by("position").first()
    assert f"权重 {percent(dimension.weight)}" in html and "权重 0.25" not in html


def test_notes_citing_our_files_read_without_the_file_name(client, anhui):
    assert user_text("日期据公开报道（FACTS.md）。") == "日期据公开报道。"
    assert user_text("FACTS.md：扬州市《意见》") == "扬州市《意见》"
    assert user_text("据公开报道FACTS.md。") == "据公开报道。"  # the Chinese before it stays
    assert (
        user_text("一周后确定（FACTS.md；浙江省经济和信息化厅公示）")
        == "一周后确定（浙江省经济和信息化厅公示）"
    )
    assert ".md" not in user_text("按 LABELLING.md、AMBIGUITIES.md 的约定")
    document = anhui.documents.order_by("position").first()
    document.notes = "文号据公开报道（FACTS.md）。"
    document.save()
    for url in ("/programmes/anhui/documents/", f"/programmes/anhui/documents/{document.code}/"):
        text = visible_text(client.get(url).content.decode())
        assert "文号据公开报道。" in text and ".md" not in text, url
