"""Properties of the round trip: what is written and filled comes back equal; a damaged file never
crashes the reader and always gets a Chinese problem."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from xiandao.monitoring.workbook import (
    Disaggregation,
    FormSpec,
    IndicatorSpec,
    ValueKind,
    ZoneRow,
    template_write,
    workbook_read,
)

from .fixtures import fill, form, row_of

CJK = re.compile("[\u4e00-\u9fff]")
codes = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
names = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12)


@st.composite
def indicators(draw) -> IndicatorSpec:
    kind = draw(st.sampled_from(ValueKind))
    low = draw(st.one_of(st.none(), st.integers(-1000, 1000).map(Decimal)))
    high = draw(st.one_of(st.none(), st.integers(0, 10**9).map(Decimal)))
    if low is not None and high is not None and high < low:
        low, high = high, low
    parts = draw(st.lists(codes, max_size=3, unique=True))
    return IndicatorSpec(
        code=draw(codes),
        name=draw(names),
        unit=draw(st.sampled_from(["家", "亿元", "%", "个", "项"])),
        definition=draw(st.text(max_size=40)),
        formula=draw(st.text(max_size=20)),
        kind=kind,
        minimum=low,
        maximum=high,
        decimal_places=draw(st.sampled_from([None, 0, 2, 4])),
        disaggregations=tuple(Disaggregation(c, f"分类{i}") for i, c in enumerate(parts)),
    )


@st.composite
def forms_and_values(draw):
    items = draw(st.lists(indicators(), min_size=1, max_size=4, unique_by=lambda i: i.code))
    zone_ids = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=3, unique=True))
    spec = FormSpec(
        programme_code="anhui",
        programme_name="安徽省未来产业先导区",
        period_label="2025年度",
        period_key="9",
        indicators=tuple(items),
        zones=tuple(ZoneRow(zone_id=z, name=draw(names)) for z in zone_ids),
    )
    values = {}
    for zone in zone_ids:
        for indicator in items:
            for part in indicator.disaggregation_codes():
                if not draw(st.booleans()):
                    continue
                low = int(indicator.minimum) if indicator.minimum is not None else -(10**9)
                high = int(indicator.maximum) if indicator.maximum is not None else 10**9
                whole = draw(st.integers(low, high))
                places = indicator.decimal_places
                if indicator.kind == ValueKind.DECIMAL and places and whole < high:
                    fraction = draw(st.integers(0, 10**places - 1))
                    value = Decimal(whole) + Decimal(fraction).scaleb(-places)
                else:
                    value = Decimal(whole)
                values[(zone, indicator.code, part)] = value
    return spec, values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms_and_values())
def test_generate_fill_and_read_back_equal(case) -> None:
    spec, values = case
    template = template_write(spec)
    cells = {f"J{row_of(spec, z, c, p)}": float(v) for (z, c, p), v in values.items()}
    result = workbook_read(fill(template, cells), spec)
    assert result.ok, [str(p) for p in result.problems]
    assert dict(result.values) == values


@settings(max_examples=25, deadline=None)
@given(forms_and_values())
def test_values_entered_online_come_back_from_the_downloaded_template(case) -> None:
    spec, values = case
    zones = tuple(
        ZoneRow(
            zone_id=z.zone_id,
            name=z.name,
            current={(c, p): v for (zone, c, p), v in values.items() if zone == z.zone_id},
        )
        for z in spec.zones
    )
    spec = FormSpec(**{**spec.__dict__, "zones": zones})
    result = workbook_read(template_write(spec), spec)
    assert result.ok, [str(p) for p in result.problems]
    assert dict(result.values) == values


SPEC = form()
FILLED = fill(template_write(SPEC), {f"J{row_of(SPEC, 10, 'rnd_spend')}": 3.5})
MEMBERS = zipfile.ZipFile(io.BytesIO(FILLED)).namelist()


def _ok_or_chinese(data: bytes) -> None:
    result = workbook_read(data, SPEC)
    if not result.ok:
        assert all(CJK.search(p.message) for p in result.problems), result.problems
        assert not result.values


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(FILLED) - 1), st.integers(0, 255)), min_size=1, max_size=20))
def test_a_file_with_bytes_damaged_never_crashes(changes) -> None:
    data = bytearray(FILLED)
    for position, byte in changes:
        data[position] = byte
    _ok_or_chinese(bytes(data))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, len(FILLED)))
def test_a_truncated_file_never_crashes(length) -> None:
    _ok_or_chinese(FILLED[:length])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MEMBERS), st.binary(max_size=300), st.integers(0, 5000))
def test_a_member_rewritten_never_crashes(member, junk, position) -> None:
    """Inside a sound zip, a part's XML is damaged: the reader names a problem, never raises."""
    source = zipfile.ZipFile(io.BytesIO(FILLED))
    original = source.read(member)
    position = min(position, len(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in MEMBERS:
            content = source.read(name)
            target.writestr(
                name, original[:position] + junk + original[position:] if name == member else content
            )
    _ok_or_chinese(buffer.getvalue())


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True), st.booleans()))
def test_anything_typed_in_a_value_cell_is_a_value_or_a_chinese_problem(typed) -> None:
    if isinstance(typed, str) and typed.startswith("="):
        typed = "'" + typed
    try:
        data = fill(template_write(SPEC), {f"J{row_of(SPEC, 10, 'high_tech', 'national')}": typed})
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some characters itself
        return
    _ok_or_chinese(data)
