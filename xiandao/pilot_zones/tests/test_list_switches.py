"""Every combination of the list's switches through the pure life cycle (no database).

A creation list moves its proposed applications by the list moves (征求意见, 公示, 公布); whatever the
switches, exactly one list move is open at each station, the stations switched on are never
skipped, and the last move reaches 创建中. The acceptance assessment opens only where its switch is on.
"""

from __future__ import annotations

import itertools

import pytest

from xiandao.pilot_zones.lifecycle import (
    Action,
    LifecycleSwitches,
    MoveRefused,
    Role,
    State,
    move_check,
    moves_from,
    state_label,
)

LIST_MOVES = (Action.CONSULT, Action.PUBLISH_NOTICE, Action.PUBLISH_LIST)
ADMIN = Role.PROGRAMME_ADMIN


def route(switches: LifecycleSwitches) -> list[State]:
    """The stations of a list from 拟列入名单 to 创建中, following the one list move open at each."""
    state, stations = State.PROPOSED, [State.PROPOSED]
    while state != State.CREATING:
        open_moves = [m for m in moves_from(state, switches) if m.action in LIST_MOVES]
        assert len(open_moves) == 1, (state, [m.action for m in open_moves])
        state = move_check(state, open_moves[0].action, switches, ADMIN).target
        stations.append(state)
    return stations


COMBINATIONS = [
    LifecycleSwitches(
        department_consultation=consult,
        public_notice=notice,
        public_notice_days=7 if notice else None,
        acceptance_assessment=acceptance,
    )
    for consult, notice, acceptance in itertools.product((False, True), repeat=3)
]


@pytest.mark.parametrize("switches", COMBINATIONS, ids=repr)
def test_each_switched_on_station_is_passed_and_none_other(switches: LifecycleSwitches) -> None:
    expected = [State.PROPOSED]
    if switches.department_consultation:
        expected.append(State.CONSULTATION)
    if switches.public_notice:
        expected.append(State.PUBLIC_NOTICE)
    expected.append(State.CREATING)
    assert route(switches) == expected


@pytest.mark.parametrize("switches", COMBINATIONS, ids=repr)
def test_a_short_way_past_a_station_is_refused_with_the_reason(switches: LifecycleSwitches) -> None:
    stations = route(switches)
    for state in stations[:-2]:
        # Jumping straight to publication from any station but the last is refused.
        with pytest.raises(MoveRefused) as refused:
            move_check(state, Action.PUBLISH_LIST, switches, ADMIN)
        assert "不能公布名单" in refused.value.message
        assert state_label(state, switches) in refused.value.message


@pytest.mark.parametrize("switches", COMBINATIONS, ids=repr)
def test_the_acceptance_assessment_follows_its_switch(switches: LifecycleSwitches) -> None:
    if not switches.acceptance_assessment:
        with pytest.raises(MoveRefused) as refused:
            move_check(State.CREATING, Action.START_ACCEPTANCE, switches, ADMIN)
        assert "本计划不设培育验收考核" in refused.value.message
        return
    assessing = move_check(State.CREATING, Action.START_ACCEPTANCE, switches, ADMIN).target
    assert assessing == State.ACCEPTANCE_ASSESSMENT
    assert move_check(assessing, Action.PASS_ACCEPTANCE, switches, ADMIN).target == State.RECOGNISED
    with pytest.raises(MoveRefused, match="须写明理由"):
        move_check(assessing, Action.FAIL_ACCEPTANCE, switches, ADMIN, reason="")
    assert (
        move_check(assessing, Action.FAIL_ACCEPTANCE, switches, ADMIN, reason="未达标").target
        == State.CREATING
    )


@pytest.mark.parametrize("switches", COMBINATIONS, ids=repr)
def test_only_the_programme_admin_moves_a_list(switches: LifecycleSwitches) -> None:
    first = route(switches)[1]
    action = next(m.action for m in moves_from(State.PROPOSED, switches) if m.target == first)
    for role in (Role.CITY_OFFICER, Role.ZONE_OPERATOR):
        with pytest.raises(MoveRefused) as refused:
            move_check(State.PROPOSED, action, switches, role)
        assert refused.value.code == "role"


@pytest.mark.parametrize("switches", COMBINATIONS, ids=repr)
def test_a_proposed_application_may_be_declined_at_every_station_before_publication(
    switches: LifecycleSwitches,
) -> None:
    for state in route(switches)[:-1]:
        assert (
            move_check(state, Action.DECLINE, switches, ADMIN, reason="异议成立").target == State.NOT_LISTED
        )
