"""Names without a code: matched against known names (有限公司 vs 股份有限公司, 简称), offered, never merged."""

from __future__ import annotations

import pytest

from xiandao.registries.matching import best_matches, name_core, similarity
from xiandao.registries.models import Enterprise
from xiandao.registries.registry import BY_KEY
from xiandao.registries.services.entries import EntryRefused, entry_add
from xiandao.registries.tests.factories import EnterpriseFactory


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("安徽示例量子科技股份有限公司", "示例量子科技"),
        ("示例量子科技有限公司", "示例量子科技"),
        ("合肥示例量子科技有限责任公司（筹）", "示例量子科技"),
    ],
)
def test_name_cores_drop_legal_form_and_place(name, core):
    assert name_core(name) == core


def test_legal_forms_and_short_names_match():
    assert similarity("安徽示例量子科技股份有限公司", "示例量子科技有限公司") == 1.0
    assert similarity("示例量子", "合肥示例量子科技有限公司") == 0.9
    assert similarity("示例储能科技有限公司", "示例生物医药有限公司") < 0.75
    candidates = [(1, "示例量子科技有限公司", "示例量子"), (2, "示例储能科技有限公司", "")]
    assert [pk for pk, _, _ in best_matches("安徽示例量子科技股份有限公司", candidates)] == [1]


@pytest.mark.django_db
def test_a_name_without_a_code_is_offered_matches_and_nothing_is_merged(hefei_city_officer, anhui):
    EnterpriseFactory(name="示例量子科技有限公司", short_name="示例量子")
    with pytest.raises(EntryRefused):
        entry_add(
            actor=hefei_city_officer,
            registry=BY_KEY["enterprise"],
            data={"name": "安徽示例量子科技股份有限公司", "city": "合肥市", "valid_from": "2025-01-01"},
        )
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_the_form_offers_the_known_enterprise(client, hefei_city_officer, anhui):
    known = EnterpriseFactory.create(name="示例量子科技有限公司")
    client.force_login(hefei_city_officer)
    response = client.post(
        "/registries/enterprises/add/",
        {"name": "安徽示例量子科技股份有限公司", "city": "340100", "valid_from": "2025-01-01"},
    )
    page = response.content.decode()
    assert 'data-testid="name-matches"' in page and f"/registries/enterprises/{known.pk}/" in page
    assert "统一社会信用代码" in page and Enterprise.objects.count() == 1
