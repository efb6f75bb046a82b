"""Fuzhou's 六个一 in the browser: the overview of the industries, then one industry's six lists side by side,
where the responsible unit's officer adds to the investment list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.browser.conftest import screenshot
from xiandao.accounts.models import Role, ScopeKind
from xiandao.accounts.selectors import organisation_resolve
from xiandao.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from xiandao.supervision.demo import demo_supervision_create
from xiandao.supervision.models import SixListEntry


@pytest.fixture
def officer(personas, shipped_programmes):
    fuzhou = shipped_programmes["fuzhou"]
    demo_supervision_create()
    unit = organisation_resolve("市工信局", within=fuzhou.jurisdiction)
    user = UserFactory(organisation=unit)
    RoleAssignmentFactory(
        user=user,
        role=Role.DEPARTMENT_OFFICER,
        scope_kind=ScopeKind.ORGANISATION,
        jurisdiction=None,
        organisation=unit,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


def test_the_officer_of_the_responsible_unit_keeps_the_investment_list(page, live_server, officer):
    page.goto("/accounts/login/")
    page.context.add_cookies([{"name": "sessionid", "value": _session(officer), "url": live_server.url}])
    page.goto("/supervision/fuzhou/six-lists/")
    overview = page.get_by_test_id("six-overview")
    overview.wait_for()
    assert "新一代光电" in overview.inner_text() and "福州市工业和信息化局" in overview.inner_text()
    screenshot(page, "supervision-six-lists-overview")
    overview.get_by_role("link", name="新一代光电").click()
    page.get_by_test_id("six-units").wait_for()
    assert "（牵头）" in page.get_by_test_id("six-units").inner_text()
    enterprises = page.locator("[data-list=enterprises]").inner_text()
    assert "示例福州光电集团有限公司" in enterprises and "登记库" in enterprises  # from the registry
    investment = page.locator("[data-list=investment]")
    assert "示例深圳高速光模块企业" in investment.inner_text()
    investment.get_by_text("加入招商引资清单").click()
    page.locator("#a-name-investment").fill("示例成都光电显示企业")
    page.locator("#a-region-investment").fill("成都")
    investment.get_by_role("button", name="加入", exact=True).click()
    page.get_by_text("已加入招商引资清单：示例成都光电显示企业。").wait_for()
    assert SixListEntry.objects.filter(name="示例成都光电显示企业", region="成都").exists()
    screenshot(page, "supervision-six-lists-industry")


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
