"""Targets from short sentences written for these tests: years, qualifiers, units, scope, negatives."""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.policies.extraction import extract_targets

# The reference year of these snippets comes from the date line appended to each.
DATED = "\n某省人民政府\n2024年3月1日\n"


def targets(text: str) -> list[dict[str, Any]]:
    """Extract and return the targets as LABELLING.md dictionaries without quotes or offsets."""
    found = extract_targets(text + DATED)
    for target in found:
        assert (text + DATED)[target.start : target.end] == target.quote
    return [{k: v for k, v in t.to_dict(offsets=False).items() if k != "quote"} for t in found]


def one(text: str) -> dict[str, Any]:
    (target,) = targets(text)
    return target


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "到2027年，新增省级及以上创新平台80个左右。",
            {"year": 2027, "metric": "省级及以上创新平台", "value": 80, "unit": "个", "qualifier": "about"},
        ),
        (
            "到2030年，累计引育高层次人才团队150个以上。",
            {"year": 2030, "value": 150, "qualifier": "at_least", "cumulative": True},
        ),
        (
            "到2027年，全省未来产业规模力争突破2000亿元。",
            {"metric": "未来产业规模", "unit": "亿元", "qualifier": "exceed", "strive": True},
        ),
        ("到2030年，全省未来产业规模力争达到5000亿元。", {"qualifier": "strive", "strive": True}),
        ("到2030年，培育30家头部企业。", {"metric": "头部企业", "qualifier": "exactly", "strive": False}),
        ("到2027年，培育3家左右具有生态主导力的头部企业。", {"metric": "头部企业", "value": 3}),
        ("到2025年，培育十余家领军企业。", {"value": 10, "unit": "家", "qualifier": "at_least"}),
        ("到2026年，建成两个省级中试平台。", {"value": 2, "metric": "省级中试平台"}),
        ("到2026年，引进三支高水平创新团队。", {"value": 3, "unit": "支"}),
        ("到2026年，科技型中小企业达到3.5万家。", {"value": 3.5, "unit": "万家", "metric": "科技型中小企业"}),
        ("到2025年，研发经费投入强度达到2.8%以上。", {"unit": "%", "value": 2.8, "qualifier": "at_least"}),
        ("到2025年，高新技术企业超过1000家。", {"qualifier": "at_least", "metric": "高新技术企业"}),
        ("到2025年，培育独角兽企业约5家。", {"qualifier": "about"}),
        ("2025年底前，建成10个未来场景实验室。", {"year": 2025, "value": 10}),
        ("到“十四五”末，建成5个未来产业科技园。", {"year": 2025, "value": 5}),
        (
            "到2025年,打造 20 个以上重大应用场景。",
            {"value": 20, "qualifier": "at_least", "metric": "重大应用场景"},
        ),
        ("力争到2027年，全市未来产业规模达到500亿元。", {"strive": True, "scope": "city"}),
        ("到2025年，全国未来产业规模突破10万亿元。", {"scope": "national", "unit": "万亿元"}),
    ],
)
def test_target_fields(sentence: str, expected: dict[str, Any]) -> None:
    target = one(sentence)
    assert {key: target[key] for key in expected} == expected


def test_two_years_with_respectively_give_two_targets() -> None:
    found = targets("到2025年和2030年，全省高新技术企业数量分别达到1.5万家、2万家。")
    assert [(t["year"], t["value"], t["metric"]) for t in found] == [
        (2025, 1.5, "高新技术企业"),
        (2030, 2, "高新技术企业"),
    ]


def test_one_number_for_two_years_gives_two_targets() -> None:
    found = targets("到2025年、2027年，每年新增高新技术企业100家。")
    assert [t["year"] for t in found] == [2025, 2027]


def test_list_after_comma_and_enumeration() -> None:
    found = targets("到2027年，培育5家以上一流企业、50家左右上市企业和1000家左右高新技术企业。")
    assert [(t["metric"], t["value"], t["qualifier"]) for t in found] == [
        ("一流企业", 5, "at_least"),
        ("上市企业", 50, "about"),
        ("高新技术企业", 1000, "about"),
    ]


def test_named_items_with_an_amount_give_one_target_each() -> None:
    found = targets("到2030年，打造空天信息、通用智能、低碳能源3个1000亿元未来产业。")
    assert [t["metric"] for t in found] == [
        "空天信息未来产业规模",
        "通用智能未来产业规模",
        "低碳能源未来产业规模",
    ]
    assert {t["value"] for t in found} == {1000}


def test_strive_belongs_to_its_own_clause() -> None:
    found = targets("力争到2023年，建设一批先导区；到2025年，打造30个左右未来产业先导区。")
    assert one_of(found, 30)["strive"] is False
    found = targets("到2030年，全省未来产业规模力争达到5000亿元，打造3个未来产业集群。")
    assert one_of(found, 5000)["strive"] is True
    assert one_of(found, 3)["strive"] is False


def one_of(found: list[dict[str, Any]], value: float) -> dict[str, Any]:
    (target,) = [t for t in found if t["value"] == value]
    return target


def test_goal_section_lends_its_year_to_bullets() -> None:
    text = "二、发展目标\n围绕产业发展，到2030年，形成一批领军企业。\n——培育30家头部企业、300家以上专精特新企业。\n三、重点任务\n"
    assert [(t["year"], t["value"]) for t in targets(text)] == [(2030, 30), (2030, 300)]


ZONE_SENTENCE = (
    "到2030年，打造一批特色鲜明的未来产业先导区，培育30家左右上市企业，建设10个左右省级未来产业先导区。"
)


def test_zone_scope_in_a_sentence_about_the_pilot_zones() -> None:
    found = targets("某省未来产业先导区建设实施方案\n" + ZONE_SENTENCE)
    assert one_of(found, 30)["scope"] == "zone"
    assert one_of(found, 10)["scope"] == "province"


def test_the_same_sentence_in_a_plan_not_about_the_zones_keeps_the_issuers_scope() -> None:
    # 七部门《关于推动未来产业创新发展的实施意见》: 「建设一批未来产业孵化器和先导区，突破百项…」 is national.
    found = targets("某省未来产业发展行动方案\n" + ZONE_SENTENCE)
    assert one_of(found, 30)["scope"] == "province"


@pytest.mark.parametrize(
    "sentence",
    [
        "2023年，全省未来产业规模突破1000亿元。",  # past, even with 突破
        "截至2023年底，全省已建成省级先导区5个。",  # present
        "目前，全省拥有高新技术企业1.5万家。",  # present, no goal
        "到2025年，在已有10家的基础上继续培育。",  # present figure inside a goal sentence
        "预计到2030年，全球未来产业市场规模将达到10万亿美元。",  # forecast
        "根据《实施意见》（工信部联科〔2024〕12号）要求制定本方案。",  # document number
        "2024年9月30日印发。",  # date
        "1.构建创新策源体系。2.创新科研组织模式。",  # list numbering
        "咨询电话：0551-62345678，传真：0551-62345679。",  # phone numbers
        "到2027年，围绕“613”产业体系，瞄准“7+N”和“1+6+2”布局6G、3D打印等方向。",  # names
        "到2027年，推动低空经济、元宇宙、量子科技等3个未来产业加快发展。",  # enumeration with 等
        "到2027年，聚焦先进材料、通用智能、量子科技三个细分领域。",  # enumeration without 等
        "支持提取土地出让收入的0.5%以上作为专项经费。",  # a funding rule
        "可按不低于工业用地最低价标准的70%确定土地出让底价。",  # a pricing rule
        "对新认定的国家级制造业创新中心，给予最高1000万元奖励。",  # an award rule
        "连续3年评估结果为A等次的先导区，移出创建名单。",  # an evaluation rule
        "推动科技型企业倍增提质。",  # 倍增 without a numeral
        "到2027年，打造千亿级产业集群。",  # a size class, not a count
    ],
)
def test_not_targets(sentence: str) -> None:
    assert targets(sentence) == []


def test_repeated_target_is_labelled_once() -> None:
    text = "到2027年，培育20家左右上市企业。\n四、保障措施\n到2027年，培育20家左右上市企业。"
    assert len(targets(text)) == 1


def test_half_width_quote_is_sliced_from_the_original() -> None:
    text = "到2027年,新增省级及以上创新平台80个左右,引育人才团队80个左右。"
    (first, second) = extract_targets(text)
    assert first.quote == "新增省级及以上创新平台80个左右"
    assert text[second.start : second.end] == second.quote == "引育人才团队80个左右"


def test_sentence_cut_by_a_line_break_and_bullets_after_a_colon() -> None:
    text = (
        "到2025年，培育10家左右具有全球影响力的未来产\n业领军企业。\n"
        "到2026年，主要目标如下：\n——建设20个以上概念验证中心；\n——集聚100名以上顶尖科学家。\n"
    )
    found = extract_targets(text)
    assert [(t.year, t.metric, t.value) for t in found] == [
        (2025, "未来产业领军企业", 10),
        (2026, "概念验证中心", 20),
        (2026, "顶尖科学家", 100),
    ]
    assert found[1].quote == "建设20个以上概念验证中心"
