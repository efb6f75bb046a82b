"""Word lists shared by the extractors: verbs, scope words, qualifiers and unit names.

The lists hold the ordinary vocabulary of Chinese policy documents, not the wording of any one
document; each entry is there because LABELLING.md or AMBIGUITIES.md names it or because it is
the common synonym of one that is named.
"""

from __future__ import annotations

import re

# Leading verbs dropped from a metric (AMBIGUITIES.md, "Metric wording"), longest first.
LEADING_VERBS = sorted(
    {
        "主导或参与制定",
        "主导和参与制定",
        "布局建设",
        "规划建设",
        "建设运营",
        "培育形成",
        "培育引进",
        "引进培育",
        "新培育",
        "新认定",
        "新建设",
        "建成",
        "建设",
        "新增",
        "新建",
        "引育",
        "引进",
        "培育",
        "培养",
        "突破",
        "攻克",
        "制定",
        "制修订",
        "修订",
        "打造",
        "创建",
        "争创",
        "推出",
        "认定",
        "形成",
        "集聚",
        "聚集",
        "招引",
        "引入",
        "落地",
        "组建",
        "设立",
        "开发",
        "研发",
        "发布",
        "遴选",
        "实施",
        "建立",
        "带动",
        "孵化",
        "获批",
        "创成",
        "拥有",
        "达到",
        "实现",
        "力争",
        "争取",
        "累计",
        "改造",
        "开通",
    },
    key=len,
    reverse=True,
)
# 研发/开发 before 投入, 经费… is a noun (研发投入强度), not the verb of the goal.
LEADING_VERB_RE = re.compile(
    "^(?:(?:研发|开发)(?!投入|经费|费用|强度|人员|机构|中心|平台|支出)|"
    + "|".join(map(re.escape, [v for v in LEADING_VERBS if v not in ("研发", "开发")]))
    + ")+"
)

# Words between a metric and its number (全省未来产业规模力争突破2000亿元), dropped from the metric.
LINKING_WORDS_RE = re.compile(
    r"(?:力争|争取|累计|分别|总计|合计|共计|预期|"
    r"达到|达|突破|超过|超|逾|不少于|不低于|高于|多于|保持在|稳定在|控制在|"
    r"增加到|增加至|增长到|增长至|提高到|提高至|提升到|提升至|增至|扩大到|扩大至|"
    r"迈上|迈入|跨上|跃上|跨入|跃升至|跃升到|"
    r"约|近|大约|总数|数量|到|至|为|在)+$"
)
# The scope a clause names for itself (LABELLING.md, scope).
SCOPE_WORDS = (
    ("province", re.compile(r"全省|我省|本省|省级层面|省域")),
    ("city", re.compile(r"全市|我市|本市|市级层面|市域|市区两级")),
    ("national", re.compile(r"全国|我国")),
)
SCOPE_PREFIX_RE = re.compile(
    r"^(?:关于|对于|其中|计划|将|全省|我省|本省|本市|全市|我市|全区|我区|全县|我县|全国|我国|各地|各市|省内|市内|让|使|推动|促进)+"
)

# Pilot zones taken together (glossary: 未来产业先导区 / Yangzhou's 未来产业先导园区).
ZONE_RE = re.compile(r"先导区|先导园区")

# Qualifiers written before the number (LABELLING.md, qualifier).
BEFORE_QUALIFIERS = (
    ("at_most", re.compile(r"(?:不超过|不高于|低于|控制在)$")),
    ("at_least", re.compile(r"(?:超过|不少于|不低于|多于|高于|超|逾|(?<![通经])过)$")),
    ("exceed", re.compile(r"突破$")),
    ("about", re.compile(r"(?:约|近|大约|接近)$")),
)
MULTIPLE_QUALIFIERS = (
    ("at_most", re.compile(r"(?:不超过|不高于|低于|控制在)[\u4e00-\u9fff]{1,6}$")),
    ("at_least", re.compile(r"(?:超过|不少于|不低于|高于)[\u4e00-\u9fff]{1,6}$")),
)
AFTER_QUALIFIERS = {
    "左右": "about",
    "上下": "about",
    "以上": "at_least",
    "以下": "at_most",
    "以内": "at_most",
}


def has_strive(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when 力争 or 争取 occurs in `text[start:end]` (str.find is much faster than a regex here)."""
    end = len(text) if end is None else end
    return text.find("力争", start, end) != -1 or text.find("争取", start, end) != -1


# 「上海计划建设15个左右未来产业先导区」: a plan to build is a goal, even without a deadline.
PLAN_VERB_RE = re.compile(
    r"计划(?:到\d{4}年)?(?:新建|建设|建成|打造|培育|引进|推出|开通|布局|实施|改造|形成|新增|组建)"
)


def has_goal_word(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when the text says 力争/争取 or plans to build (计划建设…)."""
    end = len(text) if end is None else end
    if has_strive(text, start, end):
        return True
    return text.find("计划", start, end) != -1 and PLAN_VERB_RE.search(text, start, end) is not None


# Numbers that describe the past or present, or a forecast, are not goals (LABELLING.md).
PAST_OR_FORECAST_RE = re.compile(
    r"目前|现有|已有|已经|已达|已建|已形成|截至|截止|同比|上年|去年|以来|实现了|达到了|"
    r"预计|预测|预期将|有望|估计|已(?=[\u4e00-\u9fff])"
)
# A forecast anywhere before the number in its sentence (LABELLING.md: forecasts are not goals).
FORECAST_RE = re.compile(r"预计|预测|有望|估计")
# A clause that ranks or reports approvals states a result, not a goal (unless it says 力争/争取).
RANK_OR_APPROVAL_RE = re.compile(r"位居|位列|排名|排在|居全国|前三甲|名单|获批|批复|入选|列入")
# A sentence that opens with these reports the present (「目前，全省已培育3019户…」).
PRESENT_SENTENCE_RE = re.compile(r"\s*(?:目前|截至目前|截止目前|当前已|现有)")
BASELINE_BEFORE_RE = re.compile(r"(?:由|从|比|较|自|目前的?|现有的?|已有|已)$")
# Percentages and amounts in rules are not goals (LABELLING.md: 按不低于…70%确定土地出让底价).
RULE_RE = re.compile(
    r"给予|奖励|补助|补贴|资助|贴息|按不|按照|按其|确定.{0,6}价|底价|提取|作为|最高|一次性|"
    r"评估结果|连续|每满|每增加|比例不"
)
# Text that ends a clause for targets: a clause holds one goal, or a 、-list of goals.
CLAUSE_BREAK = "，；。：！？\n"
ITEM_SEPARATOR_RE = re.compile(r"、|以及|和|及|与|，")

# Parties AMBIGUITIES.md says are not units: generic groups, enterprises, universities.
GENERIC_UNIT_RE = re.compile(
    r"^(?:各|有关|相关|其他|其它|省有关|市有关|省直有关|市直有关|第三方)"
    r"|^(?:各牵头|牵头)|相关单位$|有关单位$|相关部门$|有关部门$|各部门$|"
    r"企业$|高校$|院所$|机构$|大学$|学院$|科研院所$|龙头企业$|个人$|专家$"
)
GENERIC_UNIT_EXCEPTIONS_RE = re.compile(r"^各(?:市|县|区|设区市|县（市）区|县（市、区）)")
# How the name of a government body ends; used only for units named in running text.
BODY_SUFFIX_RE = re.compile(
    r"(?:委员会|领导小组|办公室|管委会|人民政府|政府|开发区|工作专班|专班|"
    r"委|厅|局|办|署|院|部|中心|分行|总局|集团|公司)$"
)
