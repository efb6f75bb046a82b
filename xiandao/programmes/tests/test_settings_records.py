"""Targets and tasks edited by the admin: the entity rules, units resolved as the loader does, history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiandao.programmes.models import ChangeKind, Programme, Target, Task
from xiandao.programmes.services.confirmation import ConfirmationInvalid, TargetValues, TaskValues
from xiandao.programmes.services.history import ChangeRefused, change_revert
from xiandao.programmes.services.records import target_add, target_edit, task_add, task_edit


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _target(**overrides) -> TargetValues:
    values = {
        "year": 2027,
        "metric": "未来产业概念验证中心",
        "value": Decimal(20),
        "unit": "个",
        "qualifier": "about",
        "strive": False,
        "cumulative": False,
        "scope": "province",
        "basis": "increment",
        "quote": "建设20个左右未来产业概念验证中心",
        **overrides,
    }
    return TargetValues(**values)


def test_a_target_is_added_edited_and_the_edit_reverted(anhui, personas):
    admin = personas["province_admin"]
    added = target_add(
        user=admin, programme=anhui, document_code="anhui-action-plan-2024", values=_target(), reason="新文件"
    )
    assert added.after is not None
    assert added.kind == ChangeKind.TARGET_ADDED and added.after["document"] == "anhui-action-plan-2024"
    code = added.subject.removeprefix("target:")
    edited = target_edit(
        user=admin, programme=anhui, code=code, values=_target(value=Decimal(25)), reason="更正"
    )
    assert Target.objects.get(programme=anhui, code=code).value == 25
    change_revert(user=admin, programme=anhui, change_id=edited.pk, reason="恢复")
    assert Target.objects.get(programme=anhui, code=code).value == 20
    with pytest.raises(ChangeRefused, match="新增的目标不删除"):
        change_revert(user=admin, programme=anhui, change_id=added.pk, reason="删掉")


def test_a_target_outside_the_period_is_refused_as_the_loader_refuses_it(anhui, personas):
    with pytest.raises(ConfirmationInvalid) as refused:
        target_add(
            user=personas["province_admin"],
            programme=anhui,
            document_code="anhui-action-plan-2024",
            values=_target(year=2040),
            reason="试",
        )
    assert "目标年份2040不在计划期" in str(refused.value)


def test_task_units_resolve_aliases_and_fan_out_collective_units(anhui, personas):
    admin = personas["province_admin"]
    values = TaskValues(
        title="建设未来产业概念验证中心",
        quote="支持建设未来产业概念验证中心",
        lead=("省经信厅",),
        cooperating=("各市人民政府",),
    )
    change = task_add(
        user=admin,
        programme=anhui,
        document_code="anhui-action-plan-2024",
        values=values,
        article="三（二）",
        reason="新增",
    )
    task = Task.objects.get(programme=anhui, code=change.subject.removeprefix("task:"))
    assert task.article == "三（二）"
    lead = task.units.get(role="lead")
    assert [o.name for o in lead.organisations.all()] == ["安徽省工业和信息化厅"]
    cooperating = task.units.get(role="cooperating")
    assert cooperating.organisations.count() == 16  # every city government of Anhui
    edited = task_edit(
        user=admin,
        programme=anhui,
        code=task.code,
        values=TaskValues(title=values.title, quote=values.quote, lead=("省科技厅",), cooperating=()),
        article="三（二）",
        reason="调整牵头单位",
    )
    assert edited.before is not None and edited.after is not None
    assert edited.before["lead"] == ["省经信厅"] and edited.after["lead"] == ["省科技厅"]
    change_revert(user=admin, programme=anhui, change_id=edited.pk, reason="恢复")
    assert list(task.units.values_list("written", flat=True).order_by("role")) == [
        "各市人民政府",
        "省经信厅",
    ]


def test_an_unknown_unit_is_refused_with_suggestions(anhui, personas):
    values = TaskValues(title="某任务", quote="某任务原文", lead=("省经信委员会办公室",), cooperating=())
    with pytest.raises(ConfirmationInvalid, match="未知单位“省经信委员会办公室”"):
        task_add(
            user=personas["province_admin"],
            programme=anhui,
            document_code="anhui-action-plan-2024",
            values=values,
            article="",
            reason="试",
        )


def test_the_page_adds_a_task_with_an_alias_and_refuses_an_unknown_unit(client, anhui, personas):
    client.force_login(personas["province_admin"])
    url = f"/programmes/{anhui.code}/settings/records/"
    page = client.get(url).content.decode()
    assert "目标（" in page and "新增任务" in page
    form = {
        "entity": "task",
        "document": "anhui-action-plan-2024",
        "title": "建设概念验证中心",
        "quote": "支持建设概念验证中心",
        "article": "三（二）",
        "cooperating": "各市人民政府",
        "reason": "新增",
    }
    refused = client.post(url + "save/", {**form, "lead": "省经信委员会办公室"})
    assert refused.status_code == 400 and "未知单位“省经信委员会办公室”" in refused.content.decode()
    done = client.post(url + "save/", {**form, "lead": "省经信厅"}, follow=True)
    body = done.content.decode()
    assert "已保存：任务“建设概念验证中心”" in body and "分解到16个单位" in body


def test_the_records_page_is_404_for_a_city_officer(client, anhui, personas):
    client.force_login(personas["hefei_city_officer"])
    assert client.get(f"/programmes/{anhui.code}/settings/records/").status_code == 404
    assert client.post(f"/programmes/{anhui.code}/settings/records/save/", {}).status_code == 404


def test_a_target_is_retired_from_a_year_kept_exported_and_reverted(client, anhui, personas):
    from xiandao.programmes.definition import dump_definition
    from xiandao.programmes.services.framework import indicator_retire
    from xiandao.programmes.services.records import record_retire
    from xiandao.programmes.state import programme_definition_export
    from xiandao.programmes.tests.loading import load_text

    admin = personas["province_admin"]
    with pytest.raises(ChangeRefused, match="请填写变更理由"):
        record_retire(
            user=admin,
            programme=anhui,
            entity="target",
            code="pz-2030-listed-enterprises",
            from_year=2027,
            reason=" ",
        )
    change = record_retire(
        user=admin,
        programme=anhui,
        entity="target",
        code="pz-2030-listed-enterprises",
        from_year=2027,
        reason="并入行动方案目标",
    )
    target = Target.objects.get(programme=anhui, code="pz-2030-listed-enterprises")
    assert (target.retired_from, target.retired_reason) == (2027, "并入行动方案目标")  # kept, not deleted
    assert load_text(dump_definition(programme_definition_export(anhui))).outcome == "unchanged"
    # The retired target no longer holds its indicator in use.
    indicator_retire(user=admin, programme=anhui, code="ec-listed", from_year=2028, reason="停用")
    page = client.get(f"/programmes/{anhui.code}/settings/records/")
    assert page.status_code == 302  # login first
    client.force_login(admin)
    assert "2027年起停用" in client.get(f"/programmes/{anhui.code}/settings/records/").content.decode()
    # Undo the indicator's retirement first (the newest change), then the target's.
    from xiandao.programmes.models import ProgrammeChange

    change_revert(
        user=admin,
        programme=anhui,
        change_id=ProgrammeChange.objects.filter(programme=anhui, subject="indicator:ec-listed").get().pk,
        reason="恢复",
    )
    change_revert(user=admin, programme=anhui, change_id=change.pk, reason="恢复")
    target.refresh_from_db()
    assert target.retired_from is None and target.retired_reason == ""
