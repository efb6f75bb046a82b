"""Fields and directions from a direction section, a grouped section and a 专栏 table."""

from __future__ import annotations

from xiandao.policies.extraction import extract_fields

SECTION = """三、发展方向
面向全球科技前沿，瞄准重点领域。
（一）量子科技。加快量子计算、量子通信、量子精密测量技术突破和产业化应用。
（二）空天信息。培育低空经济、商业航天等空天信息产业新增长点。
四、主要任务
（一）建设平台。支持建设实验室、中试平台等载体。
"""

GROUPED = """三、发展重点
（一）推动前沿新材料产业跨越发展
重点聚焦先进金属材料、高性能功能纤维材料三个细分优势领域。
（二）推动重点产业倍增发展
1. 新一代光电。重点瞄准光通信、激光、LED 等产业链。
2. 元宇宙。重点在软件园、台西园布局，做好区块链、交互设备等方面的技术支撑。
（三）未来产业先导区统筹布局
1.区域集聚型未来产业先导区。遴选规划范围相对集中连片的平台。
"""

TABLE = "专栏：重点领域及方向\n\t领域\n\t重点方向\n\n\t区块\n链\n\t突破安全隐私保护、链链互联互通等关键共性技术。\n\n\t元宇宙\n\t加快虚拟现实、增强现实、数字孪生等技术突破。\n\n备注：动态调整。\n"


def names_and_directions(text: str) -> list[tuple[str, list[str]]]:
    found = extract_fields(text)
    for field in found:
        assert text[field.start : field.end] == field.quote
    return [(f.name, list(f.directions)) for f in found]


def test_direction_section() -> None:
    assert names_and_directions(SECTION) == [
        ("量子科技", ["量子计算", "量子通信", "量子精密测量"]),
        ("空天信息", ["低空经济", "商业航天"]),
    ]


def test_grouped_section_skips_groups_zone_types_and_places() -> None:
    assert names_and_directions(GROUPED) == [
        ("前沿新材料", ["先进金属材料", "高性能功能纤维材料"]),
        ("新一代光电", ["光通信", "激光", "LED"]),
        ("元宇宙", ["区块链", "交互设备"]),
    ]


def test_table_rows() -> None:
    assert names_and_directions(TABLE) == [
        ("区块链", ["安全隐私保护", "链链互联互通"]),
        ("元宇宙", ["虚拟现实", "增强现实", "数字孪生"]),
    ]


def test_no_direction_section_no_fields() -> None:
    assert extract_fields("四、主要任务\n（一）量子科技。加快量子计算、量子通信发展。\n") == ()
