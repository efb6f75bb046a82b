"""计划设置: change a parameter with a reason or confirm a default, by the loader's own rules."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from pydantic import ValidationError as PydanticError

from xiandao.core.models import AuditEntry
from xiandao.notifications.models import Notification
from xiandao.programmes.definition import ProgrammeDefinition
from xiandao.programmes.models import ChangeKind, Programme, ProgrammeChange, RuleParameter
from xiandao.programmes.services.history import ChangeRefused
from xiandao.programmes.services.parameters import (
    Seen,
    StaleParameter,
    parameter_change,
    parameter_confirm,
)
from xiandao.programmes.settings_selectors import parameter_rows
from xiandao.programmes.state import programme_definition_data

AA = "grades.AA.threshold"
AAA = "grades.AAA.threshold"


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _value(programme: Programme, key: str) -> RuleParameter:
    return RuleParameter.objects.get(programme=programme, key=key)


def test_every_parameter_is_listed_in_the_documents_groups_with_article_and_state(anhui):
    rows = {row.key: row for row in parameter_rows(anhui)}
    assert rows[AA].group == "年度评估等次分档"
    assert rows[AA].article == "四、组织实施（二）至（四）"
    document = rows[AA].document
    assert document is not None and document.code == "anhui-pilot-zone-plan"
    assert rows[AA].state == "默认值"
    # The plan fixes the three consecutive years itself: not a default.
    assert rows["consequences.removal.consecutive_years"].state == "文件规定"
    assert rows["consequences.host_city_bonus.AAA.points"].group == "所在市目标管理绩效考核分档加分"
    weights = [row for row in rows.values() if row.group == "评价维度权重"]
    assert len(weights) == 5 and not any(row.editable for row in weights)


def test_a_change_is_saved_recorded_audited_and_told_to_the_other_admins(
    anhui, personas, second_admin, django_capture_on_commit_callbacks
):
    admin = personas["province_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        change = parameter_change(
            user=admin, programme=anhui, key=AA, value="105", reason="经主任办公会研究", seen=Seen(100, True)
        )
    row = _value(anhui, AA)
    assert (row.value, row.is_default) == (105, False)
    assert change.before == {"value": 100, "default": True}
    assert change.after == {"value": 105, "default": False}
    assert change.actor == admin and change.reason == "经主任办公会研究"
    assert change.state_before is not None  # the first change keeps the programme as loaded
    assert AuditEntry.objects.filter(
        action="programmes.parameter.changed", reason="经主任办公会研究"
    ).exists()
    told = Notification.objects.get(recipient=second_admin, kind="programmes.parameter_changed")
    assert "AA等次分档线" in told.title and "100（默认值） → 105" in told.title
    assert not Notification.objects.filter(recipient=admin, kind="programmes.parameter_changed").exists()
    assert {r.key: r for r in parameter_rows(anhui)}[AA].changed_by.startswith("王敏")


def test_a_rolled_back_change_sends_nothing(
    anhui, personas, second_admin, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        parameter_change(user=personas["province_admin"], programme=anhui, key=AA, value=105, reason="试")
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not Notification.objects.filter(kind="programmes.parameter_changed").exists()
    assert _value(anhui, AA).value == 100


def test_confirming_a_default_keeps_the_value(anhui, personas):
    change = parameter_confirm(user=personas["province_admin"], programme=anhui, key=AAA, reason="确认采用")
    row = _value(anhui, AAA)
    assert (row.value, row.is_default) == (125, False)
    assert change.kind == ChangeKind.PARAMETER_CONFIRMED
    assert {r.key: r for r in parameter_rows(anhui)}[AAA].state == "已确认"
    with pytest.raises(ChangeRefused, match="不是默认值"):
        parameter_confirm(user=personas["province_admin"], programme=anhui, key=AAA, reason="再次")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (AAA, 90, "AAA等次分档线（90）应高于AA等次分档线（100）"),
        (AA, 130, "AAA等次分档线（125）应高于AA等次分档线（130）"),
        (AA, "八十", "AA等次分档线应为整数（填写的是“八十”）"),
        (AA, 2.5, "AA等次分档线应为整数"),
        (AA, 0, "AA等次分档线应在1至300分之间（填写的是0分）"),
        ("consequences.observation_period", 9, "观察期应在1至5年之间"),
        # Anhui's plan runs 2024–2027 at most: a removal rule longer than the programme never applies.
        ("consequences.removal.consecutive_years", 30, "连续A等次移出创建名单的年数应在1至"),
        ("consequences.host_city_bonus.AAA.points", 1, "AAA等次所在市目标管理绩效考核加分（1）应不低于"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(anhui, personas, key, value, message):
    before = list(RuleParameter.objects.filter(programme=anhui).values_list("key", "value", "is_default"))
    with pytest.raises(ValidationError) as refused:
        parameter_change(user=personas["province_admin"], programme=anhui, key=key, value=value, reason="试")
    assert any(message in text for text in refused.value.messages), refused.value.messages
    after = list(RuleParameter.objects.filter(programme=anhui).values_list("key", "value", "is_default"))
    assert after == before and not ProgrammeChange.objects.filter(programme=anhui).exists()


def test_the_loader_refuses_the_same_definition_with_the_same_message(anhui, personas):
    """One rule set: AAA below AA in a definition file, and the same change in 计划设置."""
    data: dict[str, Any] = copy.deepcopy(programme_definition_data(anhui))
    for grade in data["lifecycle"]["grades"]:
        if grade["code"] == "AAA":
            grade["threshold"]["value"] = 90
    with pytest.raises(PydanticError) as file_refused:
        ProgrammeDefinition.model_validate(data)
    with pytest.raises(ValidationError) as edit_refused:
        parameter_change(user=personas["province_admin"], programme=anhui, key=AAA, value=90, reason="试")
    (message,) = edit_refused.value.messages
    assert message in str(file_refused.value)
    assert "lifecycle.grades[2].threshold.value" in str(file_refused.value)


def test_a_stale_form_is_refused_showing_both_values(anhui, personas, second_admin):
    parameter_change(user=second_admin, programme=anhui, key=AA, value=110, reason="先改")
    with pytest.raises(StaleParameter) as stale:
        parameter_change(
            user=personas["province_admin"],
            programme=anhui,
            key=AA,
            value=105,
            reason="后改",
            seen=Seen(100, True),
        )
    assert "当前为110" in stale.value.message and "您打开时为100（默认值）" in stale.value.message
    assert "孙丽" in stale.value.message
    assert _value(anhui, AA).value == 110


def test_a_reason_is_required(anhui, personas):
    with pytest.raises(ChangeRefused, match="请填写变更理由"):
        parameter_change(user=personas["province_admin"], programme=anhui, key=AA, value=105, reason="  ")


@pytest.mark.parametrize("persona", ["hefei_city_officer", "zhejiang_admin", "scientist_expert"])
def test_only_the_programmes_admins_change_it(anhui, personas, persona):
    with pytest.raises(Http404):
        parameter_change(user=personas[persona], programme=anhui, key=AA, value=105, reason="试")
    assert _value(anhui, AA).value == 100
