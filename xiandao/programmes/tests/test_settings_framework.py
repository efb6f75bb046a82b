"""The indicator framework editor: weights summing to 100 %, indicators added, changed and retired by year."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pydantic import ValidationError as PydanticError

from xiandao.programmes.definition import ProgrammeDefinition, dump_definition
from xiandao.programmes.models import Dimension, Indicator, Programme, ProgrammeChange
from xiandao.programmes.services.framework import (
    IndicatorValues,
    dimension_weights_change,
    framework_for_year,
    indicator_add,
    indicator_change,
    indicator_retire,
)
from xiandao.programmes.services.history import change_revert
from xiandao.programmes.state import programme_definition_data, programme_definition_export
from xiandao.programmes.tests.loading import load_text


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _weights(programme: Programme) -> dict[str, Decimal]:
    return {d.code: d.weight for d in Dimension.objects.filter(framework__programme=programme)}


def test_weights_that_sum_to_99_percent_are_refused_with_the_sum_shown(anhui, personas):
    before = _weights(anhui)
    with pytest.raises(ValidationError) as refused:
        dimension_weights_change(
            user=personas["province_admin"], programme=anhui, weights={"innovation": "24%"}, reason="试"
        )
    (message,) = refused.value.messages
    assert "各维度权重之和应为1（100%），现为0.99（99%" in message and "创新能力24%" in message
    assert _weights(anhui) == before and not ProgrammeChange.objects.exists()


def test_the_loader_refuses_the_same_weights_with_the_same_message(anhui, personas):
    data = programme_definition_data(anhui)
    data["indicator_framework"]["dimensions"][0]["weight"] = Decimal("0.24")
    with pytest.raises(PydanticError) as file_refused:
        ProgrammeDefinition.model_validate(data)
    with pytest.raises(ValidationError) as edit_refused:
        dimension_weights_change(
            user=personas["province_admin"], programme=anhui, weights={"innovation": "0.24"}, reason="试"
        )
    assert edit_refused.value.messages[0] in str(file_refused.value)


def test_weights_that_sum_to_one_are_saved_and_reverted(anhui, personas):
    admin = personas["province_admin"]
    change = dimension_weights_change(
        user=admin, programme=anhui, weights={"innovation": "30%", "factors": "10%"}, reason="突出创新能力"
    )
    assert _weights(anhui)["innovation"] == Decimal("0.3") and _weights(anhui)["factors"] == Decimal("0.1")
    change_revert(user=admin, programme=anhui, change_id=change.pk, reason="恢复")
    assert _weights(anhui)["innovation"] == Decimal("0.25")


def _new(code: str = "ic-patents", from_year: int | None = 2026) -> IndicatorValues:
    return IndicatorValues(
        code=code,
        name="每万人发明专利拥有量",
        unit="件",
        direction=1,
        definition="先导区内每万名从业人员拥有的有效发明专利数",
        formula="有效发明专利数 ÷ 从业人员数 × 10000",
        source="reported",
        measure="",
        weight="1.0",
        from_year=from_year,
    )


def test_an_indicator_added_from_a_year_leaves_earlier_years_as_they_were(anhui, personas):
    indicator_add(
        user=personas["province_admin"],
        programme=anhui,
        dimension_code="innovation",
        values=_new(),
        reason="新增",
    )
    codes = {
        year: {i.code for _, inds in framework_for_year(anhui, year) for i in inds} for year in (2025, 2026)
    }
    assert "ic-patents" in codes[2026] and "ic-patents" not in codes[2025]
    assert codes[2026] - codes[2025] == {"ic-patents"}
    # The export keeps the year, and the loader takes it back as is.
    assert load_text(dump_definition(programme_definition_export(anhui))).outcome == "unchanged"


def test_an_indicator_missing_its_explanation_is_refused_by_field(anhui, personas):
    values = IndicatorValues(**{**_new().__dict__, "definition": " ", "source": "registry_count"})
    with pytest.raises(ValidationError) as refused:
        indicator_add(
            user=personas["province_admin"],
            programme=anhui,
            dimension_code="innovation",
            values=values,
            reason="新增",
        )
    assert set(refused.value.message_dict) == {"definition", "measure"}
    assert not Indicator.objects.filter(code="ic-patents").exists()


def test_changing_a_definition_or_weight_is_recorded_and_revertable(anhui, personas):
    admin = personas["province_admin"]
    change = indicator_change(
        user=admin,
        programme=anhui,
        code="ic-platforms",
        changes={"weight": "0.9", "definition": "新解释"},
        reason="调整",
    )
    indicator = Indicator.objects.get(dimension__framework__programme=anhui, code="ic-platforms")
    assert indicator.weight == Decimal("0.9") and indicator.definition == "新解释"
    assert change.before is not None and change.after is not None
    assert change.before["definition"] != "新解释" and change.after["weight"] == "0.9"
    change_revert(user=admin, programme=anhui, change_id=change.pk, reason="恢复")
    indicator.refresh_from_db()
    assert indicator.definition == change.before["definition"] and indicator.weight == Decimal("1.2")


def test_retiring_an_indicator_a_target_still_measures_is_refused(anhui, personas):
    with pytest.raises(ValidationError) as refused:
        indicator_retire(
            user=personas["province_admin"],
            programme=anhui,
            code="ec-listed",
            from_year=2027,
            reason="停用",
        )
    (message,) = refused.value.messages
    assert "仍被1个2027年及以后的目标引用" in message and "上市企业（2030）" in message
    assert Indicator.objects.get(dimension__framework__programme=anhui, code="ec-listed").retired_from is None


def test_an_indicator_no_target_measures_is_retired_from_a_year(anhui, personas):
    indicator_retire(
        user=personas["province_admin"],
        programme=anhui,
        code="ic-rd-intensity",
        from_year=2027,
        reason="停用",
    )
    in_2026 = {i.code for _, inds in framework_for_year(anhui, 2026) for i in inds}
    in_2027 = {i.code for _, inds in framework_for_year(anhui, 2027) for i in inds}
    assert "ic-rd-intensity" in in_2026 and "ic-rd-intensity" not in in_2027
    assert load_text(dump_definition(programme_definition_export(anhui))).outcome == "unchanged"


def test_the_editor_page_refuses_99_percent_and_adds_an_indicator(client, anhui, personas):
    client.force_login(personas["province_admin"])
    url = f"/programmes/{anhui.code}/settings/framework/"
    page = client.get(url).content.decode()
    assert "创新能力" in page and "新增指标" in page and "合计" in page
    weights = {"w-innovation": "0.24", "w-enterprises": "0.2", "w-agglomeration": "0.2", "w-factors": "0.15"}
    refused = client.post(url + "weights/", {**weights, "w-results": "0.2", "reason": "试"})
    assert refused.status_code == 400 and "现为0.99（99%" in refused.content.decode()
    added = client.post(
        url + "indicators/",
        {**_new().__dict__, "dimension": "innovation", "reason": "新增专利指标"},
        follow=True,
    )
    assert "已保存：指标“每万人发明专利拥有量”" in added.content.decode()
    in_2025 = client.get(url + "?year=2025").content.decode()
    assert "每万人发明专利拥有量（1）" not in in_2025
    retire = client.post(url + "indicators/ec-listed/retire/", {"from_year": "2027", "reason": "停用"})
    assert retire.status_code == 400 and "仍被1个2027年及以后的目标引用" in retire.content.decode()


def test_the_editor_is_404_for_a_city_officer_and_read_only_for_an_expert(client, anhui, personas):
    client.force_login(personas["hefei_city_officer"])
    assert client.get(f"/programmes/{anhui.code}/settings/framework/").status_code == 404
    client.force_login(personas["scientist_expert"])
    page = client.get(f"/programmes/{anhui.code}/settings/framework/")
    assert page.status_code == 200 and "新增指标" not in page.content.decode()
    assert client.post(f"/programmes/{anhui.code}/settings/framework/weights/", {}).status_code == 404


def test_a_change_from_a_stated_year_leaves_earlier_years_their_weights_and_definitions(anhui, personas):
    admin = personas["province_admin"]
    dimension_weights_change(
        user=admin,
        programme=anhui,
        weights={"innovation": "0.3", "factors": "0.1"},
        reason="自2027年起突出创新",
        effective_year=2027,
    )
    indicator_change(
        user=admin,
        programme=anhui,
        code="ic-platforms",
        changes={"definition": "2028年起的新口径"},
        reason="口径调整",
        effective_year=2028,
    )

    def year(y: int) -> tuple[dict[str, Decimal], str]:
        framework = framework_for_year(anhui, y)
        weights = {d.code: d.weight for d, _ in framework}
        definition = next(i.definition for _, inds in framework for i in inds if i.code == "ic-platforms")
        return weights, definition

    w2026, d2026 = year(2026)
    w2027, d2027 = year(2027)
    w2028, d2028 = year(2028)
    assert w2026["innovation"] == Decimal("0.25") and w2027["innovation"] == Decimal("0.3")
    assert w2028["innovation"] == Decimal("0.3")
    assert d2027 == d2026 != "2028年起的新口径" and d2028 == "2028年起的新口径"
    assert sum(w2026.values()) == sum(w2027.values()) == 1


def test_the_editor_page_shows_each_year_its_own_weights(client, anhui, personas):
    client.force_login(personas["province_admin"])
    url = f"/programmes/{anhui.code}/settings/framework/"
    weights = {"w-innovation": "0.3", "w-enterprises": "0.2", "w-agglomeration": "0.2", "w-factors": "0.1"}
    client.post(
        url + "weights/", {**weights, "w-results": "0.2", "effective_year": "2027", "reason": "自2027年起"}
    )
    page_2026 = client.get(url + "?year=2026").content.decode()
    page_2027 = client.get(url + "?year=2027").content.decode()
    assert 'data-testid="weight-innovation">0.25<' in page_2026
    assert 'data-testid="weight-innovation">0.3<' in page_2027
