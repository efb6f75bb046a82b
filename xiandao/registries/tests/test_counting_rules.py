"""The counting rules without a database: bases, tag clipping, measure keys, validity of tiers."""

from __future__ import annotations

import datetime as dt

import pytest

from xiandao.registries.counting import (
    CUMULATIVE,
    INCREMENT,
    STOCK,
    Interval,
    MeasureError,
    clip,
    counts,
    indicator_basis,
    parse_measure,
)
from xiandao.registries.tiers import default_valid_to

D = dt.date
# A 高新技术企业 certified 2023-11-20 holds the tag for three years: until 2026-11-20 (exclusive).
HIGH_TECH = [Interval(D(2023, 11, 20), D(2026, 11, 20))]


@pytest.mark.parametrize(
    ("basis", "on", "since", "expected"),
    [
        (STOCK, D(2023, 11, 19), None, False),
        (STOCK, D(2023, 11, 20), None, True),
        (STOCK, D(2026, 11, 19), None, True),
        (STOCK, D(2026, 11, 20), None, False),  # the end is exclusive
        (INCREMENT, D(2023, 12, 31), None, True),  # gained during 2023
        (INCREMENT, D(2024, 12, 31), None, False),  # not new in 2024
        (INCREMENT, D(2026, 12, 31), D(2024, 1, 1), False),  # gained before the programme started
        (INCREMENT, D(2026, 12, 31), D(2023, 1, 1), True),
        (
            CUMULATIVE,
            D(2026, 12, 31),
            D(2024, 1, 1),
            True,
        ),  # standing at the start, lost since: still counted
        (CUMULATIVE, D(2027, 12, 31), D(2027, 1, 1), False),  # lost before the window
    ],
)
def test_bases_on_a_tag_gained_and_lost(basis, on, since, expected):
    assert counts(basis, HIGH_TECH, on=on, since=since) is expected


def test_a_tag_regained_is_not_new_again():
    spans = [Interval(D(2020, 1, 1), D(2023, 1, 1)), Interval(D(2025, 3, 1))]
    assert counts(STOCK, spans, on=D(2024, 6, 1)) is False
    assert counts(STOCK, spans, on=D(2025, 6, 1)) is True
    assert counts(INCREMENT, spans, on=D(2025, 12, 31)) is False
    assert counts(CUMULATIVE, spans, on=D(2025, 12, 31), since=D(2024, 1, 1)) is True


def test_a_tag_is_counted_only_while_its_entry_stands():
    entry = Interval(D(2024, 1, 1), D(2025, 7, 1))  # retired on 2025-07-01
    assert clip(entry, Interval(D(2023, 5, 1))) == Interval(D(2024, 1, 1), D(2025, 7, 1))
    assert clip(entry, Interval(D(2025, 8, 1))) is None
    assert clip(Interval(D(2024, 1, 1)), Interval(D(2023, 5, 1), D(2024, 1, 1))) is None


@pytest.mark.parametrize(
    ("key", "registry", "filter_"),
    [
        ("registry:platform:provincial", "platform", {"level": ("national", "provincial")}),
        ("registry:platform:verification", "platform", {"kind": ("proof_of_concept", "pilot_scale")}),
        ("registry:enterprise:high_tech", "enterprise", {"tag": ("high_tech",)}),
        ("registry:enterprise:leading", "enterprise", {"tag": ("leading", "ecosystem_leader")}),
        ("registry:standard", "standard", {"stage": ("published",)}),  # 立项 standards do not count
        ("registry:talent_team", "talent_team", {}),
        (
            "registry:platform:kind=pilot_scale:level=national",
            "platform",
            {"kind": ("pilot_scale",), "level": ("national",)},
        ),
    ],
)
def test_measure_keys_are_data(key, registry, filter_):
    measure = parse_measure(key)
    assert measure.registry == registry and measure.filter.as_dict() == filter_


@pytest.mark.parametrize("key", ["ec-listed", "registry:", "registry:unknown", "registry:platform:nonsense"])
def test_unknown_measures_are_refused_in_chinese(key):
    with pytest.raises(MeasureError) as excinfo:
        parse_measure(key)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(excinfo.value))


def test_pilot_zones_are_not_a_registry_here():
    with pytest.raises(MeasureError):
        parse_measure("registry:pilot_zone:provincial")


@pytest.mark.parametrize(
    ("tag", "start", "list_year", "end"),
    [
        ("high_tech", D(2023, 11, 20), None, D(2026, 11, 20)),  # three years from the certificate
        ("high_tech", D(2024, 2, 29), None, D(2027, 3, 1)),
        ("tech_sme", D(2025, 4, 10), None, D(2026, 1, 1)),  # that calendar year only
        ("tech_sme", D(2025, 4, 10), 2025, D(2026, 1, 1)),
        ("little_giant", D(2022, 8, 1), None, D(2025, 8, 1)),  # a three-year review cycle
        ("gazelle", D(2024, 6, 1), None, D(2025, 6, 1)),  # one edition of the list
        ("listed", D(2021, 7, 22), None, None),
    ],
)
def test_tier_validity_rules(tag, start, list_year, end):
    assert default_valid_to(tag, start, list_year) == end


def test_an_indicator_basis_follows_its_definition():
    assert indicator_basis("创建期内先导区新增的省级及以上平台数量") == INCREMENT
    assert indicator_basis("先导区内有效期内的国家高新技术企业数量（年末存量）") == STOCK
    assert indicator_basis("累计引育的团队") == CUMULATIVE


def test_every_selector_has_a_name():
    from xiandao.registries.counting import LABELS, SELECTORS

    missing = [(r, s) for r, selectors in SELECTORS.items() for s in selectors if (r, s) not in LABELS]
    assert not missing


def test_every_registry_measure_of_every_shipped_programme_is_understood():
    """Each ``registry:`` key the programme files name parses, except pilot zones (counted elsewhere)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "programmes"
    keys = {
        m
        for path in root.glob("*.yaml")
        for m in re.findall(r"measure: (registry:\S+)", path.read_text("utf-8"))
    }
    assert len(keys) > 20
    for key in sorted(keys):
        if key.startswith("registry:pilot_zone"):
            continue
        measure = parse_measure(key)
        assert measure.registry in LABELS_REGISTRIES, key


LABELS_REGISTRIES = {
    "enterprise",
    "platform",
    "talent_team",
    "technology",
    "standard",
    "product",
    "project",
    "fund",
    "scenario",
    "scenario_lab",
    "scenario_test_zone",
    "science_park",
}
