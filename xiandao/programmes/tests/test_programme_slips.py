"""Slips in the programme files, found by reading them against the documents (issue 13).

Each test reads the document's sentence and checks the definition says no more and no less.
The measure rules are general: they run over every target and indicator of every programme.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from xiandao.programmes.definition.schema import GradedLifecycle, IndicatorFramework
from xiandao.programmes.tests.support import PROGRAMME_CODES, document_text, programme

#: A level a sentence may name, and the measure tag that counts exactly that level.
LEVELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"省级(及)?以上"), "provincial_or_above"),
    (re.compile(r"省级(?!(及)?以上)"), "provincial"),
    (re.compile(r"国家级"), "national"),
)
LEVEL_TAGS = {tag for _, tag in LEVELS}


def _level_tag(measure: str) -> str | None:
    parts = measure.split(":")
    return parts[2] if len(parts) == 3 and parts[2] in LEVEL_TAGS else None


def _levels_named(text: str) -> set[str]:
    return {tag for pattern, tag in LEVELS if pattern.search(text)}


def _measured(code: str) -> list[tuple[str, str, str, str]]:
    """(what, sentence, registry measure, metric) of every target and indicator counted from a registry."""
    defn = programme(code)
    framework = defn.indicator_framework
    indicators = (
        {i.code: i for d in framework.dimensions for i in d.indicators}
        if isinstance(framework, IndicatorFramework)
        else {}
    )
    found = [
        (f"{code} 指标 {i.code}", i.name, i.measure, i.name)
        for i in indicators.values()
        if i.measure and i.measure.startswith("registry:")
    ]
    for target in defn.targets:
        measure = target.measure or ""
        if measure in indicators:
            measure = indicators[measure].measure or ""
        if measure.startswith("registry:"):
            found.append((f"{code} 目标 {target.code}", target.quote, measure, target.metric))
    return found


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_a_measure_counts_exactly_the_level_its_sentence_names(code):
    """ "新增60家左右创新和公共服务平台" names no level: all platforms; "省级及以上标准规范": that level and above."""
    wrong = []
    for what, sentence, measure, _ in _measured(code):
        named = _levels_named(sentence)
        tag = _level_tag(measure)
        if tag is not None and tag not in named:
            wrong.append(f"{what}：“{sentence}”未写{tag}，计数口径却是 {measure}")
        if tag is None and named and measure.count(":") == 1:
            wrong.append(f"{what}：“{sentence}”写明{'、'.join(sorted(named))}，计数口径 {measure} 却计全部")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_targets_that_name_different_things_do_not_share_a_registry_tag(code):
    """Anhui 2027 "头部企业" and 2030 "一流企业" are different enterprises; one tag would count them as one."""
    metrics: dict[str, set[str]] = defaultdict(set)
    for what, _, measure, metric in _measured(code):
        if measure.count(":") == 2 and "目标" in what:
            metrics[measure].add(metric)
    shared = {measure: names for measure, names in metrics.items() if len(names) > 1}
    assert not shared, shared


def test_the_sentences_behind_the_fixed_measures():
    plan = document_text("anhui-pilot-zone-plan")
    action = document_text("anhui-action-plan-2024")
    assert "新增60家左右创新和公共服务平台" in plan
    assert "制定省级及以上标准规范100项左右" in action
    assert "培育3家左右具有生态主导力的头部企业" in action
    assert "培育5家以上具有生态主导力和产业链控制力的一流企业" in action
    targets = {t.code: t for t in programme("anhui").targets}
    assert targets["pz-2030-platforms"].measure == "registry:platform"
    assert targets["ap-2027-standards"].measure == "registry:standard:provincial_or_above"
    assert (
        targets["ap-2027-leading-enterprises"].measure != targets["ap-2030-first-class-enterprises"].measure
    )


def test_anhuis_plan_has_no_grade_below_a_so_a_has_no_threshold():
    sentence = "评估结果分为A、AA、AAA三个等次"
    assert sentence in document_text("anhui-pilot-zone-plan")
    lifecycle = programme("anhui").lifecycle
    assert isinstance(lifecycle, GradedLifecycle)
    grades = {g.code: g for g in lifecycle.grades}
    assert set(grades) == {"A", "AA", "AAA"}  # three grades, none below A
    assert grades["A"].threshold is None  # every zone below AA's threshold is A
    assert grades["AA"].threshold is not None and grades["AAA"].threshold is not None


def test_a_bare_number_is_shown_without_a_qualifier(client, shipped_programmes):
    """ "3个1000亿元未来产业" is a level to reach: the page does not claim it is an exact figure."""
    sentence = "打造空天信息、通用智能、低碳能源3个1000亿元未来产业"
    assert sentence in document_text("anhui-action-plan-2024")
    page = client.get("/programmes/anhui/targets/?year=2030").content.decode()
    assert "1000" in page and "确数" not in page
    workbook = client.get("/programmes/anhui/targets/?format=xlsx")
    assert workbook.status_code == 200


def test_the_rules_page_shows_a_without_a_threshold(client, shipped_programmes):
    page = client.get("/programmes/anhui/rules/").content.decode()
    assert "不设分档线" in page and "<td>A等次分档线" not in page


def test_zhejiangs_zones_are_shown_in_its_own_word(client, shipped_programmes, personas):
    """Zhejiang's guidance says 培育建设 and 培育验收考核; 创建中 is Anhui's word."""
    from xiandao.pilot_zones.demo import demo_zones_create

    sentence = "先行部署培育建设一批未来产业先导区"
    assert sentence in document_text("zhejiang-pilot-zone-guidance")
    demo_zones_create()
    zhejiang = client.get("/programmes/zhejiang/").content.decode()
    table = zhejiang[zhejiang.index('data-testid="zone-table"') :]
    assert "培育建设" in table and "创建中" not in table
    anhui = client.get("/programmes/anhui/").content.decode()
    assert "创建中" in anhui[anhui.index('data-testid="zone-table"') :]
