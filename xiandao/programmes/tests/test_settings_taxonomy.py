"""动态调整: a new dated taxonomy version; old versions and their zones untouched; the mapping shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xiandao.programmes.definition import dump_definition
from xiandao.programmes.models import Field, Programme, TaxonomyVersion
from xiandao.programmes.services.history import ChangeRefused, change_revert
from xiandao.programmes.services.taxonomy import (
    FieldAdd,
    VersionPlan,
    taxonomy_mappings,
    taxonomy_version_create,
)
from xiandao.programmes.state import programme_definition_export
from xiandao.programmes.tests.loading import load_text


@pytest.fixture
def anhui(shipped_programmes: dict[str, Programme]) -> Programme:
    return shipped_programmes["anhui"]


def _create(user, programme, plan, **overrides):
    values = {
        "code": "anhui-2026-01",
        "name": "2026年动态调整",
        "valid_from": dt.date(2026, 1, 15),
        "document_code": "anhui-action-plan-2024",
        "reason": "咨询委员会建议",
        **overrides,
    }
    return taxonomy_version_create(user=user, programme=programme, plan=plan, **values)


def test_the_shipped_mapping_shows_life_and_health_becoming_life_sciences(anhui):
    ((before, after, rows),) = taxonomy_mappings(anhui)
    assert (before.code, after.code) == ("anhui-2024-02", "anhui-2024-09")
    assert ("生命与健康", "更名", "生命科学") in rows


def test_a_new_version_adds_renames_merges_and_retires(anhui, personas):
    plan = VersionPlan(
        renames={"future-network": "未来网络与通信"},
        merges={"blockchain": "metaverse"},
        retired={"advanced-equipment"},
        added=[FieldAdd(code="embodied-ai", name="具身智能", kind="extended", directions=("人形机器人",))],
    )
    _create(personas["province_admin"], anhui, plan)
    new = TaxonomyVersion.objects.get(programme=anhui, code="anhui-2026-01")
    names = {f.code: f.name for f in new.fields.all()}
    assert names["future-network"] == "未来网络与通信" and "blockchain" not in names
    assert "advanced-equipment" not in names and names["embodied-ai"] == "具身智能"
    assert Field.objects.get(version=new, code="metaverse").replaces == ["blockchain"]
    # The earlier version is as it was: zones that applied under it keep their field.
    old = TaxonomyVersion.objects.get(programme=anhui, code="anhui-2024-09")
    assert {f.code for f in old.fields.all()} >= {"blockchain", "advanced-equipment"}
    rows = taxonomy_mappings(anhui)[-1][2]
    assert ("未来网络", "更名", "未来网络与通信") in rows
    assert ("区块链", "并入", "元宇宙") in rows
    assert ("先进装备制造", "停用", "") in rows
    assert ("", "新增", "具身智能") in rows
    # Exported and loaded again as it is.
    assert load_text(dump_definition(programme_definition_export(anhui))).outcome == "unchanged"


def test_a_rename_colliding_with_another_field_is_refused(anhui, personas):
    with pytest.raises(ValidationError) as refused:
        _create(
            personas["province_admin"],
            anhui,
            VersionPlan(renames={"quantum": "量子信息", "metaverse": "量子信息"}),
        )
    assert any("领域名称“量子信息”与本版本的另一领域重名" in m for m in refused.value.messages)
    assert not TaxonomyVersion.objects.filter(code="anhui-2026-01").exists()


def test_a_date_not_after_the_previous_version_is_refused_as_the_loader_does(anhui, personas):
    with pytest.raises(ValidationError) as refused:
        _create(personas["province_admin"], anhui, VersionPlan(), valid_from=dt.date(2024, 9, 1))
    assert any("生效日期2024-09-01应晚于上一版本的2024-09-30" in m for m in refused.value.messages)


def test_merging_into_a_retired_field_is_refused(anhui, personas):
    with pytest.raises(ChangeRefused):
        _create(
            personas["province_admin"],
            anhui,
            VersionPlan(merges={"blockchain": "metaverse"}, retired={"metaverse"}),
        )


def test_a_new_version_is_revertable_while_no_newer_one_exists(anhui, personas):
    admin = personas["province_admin"]
    change = _create(admin, anhui, VersionPlan(renames={"quantum": "量子信息"}))
    change_revert(user=admin, programme=anhui, change_id=change.pk, reason="撤回")
    assert not TaxonomyVersion.objects.filter(programme=anhui, code="anhui-2026-01").exists()


def test_the_page_shows_the_mapping_and_offers_accepted_field_proposals(client, anhui, personas):
    from xiandao.programmes.services.taxonomy import FieldProposal, field_proposal_providers

    client.force_login(personas["province_admin"])
    proposal = FieldProposal(name="具身智能", directions=("人形机器人", "灵巧手"), source="新的行动方案")
    with field_proposal_providers.replaced(lambda programme: [proposal]):
        page = client.get(f"/programmes/{anhui.code}/settings/taxonomy/").content.decode()
    assert "生命与健康" in page and "生命科学" in page and "更名" in page
    assert 'value="具身智能"' in page and "人形机器人、灵巧手" in page and "来自《新的行动方案》" in page


def test_the_page_creates_a_version_and_refuses_a_colliding_rename(client, anhui, personas):
    client.force_login(personas["province_admin"])
    url = f"/programmes/{anhui.code}/settings/taxonomy/versions/"
    form = {
        "code": "anhui-2026-01",
        "name": "2026年动态调整",
        "valid_from": "2026-01-15",
        "document": "anhui-action-plan-2024",
        "reason": "咨询委员会建议",
        "add_count": "1",
        "add-name-0": "具身智能",
        "add-code-0": "embodied-ai",
        "add-kind-0": "extended",
        "add-directions-0": "人形机器人、灵巧手",
    }
    refused = client.post(url, {**form, "op-quantum": "rename", "rename-quantum": "元宇宙"})
    assert refused.status_code == 400 and "领域名称“元宇宙”与本版本的另一领域重名" in refused.content.decode()
    done = client.post(url, {**form, "op-blockchain": "merge", "into-blockchain": "metaverse"}, follow=True)
    body = done.content.decode()
    assert "已保存：领域分类“2026年动态调整”" in body and "并入" in body
    field = Field.objects.get(version__code="anhui-2026-01", code="embodied-ai")
    assert list(field.directions.values_list("name", flat=True)) == ["人形机器人", "灵巧手"]


def test_the_page_is_404_for_another_provinces_admin(client, anhui, personas):
    client.force_login(personas["zhejiang_admin"])
    assert client.get(f"/programmes/{anhui.code}/settings/taxonomy/").status_code == 404
    assert client.post(f"/programmes/{anhui.code}/settings/taxonomy/versions/", {}).status_code == 404
