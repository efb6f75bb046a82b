"""Issue 11: general rules of Chinese policy writing that the five seed documents do not use.

Sentences marked with a source address are kept from the test corpus's web pages (or the same
pages); the others are written for these tests in the same style.
"""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.policies.extraction import extract_targets

# A province's plan dated in 2024: its own year is 2024.
DATED = "\n某省人民政府\n2024年3月1日\n"


def targets(text: str, dated: str = DATED) -> list[dict[str, Any]]:
    """Targets as LABELLING.md dictionaries; every quote is the text at its offsets."""
    found = extract_targets(text + dated)
    for target in found:
        assert (text + dated)[target.start : target.end] == target.quote
    return [t.to_dict(offsets=False) for t in found]


def brief(text: str, dated: str = DATED) -> list[tuple[Any, ...]]:
    return [(t["year"], t["metric"], t["value"], t["unit"]) for t in targets(text, dated)]


class TestYearInsideTheClause:
    def test_years_after_the_metric_share_it_along_the_series(self) -> None:
        assert brief("科技型中小企业2024年突破3万家、2025年突破3.5万家。") == [
            (2024, "科技型中小企业", 3, "万家"),
            (2025, "科技型中小企业", 3.5, "万家"),
        ]

    def test_years_after_a_long_metric_with_strive(self) -> None:
        # http://paper.ce.cn/jjrb/html/2010-10/26/content_125353.htm (dated 2010)
        text = "关于战略性新兴产业增加值占国内生产总值的比重2015年力争达到8%左右、2020年力争达到15%左右等定量目标。"
        found = targets(text, "\n2010年10月26日\n")
        assert [(t["year"], t["value"], t["qualifier"], t["strive"]) for t in found] == [
            (2015, 8, "about", True),
            (2020, 15, "about", True),
        ]
        assert {t["metric"] for t in found} == {"战略性新兴产业增加值占国内生产总值的比重"}

    def test_a_bare_year_at_the_head_of_a_goal_clause(self) -> None:
        # https://www.henan.gov.cn/2023/01-14/2673323.html
        assert brief("报告指出,2025年装备制造业规模突破1.5万亿元。") == [
            (2025, "装备制造业规模", 1.5, "万亿元")
        ]
        assert brief("力争2025年材料产业规模突破2万亿元、其中新材料占比超过50%。") == [
            (2025, "材料产业规模", 2, "万亿元"),
            (2025, "新材料占比", 50, "%"),
        ]

    def test_respectively_with_two_years(self) -> None:
        assert brief("到2025年、2027年，全省研发投入强度分别达到2.8%、3%。") == [
            (2025, "研发投入强度", 2.8, "%"),
            (2027, "研发投入强度", 3, "%"),
        ]

    def test_a_baseline_year_is_not_a_deadline(self) -> None:
        # https://www.hkcd.com/content_p/2014-01/21/content_4069.html
        assert brief("到2017年，工业重点产业主营业务收入比2012年翻一番。") == []


class TestTheDocumentsOwnYear:
    def test_a_goal_for_the_documents_own_year_is_a_target(self) -> None:
        assert brief("2024年，全省科技型中小企业突破3万家。") == [(2024, "科技型中小企业", 3, "万家")]
        assert brief("2024年力争培育高新技术企业500家。") == [(2024, "高新技术企业", 500, "家")]

    @pytest.mark.parametrize(
        "sentence",
        [
            "2024年，全省已累计建成省级平台50个。",
            "2024年，全省累计建成省级未来产业先导区12个。",
            "2024年全省高新技术企业较上年增长15%。",
            "2023年，全省科技型中小企业突破2万家。",  # before the document's year: the past
        ],
    )
    def test_an_achievement_is_not_a_target(self, sentence: str) -> None:
        assert brief(sentence) == []


class TestMagnitudeWords:
    @pytest.mark.parametrize(
        ("sentence", "expected"),
        [
            ("到2027年，形成万家科技型企业竞相发展的态势。", (2027, "科技型企业", 1, "万家")),
            ("到2025年，突破百项前沿关键核心技术。", (2025, "前沿关键核心技术", 100, "项")),
            ("到2025年，汽车产业产值突破万亿元。", (2025, "汽车产业产值", 1, "万亿元")),
            ("到2026年，未来产业总体规模达到千亿级。", (2026, "未来产业总体规模", 1, "千亿级")),
            ("到2030年，数字经济规模迈上万亿级台阶。", (2030, "数字经济规模", 1, "万亿级")),
        ],
    )
    def test_a_magnitude_word_is_the_number(self, sentence: str, expected: tuple[Any, ...]) -> None:
        assert brief(sentence) == [expected]

    def test_over_a_magnitude_is_at_least(self) -> None:
        # http://wutai.gov.cn/zwyw/szfyw/202103/t20210304_3606286.html
        (target,) = targets("力争到2025年,战略性新兴产业主营收入规模过万亿元。")
        assert (target["value"], target["unit"], target["qualifier"], target["strive"]) == (
            1,
            "万亿元",
            "at_least",
            True,
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "到2025年，打造4个收入规模超千亿元的战略性新兴产业。",
            "到2025年，主营业务收入过千亿元产业达到10个。",
            "到2025年，培育千亿级产业集群若干个。",
            "到2025年，数字化服务走进千家万户。",
            "到2025年，加快打造万亿级新一代信息技术产业高地。",
        ],
    )
    def test_a_size_class_before_a_noun_is_not_a_number(self, sentence: str) -> None:
        assert all(t[3] not in ("千亿元", "千亿级", "万亿级", "千家") for t in brief(sentence))


class TestMetricBeforeTheVerb:
    def test_the_counted_noun_before_de_tai_shi(self) -> None:
        assert brief("到2027年，形成100家以上专精特新企业集聚发展的良好态势。") == [
            (2027, "专精特新企业", 100, "家")
        ]

    def test_clusters_of_a_size_class(self) -> None:
        # http://www.ha.chinanews.com.cn/news/toutiao/2023/0817/48262.shtml
        assert brief("到2025年，形成1—2个世界级、7个万亿级先进制造业集群和28个千亿级现代化产业链。") == [
            (2025, "万亿级先进制造业集群", 7, "个"),
            (2025, "千亿级现代化产业链", 28, "个"),
        ]


class TestGoalLists:
    def test_bullets_after_a_goal_paragraph_share_its_year(self) -> None:
        # https://zachmalone.com/index.php/news/info/16268.html
        text = (
            "主要目标为到2025年,全省支持专精特新企业培育和发展的政策体系更加完善。\n"
            "——优质主体不断壮大。累计培育国家制造业单项冠军300家和专精特新“小巨人”企业1500家。\n"
            "——智造模式加快普及。关键工序数控化率超过65%、经营管理数字化普及率超过80%。"
        )
        found = targets(text)
        assert [(t["year"], t["metric"], t["value"], t["cumulative"]) for t in found] == [
            (2025, "国家制造业单项冠军", 300, True),
            (2025, "专精特新“小巨人”企业", 1500, True),
            (2025, "关键工序数控化率", 65, False),
            (2025, "经营管理数字化普及率", 80, False),
        ]

    def test_items_with_a_short_title_after_a_colon(self) -> None:
        text = "到2025年,初步建成先进制造业强省。主要体现在:\n产业能级高。规模以上工业企业力争突破2.8万家。\n产业创新强。国家级创新平台突破300家。"
        assert brief(text) == [(2025, "规模以上工业企业", 2.8, "万家"), (2025, "国家级创新平台", 300, "家")]

    def test_a_paragraph_after_an_ordinary_paragraph_gets_no_year(self) -> None:
        text = "我省产业基础较好。\n产业能级高。全省规模以上工业企业2.3万家。"
        assert brief(text) == []


class TestTables:
    def test_each_year_cell_is_a_target(self) -> None:
        text = (
            "专栏1 主要指标\n"
            "| 指标 | 2023年(基期) | 2025年 | 2027年 | 2030年 |\n"
            "| 未来产业规模(亿元) | 800 | 1200 | 2000 | 5000 |\n"
            "| 省级未来产业先导区(个) | 3 | 5 | 10 | 20左右 |\n"
            "| 研发投入强度 | 2.1% | 2.5% | 2.8% | ≥3.2% |\n"
        )
        found = targets(text)
        assert [(t["year"], t["metric"], t["value"], t["unit"]) for t in found] == [
            (2025, "未来产业规模", 1200, "亿元"),
            (2027, "未来产业规模", 2000, "亿元"),
            (2030, "未来产业规模", 5000, "亿元"),
            (2025, "省级未来产业先导区", 5, "个"),
            (2027, "省级未来产业先导区", 10, "个"),
            (2030, "省级未来产业先导区", 20, "个"),
            (2025, "研发投入强度", 2.5, "%"),
            (2027, "研发投入强度", 2.8, "%"),
            (2030, "研发投入强度", 3.2, "%"),
        ]
        assert found[5]["qualifier"] == "about"
        assert found[8]["qualifier"] == "at_least"

    def test_tab_separated_cells_with_a_unit_column(self) -> None:
        text = (
            "表1\t主要目标\n指标\t单位\t2023年\t2025年\t2027年\n未来产业营业收入\t亿元\t150\t300\t500左右\n"
        )
        assert brief(text) == [
            (2025, "未来产业营业收入", 300, "亿元"),
            (2027, "未来产业营业收入", 500, "亿元"),
        ]

    def test_a_category_cell_merged_over_rows(self) -> None:
        text = (
            "某市数字经济发展“十四五”规划\n专栏1 主要指标\n"
            "| 类别 | 指标 | 2020年 | 2025年 | 属性 |\n"
            "| 数字产业化 | 数字经济核心产业增加值(亿元) | 50 | 120 | 预期性 |\n"
            "| 软件业务收入(亿元) | 10 | 30 | 预期性 |\n"
            "| 产业数字化 | 规模以上工业企业数字化改造覆盖率(%) | 40 | ≥80 | 预期性 |\n"
        )
        # no date: the 十四五 plan starts in 2021, so the 2020 column is the base year
        assert brief(text, "") == [
            (2025, "数字经济核心产业增加值", 120, "亿元"),
            (2025, "软件业务收入", 30, "亿元"),
            (2025, "规模以上工业企业数字化改造覆盖率", 80, "%"),
        ]

    def test_a_table_flattened_to_one_cell_per_line(self) -> None:
        text = (
            "专栏1 主要目标\n指标\n单位\n2023年\n2025年\n2027年\n"
            "未来产业规模\n亿元\n800\n1200\n2000\n省级未来产业先导区\n个\n3\n5\n10\n二、重点任务\n"
        )
        assert brief(text) == [
            (2025, "未来产业规模", 1200, "亿元"),
            (2027, "未来产业规模", 2000, "亿元"),
            (2025, "省级未来产业先导区", 5, "个"),
            (2027, "省级未来产业先导区", 10, "个"),
        ]

    def test_columns_before_the_documents_year_are_the_past(self) -> None:
        text = "| 指标 | 2020年 | 2022年 | 2025年 |\n| 高新技术企业(家) | 800 | 1000 | 2000 |\n"
        assert brief(text) == [(2025, "高新技术企业", 2000, "家")]


class TestScope:
    def test_a_citys_plan_sets_city_goals_even_where_it_names_its_province(self) -> None:
        text = (
            "南京市人民政府关于印发南京市未来产业发展行动方案的通知\n"
            "为落实江苏省关于加快培育发展未来产业的部署，制定本方案。到2025年，培育高新技术企业500家。"
        )
        assert [t["scope"] for t in targets(text, "")] == ["city"]

    def test_a_provinces_plan_citing_the_state_council_is_not_national(self) -> None:
        text = (
            "湖南省人民政府办公厅关于印发《湖南省人工智能产业发展行动方案》的通知\n"
            "为贯彻落实《国务院关于深入实施“人工智能+”行动的意见》，国务院有关部署，制定本方案。"
            "到2025年，培育人工智能企业500家。"
        )
        assert [t["scope"] for t in targets(text, "")] == ["province"]

    def test_the_sentence_may_name_another_scope(self) -> None:
        text = (
            "南京市人民政府关于印发南京市未来产业发展行动方案的通知\n到2025年，全省未来产业规模突破万亿元。"
        )
        assert [t["scope"] for t in targets(text, "")] == ["province"]


class TestNeverTargets:
    @pytest.mark.parametrize(
        "text",
        [
            # http://ushui.net/law/v?id=v79fv013c102114ddf5b22c294952394dff8bd3020799240d96f
            "云政办发〔2025〕27号\n云南省人民政府办公厅\n2025年6月6日\n",
            "一、工作目标\n目前,全省已培育3019户创新型中小企业、1543户专精特新中小企业、85户国家级专精特新“小巨人”企业。",
            "一、工作目标\n工业“六基”包括核心基础零部件、元器件、关键软件、先进基础工艺、关键基础材料和产业技术基础6个领域。",
            # http://www.ssoouu.com/hlw/338807.html
            "到2025年，持续提升当地“20+8”产业集群体系。",
            # http://otuountil.com/wap/post/579/186963 (the page's footer)
            "到2026年未来產業總體規模達到1000億元。\n舉報電話:027-88568010\n運維監督:13307199555\n",
            # https://www.f-cn.cn/mobile/news/show-37732.html (approval counts)
            "一、发展目标\n第五批专精特新“小巨人”企业名单中,江苏、广东、浙江分别以795家、658家、384家位居前三甲。",
            # https://www.wxhuling.com/a/meitixinwen/744.html (a forecast)
            "到2025年，具身智能市场规模有望达到52.95亿元。",
            # http://new.qchg.cn/paihang/56176.html (a rank, no number with a unit)
            "到2025年，国家科技奖数量进入全国前三。",
            # http://sdenews.com/html/2024/1/361458.shtml (a count of named issuers)
            "到2025年，工业和信息化部、教育部、科技部等7部门联合印发实施意见。",
        ],
    )
    def test_no_target(self, text: str) -> None:
        assert brief(text) == []


class TestUnitsOfWebCopies:
    def test_an_index_value_has_no_unit(self) -> None:
        # http://www.dongtou.gov.cn/art/2023/9/27/art_1229691270_2027406.html
        (target,) = targets("到2027年,实现区域科技创新指数达到160以上,跃居全省前40位。")
        assert (target["metric"], target["value"], target["unit"], target["qualifier"]) == (
            "区域科技创新指数",
            160,
            None,
            "at_least",
        )

    def test_a_number_in_a_name_or_rank_is_not_an_index_value(self) -> None:
        assert brief("到2027年,科技进步综合评价跃居全省前40位,工业4.0指数体系基本建立。") == []

    def test_person_years(self) -> None:
        assert brief("到2027年,每万名就业人员中研发人员达到209人年以上。") == [
            (2027, "每万名就业人员中研发人员", 209, "人年")
        ]

    def test_spaced_numbers_of_a_web_copy(self) -> None:
        # https://news.zpt966033.com/xwzx/1122329.html
        assert brief("到 2027 年底,广西力争实现新增 1 个 5000 亿级产业、1 个 4000 亿级产业的目标。") == [
            (2027, "5000亿级产业", 1, "个"),
            (2027, "4000亿级产业", 1, "个"),
        ]

    def test_a_ministrys_notice_is_national(self) -> None:
        text = (
            "人民网北京11月3日电 工信部近日印发《人形机器人创新发展指导意见》。到2025年,培育生态型企业3家。"
        )
        assert [t["scope"] for t in targets(text, "")] == ["national"]


class TestNamedItemsWithAnAmount:
    def test_each_named_item_reaches_the_size_class(self) -> None:
        # https://yingxiang1.com/article/14127.html (AMBIGUITIES.md: one target per named item)
        text = (
            "到2020年,形成新一代信息技术、高端制造、生物、绿色低碳、数字创意等5个产值规模10万亿元级的新支柱。"
        )
        assert brief(text) == [
            (2020, f"{item}产值规模", 10, "万亿元")
            for item in ("新一代信息技术", "高端制造", "生物", "绿色低碳", "数字创意")
        ]

    def test_a_size_class_alone_or_a_count_of_named_items_is_no_target(self) -> None:
        assert brief("到2025年,打造产值规模10万亿元级的新支柱。") == []
        assert brief("到2025年,发展新一代信息技术、高端制造、生物等3个新支柱。") == []


class TestSiteNoise:
    @pytest.mark.parametrize(
        "text",
        [
            # https://ntlltg.com/nt/yaowen/281034.html
            "上海:到2025年“元宇宙”相关产业规模达到3500亿元\n更新时间:2022-07-08 10:46:29\n",
            # https://www.mgcj.net/1072988.html
            "四川出台元宇宙专项政策 到2025年相关产业规模达2500亿元\n观点网讯:9月15日,据四川省经济和信息化厅官网。\n",
        ],
    )
    def test_a_headline_is_not_joined_to_the_labelled_line_after_it(self, text: str) -> None:
        (target,) = targets(text)
        assert target["metric"].endswith("相关产业规模")

    def test_view_counts_of_a_page_are_no_target(self) -> None:
        # https://www.yuanyuzhoujie.com/2022/1226/16077.shtml
        assert brief("二、发展目标\n1000 (30)\n到2025年,重点建设2个元宇宙产业发展集聚区。") == [
            (2025, "元宇宙产业发展集聚区", 2, "个")
        ]


def test_ages_are_a_unit_only_for_life_expectancy() -> None:
    # http://www.chaogb.com/news/caijing/30105.html
    assert brief("到2025年,人均预期寿命达到83岁。") == [(2025, "人均预期寿命", 83, "岁")]
    assert all(t[3] != "岁" for t in brief("到2025年,每千人口拥有3岁以下婴幼儿托位数达到4.5个。"))


@pytest.mark.parametrize(
    "sentence",
    [
        "到2026年,长沙经济总量占全省比重达到30%左右。",
        "到2026年,全市规模以上工业企业达到5000家,居全省前列。",
        "到2026年,研发投入强度达到3.5%,高于全国平均水平。",
    ],
)
def test_a_city_compared_with_its_province_keeps_the_city_scope(sentence: str) -> None:
    text = "长沙市人民政府关于印发行动方案的通知\n" + sentence
    assert [t["scope"] for t in targets(text, "")] == ["city"]


def test_computing_and_storage_units_and_a_bounded_multiple() -> None:
    # https://m.sqrb.com.cn/content/2023-10/10/content_112971.html
    found = targets(
        "到2025年,算力规模超过300EFLOPS,存储总量超过1800EB,集群间实现不高于理论时延1.5倍的直连网络传输。"
    )
    assert [(t["value"], t["unit"], t["qualifier"]) for t in found] == [
        (300, "EFLOPS", "at_least"),
        (1800, "EB", "at_least"),
        (1.5, "倍", "at_most"),
    ]


def test_a_bare_magnitude_at_the_end_of_a_goal_clause() -> None:
    # http://www.jintiankansha.com/t/js5ccyL1aD
    assert brief("到2027年,力争实现生物制造产业产值超百亿。") == [(2027, "生物制造产业产值", 1, "百亿")]
    assert brief("到2027年,打造百亿产业集群3个。") == [(2027, "百亿产业集群", 3, "个")]


def test_a_threshold_the_counted_items_meet_is_no_target() -> None:
    # http://k19j.yksolo.com/xinwendongtai/807220.html
    assert brief(
        "到 2027 年,培育年产 10 万辆以上新能源整车生产企业 3 家,本市生产整车年出口超过 25 万辆。"
    ) == [
        (2027, "新能源整车生产企业", 3, "家"),
        (2027, "生产整车年出口", 25, "万辆"),
    ]


def test_ranges_with_a_tilde_and_the_threshold_before_them_are_no_target() -> None:
    # http://m.pvnews.cn/sjpd/gd/2024/0815/180913.html
    text = (
        "到2027年,力争全省培育50家具备整机生产能力的企业,其中10亿元以上规模企业2~5家;开发1~2套低空关键系统。"
    )
    assert brief(text) == [(2027, "具备整机生产能力的企业", 50, "家")]


def test_respectively_after_the_subjects_shares_the_qualifier() -> None:
    # http://ws.cq.gov.cn/cqws_zwxxgkml/zcwjjjdkcs/zczxwdkcs/zcwdbm/wskjj/202306/t20230616_12072892.html
    text = "到2027年,全区高新技术企业和科技型企业在2022年的基础上实现“双倍增”,分别超过90家和870家。"
    found = targets(text)
    assert [(t["year"], t["metric"], t["value"], t["qualifier"]) for t in found] == [
        (2027, "高新技术企业", 90, "at_least"),
        (2027, "科技型企业", 870, "at_least"),
    ]


class TestFinalHeldOutBatch:
    def test_a_headline_then_a_page_date_line(self) -> None:
        # http://m.chuangze.cn/third_1.asp?txtid=17118
        text = (
            "济南市新一代人工智能高质量发展行动计划(2024-2026年)-产业规模突破600亿\n2024/10/10 9:01:14 5745\n"
            "各区县人民政府,市政府各部门(单位):\n到2026年,人工智能算力规模(FP16)突破3500PFlops。"
        )
        assert brief(text, "") == [(2026, "人工智能算力规模（FP16）", 3500, "PFlops")]

    def test_a_statistic_of_a_page_dated_later_is_no_target(self) -> None:
        # https://reportify.cn/tags/product?tagValue=%E9%AB%98%E6%B0%B4%E5%B9%B3%E6%99%BA%E8%83%BD%E8%BD%AF%E4%BB%B6
        text = (
            "新浪财经· 2025-12-30 20:59\n"
            "- 2024年,全省人工智能产业营收超1300亿元,同比增长超25% [1] - 到2027年,打造50个以上数字产业园区 [1]"
            " - 方案提出5大重点任务,细分为18项子任务 [2]"
        )
        assert brief(text, "") == [(2027, "数字产业园区", 50, "个")]


def test_items_whose_title_sentence_has_a_comma_share_the_deadline() -> None:
    # http://esxun.cn/internet/80726.html
    text = (
        "力争到2025年,全省制造业数字化水平明显提升,信息化和工业化融合发展指数达到125。\n"
        "加快“新基建”,数字基础设施支撑能力显著增强。开通5G基站25万个,建成确定性网络2万公里。\n"
        "催生“新动能”,企业数字化转型成效更加凸显。培育100家以上智能制造标杆企业。"
    )
    assert brief(text) == [
        (2025, "信息化和工业化融合发展指数", 125, None),
        (2025, "5G基站", 25, "万个"),
        (2025, "确定性网络", 2, "万公里"),
        (2025, "智能制造标杆企业", 100, "家"),
    ]
