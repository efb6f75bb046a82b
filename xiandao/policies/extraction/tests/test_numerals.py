"""Numbers and units in short sentences: Chinese numerals, multipliers, names that hold numbers."""

from __future__ import annotations

import pytest

from xiandao.policies.extraction.numerals import chinese_to_number, find_quantities


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三", 3),
        ("两", 2),
        ("十", 10),
        ("二十", 20),
        ("十二", 12),
        ("一百二十", 120),
        ("一百零五", 105),
        ("三千五百", 3500),
        ("两万", 20000),
        ("〇", 0),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_number(numeral) == value


@pytest.mark.parametrize("numeral", ["四五", "十四五", "百百", ""])
def test_malformed_chinese_numerals(numeral: str) -> None:
    assert chinese_to_number(numeral) is None


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx", "after"),
    [
        ("全省未来产业规模突破2000亿元", 2000, "亿元", None, None),
        ("培育科技型中小企业3.5万家", 3.5, "万家", None, None),
        ("培育十余家领军企业", 10, "家", "余", None),
        ("建设三个创新中心", 3, "个", None, None),
        ("引进两支高层次人才团队", 2, "支", None, None),
        ("打造一百二十项标准", 120, "项", None, None),
        ("打造 20 个以上重大应用场景", 20, "个", None, "以上"),
        ("新增平台80个左右", 80, "个", None, "左右"),
        ("研发投入强度达到3%", 3, "%", None, None),
        ("培育1,000家高新技术企业", 1000, "家", None, None),
        ("建成5G基站10万个", 10, "万个", None, None),
        ("营业收入达到1万亿元", 1, "万亿元", None, None),
        ("培育100多家企业", 100, "家", "多", None),
    ],
)
def test_quantities(text: str, value: float, unit: str, approx: str | None, after: str | None) -> None:
    (quantity,) = find_quantities(text)
    assert (quantity.value, quantity.unit, quantity.approx, quantity.after) == (value, unit, approx, after)


@pytest.mark.parametrize(
    "text",
    [
        "聚焦“613”产业体系",
        "瞄准“7+N”重点领域",
        "构建“1+6+2”未来产业发展体系",
        "第六代移动通信（6G）前沿技术",
        "新一代3D打印材料",
        "榕政办〔2023〕50号",
        "2024年9月30日",
        "联系电话：0551-62345678",
        "第三代半导体",
        "打造千亿级产业集群",
        "建设一批创新平台",
        "走进千家万户",
        "1.构建创新策源体系",
        "（1）重点培育",
        "连续3年评估结果为A等次",
        "落实4.0版人才政策",
        "位居全国前10名",
    ],
)
def test_names_codes_and_dates_are_not_quantities(text: str) -> None:
    assert list(find_quantities(text)) == []


def test_offsets_slice_the_quantity() -> None:
    text = "到2027年，培育20家左右上市企业"
    (quantity,) = find_quantities(text)
    assert text[quantity.start : quantity.end] == "20家左右"
    assert text[quantity.start : quantity.number_end] == "20"
