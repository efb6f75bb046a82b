"""The allowed moves of a pilot zone's life cycle, as data (pure: no Django, no database).

One fixed superset of states serves every programme (Anhui plan §四(二)–(四), Zhejiang guidance
§五(二)–(三)); what differs between programmes is a handful of switches
(:class:`LifecycleSwitches`) read from the programme definition, never a branch per province.
The moves are one table (:data:`MOVES`), like django-oscar's ``OSCAR_ORDER_STATUS_PIPELINE``:
each says from which state, by which action, to which state, who may do it, whether a reason is
needed, and which switches it depends on — ``requires`` (allowed only when all are on) and
``unless`` (the short way, allowed only when all are off, so a station that is switched on
cannot be skipped).

The services lock the row, call :func:`move_check` with the state they found, write the new
state, the status-change row and the audit entry. Worked example (Anhui: department
consultation on, no public notice): ``under_review --propose--> proposed --consult-->
consultation --publish_list--> creating``; ``proposed --publish_list`` is refused there with
“当前为“拟列入名单”，不能公布名单（本计划须先征求省有关单位意见）…”.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from xiandao.programmes.definition.schema import AcceptanceLifecycle, GradedLifecycle, NotSpecified

__all__ = [
    "MOVES",
    "TERMINAL",
    "Action",
    "LifecycleSwitches",
    "Move",
    "MoveRefused",
    "Role",
    "State",
    "Switch",
    "consecutive_a_removal_due",
    "grade_action",
    "move_check",
    "moves_from",
    "next_state",
    "state_label",
    "switches_from_lifecycle",
]


class _Labelled(StrEnum):
    """A string enum whose members carry a Chinese label: ``DRAFT = "draft", "编制申请"``."""

    label: str

    def __new__(cls, value: str, label: str) -> _Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class State(_Labelled):
    """Every state an application or a zone can be in, for every programme."""

    DRAFT = "draft", "编制申请"  # 皖四(二) 设区市组织编制申请报告
    SUBMITTED = "submitted", "待市级审核"  # 皖四(二) 申请报告交设区市审核材料
    ATTESTED = "attested", "市级已审核"  # 皖四(二) 审核真实性、准确性、完整性和合规性
    RECOMMENDED = "recommended", "已推荐"  # 皖四(二) 书面推荐至省发展改革委（附盖章推荐函）
    RETURNED = "returned", "退回修改"  # 退回设区市修改后重新提交
    UNDER_REVIEW = "under_review", "论证中"  # 皖四(三) 咨询委员会集中审阅、研究论证
    PROPOSED = "proposed", "拟列入名单"  # 皖四(三) 形成论证意见，提出创建名单
    CONSULTATION = "consultation", "征求意见中"  # 皖四(三) 征求省有关单位意见
    PUBLIC_NOTICE = "public_notice", "公示中"  # 浙: 名单公示（天数为计划参数）
    NOT_LISTED = "not_listed", "未列入名单"  # 皖四(三) 论证后未列入创建名单
    CREATING = "creating", "创建中"  # 皖四(三) 公布创建名单，启动建设；浙五(二) 培育建设
    ACCEPTANCE_ASSESSMENT = "acceptance_assessment", "验收考核中"  # 浙五(二) 培育验收考核
    OBSERVATION = "observation", "观察期"  # 皖四(四) A等次：提出改进意见，设置观察期和包容期
    NATIONAL_RECOMMENDED = "national_recommended", "已推荐争创国家级"  # 皖四(四) AAA等次优先推荐
    RECOGNISED = "recognised", "已认定"  # 皖四(四) 达成全部预期目标正式认定；浙五(二) 列入省级名单
    REMOVED = "removed", "已移出"  # 皖四(四) 连续3年A等次移出创建名单


#: States no move leaves, under any switches.
TERMINAL: frozenset[State] = frozenset({State.NOT_LISTED, State.RECOGNISED, State.REMOVED})


class Action(_Labelled):
    """What a person does to move an application or a zone; the label completes “不能……”."""

    SUBMIT = "submit", "提交设区市审核"
    ATTEST = "attest", "确认材料审核"
    RECOMMEND = "recommend", "书面推荐"
    ACCEPT = "accept", "受理论证"
    RETURN = "return", "退回修改"
    PROPOSE = "propose", "提出拟列入名单"
    DECLINE = "decline", "决定不列入名单"
    CONSULT = "consult", "征求省有关单位意见"
    PUBLISH_NOTICE = "publish_notice", "公示名单"
    PUBLISH_LIST = "publish_list", "公布名单"
    START_ACCEPTANCE = "start_acceptance", "开展培育验收考核"
    PASS_ACCEPTANCE = "pass_acceptance", "确认通过验收考核"
    FAIL_ACCEPTANCE = "fail_acceptance", "确认未通过验收考核"
    GRADE_A = "grade_a", "记录A等次评估结果"
    GRADE_AA = "grade_aa", "记录AA等次评估结果"
    GRADE_AAA = "grade_aaa", "记录AAA等次评估结果"
    RECOMMEND_NATIONAL = "recommend_national", "推荐争创国家级先导区"
    REMOVE = "remove", "移出名单"
    RECOGNISE = "recognise", "正式认定"


class Role(_Labelled):
    """Who acts; the values are those of ``accounts.models.Role`` (a pure module cannot import it)."""

    PROGRAMME_ADMIN = "programme_admin", "计划管理员"
    CITY_OFFICER = "city_officer", "市级管理员"
    ZONE_OPERATOR = "zone_operator", "先导区运营人员"


class Switch(StrEnum):
    """A per-programme switch a move may depend on."""

    PUBLIC_NOTICE = "public_notice"
    DEPARTMENT_CONSULTATION = "department_consultation"
    ACCEPTANCE_ASSESSMENT = "acceptance_assessment"
    GRADED_EVALUATION = "graded_evaluation"
    REMOVAL = "removal"
    NATIONAL_RECOMMENDATION = "national_recommendation"
    RECOGNITION_ON_TARGETS = "recognition_on_targets"


#: Why a move is refused when a switch it requires is off.
SWITCH_OFF: dict[Switch, str] = {
    Switch.PUBLIC_NOTICE: "本计划的名单不经公示",
    Switch.DEPARTMENT_CONSULTATION: "本计划不征求省有关单位意见",
    Switch.ACCEPTANCE_ASSESSMENT: "本计划不设培育验收考核",
    Switch.GRADED_EVALUATION: "本计划的评估不分A、AA、AAA等次",
    Switch.REMOVAL: "本计划未规定连续评为A等次即移出名单",
    Switch.NATIONAL_RECOMMENDATION: "本计划未规定推荐争创国家级先导区",
    Switch.RECOGNITION_ON_TARGETS: "本计划不以达成全部预期目标正式认定",
}
#: Why a short way is refused when a switch it must skip is on.
SWITCH_ON: dict[Switch, str] = {
    Switch.PUBLIC_NOTICE: "本计划的名单须先公示",
    Switch.DEPARTMENT_CONSULTATION: "本计划须先征求省有关单位意见",
}


@dataclass(frozen=True)
class LifecycleSwitches:
    """One programme's switches, as plain values; :func:`switches_from_lifecycle` builds them."""

    public_notice: bool = False
    #: Days of the public notice (公示); None when the programme leaves it open.
    public_notice_days: int | None = None
    department_consultation: bool = False
    acceptance_assessment: bool = False
    graded_evaluation: bool = False
    #: Removed after this many consecutive A grades; None: never.
    removal_after_consecutive_a: int | None = None
    national_recommendation: bool = False
    recognition_on_targets: bool = False
    #: The grade code that brings an improvement opinion and the observation period (Anhui: A).
    improvement_grade: str | None = None
    #: The grade code that brings the recommendation to national level (Anhui: AAA).
    national_grade: str | None = None
    #: The programme's own word for a state (Zhejiang's 培育建设 for creating), as pairs.
    state_labels: tuple[tuple[State, str], ...] = ()

    def __post_init__(self) -> None:
        if self.public_notice_days is not None and (not self.public_notice or self.public_notice_days < 1):
            raise ValueError("公示天数须为正整数，且只在设置公示时填写")
        if self.removal_after_consecutive_a is not None and self.removal_after_consecutive_a < 1:
            raise ValueError("连续A等次移出的年数须为正整数")

    def is_on(self, switch: Switch) -> bool:
        """Whether ``switch`` is on for this programme."""
        if switch is Switch.REMOVAL:
            return self.removal_after_consecutive_a is not None
        return bool(getattr(self, switch.value))

    def with_switch(self, switch: Switch, on: bool, *, years: int | None = None) -> LifecycleSwitches:
        """The same switches with ``switch`` turned on or off; removal turned on needs its ``years``."""
        if switch is Switch.REMOVAL:
            if not on:
                return dataclasses.replace(self, removal_after_consecutive_a=None)
            years = years or self.removal_after_consecutive_a
            if years is None:
                raise ValueError("开启连续A等次移出须给出年数")
            return dataclasses.replace(self, removal_after_consecutive_a=years)
        if switch is Switch.PUBLIC_NOTICE and not on:
            return dataclasses.replace(self, public_notice=False, public_notice_days=None)
        changes: dict[str, Any] = {switch.value: on}
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Move:
    """One allowed move of the table."""

    source: State
    action: Action
    target: State
    roles: frozenset[Role]
    reason_required: bool
    #: The article of the document the move follows.
    article: str
    #: Allowed only when every one of these switches is on.
    requires: frozenset[Switch] = frozenset()
    #: Allowed only when every one of these is off: the short way past a switched-on station.
    unless: frozenset[Switch] = frozenset()

    def allowed_under(self, switches: LifecycleSwitches) -> bool:
        """Whether this programme's switches allow the move."""
        return all(switches.is_on(s) for s in self.requires) and not any(
            switches.is_on(s) for s in self.unless
        )


def _move(
    source: State,
    action: Action,
    target: State,
    roles: Iterable[Role],
    article: str,
    *,
    reason: bool = False,
    requires: Iterable[Switch] = (),
    unless: Iterable[Switch] = (),
) -> Move:
    return Move(
        source, action, target, frozenset(roles), reason, article, frozenset(requires), frozenset(unless)
    )


S, A, R, W = State, Action, Role, Switch
_CITY = (R.CITY_OFFICER,)
_ADMIN = (R.PROGRAMME_ADMIN,)
_DRAFTERS = (R.ZONE_OPERATOR, R.CITY_OFFICER)
_C, _N = W.DEPARTMENT_CONSULTATION, W.PUBLIC_NOTICE
_G = W.GRADED_EVALUATION

#: The allowed moves: one per (state, action), so an action never has two outcomes.
MOVES: tuple[Move, ...] = (
    # The application (皖四(二)): written, checked and attested by the city, recommended in writing.
    _move(S.DRAFT, A.SUBMIT, S.SUBMITTED, _DRAFTERS, "皖四(二) 编制申请报告"),
    _move(S.RETURNED, A.SUBMIT, S.SUBMITTED, _DRAFTERS, "皖四(二) 修改后重新提交"),
    _move(S.SUBMITTED, A.ATTEST, S.ATTESTED, _CITY, "皖四(二) 审核材料的真实性、准确性、完整性和合规性"),
    _move(S.SUBMITTED, A.RETURN, S.RETURNED, _CITY, "皖四(二) 设区市审核", reason=True),
    _move(S.ATTESTED, A.RECOMMEND, S.RECOMMENDED, _CITY, "皖四(二) 书面推荐至省发展改革委"),
    _move(S.ATTESTED, A.RETURN, S.RETURNED, _CITY, "皖四(二) 设区市审核", reason=True),
    # The province's review (皖四(三)).
    _move(S.RECOMMENDED, A.ACCEPT, S.UNDER_REVIEW, _ADMIN, "皖四(三) 集中审阅创建申请报告"),
    _move(S.RECOMMENDED, A.RETURN, S.RETURNED, _ADMIN, "皖四(三) 退回修改", reason=True),
    _move(S.UNDER_REVIEW, A.RETURN, S.RETURNED, _ADMIN, "皖四(三) 论证中退回修改", reason=True),
    _move(S.UNDER_REVIEW, A.PROPOSE, S.PROPOSED, _ADMIN, "皖四(三) 形成论证意见，提出创建名单"),
    _move(S.UNDER_REVIEW, A.DECLINE, S.NOT_LISTED, _ADMIN, "皖四(三) 论证意见", reason=True),
    # The list: department consultation, then public notice, each where the programme has it.
    _move(S.PROPOSED, A.CONSULT, S.CONSULTATION, _ADMIN, "皖四(三) 征求省有关单位意见", requires=[_C]),
    _move(S.PROPOSED, A.PUBLISH_NOTICE, S.PUBLIC_NOTICE, _ADMIN, "名单公示", requires=[_N], unless=[_C]),
    _move(S.PROPOSED, A.PUBLISH_LIST, S.CREATING, _ADMIN, "皖四(三) 按程序公布创建名单", unless=[_C, _N]),
    _move(S.PROPOSED, A.DECLINE, S.NOT_LISTED, _ADMIN, "皖四(三) 提出创建名单", reason=True),
    _move(S.CONSULTATION, A.PUBLISH_NOTICE, S.PUBLIC_NOTICE, _ADMIN, "名单公示", requires=[_C, _N]),
    _move(
        S.CONSULTATION,
        A.PUBLISH_LIST,
        S.CREATING,
        _ADMIN,
        "皖四(三) 征求意见后公布",
        requires=[_C],
        unless=[_N],
    ),
    _move(S.CONSULTATION, A.DECLINE, S.NOT_LISTED, _ADMIN, "皖四(三) 征求意见", reason=True, requires=[_C]),
    _move(S.PUBLIC_NOTICE, A.PUBLISH_LIST, S.CREATING, _ADMIN, "公示期满公布名单", requires=[_N]),
    _move(S.PUBLIC_NOTICE, A.DECLINE, S.NOT_LISTED, _ADMIN, "公示异议成立", reason=True, requires=[_N]),
    # Cultivation, then the acceptance assessment (浙五(二)).
    _move(
        S.CREATING,
        A.START_ACCEPTANCE,
        S.ACCEPTANCE_ASSESSMENT,
        _ADMIN,
        "浙五(二) 组织开展培育验收考核",
        requires=[W.ACCEPTANCE_ASSESSMENT],
    ),
    _move(
        S.ACCEPTANCE_ASSESSMENT,
        A.PASS_ACCEPTANCE,
        S.RECOGNISED,
        _ADMIN,
        "浙五(二) 确定省级“未来产业先导区”名单",
        requires=[W.ACCEPTANCE_ASSESSMENT],
    ),
    _move(
        S.ACCEPTANCE_ASSESSMENT,
        A.FAIL_ACCEPTANCE,
        S.CREATING,
        _ADMIN,
        "浙五(二) 未通过验收考核，继续培育",
        reason=True,
        requires=[W.ACCEPTANCE_ASSESSMENT],
    ),
    # The annual graded evaluation and its consequences (皖四(四)).
    _move(S.CREATING, A.GRADE_A, S.OBSERVATION, _ADMIN, "皖四(四) A等次设置观察期", requires=[_G]),
    _move(S.OBSERVATION, A.GRADE_A, S.OBSERVATION, _ADMIN, "皖四(四) A等次设置观察期", requires=[_G]),
    _move(
        S.NATIONAL_RECOMMENDED, A.GRADE_A, S.OBSERVATION, _ADMIN, "皖四(四) A等次设置观察期", requires=[_G]
    ),
    _move(S.CREATING, A.GRADE_AA, S.CREATING, _ADMIN, "皖四(四) AA等次协同支持", requires=[_G]),
    _move(S.OBSERVATION, A.GRADE_AA, S.CREATING, _ADMIN, "皖四(四) 观察期内提档", requires=[_G]),
    _move(
        S.NATIONAL_RECOMMENDED, A.GRADE_AA, S.NATIONAL_RECOMMENDED, _ADMIN, "皖四(四) AA等次", requires=[_G]
    ),
    _move(S.CREATING, A.GRADE_AAA, S.CREATING, _ADMIN, "皖四(四) AAA等次", requires=[_G]),
    _move(S.OBSERVATION, A.GRADE_AAA, S.CREATING, _ADMIN, "皖四(四) 观察期内提档", requires=[_G]),
    _move(
        S.NATIONAL_RECOMMENDED, A.GRADE_AAA, S.NATIONAL_RECOMMENDED, _ADMIN, "皖四(四) AAA等次", requires=[_G]
    ),
    _move(
        S.CREATING,
        A.RECOMMEND_NATIONAL,
        S.NATIONAL_RECOMMENDED,
        _ADMIN,
        "皖四(四) AAA等次优先推荐争创国家级",
        requires=[_G, W.NATIONAL_RECOMMENDATION],
    ),
    _move(
        S.OBSERVATION,
        A.REMOVE,
        S.REMOVED,
        _ADMIN,
        "皖四(四) 连续3年评估结果为A等次，移出创建名单",
        reason=True,
        requires=[_G, W.REMOVAL],
    ),
    _move(
        S.CREATING,
        A.RECOGNISE,
        S.RECOGNISED,
        _ADMIN,
        "皖四(四) 达成全部预期目标，正式认定",
        requires=[W.RECOGNITION_ON_TARGETS],
    ),
    _move(
        S.NATIONAL_RECOMMENDED,
        A.RECOGNISE,
        S.RECOGNISED,
        _ADMIN,
        "皖四(四) 达成全部预期目标，正式认定",
        requires=[W.RECOGNITION_ON_TARGETS],
    ),
)
del S, A, R, W


class MoveRefused(Exception):
    """A move the table does not allow; ``message`` is the Chinese sentence shown to the user."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        #: unknown_action, not_allowed, switched_off, role or reason_required (for administrators).
        self.code = code


_E = TypeVar("_E", bound=_Labelled)
_MISSING: Any = object()


def _member(kind: type[_E], value: _E | str, default: Any = _MISSING) -> Any:
    """The member of ``kind`` with this value; ``default`` (or ValueError) when there is none."""
    member = kind._value2member_map_.get(str(value))
    if member is None:
        if default is _MISSING:
            raise ValueError(f"{value!r} 不是 {kind.__name__} 的取值")
        return default
    return member


def state_label(state: State, switches: LifecycleSwitches) -> str:
    """The state's name in the programme's own words (Zhejiang: 培育建设), else the fixed label."""
    return dict(switches.state_labels).get(state, state.label)


def moves_from(state: State, switches: LifecycleSwitches) -> tuple[Move, ...]:
    """The moves this programme allows from ``state``, in table order."""
    return tuple(move for move in MOVES if move.source == state and move.allowed_under(switches))


def _quoted(text: str) -> str:
    """Text in Chinese double quotes, its own double quotes turned to single ones (GB/T 15834)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _possible(state: State, switches: LifecycleSwitches) -> str:
    actions = list(dict.fromkeys(move.action.label for move in moves_from(state, switches)))
    return f"当前可以：{'、'.join(actions)}。" if actions else "当前没有可办理的事项。"


def move_check(
    state: State | str,
    action: Action | str,
    switches: LifecycleSwitches,
    role: Role | str,
    *,
    reason: str | None = None,
) -> Move:
    """The move ``role`` makes by ``action`` from ``state``; raise :class:`MoveRefused` if not allowed.

    ``reason`` is checked only where the move needs one (退回修改, 移出名单…).
    """
    current: State = _member(State, state)
    act: Action | None = _member(Action, action, None)
    if act is None:
        raise MoveRefused(f"没有{_quoted(str(action))}这项操作。", code="unknown_action")
    here = f"当前为{_quoted(state_label(current, switches))}，"
    # The table holds one move per (state, action); switches decide whether it is allowed.
    move = next((m for m in MOVES if m.source == current and m.action == act), None)
    if move is None or not move.allowed_under(switches):
        why = ""
        if move is not None:
            off = [SWITCH_OFF[s] for s in sorted(move.requires) if not switches.is_on(s)]
            on = [SWITCH_ON[s] for s in sorted(move.unless) if switches.is_on(s)]
            why = f"（{'；'.join(off + on)}）"
        code = "not_allowed" if move is None else "switched_off"
        raise MoveRefused(f"{here}不能{act.label}{why}。{_possible(current, switches)}", code=code)
    if _member(Role, role, None) not in move.roles:
        who = "或".join(r.label for r in sorted(move.roles, key=list(Role).index))
        raise MoveRefused(f"{here}{act.label}须由{who}办理。", code="role")
    if move.reason_required and not (reason or "").strip():
        raise MoveRefused(f"{act.label}须写明理由。", code="reason_required")
    return move


def next_state(
    state: State | str,
    action: Action | str,
    switches: LifecycleSwitches,
    role: Role | str,
    *,
    reason: str | None = None,
) -> State:
    """The state ``action`` leads to; raise :class:`MoveRefused` as :func:`move_check` does."""
    return move_check(state, action, switches, role, reason=reason).target


def consecutive_a_removal_due(grades: Sequence[str], n: int | None, *, grade: str = "A") -> bool:
    """Whether the last ``n`` grades (oldest first) are all ``grade``; ``n`` None never removes.

    Anhui plan §四(四): 连续3年评估结果为A等次的先导区，移出创建名单.
    """
    if n is None:
        return False
    if n < 1:
        raise ValueError("连续A等次移出的年数须为正整数")
    return len(grades) >= n and all(g == grade for g in grades[-n:])


def grade_action(grade: str, switches: LifecycleSwitches) -> Action:
    """The move an evaluation grade makes: the improvement grade (A), the national grade (AAA), or another.

    The grade codes are the programme's (``lifecycle.grades``); the table's actions are fixed.
    """
    if not switches.graded_evaluation:
        raise ValueError("本计划的评估不分等次")
    if grade == switches.improvement_grade:
        return Action.GRADE_A
    if grade == switches.national_grade:
        return Action.GRADE_AAA
    return Action.GRADE_AA


def switches_from_lifecycle(
    lifecycle: NotSpecified | GradedLifecycle | AcceptanceLifecycle,
) -> LifecycleSwitches | None:
    """A programme definition's life-cycle section as switches; None where it sets no life cycle.

    Anhui (graded creation) records department consultation, removal after N consecutive grades,
    national recommendation and recognition; it records no public notice (按程序公布). Zhejiang
    (acceptance) records the acceptance assessment and the public notice with its days.
    """
    labels = tuple(
        (_member(State, stage.zone_status), stage.name)
        for stage in getattr(lifecycle, "stages", [])
        if stage.zone_status in State._value2member_map_
    )
    if isinstance(lifecycle, GradedLifecycle):
        consequences = lifecycle.consequences
        return LifecycleSwitches(
            department_consultation=lifecycle.review.consult_departments,
            graded_evaluation=True,
            removal_after_consecutive_a=consequences.removal.consecutive_years.value,
            national_recommendation=bool(consequences.national_recommendation_grade),
            recognition_on_targets=consequences.recognition == "all_targets_met",
            improvement_grade=consequences.improvement_opinion_grade,
            national_grade=consequences.national_recommendation_grade,
            state_labels=labels,
        )
    if isinstance(lifecycle, AcceptanceLifecycle):
        return LifecycleSwitches(
            public_notice=True,
            public_notice_days=lifecycle.publication.public_notice_days.value,
            acceptance_assessment=True,
            state_labels=labels,
        )
    return None
