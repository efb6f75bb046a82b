"""The pure checks: each kind of validation rule, year-on-year jumps, modified z-scores among peers."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.monitoring import checks
from xiandao.programmes.definition.expressions import SideError, parse_side

D = Decimal


def rule(left: str, operator: str, right: str, importance: str = "error") -> checks.Rule:
    return checks.rule_read(
        {
            "code": "r",
            "left": left,
            "operator": operator,
            "right": right,
            "importance": importance,
            "message": "规则",
        }
    )


@pytest.mark.parametrize(
    ("operator", "left", "right", "holds"),
    [
        ("==", "3", "3", True),
        ("==", "3", "4", False),
        ("!=", "3", "4", True),
        (">", "4", "3", True),
        (">", "3", "3", False),
        (">=", "3", "3", True),
        ("<", "3", "3", False),
        ("<=", "3", "3", True),
        ("<=", "4", "3", False),
    ],
)
def test_each_operator(operator, left, right, holds):
    found = checks.rule_check(rule("a", operator, "b"), {"a": D(left), "b": D(right)}, {})
    assert found.outcome == ("ok" if holds else "flag")


def test_a_subset_across_indicators():
    subset = rule("listed", "<=", "enterprises")
    assert checks.rule_check(subset, {"listed": D(3), "enterprises": D(10)}, {}).outcome == "ok"
    found = checks.rule_check(subset, {"listed": D(12), "enterprises": D(10)}, {})
    assert found.blocks and "左边 12" in found.message and "右边 10" in found.message


def test_a_cumulative_count_never_falls_across_periods():
    cumulative = rule("platforms", ">=", "platforms[-1]")
    assert checks.rule_check(cumulative, {"platforms": D(5)}, {"platforms": D(4)}).outcome == "ok"
    assert checks.rule_check(cumulative, {"platforms": D(3)}, {"platforms": D(4)}).blocks
    first_year = checks.rule_check(cumulative, {"platforms": D(3)}, {}, {"platforms": "平台"})
    assert first_year.outcome == "cannot" and "上期的“平台”" in first_year.message


def test_sums_factors_and_constants():
    consistent = rule("net", "==", "revenue - revenue[-1]", "warning")
    assert (
        checks.rule_check(consistent, {"net": D(20), "revenue": D(120)}, {"revenue": D(100)}).outcome == "ok"
    )
    warned = checks.rule_check(consistent, {"net": D(25), "revenue": D(120)}, {"revenue": D(100)})
    assert warned.flagged and not warned.blocks
    assert checks.rule_check(rule("a", "<=", "1.5 * b + 2"), {"a": D(17), "b": D(10)}, {}).outcome == "ok"


def test_a_missing_side_is_skipped_not_flagged():
    found = checks.rule_check(rule("a", "<=", "b"), {"a": D(1), "b": None}, {})
    assert found.outcome == "cannot"


@pytest.mark.parametrize("text", ["", "- a", "a -b", "a + + b", "a +", "a * b", "a[1]"])
def test_a_side_that_cannot_be_read_is_refused(text):
    with pytest.raises(SideError):
        parse_side(text)


def test_year_on_year():
    factor = D(3)
    assert checks.year_on_year_check("x", D(31), D(10), factor).outcome == "flag"
    assert checks.year_on_year_check("x", D(30), D(10), factor).outcome == "ok"
    assert checks.year_on_year_check("x", D(3), D(10), factor).outcome == "flag"
    assert checks.year_on_year_check("x", D(5), None, factor).outcome == "cannot"
    assert checks.year_on_year_check("x", D(5), D(0), factor).outcome == "cannot"


def test_modified_z_with_an_outlier():
    peers = [D(10), D(11), D(12), D(9), D(10), D(100)]
    found = checks.modified_z(D(100), peers, threshold=D("3.5"), min_peers=5)
    median = D(statistics.median(peers))
    mad = D(statistics.median([abs(p - median) for p in peers]))
    assert found.outcome == "flag"
    assert found.score == checks.rounded(D("0.6745") * (D(100) - median) / mad)
    assert checks.modified_z(D(11), peers, threshold=D("3.5"), min_peers=5).outcome == "ok"


def test_ten_zones_of_different_fields_with_mostly_zero_says_it_cannot_judge():
    peers = [D(0)] * 7 + [D(3), D(5), D(40)]
    found = checks.peer_check("x", D(40), peers, threshold=D("3.5"), min_peers=5, group="同领域先导区")
    assert found.outcome == "cannot" and "MAD为0" in found.message


def test_too_few_peers_says_so():
    found = checks.peer_check("x", D(4), [D(1), D(4)], threshold=D("3.5"), min_peers=5, group="同领域先导区")
    assert found.outcome == "cannot" and "仅2个" in found.message


def test_counts_are_whole_and_parts_add_up():
    assert checks.value_check("x", D("2.5"), "家").blocks
    assert checks.value_check("x", D("-1"), "个").blocks
    assert checks.value_check("x", D("2.5"), "亿元").outcome == "ok"
    assert checks.disaggregation_check("x", D(10), {"a": D(4), "b": D(5)}).blocks
    assert checks.disaggregation_check("x", D(9), {"a": D(4), "b": D(5)}).outcome == "ok"
    assert checks.disaggregation_check("x", D(9), {"a": D(4), "b": None}).outcome == "cannot"


def test_settings_default_by_programme_level():
    assert checks.settings_read({}, "city").levels == ("park", "county", "city")
    assert checks.settings_read(None, "province").levels == ("zone", "city", "province")
    assert checks.settings_read({}, "city").level_name("city") == "市级主管部门"


values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(values, values)
def test_a_rule_and_its_converse_never_both_flag(a, b):
    ge = checks.rule_check(rule("a", ">=", "b"), {"a": a, "b": b}, {})
    lt = checks.rule_check(rule("a", "<", "b"), {"a": a, "b": b}, {})
    assert (ge.outcome == "flag") != (lt.outcome == "flag")


@given(st.lists(values, min_size=5, max_size=30), values, st.decimals(min_value=-50, max_value=50, places=2))
def test_modified_z_is_unchanged_by_shifting_every_value(peers, value, shift):
    everyone = [*peers, value]
    plain = checks.modified_z(value, everyone, threshold=D("3.5"), min_peers=5)
    moved = checks.modified_z(value + shift, [p + shift for p in everyone], threshold=D("3.5"), min_peers=5)
    assert plain.outcome == moved.outcome
    assert plain.score == moved.score


@given(st.lists(values, min_size=0, max_size=30), values)
def test_a_peer_check_flags_only_when_it_could_compute(peers, value):
    found = checks.modified_z(value, [*peers, value], threshold=D("3.5"), min_peers=5)
    if found.outcome == "cannot":
        assert found.score is None and found.reason
    else:
        assert found.mad and found.mad > 0 and found.peers >= 5


@given(
    st.decimals(min_value=D("0.01"), max_value=10000, places=2),
    st.decimals(min_value=D("1.01"), max_value=10, places=2),
)
def test_year_on_year_is_symmetric_in_jumps_and_falls(previous, factor):
    up = previous * factor * D("1.01")
    down = previous / (factor * D("1.01"))
    assert checks.year_on_year_check("x", up, previous, factor).outcome == "flag"
    assert checks.year_on_year_check("x", down, previous, factor).outcome == "flag"
    assert checks.year_on_year_check("x", previous, previous, factor).outcome == "ok"


def _modified_z_before(value, peers, *, threshold, min_peers):
    """The per-report computation as it stood before the group statistics (the reference)."""
    count = len(peers)
    if count < min_peers:
        return checks.PeerScore(
            "cannot", None, None, None, count, f"同类先导区仅{count}个（少于{min_peers}个），不作同类比较"
        )
    median = D(statistics.median(peers))
    mad = D(statistics.median([abs(p - median) for p in peers]))
    if mad == 0:
        return checks.PeerScore(
            "cannot",
            None,
            median,
            mad,
            count,
            f"{count}个同类先导区中半数以上数值相同（MAD为0），无法判断是否异常",
        )
    score = checks.MAD_FACTOR * (value - median) / mad
    return checks.PeerScore(
        "flag" if abs(score) > threshold else "ok", checks.rounded(score), median, mad, count
    )


@given(
    st.lists(values, min_size=0, max_size=40),
    st.integers(min_value=1, max_value=8),
    st.decimals(min_value=D("0.5"), max_value=5, places=1),
)
def test_a_groups_statistics_once_give_every_member_the_per_report_result(group, min_peers, threshold):
    stats = checks.peer_stats(group, min_peers=min_peers)
    for value in group:
        once = checks.modified_z_from(value, stats, threshold=threshold, min_peers=min_peers)
        assert once == _modified_z_before(value, group, threshold=threshold, min_peers=min_peers)
        assert once == checks.modified_z(value, group, threshold=threshold, min_peers=min_peers)
        with_stats = checks.peer_check(
            "x", value, group, threshold=threshold, min_peers=min_peers, group="同领域先导区", stats=stats
        )
        assert with_stats == checks.peer_check(
            "x", value, group, threshold=threshold, min_peers=min_peers, group="同领域先导区"
        )


def test_group_statistics_of_a_known_group():
    group = [D(10), D(11), D(12), D(9), D(10), D(100)]
    stats = checks.peer_stats(group, min_peers=5)
    assert stats == checks.PeerStats(6, D("10.5"), D("1"))
    assert checks.modified_z_from(D(100), stats, threshold=D("3.5"), min_peers=5).outcome == "flag"
    assert checks.peer_stats(group[:4], min_peers=5) == checks.PeerStats(4, None, None)
