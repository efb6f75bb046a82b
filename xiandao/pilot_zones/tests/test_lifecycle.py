"""The allowed-moves table of the pilot-zone life cycle, on its own (no database).

The expected tables for Anhui and Zhejiang are written out by hand from the documents (Anhui plan
§四(二)–(四), Zhejiang guidance §五(二)), not derived from the module, so a changed move fails here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.pilot_zones.lifecycle import (
    MOVES,
    TERMINAL,
    Action,
    LifecycleSwitches,
    MoveRefused,
    Role,
    State,
    Switch,
    consecutive_a_removal_due,
    grade_action,
    move_check,
    moves_from,
    next_state,
    switches_from_lifecycle,
)
from xiandao.programmes.definition import read_definition

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"


def shipped(code: str) -> LifecycleSwitches | None:
    return switches_from_lifecycle(read_definition(PROGRAMMES / f"{code}.yaml").lifecycle)


def shipped_switches(code: str) -> LifecycleSwitches:
    switches = shipped(code)
    assert switches is not None, code
    return switches


ANHUI = shipped_switches("anhui")
ZHEJIANG = shipped_switches("zhejiang")

ADMIN, CITY, OPERATOR = "programme_admin", "city_officer", "zone_operator"
DRAFTERS = frozenset({OPERATOR, CITY})

# (from, action, to, who, reason required)
APPLICATION = [
    ("draft", "submit", "submitted", DRAFTERS, False),
    ("returned", "submit", "submitted", DRAFTERS, False),
    ("submitted", "attest", "attested", {CITY}, False),
    ("submitted", "return", "returned", {CITY}, True),
    ("attested", "recommend", "recommended", {CITY}, False),
    ("attested", "return", "returned", {CITY}, True),
    ("recommended", "accept", "under_review", {ADMIN}, False),
    ("recommended", "return", "returned", {ADMIN}, True),
    ("under_review", "return", "returned", {ADMIN}, True),
    ("under_review", "propose", "proposed", {ADMIN}, False),
    ("under_review", "decline", "not_listed", {ADMIN}, True),
    ("proposed", "decline", "not_listed", {ADMIN}, True),
]
ANHUI_MOVES = [
    *APPLICATION,
    # 征求省有关单位意见后，按程序公布创建名单 (no public notice recorded)
    ("proposed", "consult", "consultation", {ADMIN}, False),
    ("consultation", "publish_list", "creating", {ADMIN}, False),
    ("consultation", "decline", "not_listed", {ADMIN}, True),
    # 年度综合评估 A / AA / AAA and their consequences
    ("creating", "grade_a", "observation", {ADMIN}, False),
    ("observation", "grade_a", "observation", {ADMIN}, False),
    ("national_recommended", "grade_a", "observation", {ADMIN}, False),
    ("creating", "grade_aa", "creating", {ADMIN}, False),
    ("observation", "grade_aa", "creating", {ADMIN}, False),
    ("national_recommended", "grade_aa", "national_recommended", {ADMIN}, False),
    ("creating", "grade_aaa", "creating", {ADMIN}, False),
    ("observation", "grade_aaa", "creating", {ADMIN}, False),
    ("national_recommended", "grade_aaa", "national_recommended", {ADMIN}, False),
    ("creating", "recommend_national", "national_recommended", {ADMIN}, False),
    ("observation", "remove", "removed", {ADMIN}, True),
    ("creating", "recognise", "recognised", {ADMIN}, False),
    ("national_recommended", "recognise", "recognised", {ADMIN}, False),
]
ZHEJIANG_MOVES = [
    *APPLICATION,
    # 名单公示7天后确定; 培育建设 → 培育验收考核 → 省级名单
    ("proposed", "publish_notice", "public_notice", {ADMIN}, False),
    ("public_notice", "publish_list", "creating", {ADMIN}, False),
    ("public_notice", "decline", "not_listed", {ADMIN}, True),
    ("creating", "start_acceptance", "acceptance_assessment", {ADMIN}, False),
    ("acceptance_assessment", "pass_acceptance", "recognised", {ADMIN}, False),
    ("acceptance_assessment", "fail_acceptance", "creating", {ADMIN}, True),
]
BY_PROGRAMME = {"anhui": (ANHUI, ANHUI_MOVES), "zhejiang": (ZHEJIANG, ZHEJIANG_MOVES)}
ROWS = [(code, *row) for code, (_, rows) in BY_PROGRAMME.items() for row in rows]


def allowed_rows(switches: LifecycleSwitches) -> set[tuple[str, str, str, frozenset[str], bool]]:
    return {
        (m.source.value, m.action.value, m.target.value, frozenset(m.roles), m.reason_required)
        for state in State
        for m in moves_from(state, switches)
    }


# ---------------------------------------------------------------------------------------------
# The switches of the shipped programmes
# ---------------------------------------------------------------------------------------------


def test_anhui_switches_come_from_its_definition() -> None:
    expected = LifecycleSwitches(
        public_notice=False,
        department_consultation=True,  # 征求省有关单位意见
        acceptance_assessment=False,
        graded_evaluation=True,
        removal_after_consecutive_a=3,  # 连续3年评估结果为A等次
        national_recommendation=True,
        recognition_on_targets=True,
        improvement_grade="A",  # 对于评估结果为A等次的先导区，提出改进意见
        national_grade="AAA",  # 对于评估结果为AAA等次的，优先推荐争创国家级
    )
    assert expected == ANHUI


def test_zhejiang_switches_come_from_its_definition() -> None:
    assert ZHEJIANG.public_notice and ZHEJIANG.public_notice_days == 7
    assert ZHEJIANG.acceptance_assessment
    assert not ZHEJIANG.department_consultation and not ZHEJIANG.graded_evaluation
    assert ZHEJIANG.removal_after_consecutive_a is None
    assert dict(ZHEJIANG.state_labels) == {
        State.CREATING: "培育建设",
        State.RECOGNISED: "列入省级“未来产业先导区”名单",
    }


@pytest.mark.parametrize("code", ["fuzhou", "yangzhou"])
def test_a_programme_without_a_life_cycle_has_no_switches(code: str) -> None:
    assert shipped(code) is None


@pytest.mark.parametrize(
    "values",
    [
        {"public_notice": True, "public_notice_days": 0},
        {"public_notice": False, "public_notice_days": 7},
        {"removal_after_consecutive_a": 0},
    ],
)
def test_impossible_switches_are_refused(values: dict) -> None:
    with pytest.raises(ValueError):
        LifecycleSwitches(**values)


# ---------------------------------------------------------------------------------------------
# Every move of the table, per programme
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", BY_PROGRAMME)
def test_the_programme_allows_exactly_its_moves(code: str) -> None:
    switches, rows = BY_PROGRAMME[code]
    expected = {(s, a, t, frozenset(who), reason) for s, a, t, who, reason in rows}
    assert allowed_rows(switches) == expected


@pytest.mark.parametrize(("code", "source", "action", "target", "who", "reason"), ROWS)
def test_each_move_leads_where_the_table_says_for_its_roles_only(
    code: str, source: str, action: str, target: str, who: Iterable[str], reason: bool
) -> None:
    switches = BY_PROGRAMME[code][0]
    for role in who:
        assert next_state(source, action, switches, role, reason="材料不全，请补充") == target
    for role in {ADMIN, CITY, OPERATOR} - set(who):
        with pytest.raises(MoveRefused) as refused:
            move_check(source, action, switches, role, reason="材料不全，请补充")
        assert refused.value.code == "role"
    some_role = sorted(who)[0]
    if reason:
        for blank in (None, "", "  "):
            with pytest.raises(MoveRefused, match="须写明理由"):
                move_check(source, action, switches, some_role, reason=blank)
    else:
        assert next_state(source, action, switches, some_role) == target


REFUSALS = [
    (
        ANHUI,
        "creating",
        "return",
        ADMIN,
        None,
        "当前为“创建中”，不能退回修改。当前可以：记录A等次评估结果、记录AA等次评估结果、记录AAA等次评估结果、"
        "推荐争创国家级先导区、正式认定。",
    ),
    (
        ANHUI,
        "proposed",
        "publish_list",
        ADMIN,
        None,
        "当前为“拟列入名单”，不能公布名单（本计划须先征求省有关单位意见）。当前可以：征求省有关单位意见、决定不列入名单。",
    ),
    (ANHUI, "recommended", "return", CITY, "请修改", "当前为“已推荐”，退回修改须由计划管理员办理。"),
    (
        ANHUI,
        "draft",
        "submit",
        ADMIN,
        None,
        "当前为“编制申请”，提交设区市审核须由市级管理员或先导区运营人员办理。",
    ),
    (ANHUI, "recommended", "return", ADMIN, " ", "退回修改须写明理由。"),
    (ANHUI, "draft", "approve", CITY, None, "没有“approve”这项操作。"),
    (
        ANHUI,
        "recommended",
        "recommend",
        CITY,
        None,
        "当前为“已推荐”，不能书面推荐。当前可以：受理论证、退回修改。",
    ),
    (
        ZHEJIANG,
        "creating",
        "grade_a",
        ADMIN,
        None,
        "当前为“培育建设”，不能记录A等次评估结果（本计划的评估不分A、AA、AAA等次）。当前可以：开展培育验收考核。",
    ),
    (
        ZHEJIANG,
        "recognised",
        "remove",
        ADMIN,
        "连续A等次",
        "当前为“列入省级‘未来产业先导区’名单”，不能移出名单。当前没有可办理的事项。",
    ),
    (
        ZHEJIANG,
        "proposed",
        "publish_list",
        ADMIN,
        None,
        "当前为“拟列入名单”，不能公布名单（本计划的名单须先公示）。当前可以：公示名单、决定不列入名单。",
    ),
    (
        LifecycleSwitches(graded_evaluation=True),
        "observation",
        "remove",
        ADMIN,
        "连续A等次",
        "当前为“观察期”，不能移出名单（本计划未规定连续评为A等次即移出名单）。"
        "当前可以：记录A等次评估结果、记录AA等次评估结果、记录AAA等次评估结果。",
    ),
]


@pytest.mark.parametrize(("switches", "state", "action", "role", "reason", "message"), REFUSALS)
def test_a_refused_move_says_why_in_chinese(
    switches: LifecycleSwitches, state: str, action: str, role: str, reason: str | None, message: str
) -> None:
    with pytest.raises(MoveRefused) as refused:
        move_check(state, action, switches, role, reason=reason)
    assert refused.value.message == message == str(refused.value)


@pytest.mark.parametrize("code", BY_PROGRAMME)
def test_no_refusal_doubles_yi(code: str) -> None:
    switches = BY_PROGRAMME[code][0]
    for state in State:
        for action in Action:
            for role in Role:
                try:
                    move_check(state, action, switches, role)
                except MoveRefused as refused:
                    assert refused.message.startswith(("当前为“", f"{action.label}须写明理由"))
                    assert "已已" not in refused.message and "当前已" not in refused.message


def test_an_unknown_state_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        move_check("approved", "submit", ANHUI, CITY)


# ---------------------------------------------------------------------------------------------
# Consecutive A grades
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grades", "n", "due"),
    [
        ([], 3, False),
        (["A", "A"], 3, False),
        (["A", "A", "A"], 3, True),
        (["AA", "A", "A", "A"], 3, True),
        (["A", "A", "A", "AA"], 3, False),
        (["A", "A", "AA", "A"], 3, False),
        (["A"], 1, True),
        (["A", "A", "A", "A"], None, False),
    ],
)
def test_removal_is_due_after_n_consecutive_a(grades: list[str], n: int | None, due: bool) -> None:
    assert consecutive_a_removal_due(grades, n) is due


@pytest.mark.parametrize(
    ("grade", "action", "then"),
    [("A", "grade_a", "observation"), ("AA", "grade_aa", "creating"), ("AAA", "grade_aaa", "creating")],
)
def test_an_anhui_grade_moves_a_creating_zone(grade: str, action: str, then: str) -> None:
    assert grade_action(grade, ANHUI) == action
    assert next_state("creating", grade_action(grade, ANHUI), ANHUI, ADMIN) == then


def test_a_programme_without_grades_has_no_grade_action() -> None:
    with pytest.raises(ValueError):
        grade_action("A", ZHEJIANG)


def test_removal_switched_on_needs_its_years() -> None:
    with pytest.raises(ValueError):
        ZHEJIANG.with_switch(Switch.REMOVAL, True)
    assert ZHEJIANG.with_switch(Switch.REMOVAL, True, years=2).removal_after_consecutive_a == 2
    assert ANHUI.with_switch(Switch.REMOVAL, True).removal_after_consecutive_a == 3


def test_removal_after_zero_years_is_refused() -> None:
    with pytest.raises(ValueError):
        consecutive_a_removal_due(["A"], 0)


grade_lists = st.lists(st.sampled_from(["A", "AA", "AAA"]), max_size=8)


@given(grades=grade_lists, n=st.integers(min_value=1, max_value=5))
def test_a_better_grade_resets_and_another_a_keeps_removal_due(grades: list[str], n: int) -> None:
    assert not consecutive_a_removal_due([*grades, "AA"], n)
    assert not consecutive_a_removal_due([*grades, "AAA"], n)
    if consecutive_a_removal_due(grades, n):
        assert consecutive_a_removal_due([*grades, "A"], n)
        assert len(grades) >= n
    assert consecutive_a_removal_due([*grades, *["A"] * n], n)


# ---------------------------------------------------------------------------------------------
# Properties of the table under any switches
# ---------------------------------------------------------------------------------------------

switch_sets = st.builds(
    LifecycleSwitches,
    public_notice=st.booleans(),
    department_consultation=st.booleans(),
    acceptance_assessment=st.booleans(),
    graded_evaluation=st.booleans(),
    removal_after_consecutive_a=st.none() | st.integers(min_value=1, max_value=5),
    national_recommendation=st.booleans(),
    recognition_on_targets=st.booleans(),
)
ALL_ON = LifecycleSwitches(
    public_notice=True,
    public_notice_days=7,
    department_consultation=True,
    acceptance_assessment=True,
    graded_evaluation=True,
    removal_after_consecutive_a=3,
    national_recommendation=True,
    recognition_on_targets=True,
)


def reachable(
    switches: LifecycleSwitches, start: State = State.DRAFT, *, avoid: State | None = None
) -> set[State]:
    seen, todo = {start}, [start]
    while todo:
        for move in moves_from(todo.pop(), switches):
            if move.target not in seen and move.target != avoid:
                seen.add(move.target)
                todo.append(move.target)
    return seen


def test_the_table_has_one_move_per_state_and_action() -> None:
    keys = [(m.source, m.action) for m in MOVES]
    assert len(keys) == len(set(keys))


def test_only_terminal_states_have_no_move_out_in_the_table() -> None:
    assert {m.source for m in MOVES} == set(State) - TERMINAL


@given(switches=switch_sets)
def test_no_move_leaves_a_terminal_state(switches: LifecycleSwitches) -> None:
    for state in TERMINAL:
        assert moves_from(state, switches) == ()


def test_every_state_is_reachable_from_draft_under_some_switches() -> None:
    assert reachable(ALL_ON) == set(State)
    assert State.PUBLIC_NOTICE not in reachable(ANHUI) and State.ACCEPTANCE_ASSESSMENT not in reachable(ANHUI)
    assert State.OBSERVATION not in reachable(ZHEJIANG) and State.REMOVED not in reachable(ZHEJIANG)


@given(switches=switch_sets)
def test_whatever_the_switches_an_application_can_reach_the_list_or_be_declined(
    switches: LifecycleSwitches,
) -> None:
    assert {State.CREATING, State.NOT_LISTED, State.RETURNED} <= reachable(switches)


@given(switches=switch_sets)
def test_a_station_switched_on_cannot_be_skipped(switches: LifecycleSwitches) -> None:
    stations = {
        Switch.DEPARTMENT_CONSULTATION: State.CONSULTATION,
        Switch.PUBLIC_NOTICE: State.PUBLIC_NOTICE,
        Switch.ACCEPTANCE_ASSESSMENT: State.ACCEPTANCE_ASSESSMENT,
    }
    for switch, station in stations.items():
        if switches.is_on(switch):
            after = State.RECOGNISED if station is State.ACCEPTANCE_ASSESSMENT else State.CREATING
            if after is State.RECOGNISED and switches.recognition_on_targets:
                continue  # a programme may recognise on targets as well as by acceptance
            assert after not in reachable(switches, avoid=station)


@given(switches=switch_sets, switch=st.sampled_from(list(Switch)))
def test_a_switch_off_removes_exactly_the_moves_that_need_it(
    switches: LifecycleSwitches, switch: Switch
) -> None:
    on, off = switches.with_switch(switch, True, years=2), switches.with_switch(switch, False)
    assert on.is_on(switch) and not off.is_on(switch)
    allowed_on = {m for s in State for m in moves_from(s, on)}
    allowed_off = {m for s in State for m in moves_from(s, off)}
    assert allowed_on - allowed_off == {m for m in allowed_on if switch in m.requires}
    # the short ways past a station open only when it is off
    assert allowed_off - allowed_on == {m for m in allowed_off if switch in m.unless}


@given(switches=switch_sets, state=st.sampled_from(list(State)), action=st.sampled_from(list(Action)))
def test_move_check_agrees_with_moves_from(switches: LifecycleSwitches, state: State, action: Action) -> None:
    offered = {m.action: m for m in moves_from(state, switches)}
    for role in Role:
        try:
            move = move_check(state, action, switches, role, reason="理由")
        except MoveRefused:
            assert action not in offered or role not in offered[action].roles
        else:
            assert offered[action] == move and role in move.roles


# ---------------------------------------------------------------------------------------------
# The same words as the Django side
# ---------------------------------------------------------------------------------------------


def test_roles_and_zone_statuses_match_the_models() -> None:
    from xiandao.accounts.models import Role as AccountRole
    from xiandao.pilot_zones.models import ZoneStatus

    assert {(r.value, r.label) for r in Role} <= {(r.value, r.label) for r in AccountRole}
    assert [(s.value, s.label) for s in ZoneStatus] == [(s.value, s.label) for s in State]
