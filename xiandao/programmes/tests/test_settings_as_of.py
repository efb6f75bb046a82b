"""The programme as it stood on a date (变更记录 ?on=), and framework values kept by year through export → load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pydantic import ValidationError as PydanticError

from xiandao.programmes.definition import ProgrammeDefinition, dump_definition
from xiandao.programmes.definition.dated import earlier_changed, values_for_year
from xiandao.programmes.models import Programme, ProgrammeChange
from xiandao.programmes.selectors import framework_for_year
from xiandao.programmes.services.framework import dimension_weights_change, indicator_change
from xiandao.programmes.services.history import change_revert
from xiandao.programmes.services.parameters import parameter_change
from xiandao.programmes.services.records import record_retire
from xiandao.programmes.state import programme_definition_data, programme_definition_export
from xiandao.programmes.tests.loading import load_text, shipped_text

AA = "grades.AA.threshold"
NEW_WEIGHTS = {"innovation": "0.3", "factors": "0.1"}  # 0.25 → 0.3 and 0.15 → 0.1: still 100 %


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _on(change: ProgrammeChange, day: dt.date) -> None:
    """Date a recorded change (the history is read by its time)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    ProgrammeChange.objects.filter(pk=change.pk).update(at=at)


def _section(page: str) -> str:
    """The as-of section of the history page (not the change table below it)."""
    start = page.index('data-testid="state-on"')
    return page[start : page.index("</section>", start)]


def _framework(programme: Programme, year: int) -> tuple[dict[str, Decimal], dict[str, tuple[Decimal, str]]]:
    framework = framework_for_year(programme, year)
    return (
        {d.code: d.weight for d, _ in framework},
        {i.code: (i.weight, i.definition) for _, inds in framework for i in inds},
    )


def test_the_page_shows_the_whole_programme_as_it_stood_before_an_edit(client, anhui, personas):
    admin = personas["province_admin"]
    target = anhui.targets.public().order_by("position").first()
    assert target is not None
    old_definition = (
        anhui.framework.dimensions.get(code="innovation").indicators.get(code="ic-platforms").definition
    )
    edits = [
        parameter_change(user=admin, programme=anhui, key=AA, value=105, reason="调高"),
        dimension_weights_change(user=admin, programme=anhui, weights=NEW_WEIGHTS, reason="突出创新"),
        indicator_change(
            user=admin,
            programme=anhui,
            code="ic-platforms",
            changes={"definition": "新口径：只计省级平台"},
            reason="口径",
        ),
        record_retire(
            user=admin,
            programme=anhui,
            entity="target",
            code=target.code,
            from_year=2027,
            reason="并入新目标",
        ),
    ]
    for edit in edits:
        _on(edit, dt.date(2026, 3, 10))
    url = f"/programmes/{anhui.code}/changes/"
    client.force_login(admin)

    before = client.get(url + "?on=2026-03-01").content.decode()
    assert "截至2026年3月1日的计划" in before and "返回今天" in before
    section = _section(before)
    assert "AA等次分档线" in section and ">100 " in section and ">105 " not in section
    assert old_definition in section and "新口径：只计省级平台" not in section
    innovation = section[section.index('data-testid="state-dimension-innovation"') :]
    assert innovation.split("</tr>")[0].count("25.0%") == 1
    assert "当日适用：" in section and target.metric in section and "自2027年起停用" not in section

    today = client.get(url + f"?on={timezone.localdate().isoformat()}").content.decode()
    section = _section(today)
    assert ">105 " in section and "新口径：只计省级平台" in section
    innovation = section[section.index('data-testid="state-dimension-innovation"') :]
    assert "30.0%" in innovation.split("</tr>")[0]
    retired = section[section.index(f'data-testid="state-target-{target.code}"') :].split("</tr>")[0]
    assert "自2027年起停用" in retired

    # The way back is the page of today, without a date.
    assert (
        client.get(url).status_code == 200
        and 'data-testid="state-on"' not in client.get(url).content.decode()
    )


def test_a_weight_changed_from_2026_leaves_2025_as_it_was_through_export_and_load(anhui, personas):
    admin = personas["province_admin"]
    w2025, i2025 = _framework(anhui, 2025)
    dimension_weights_change(
        user=admin, programme=anhui, weights=NEW_WEIGHTS, reason="自2026年起突出创新", effective_year=2026
    )
    indicator_change(
        user=admin,
        programme=anhui,
        code="ic-platforms",
        changes={"weight": "1.5", "definition": "2026年起只计省级平台"},
        reason="口径调整",
        effective_year=2026,
    )
    text = dump_definition(programme_definition_export(anhui))
    assert "before_year: 2026" in text

    # Back to the shipped file (which has no dated values), then the export: the years come back.
    load_text(shipped_text("anhui"), force=True, reason="测试：恢复")
    assert _framework(anhui, 2026)[0] == w2025
    assert load_text(text, force=True, reason="测试：载入导出").outcome != "unchanged"

    after_2025, ind_2025 = _framework(anhui, 2025)
    after_2026, ind_2026 = _framework(anhui, 2026)
    assert after_2025 == w2025 and ind_2025 == i2025
    assert after_2026["innovation"] == Decimal("0.3") and after_2026["factors"] == Decimal("0.1")
    assert ind_2026["ic-platforms"] == (Decimal("1.5"), "2026年起只计省级平台")
    assert sum(after_2025.values()) == sum(after_2026.values()) == 1
    # And the loaded programme exports the same text again.
    assert dump_definition(programme_definition_export(anhui)) == text


def test_a_revert_of_a_dated_change_gives_every_year_its_old_weight(anhui, personas):
    admin = personas["province_admin"]
    w2025, _ = _framework(anhui, 2025)
    change = dimension_weights_change(
        user=admin, programme=anhui, weights=NEW_WEIGHTS, reason="自2027年起", effective_year=2027
    )
    assert _framework(anhui, 2026)[0] == w2025 != _framework(anhui, 2027)[0]
    change_revert(user=admin, programme=anhui, change_id=change.pk, reason="恢复")
    assert _framework(anhui, 2026)[0] == _framework(anhui, 2027)[0] == w2025


def test_dated_weights_that_do_not_sum_to_one_are_refused_by_the_loader(anhui):
    data = programme_definition_data(anhui)
    data["indicator_framework"]["dimensions"][0]["earlier"] = [
        {"before_year": 2026, "weight": Decimal("0.2")}
    ]
    with pytest.raises(PydanticError) as refused:
        ProgrammeDefinition.model_validate(data)
    assert "2026年以前：各维度权重之和应为1（100%），现为0.95（95%" in str(refused.value)
    data["indicator_framework"]["dimensions"][0]["earlier"] = [
        {"before_year": 2024, "weight": Decimal("0.25")}
    ]
    with pytest.raises(PydanticError) as outside:
        ProgrammeDefinition.model_validate(data)
    assert "生效年度2024应在2025–2031年之间" in str(outside.value)


def test_an_effective_year_outside_the_period_is_refused(anhui, personas):
    with pytest.raises(ValidationError) as refused:
        dimension_weights_change(
            user=personas["province_admin"],
            programme=anhui,
            weights=NEW_WEIGHTS,
            reason="试",
            effective_year=2040,
        )
    assert "生效年度2040不在计划期2024–2030年内" in str(refused.value)


def test_values_by_year_follow_the_nearest_later_change():
    item: dict = {"weight": "1", "definition": "甲", "earlier": []}
    item["earlier"] = earlier_changed(item, {"weight": "2"}, 2026)
    item["weight"] = "2"
    item["earlier"] = earlier_changed(item, {"weight": "3"}, 2028)
    item["weight"] = "3"
    assert [values_for_year(item, y)["weight"] for y in (2025, 2026, 2027, 2028)] == ["1", "2", "2", "3"]
    # A change from 2027 gives 2027 on the new value and keeps 2025–2026 as they were.
    item["earlier"] = earlier_changed(item, {"weight": "4"}, 2027)
    item["weight"] = "4"
    assert [values_for_year(item, y)["weight"] for y in (2025, 2026, 2027, 2028)] == ["1", "2", "4", "4"]
    # A change for every year forgets the earlier values of that field only.
    item["earlier"] = earlier_changed(item, {"weight": "5"}, None)
    item["weight"] = "5"
    assert {values_for_year(item, y)["weight"] for y in (2025, 2030)} == {"5"} and item["earlier"] == []


def test_a_field_sent_unchanged_keeps_the_years_it_had():
    item = {"weight": "1", "definition": "乙", "earlier": [{"before_year": 2028, "definition": "甲"}]}
    # The editor sends every field; only the weight changes, from 2026.
    earlier = earlier_changed(item, {"weight": "2", "definition": "乙"}, 2026)
    assert earlier == [{"before_year": 2026, "weight": "1"}, {"before_year": 2028, "definition": "甲"}]


def test_a_target_figure_reads_as_its_sentence():
    from xiandao.programmes.settings_selectors import _target_row

    def figure(qualifier: str, strive: bool = False) -> str:
        return str(
            _target_row({"value": "2000", "unit": "亿元", "qualifier": qualifier, "strive": strive})["figure"]
        )

    assert figure("exceed", strive=True) == "力争突破2000亿元"
    assert figure("strive") == "力争2000亿元" and figure("about") == "2000亿元左右"
    assert figure("exactly") == "2000亿元"  # a bare number is a level to reach, not 确数
