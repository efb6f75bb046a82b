"""Long tables sort and page, with filters and sort kept in the URL (xiandao/core/listing.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory

from xiandao.core.listing import Listing, Sort


@dataclass
class Row:
    name: str
    year: int | None
    pk: int


ROWS = [Row("乙", 2030, 1), Row("甲", None, 2), Row("丙", 2027, 3), Row("丁", 2027, 4)]
SORTS = (Sort("year", "年份", ("year", "pk")), Sort("name", "名称", ("name",)))


def listing(query: str = "", **options) -> Listing:
    return Listing(RequestFactory().get(f"/list/?{query}"), ROWS, sorts=SORTS, default="year", **options)


def test_rows_sort_by_the_chosen_column_with_empty_values_last_either_way():
    assert [r.pk for r in listing().ordered] == [3, 4, 1, 2]
    assert [r.pk for r in listing("sort=-year").ordered] == [1, 3, 4, 2]
    assert [r.name for r in listing("sort=name").ordered] == sorted(r.name for r in ROWS)


def test_an_unknown_sort_falls_back_to_the_default():
    chosen = listing("sort=password")
    assert chosen.sort == "year" and not chosen.descending and chosen.is_default


def test_sorting_keeps_the_filters_and_goes_back_to_page_one():
    chosen = listing("q=上市&document=a&page=3&sort=name")
    again = parse_qs(urlsplit(chosen.sort_url("name")).query)
    assert again == {"q": ["上市"], "document": ["a"], "sort": ["-name"]}
    other = parse_qs(urlsplit(chosen.sort_url("year")).query)
    assert other["sort"] == ["year"] and "page" not in other
    assert chosen.state("name") == "ascending" and chosen.state("year") == "none"


def test_pages_keep_filters_and_sort_and_the_export_takes_every_page():
    chosen = listing("q=x&sort=-name&per_page=20", per_page=50)
    assert chosen.per_page == 20
    assert listing("per_page=100000").per_page == 50  # only the offered sizes
    export = parse_qs(urlsplit(chosen.export_url).query)
    assert export == {"q": ["x"], "sort": ["-name"], "per_page": ["20"], "format": ["xlsx"]}
    assert len(chosen.ordered) == len(ROWS)


@pytest.mark.django_db
def test_the_targets_page_pages_and_sorts_in_the_url(client, reference_data):
    from xiandao.programmes.tests.loading import load

    anhui = load("anhui").programme
    total = anhui.targets.count()
    html = client.get("/programmes/anhui/targets/", {"per_page": 20, "sort": "-value"}).content.decode()
    assert html.count('data-testid="target-row"') == 20
    pager = re.search(r'<nav[^>]*data-testid="pagination".*?</nav>', html, re.S)
    assert pager is not None and f"共 {total} 条" in pager.group(0)
    link = re.search(r'href="([^"]*page=2[^"]*)"', pager.group(0))
    assert link is not None
    second = unescape(link.group(1))
    assert parse_qs(urlsplit(second).query) == {"per_page": ["20"], "sort": ["-value"], "page": ["2"]}
    rest = client.get("/programmes/anhui/targets/" + second).content.decode()
    assert rest.count('data-testid="target-row"') == total - 20
    # Sorted by value, largest first, ties in document order, across pages.
    shown = re.findall(r'data-testid="target-row" data-code="([^"]+)"', html + rest)
    expected = list(anhui.targets.order_by("-value", "position").values_list("code", flat=True))
    assert shown == expected
    assert 'aria-sort="descending"' in html and "xd-group-row" not in html  # year headings only by year
    by_year = client.get("/programmes/anhui/targets/").content.decode()
    assert "xd-group-row" in by_year and "到2027年" in by_year
