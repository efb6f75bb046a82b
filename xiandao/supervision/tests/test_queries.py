"""The cockpit, the target-progress page and the warnings ask as many queries whatever the data's size.

Registry counts are asked at today, at the programme's start and at every past year's end; a page
that asked once per date would grow with the programme's years. Compared between two sizes (more
entries and tags, and a period stretched from three years to eight), not timed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiandao.programmes.models import Programme
from xiandao.registries.models import TagKind
from xiandao.registries.tests.factories import EnterpriseTagFactory, PlatformFactory, ProjectFactory
from xiandao.supervision import selectors

pytestmark = pytest.mark.django_db

PAGES = (
    "/supervision/anhui/cockpit/",
    "/supervision/anhui/targets/",
    "/api/v1/programmes/anhui/target-progress",
)


def _queries(client) -> dict[str, int]:
    """Queries of each page (after a warm request) and of computing every warning of Anhui."""
    found = {}
    for url in PAGES:
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        found[url] = len(queries)
    programme = Programme.objects.get(code="anhui")
    selectors.warnings_all(programme)
    with CaptureQueriesContext(connection) as queries:
        selectors.warnings_all(programme)
    found["warnings_all"] = len(queries)
    return found


def _entries(n: int, first_year: int) -> None:
    for i in range(n):
        year = first_year + i % 8
        PlatformFactory(valid_from=dt.date(year, 3, 1), level="provincial")
        ProjectFactory(valid_from=dt.date(year, 5, 1))
        EnterpriseTagFactory(
            tag=TagKind.HIGH_TECH if i % 2 else TagKind.LEADING,
            valid_from=dt.date(year, 6, 1),
            enterprise__valid_from=dt.date(year, 1, 1),
        )


def test_pages_ask_as_many_queries_with_more_entries_and_years(client, personas):
    client.force_login(personas["province_admin"])
    anhui = Programme.objects.get(code="anhui")
    assert anhui.start_year == 2024
    _entries(2, 2024)
    small = _queries(client)

    _entries(12, 2019)
    Programme.objects.filter(pk=anhui.pk).update(start_year=2019)
    large = _queries(client)

    assert large == small
    # the larger data is really read: the cockpit's growth line now has a point for each year since 2018
    growth = selectors.cockpit(Programme.objects.get(pk=anhui.pk))["registry"]
    today = dt.date.today()
    assert [year for year, _ in growth] == list(range(2018, today.year + 1))
    assert growth[-1][1] > growth[1][1] > 0
