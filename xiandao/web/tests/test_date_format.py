"""Dates on pages read as Chinese offices write them (2024年2月5日), through one filter, `date_zh`."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from xiandao.core.formats import date_zh
from xiandao.web.tests.test_headers import TEMPLATE_FILES

# A date formatted by hand for display: `|date:"Y-m-d"` and the like. Inside an attribute — a form
# input's value, a link's ?on=, a data-* — the ISO form is what the machine reads, and is kept.
HAND_FORMATTED_DATE = re.compile(r"""\|date:["'][^"']*Y-m-d""")
IN_ATTRIBUTE = re.compile(r"""(?:value|href|data-[\w-]+)="[^>]*$""")


def _shown(line: str) -> bool:
    return any(not IN_ATTRIBUTE.search(line[: m.start()]) for m in HAND_FORMATTED_DATE.finditer(line))


def test_no_template_writes_a_date_by_hand_for_display():
    found = [
        f"{path.relative_to(path.parents[3])}:{number}: {line.strip()[:80]}"
        for path in TEMPLATE_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _shown(line)
    ]
    assert not found, "请用 |date_zh 显示日期：\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2024, 2, 5), "2024年2月5日"),
        ("2024-02-05", "2024年2月5日"),
        (dt.datetime(2026, 12, 1, 9, 5), "2026年12月1日 09:05"),
        ("第3季度", "第3季度"),
        (None, ""),
    ],
)
def test_date_zh_writes_dates_and_iso_text_alike(value, shown):
    assert date_zh(value) == shown
