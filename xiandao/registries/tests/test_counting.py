"""Counting in the database agrees with the pure rules, at dates, for each basis, with tags gained and lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiandao.registries import counting
from xiandao.registries.counting import CUMULATIVE, INCREMENT, STOCK, Interval, parse_measure
from xiandao.registries.models import EntryStatus
from xiandao.registries.selectors import (
    CountSpec,
    count,
    count_many,
    counted_entries,
    measure_counts,
    measure_counts_at,
)
from xiandao.registries.tests.factories import (
    EnterpriseFactory,
    EnterpriseTagFactory,
    PlatformFactory,
    StandardFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
HIGH_TECH = parse_measure("registry:enterprise:high_tech")


def spec(basis, on, since=None, measure=HIGH_TECH):
    return CountSpec(measure, basis, on, since)


@pytest.fixture
def enterprises(reference_data):
    """Four enterprises whose high-tech tags are gained and lost at different dates."""
    a = EnterpriseFactory(name="示例甲", valid_from=D(2020, 1, 1))
    EnterpriseTagFactory(enterprise=a, valid_from=D(2023, 11, 20), valid_to=D(2026, 11, 20))  # lost at expiry
    b = EnterpriseFactory(name="示例乙", valid_from=D(2020, 1, 1))
    EnterpriseTagFactory(enterprise=b, valid_from=D(2025, 3, 1), valid_to=D(2028, 3, 1))  # gained in 2025
    c = EnterpriseFactory(name="示例丙", valid_from=D(2020, 1, 1), ends_on=D(2025, 7, 1))  # retired mid-2025
    EnterpriseTagFactory(enterprise=c, valid_from=D(2024, 1, 10), valid_to=D(2027, 1, 10))
    d = EnterpriseFactory(
        name="示例丁", valid_from=D(2020, 1, 1), confirmed_at=None, status=EntryStatus.DRAFT
    )
    EnterpriseTagFactory(enterprise=d, valid_from=D(2024, 1, 10))  # never confirmed: never counted
    e = EnterpriseFactory(name="示例戊", valid_from=D(2020, 1, 1))
    EnterpriseTagFactory(enterprise=e, valid_from=D(2019, 1, 1), valid_to=D(2022, 1, 1))  # held, lost,
    EnterpriseTagFactory(enterprise=e, valid_from=D(2025, 9, 1), valid_to=D(2028, 9, 1))  # and regained
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def names(s):
    return sorted(x.name for x in counted_entries(s))


@pytest.mark.parametrize(
    ("basis", "on", "since", "expected"),
    [
        (STOCK, D(2024, 12, 31), None, ["示例丙", "示例甲"]),
        (STOCK, D(2025, 12, 31), None, ["示例乙", "示例戊", "示例甲"]),  # 丙 retired, 乙 and 戊 gained
        (STOCK, D(2026, 12, 31), None, ["示例乙", "示例戊"]),  # 甲's certificate expired on 2026-11-20
        (INCREMENT, D(2025, 12, 31), None, ["示例乙"]),  # over 2025: 戊 regained, not new
        (INCREMENT, D(2024, 12, 31), None, ["示例丙"]),
        (INCREMENT, D(2026, 12, 31), D(2024, 1, 1), ["示例丙", "示例乙"]),
        (CUMULATIVE, D(2026, 12, 31), D(2024, 1, 1), ["示例丙", "示例乙", "示例戊", "示例甲"]),
        (CUMULATIVE, D(2021, 12, 31), D(2021, 1, 1), ["示例戊"]),
    ],
)
def test_counts_at_dates_for_each_basis(enterprises, basis, on, since, expected):
    assert names(spec(basis, on, since)) == sorted(expected)


def test_the_database_agrees_with_the_pure_rules(enterprises):
    """For every entry, every basis and a grid of dates: SQL count membership == counting.counts()."""
    spans = {}
    for entry in enterprises.values():
        own = Interval(entry.valid_from, entry.ends_on)
        clipped = [counting.clip(own, Interval(t.valid_from, t.valid_to)) for t in entry.tags.all()]
        spans[entry.name] = [s for s in clipped if s is not None] if entry.confirmed_at else []
    dates = [D(y, m, 1) for y in range(2019, 2029) for m in (1, 4, 7, 10)]
    specs = []
    for basis in counting.BASES:
        for on in dates:
            for since in (None, D(2024, 1, 1)):
                expected = sorted(
                    n for n, s in spans.items() if counting.counts(basis, s, on=on, since=since)
                )
                assert names(spec(basis, on, since)) == expected, (basis, on, since)
                specs.append((spec(basis, on, since), len(expected)))
    # the batched counts the target pages use give the same numbers
    assert count_many(s for s, _ in specs) == dict(specs)


def test_plain_counts_of_a_registry_take_one_query(reference_data):
    PlatformFactory(valid_from=D(2024, 5, 1), level="provincial")
    PlatformFactory(valid_from=D(2025, 5, 1), level="municipal")
    specs = [
        CountSpec(parse_measure(key), basis, D(2025, 12, 31), D(2024, 1, 1))
        for key in ("registry:platform", "registry:platform:provincial", "registry:platform:verification")
        for basis in counting.BASES
    ]
    with CaptureQueriesContext(connection) as queries:
        totals = count_many(specs)
    assert len(queries) == 1
    assert totals == {s: count(s) for s in specs}


def test_entries_without_tags_count_by_their_own_dates(reference_data):
    PlatformFactory(valid_from=D(2024, 5, 1), level="provincial")
    PlatformFactory(valid_from=D(2025, 5, 1), level="national")
    PlatformFactory(valid_from=D(2025, 5, 1), level="municipal")  # not 省级及以上
    PlatformFactory(valid_from=D(2025, 6, 1), level="provincial", ends_on=D(2025, 12, 1))
    provincial = parse_measure("registry:platform:provincial")
    assert count(spec(STOCK, D(2025, 12, 31), measure=provincial)) == 2
    assert count(spec(INCREMENT, D(2025, 12, 31), measure=provincial)) == 2
    assert count(spec(CUMULATIVE, D(2025, 12, 31), D(2024, 1, 1), measure=provincial)) == 3


def test_only_published_standards_count(reference_data):
    StandardFactory(stage="published")
    StandardFactory(stage="approved")
    assert count(spec(STOCK, timezone.localdate(), measure=parse_measure("registry:standard"))) == 1


def test_every_target_of_the_programme_is_counted_with_a_link(anhui):
    PlatformFactory(valid_from=D(2025, 5, 1), level="provincial")
    counts = {m.key: m for m in measure_counts(anhui, on=D(2025, 12, 31))}
    platforms = counts["ap-2027-platforms"]
    assert platforms.count == 1 and platforms.label == "省级及以上创新和公共服务平台"
    assert platforms.since == D(anhui.start_year, 1, 1)
    assert "measure=registry%3Aplatform%3Aprovincial" in platforms.url
    assert counts["pz-2027-pilot-zones"].count is None and "先导区名单" in counts["pz-2027-pilot-zones"].note
    assert counts["ic-platforms"].kind == "indicator" and counts["ic-platforms"].basis == INCREMENT


def test_counts_at_many_dates_are_each_dates_counts_in_as_many_queries(anhui, enterprises):
    PlatformFactory(valid_from=D(2023, 5, 1), level="provincial")
    PlatformFactory(valid_from=D(2025, 5, 1), level="national", ends_on=D(2026, 3, 1))
    dates = [D(2023, 12, 31), D(2024, 12, 31), D(2025, 12, 31), D(2026, 6, 30)]
    one_by_one = {on: measure_counts(anhui, on=on) for on in dates}
    with CaptureQueriesContext(connection) as one_date:
        measure_counts_at(anhui, dates[:1])
    with CaptureQueriesContext(connection) as four_dates:
        together = measure_counts_at(anhui, dates)
    assert together == one_by_one
    assert len(four_dates) == len(one_date)
    # the enterprises' high-tech stock moves from date to date, so the dates are really apart
    high_tech = {
        on: next(m.count for m in counts if m.key == "ap-2027-high-tech-enterprises")
        for on, counts in together.items()
    }
    assert len(set(high_tech.values())) > 1, high_tech


SPANS = st.lists(
    st.tuples(st.integers(0, 3000), st.one_of(st.none(), st.integers(1, 1500))), min_size=1, max_size=3
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(entry_start=st.integers(0, 2000), entry_length=st.one_of(st.none(), st.integers(1, 2500)), tags=SPANS)
def test_any_tag_history_counts_the_same_in_sql_and_in_python(
    reference_data, entry_start, entry_length, tags
):
    from xiandao.registries.models import Enterprise

    Enterprise.objects.all().delete()
    origin = D(2018, 1, 1)
    start = origin + dt.timedelta(days=entry_start)
    end = start + dt.timedelta(days=entry_length) if entry_length else None
    enterprise = EnterpriseFactory.create(valid_from=start, ends_on=end)
    spans, specs = [], []
    for offset, length in tags:
        tag_start = origin + dt.timedelta(days=offset)
        tag_end = tag_start + dt.timedelta(days=length) if length else None
        EnterpriseTagFactory.create(enterprise=enterprise, valid_from=tag_start, valid_to=tag_end)
        clipped = counting.clip(Interval(start, end), Interval(tag_start, tag_end))
        if clipped is not None:
            spans.append(clipped)
    for basis in counting.BASES:
        for on in (D(2019, 6, 30), D(2021, 12, 31), D(2023, 12, 31), D(2026, 6, 30)):
            for since in (None, D(2020, 1, 1)):
                expected = counting.counts(basis, spans, on=on, since=since)
                assert bool(count(spec(basis, on, since))) is expected, (basis, on, since)
                specs.append((spec(basis, on, since), int(expected)))
    # the one-pass tag counts of the target pages agree
    assert count_many(s for s, _ in specs) == dict(specs)


def test_a_window_opening_after_the_day_counts_nothing(reference_data):
    PlatformFactory(valid_from=D(2019, 1, 1))
    EnterpriseTagFactory(valid_from=D(2019, 1, 1), enterprise=EnterpriseFactory(valid_from=D(2019, 1, 1)))
    specs = [
        CountSpec(parse_measure(key), basis, D(2019, 6, 30), D(2020, 1, 1))
        for key in ("registry:platform", "registry:enterprise:high_tech")
        for basis in (INCREMENT, CUMULATIVE)
    ]
    assert set(count_many(specs).values()) == {0}


def test_a_city_programme_counts_its_own_city_only(reference_data):
    from xiandao.geo.models import Jurisdiction
    from xiandao.programmes.tests.loading import load

    fuzhou = load("fuzhou").programme
    PlatformFactory(city=Jurisdiction.objects.get(code="350100"), kind="manufacturing_innovation_centre")
    PlatformFactory(kind="manufacturing_innovation_centre")  # in Hefei: another programme's
    PlatformFactory(city=Jurisdiction.objects.get(code="350100"), kind="key_laboratory")  # not a 创新中心
    counts = {m.key: m for m in measure_counts(fuzhou, on=timezone.localdate())}
    assert counts["fz-2030-innovation-centres"].count == 1
    assert counts["fz-2030-innovation-centres"].label == "创新中心（产业、制造业、技术）"
