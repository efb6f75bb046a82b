"""Figures and dates as our users write them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xiandao.core.formats import figure, percent


def test_a_stored_figure_loses_the_zeros_its_column_pads_it_with():
    assert figure(Decimal("840.0000")) == "840"
    assert figure(Decimal("12.5000")) == "12.5"
    assert figure(Decimal("0.0400")) == "0.04"
    assert figure(Decimal("1E+3")) == "1000"  # never in exponent notation
    assert figure(None) == "" and figure("") == ""
    assert figure("不是数字") == "不是数字"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_a_figure_is_the_same_number(value: Decimal):
    written = figure(value)
    assert "E" not in written and Decimal(written) == value


def test_percent_rounds_half_up_as_excel_does():
    assert percent(Decimal("0.0125")) == "1.3%"  # banker's rounding would say 1.2%
    assert percent(Decimal("0.123450"), 2) == "12.35%"
