"""The Anhui admin publishes a notice to Hefei; the Hefei officer sees it in the bell, opens it, and it is read."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login_as, screenshot
from xiandao.accounts.models import Organisation
from xiandao.geo.models import Jurisdiction
from xiandao.notifications.models import Notification
from xiandao.programmes.models import Programme

TITLE = "关于召开合肥市先导区创建工作调度会的通知"


@pytest.fixture
def anhui(personas) -> Programme:
    return Programme.objects.create(
        code="anhui",
        name="安徽省未来产业培育（未来产业先导区建设）",
        level="province",
        jurisdiction=Jurisdiction.objects.get(code="340000"),
        admin_organisation=Organisation.objects.get(code="ah-drc"),
        start_year=2024,
        end_year=2030,
    )


def test_a_notice_published_by_the_admin_rings_the_hefei_officers_bell(
    browser, page, live_server, personas, anhui, mailoutbox
):
    officer = personas["hefei_city_officer"]
    officer.email = "li.qiang@example.cn"
    officer.save()

    # The officer's bell is quiet before.
    other = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    officer_page = other.new_page()
    login_as(officer_page, "hefei_city_officer")
    expect(officer_page.get_by_test_id("bell-count")).to_have_count(0)

    # The admin publishes to Hefei only.
    login_as(page, "province_admin")
    page.goto("/notifications/notices/")
    page.get_by_role("link", name="发布通知公告").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill("定于本周五召开调度会，请相关先导区运营单位做好汇报准备。")
    page.get_by_label("合肥市").check()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("alert")).to_contain_text("通知公告已发布，已通知 2 位用户")
    expect(page.get_by_test_id("notice")).to_contain_text(TITLE)

    # The officer sees one unread message in the header, opens the bell and the notice.
    officer_page.reload()
    expect(officer_page.get_by_test_id("bell-count")).to_have_text("1")
    expect(officer_page.get_by_test_id("workbench-notices")).to_contain_text(TITLE)
    screenshot(officer_page, "notifications-workbench-card")
    officer_page.get_by_role("button", name="消息").click()
    menu = officer_page.get_by_test_id("bell-menu")
    expect(menu).to_contain_text(TITLE)
    expect(menu).to_contain_text("通知公告")
    screenshot(officer_page, "notifications-bell-dropdown")
    menu.get_by_role("button", name=TITLE).click()
    expect(officer_page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(officer_page.get_by_test_id("notice")).to_contain_text("定于本周五召开调度会")
    expect(officer_page.get_by_test_id("bell-count")).to_have_count(0)
    assert Notification.objects.get(recipient=officer).read_at is not None

    # The list keeps it, read; and the mail went to the officer who had an address.
    officer_page.goto("/notifications/")
    expect(officer_page.get_by_test_id("notification").first).to_contain_text("已读")
    screenshot(officer_page, "notifications-list")
    assert [m.to for m in mailoutbox] == [["li.qiang@example.cn"]]
    assert TITLE in mailoutbox[0].subject
    other.close()


def test_a_province_wide_expert_is_not_rung_for_a_city_notice(browser, page, live_server, personas, anhui):
    login_as(page, "province_admin")
    page.goto("/notifications/notices/new/")
    page.get_by_label("标题").fill("只发合肥")
    page.get_by_label("正文").fill("……")
    page.get_by_label("合肥市").check()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("alert")).to_contain_text("通知公告已发布")
    other = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    expert_page = other.new_page()
    login_as(expert_page, "scientist_expert")
    expect(expert_page.get_by_test_id("bell-count")).to_have_count(0)
    expect(expert_page.get_by_test_id("workbench-notices")).to_contain_text("暂无通知公告")
    other.close()
