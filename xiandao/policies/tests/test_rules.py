"""The decision table and the defaults an acceptance writes (no database)."""

from __future__ import annotations

import pytest

from xiandao.policies.defaults import basis_suggested, target_defaults, task_defaults
from xiandao.policies.models import PROPOSAL_TRANSITIONS, ProposalStatus, proposal_move_allowed

P, A, E, R = (
    ProposalStatus.PROPOSED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.EDITED,
    ProposalStatus.REJECTED,
)


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (P, A, True),
        (P, E, True),
        (P, R, True),
        (R, A, True),  # a rejection may be reconsidered
        (R, E, True),
        (R, R, False),
        (A, R, False),  # an acceptance wrote the programme's data: changed there, not here
        (A, E, False),
        (E, A, False),
        (A, P, False),
    ],
)
def test_moves(current, wanted, allowed):
    assert proposal_move_allowed(current, wanted) is allowed


def test_every_status_has_a_row():
    assert set(PROPOSAL_TRANSITIONS) == set(ProposalStatus.values)


@pytest.mark.parametrize(
    ("payload", "basis"),
    [
        ({"cumulative": True, "quote": "累计建设30个左右省级未来产业先导区"}, "cumulative"),
        ({"cumulative": False, "quote": "新增60家左右创新和公共服务平台"}, "increment"),
        ({"cumulative": False, "quote": "主导或参与制定100项左右标准"}, "increment"),
        ({"cumulative": False, "quote": "培育30家左右上市企业"}, "stock"),
        ({"cumulative": False, "quote": "全省未来产业规模突破5000亿元"}, "stock"),
    ],
)
def test_basis_suggested(payload, basis):
    assert basis_suggested(payload) == basis


def test_defaults_keep_a_paired_targets_curated_metric_and_basis():
    payload = {
        "year": 2030,
        "metric": "创新和公共服务平台",
        "value": 80,
        "unit": "家",
        "qualifier": "about",
        "strive": False,
        "cumulative": False,
        "scope": "zone",
        "quote": "新增80家左右创新和公共服务平台",
    }
    assert target_defaults(payload)["basis"] == "increment"
    paired = target_defaults(payload, {"metric": "科技创新和公共服务平台", "basis": "stock"})
    assert (
        paired["metric"] == "科技创新和公共服务平台" and paired["basis"] == "stock" and paired["value"] == 80
    )


def test_task_defaults_keep_a_paired_tasks_name():
    payload = {
        "task": "设区市发展改革委负责日常协调",
        "lead": ["设区市发展改革委"],
        "cooperating": [],
        "quote": "…",
    }
    assert task_defaults(payload)["task"] == "设区市发展改革委负责日常协调"
    assert task_defaults(payload, {"task": "细化责任分工"})["task"] == "细化责任分工"
