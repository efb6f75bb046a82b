"""The recusal rules as plain facts: each rule, its window, and properties over random facts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.review.conflicts import (
    ApplicantFacts,
    ExpertFacts,
    Relationship,
    conflict_reasons,
    conflicts_between,
    relationship_current,
    years_before,
)

TODAY = dt.date(2026, 12, 1)
HEFEI, WUHU = 1, 2
APPLICANT = ApplicantFacts(
    application_id=7,
    city_id=HEFEI,
    park_ids=frozenset({10}),
    organisation_ids=frozenset({100, 101}),
    enterprise_ids=frozenset({500}),
    people=frozenset({"李强"}),
    names={"city:1": "合肥市", "park:10": "合肥高新区", "organisation:100": "合肥市发展改革委"},
)


def codes(expert: ExpertFacts) -> list[str]:
    return [c.code for c in conflicts_between(expert, APPLICANT, today=TODAY)]


def test_an_expert_from_elsewhere_with_nothing_recorded_has_no_conflict():
    assert codes(ExpertFacts(1, organisation_id=900, city_id=WUHU, employer_park_id=11)) == []


@pytest.mark.parametrize(
    ("expert", "code", "words"),
    [
        (ExpertFacts(1, organisation_id=100), "same_organisation", "合肥市发展改革委"),
        (ExpertFacts(1, city_id=HEFEI), "same_city", "合肥市"),
        (ExpertFacts(1, employer_park_id=10), "host_park_employer", "合肥高新区"),
        (ExpertFacts(1, declared_city_ids=frozenset({HEFEI})), "declared_city", "合肥市"),
        (ExpertFacts(1, declared_park_ids=frozenset({10})), "declared_park", "合肥高新区"),
        (ExpertFacts(1, declared_enterprise_ids=frozenset({500})), "declared_enterprise", "回避该企业"),
        (ExpertFacts(1, declared_organisation_ids=frozenset({101})), "declared_organisation", "回避该单位"),
    ],
)
def test_each_rule_names_its_reason(expert, code, words):
    found = conflicts_between(expert, APPLICANT, today=TODAY)
    assert [c.code for c in found] == [code]
    assert words in found[0].reason


def test_employment_counts_within_three_years_and_not_after():
    inside = Relationship("employment", organisation_id=100, ended_on=dt.date(2023, 12, 1))
    outside = Relationship("employment", organisation_id=100, ended_on=dt.date(2023, 11, 30))
    assert codes(ExpertFacts(1, relationships=(inside,))) == ["relationship_employment"]
    assert codes(ExpertFacts(1, relationships=(outside,))) == []


def test_a_tie_that_still_holds_always_counts():
    board = Relationship("board", enterprise_id=500)
    assert codes(ExpertFacts(1, relationships=(board,))) == ["relationship_board"]


def test_teacher_student_ties_never_expire():
    old = Relationship("teacher_student", person="李强", ended_on=dt.date(1999, 7, 1))
    found = conflicts_between(ExpertFacts(1, relationships=(old,)), APPLICANT, today=TODAY)
    assert [c.code for c in found] == ["relationship_teacher_student"]
    assert "李强" in found[0].reason and "长期回避" in found[0].reason


@pytest.mark.parametrize("kind", ["joint_project", "award", "paper", "patent", "family"])
def test_joint_work_and_family_ties_have_the_three_year_window(kind):
    recent = Relationship(kind, organisation_id=101, ended_on=dt.date(2025, 1, 1))
    stale = Relationship(kind, organisation_id=101, ended_on=dt.date(2020, 1, 1))
    assert codes(ExpertFacts(1, relationships=(recent,))) == [f"relationship_{kind}"]
    assert codes(ExpertFacts(1, relationships=(stale,))) == []


def test_a_tie_with_someone_unrelated_to_the_applicant_does_not_count():
    tie = Relationship("paper", organisation_id=999, ended_on=None)
    assert codes(ExpertFacts(1, relationships=(tie,))) == []


def test_the_window_is_a_parameter():
    tie = Relationship("patent", organisation_id=100, ended_on=dt.date(2021, 6, 1))
    assert conflicts_between(ExpertFacts(1, relationships=(tie,)), APPLICANT, today=TODAY) == []
    assert conflicts_between(ExpertFacts(1, relationships=(tie,)), APPLICANT, today=TODAY, window_years=6)


def test_years_before_keeps_the_day_and_handles_29_february():
    assert years_before(dt.date(2026, 12, 1), 3) == dt.date(2023, 12, 1)
    assert years_before(dt.date(2024, 2, 29), 3) == dt.date(2021, 2, 28)


def test_an_unknown_relationship_kind_is_refused():
    with pytest.raises(ValueError, match="未知的关系类型"):
        Relationship("friend", person="某人")


def test_reasons_over_several_applications_name_each_application():
    other = ApplicantFacts(8, city_id=WUHU)
    reasons = conflict_reasons(
        ExpertFacts(1, city_id=WUHU), [APPLICANT, other], today=TODAY, application_names={8: "示例芜湖申报"}
    )
    assert reasons == ["示例芜湖申报：与申报城市为同一城市（申报城市）"]


ids = st.integers(min_value=1, max_value=6)
id_sets = st.frozensets(ids, max_size=3)
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=TODAY))
relationships = st.builds(
    Relationship,
    kind=st.sampled_from(
        ["employment", "board", "family", "joint_project", "award", "paper", "patent", "teacher_student"]
    ),
    organisation_id=st.one_of(st.none(), ids),
    enterprise_id=st.one_of(st.none(), ids),
    person=st.sampled_from(["", "甲", "乙"]),
    ended_on=dates,
)
experts = st.builds(
    ExpertFacts,
    expert_id=st.just(1),
    organisation_id=st.one_of(st.none(), ids),
    city_id=st.one_of(st.none(), ids),
    employer_park_id=st.one_of(st.none(), ids),
    declared_city_ids=id_sets,
    declared_park_ids=id_sets,
    declared_enterprise_ids=id_sets,
    declared_organisation_ids=id_sets,
    relationships=st.lists(relationships, max_size=3).map(tuple),
)
applicants = st.builds(
    ApplicantFacts,
    application_id=st.just(9),
    city_id=st.one_of(st.none(), ids),
    park_ids=id_sets,
    organisation_ids=id_sets,
    enterprise_ids=id_sets,
    people=st.frozensets(st.sampled_from(["甲", "乙"]), max_size=2),
)


@given(experts, applicants)
def test_an_applicant_with_nothing_in_common_never_conflicts(expert, applicant):
    """Strip every fact the two could share: no rule may fire."""
    bare = ApplicantFacts(application_id=applicant.application_id, city_id=None)
    assert conflicts_between(expert, bare, today=TODAY) == []


@given(experts, applicants)
def test_every_conflict_has_a_chinese_reason_and_adding_facts_never_removes_one(expert, applicant):
    found = conflicts_between(expert, applicant, today=TODAY)
    assert all(c.reason and any("\u4e00" <= ch <= "\u9fff" for ch in c.reason) for c in found)
    wider = ApplicantFacts(
        application_id=applicant.application_id,
        city_id=applicant.city_id,
        park_ids=applicant.park_ids | {6},
        organisation_ids=applicant.organisation_ids | {6},
        enterprise_ids=applicant.enterprise_ids | {6},
        people=applicant.people | {"乙"},
    )
    assert {c.code for c in found} <= {c.code for c in conflicts_between(expert, wider, today=TODAY)}


@given(relationships, st.integers(min_value=0, max_value=10))
def test_a_longer_window_never_drops_a_tie(relationship, years):
    if relationship_current(relationship, today=TODAY, window_years=years):
        assert relationship_current(relationship, today=TODAY, window_years=years + 1)
