"""Expected paths and statuses at dates (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xiandao.supervision import progress as pg
from xiandao.supervision import rules

T = pg.Tolerances(10, 25)


def test_linear_path_from_zero_for_an_increment():
    path = pg.path_for(
        basis="increment", base_year=2024, target_year=2027, target=Decimal(100), base_level=Decimal(40)
    )
    assert path.base == 0
    assert path.expected(dt.date(2024, 1, 1)) == 0
    assert path.expected(dt.date(2027, 12, 31)) == 100
    share = Decimal((dt.date(2025, 12, 31) - dt.date(2024, 1, 1)).days) / Decimal(
        (dt.date(2027, 12, 31) - dt.date(2024, 1, 1)).days
    )
    assert path.expected(dt.date(2025, 12, 31)) == pg.rounded(100 * pg.rounded(share, 4))


def test_a_stock_starts_from_its_level():
    path = pg.path_for(
        basis="stock", base_year=2024, target_year=2027, target=Decimal(100), base_level=Decimal(40)
    )
    assert path.expected(dt.date(2024, 1, 1)) == 40
    assert path.expected(dt.date(2030, 1, 1)) == 100


def test_statuses_at_a_date():
    path = pg.Path(2024, 2027, Decimal(0), Decimal(100))
    on = dt.date(2026, 1, 1)  # expected about 50
    expected = path.expected(on)
    assert pg.status_of(current=expected, path=path, on=on, tolerances=T) == pg.Status.ON_TRACK
    assert (
        pg.status_of(current=expected * Decimal("0.85"), path=path, on=on, tolerances=T) == pg.Status.BEHIND
    )
    assert (
        pg.status_of(current=expected * Decimal("0.5"), path=path, on=on, tolerances=T) == pg.Status.AT_RISK
    )
    assert pg.status_of(current=Decimal(100), path=path, on=on, tolerances=T) == pg.Status.MET
    assert pg.status_of(current=None, path=path, on=on, tolerances=T) == pg.Status.NO_DATA


@given(
    base=st.integers(0, 1000),
    distance=st.integers(1, 10000),
    years=st.integers(0, 8),
    day=st.integers(0, 4000),
)
def test_the_path_never_leaves_its_ends_and_never_falls(base, distance, years, day):
    path = pg.Path(2024, 2024 + years, Decimal(base), Decimal(base + distance))
    on = dt.date(2023, 6, 1) + dt.timedelta(days=day)
    later = on + dt.timedelta(days=30)
    assert path.base <= path.expected(on) <= path.target
    assert path.expected(on) <= path.expected(later)


@given(current=st.integers(0, 200), day=st.integers(1, 1400))
def test_more_is_never_a_worse_status(current, day):
    order = [pg.Status.AT_RISK, pg.Status.BEHIND, pg.Status.ON_TRACK, pg.Status.MET]
    path = pg.Path(2024, 2027, Decimal(0), Decimal(100))
    on = dt.date(2024, 1, 1) + dt.timedelta(days=day)
    a = pg.status_of(current=Decimal(current), path=path, on=on, tolerances=T)
    b = pg.status_of(current=Decimal(current + 10), path=path, on=on, tolerances=T)
    assert order.index(b) >= order.index(a)


def test_behind_since_is_the_start_of_the_latest_run_behind():
    path = pg.Path(2024, 2027, Decimal(0), Decimal(100))
    ends = [dt.date(y, 12, 31) for y in (2024, 2025, 2026)]
    expected = [path.expected(on) for on in ends]  # about 25, 50, 75
    on_path, far_behind = [e for e in expected], [e / 2 for e in expected]
    assert pg.behind_since(list(zip(ends, on_path, strict=True)), path, T) is None
    assert pg.behind_since(list(zip(ends, far_behind, strict=True)), path, T) == ends[0]
    # Back on the path in 2025, behind again in 2026: the warning starts in 2026, not 2024.
    mixed = [far_behind[0], on_path[1], far_behind[2]]
    assert pg.behind_since(list(zip(ends, mixed, strict=True)), path, T) == ends[2]
    assert pg.behind_since([], path, T) is None


def test_each_rule_fires_and_closes():
    today = dt.date(2026, 6, 1)
    missing = rules.reports_missing(
        [rules.ReportFact(1, "示例区", 2025, dt.date(2026, 3, 31), False, "市")], today
    )
    assert [w.kind for w in missing] == ["report_missing"] and missing[0].level == "red"
    assert (
        rules.reports_missing([rules.ReportFact(1, "示例区", 2025, dt.date(2026, 3, 31), True, "市")], today)
        == []
    )
    falling = rules.indicators_falling(
        [rules.SeriesFact(1, "区", "x", "营收", {2024: Decimal(100), 2025: Decimal(80)}, "市")],
        drop_percent=10,
        on=today,
    )
    assert falling[0].level == "orange" and "20.0%" in falling[0].detail
    assert (
        rules.indicators_falling(
            [rules.SeriesFact(1, "区", "x", "营收", {2024: Decimal(100), 2025: Decimal(95)}, "市")],
            drop_percent=10,
            on=today,
        )[0].level
        == "yellow"
    )
    assert (
        rules.indicators_falling(
            [rules.SeriesFact(1, "区", "x", "营收", {2024: Decimal(100), 2025: Decimal(120)}, "市")],
            drop_percent=10,
            on=today,
        )
        == []
    )
    behind = rules.targets_behind(
        [
            rules.TargetFact(1, "目标", "at_risk", Decimal(40), "省", today),
            rules.TargetFact(2, "目标", "on_track", Decimal(0), "省", today),
        ]
    )
    assert [w.key for w in behind] == ["target_behind:1"]
    second = rules.second_consecutive(
        [
            rules.GradeFact(1, "区", [(2024, "A"), (2025, "A")], "市"),
            rules.GradeFact(2, "区", [(2024, "A"), (2025, "AA")], "市"),
        ]
    )
    assert [w.key for w in second] == ["second_a:1:2025"]
    overdue = rules.items_overdue(
        [
            rules.ItemFact(1, "事项", dt.date(2026, 5, 1), False, True, "厅"),
            rules.ItemFact(2, "事项", dt.date(2026, 5, 1), True, False, "厅"),
        ],
        today,
    )
    assert [w.key for w in overdue] == ["item_overdue:1"] and overdue[0].level == "orange"
    risk = rules.removal_risks([rules.RiskFact(1, "区", 2025, 2, 3, "市")])
    assert risk[0].level == "red"
    assert rules.open_warnings(missing + overdue, explained={"item_overdue:1"}) == missing


def test_a_reverse_indicator_rising_is_the_warning_and_says_so():
    energy = rules.SeriesFact(
        1, "区", "e", "单位增加值能耗", {2024: Decimal("0.43"), 2025: Decimal("0.48")}, "市", "down"
    )
    (warning,) = rules.indicators_falling([energy], drop_percent=10, on=dt.date(2026, 6, 1))
    share = (Decimal("0.05") * 100 / Decimal("0.43")).quantize(Decimal("0.1"))
    assert warning.level == "orange" and f"同比上升{share}%（逆向指标" in warning.detail
    falling = rules.SeriesFact(
        1, "区", "e", "单位增加值能耗", {2024: Decimal("0.48"), 2025: Decimal("0.43")}, "市", "down"
    )
    assert rules.indicators_falling([falling], drop_percent=10, on=dt.date(2026, 6, 1)) == []
