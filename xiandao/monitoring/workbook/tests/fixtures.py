"""Forms and filled files for the workbook tests: a small Anhui-like form and a filler that types
values the way a person does (openpyxl opens the template, cells are set, the file is saved)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from decimal import Decimal

import openpyxl

from xiandao.monitoring.workbook import Disaggregation, FormSpec, IndicatorSpec, ValueKind, ZoneRow, layout

RND = IndicatorSpec(
    "rnd_spend",
    "研发经费投入",
    "亿元",
    definition="先导区内规模以上企业当年研发经费内部支出合计。",
    formula="Σ 企业研发经费内部支出",
    decimal_places=2,
)
ENTERPRISES = IndicatorSpec(
    "high_tech",
    "高新技术企业数",
    "家",
    definition="有效期内的高新技术企业数量。",
    kind=ValueKind.INTEGER,
    disaggregations=(Disaggregation("national", "国家级"), Disaggregation("provincial", "省级")),
)
SHARE = IndicatorSpec(
    "local_share",
    "本地配套率",
    "%",
    minimum=Decimal(0),
    maximum=Decimal(100),
    decimal_places=1,
)
PLATFORMS = IndicatorSpec("platforms", "创新平台数", "个", kind=ValueKind.INTEGER, read_only=True)


def form(*, period_key: str = "2025", programme: str = "anhui", zones: int = 2) -> FormSpec:
    return FormSpec(
        programme_code=programme,
        programme_name="安徽省未来产业先导区",
        period_label=f"{period_key}年度",
        period_key=period_key,
        indicators=(RND, ENTERPRISES, SHARE, PLATFORMS),
        zones=tuple(
            ZoneRow(
                zone_id=10 + z,
                name=f"示例先导区{z}",
                previous={("rnd_spend", ""): Decimal("12.5"), ("high_tech", "national"): Decimal(30)},
                targets={("rnd_spend", ""): Decimal(15)},
                counted={("platforms", ""): Decimal(4)},
            )
            for z in range(zones)
        ),
    )


def row_of(spec: FormSpec, zone_id: int, code: str, part: str = "") -> int:
    """The Excel row of a value in the template of ``spec``."""
    row = layout.FIRST_DATA_ROW
    for zone in spec.zones:
        for indicator in spec.indicators:
            for slot in indicator.disaggregation_codes():
                if (zone.zone_id, indicator.code, slot) == (zone_id, code, part):
                    return row
                row += 1
    raise KeyError((zone_id, code, part))


def fill(template: bytes, cells: Mapping[str, object]) -> bytes:
    """The template with ``cells`` ({"J3": 12.5}) typed into its data sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook[layout.DATA_SHEET]
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: Mapping[str, bytes] = {}, add: Mapping[str, bytes] = {}) -> bytes:
    """The archive with some members replaced or added (for macro, content-type and formula cases)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()
