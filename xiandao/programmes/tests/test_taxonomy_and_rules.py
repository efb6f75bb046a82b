"""Taxonomy versions, zone types, life-cycle rules and indicator frameworks of the four programmes."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from xiandao.programmes.definition.schema import (
    AcceptanceLifecycle,
    GradedLifecycle,
    IndicatorFramework,
    NotSpecified,
)
from xiandao.programmes.tests.support import programme


def test_anhui_has_two_dated_versions_with_the_renamed_field() -> None:
    february, september = programme("anhui").taxonomy_versions
    assert (february.document, september.document) == ("anhui-pilot-zone-plan", "anhui-action-plan-2024")
    assert february.valid_from is not None and september.valid_from is not None
    assert (february.valid_from.isoformat(), september.valid_from.isoformat()) == ("2024-02-05", "2024-09-30")
    names = [{field.name for field in version.fields} for version in (february, september)]
    assert "生命与健康" in names[0] and "生命科学" not in names[0]
    assert "生命科学" in names[1] and "生命与健康" not in names[1]
    # The same field under its new name: zones in it keep their field across versions.
    life = [next(f for f in v.fields if f.code == "life") for v in (february, september)]
    assert [f.name for f in life] == ["生命与健康", "生命科学"]


def test_anhui_versions_are_each_complete_and_ordered_differently() -> None:
    february, september = programme("anhui").taxonomy_versions
    for version in (february, september):
        assert Counter(f.kind for f in version.fields) == {"core": 7, "extended": 4}
        assert [f.order for f in version.fields] == list(range(1, 12))
    core = [[f.name for f in v.fields if f.kind == "core"] for v in (february, september)]
    assert core[0][:2] == ["通用智能", "量子科技"]
    assert core[1][:2] == ["量子科技", "空天信息"]
    assert all(f.directions for f in february.fields)  # the 专栏 gives every field its directions


def test_other_taxonomies() -> None:
    (zhejiang,) = programme("zhejiang").taxonomy_versions
    assert len(zhejiang.fields) == 12
    (yangzhou,) = programme("yangzhou").taxonomy_versions
    assert Counter(f.kind for f in yangzhou.fields) == {"focus": 3, "extended": 4, "frontier": 6}
    assert all(f.places for f in yangzhou.fields if f.kind == "focus")
    (fuzhou,) = programme("fuzhou").taxonomy_versions
    assert Counter(f.kind for f in fuzhou.fields) == {"leading": 1, "doubling": 6, "prospective": 2}


def test_zhejiang_zone_types() -> None:
    types = {z.code: z for z in programme("zhejiang").zone_types}
    assert set(types) == {"cluster", "network"}
    assert types["cluster"].name == "区域集聚型未来产业先导区"
    assert types["network"].name == "网络协同型未来产业先导区"
    assert "一中心(创新中心)多平台(产业化平台)" in types["network"].definition


def test_anhui_lifecycle_parameters() -> None:
    lifecycle = programme("anhui").lifecycle
    assert isinstance(lifecycle, GradedLifecycle)
    assert [g.code for g in sorted(lifecycle.grades, key=lambda g: g.rank)] == ["A", "AA", "AAA"]
    rules = lifecycle.consequences
    assert rules.improvement_opinion_grade == "A"
    assert (rules.removal.grade, rules.removal.consecutive_years.value) == ("A", 3)
    assert rules.removal.consecutive_years.default is False  # the plan says 连续3年
    assert (rules.support_from_grade, rules.national_recommendation_grade) == ("AA", "AAA")
    assert rules.recognition == "all_targets_met"
    assert rules.observation_period.default is True
    assert [b.grade for b in rules.host_city_bonus] == ["A", "AA", "AAA"]
    assert all(b.points.default for b in rules.host_city_bonus)  # 分档加分: values left open
    assert lifecycle.review.member_kinds == ["scientist", "entrepreneur", "investor"]
    assert lifecycle.review.criteria == ["direction", "attainability", "soundness", "feasibility"]


def test_zhejiang_lifecycle() -> None:
    lifecycle = programme("zhejiang").lifecycle
    assert isinstance(lifecycle, AcceptanceLifecycle)
    assert [s.code for s in lifecycle.stages] == ["cultivation", "acceptance_assessment", "listed"]
    assert lifecycle.publication.public_notice_days.value == 7
    assert lifecycle.publication.public_notice_days.default is True


def test_frameworks() -> None:
    expected = {
        "anhui": ["创新能力", "企业培育", "产业集聚", "要素支撑", "建设成果"],
        "zhejiang": ["创新能力", "产业培育", "创新主体", "要素保障"],
    }
    for code, dimensions in expected.items():
        framework = programme(code).indicator_framework
        assert isinstance(framework, IndicatorFramework)
        assert [d.name for d in framework.dimensions] == dimensions
        assert sum((d.weight for d in framework.dimensions), Decimal(0)) == 1
        for dimension in framework.dimensions:
            assert dimension.default
            for indicator in dimension.indicators:
                assert indicator.default, indicator.code
                assert indicator.definition and indicator.formula and indicator.unit and indicator.anchor
                assert indicator.weight > 0


def test_no_rules_invented_where_the_documents_define_none() -> None:
    for code in ("yangzhou", "fuzhou"):
        defn = programme(code)
        assert isinstance(defn.lifecycle, NotSpecified) and defn.lifecycle.note
        assert isinstance(defn.indicator_framework, NotSpecified) and defn.indicator_framework.note
        assert defn.zone_types == []
