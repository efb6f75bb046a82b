"""The Anhui admin changes the AA threshold with a reason, sees it in the history, reverts it; a second admin is told."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import login_as, screenshot
from xiandao.programmes.models import RuleParameter
from xiandao.programmes.tests.conftest import second_admin_make

AA = "grades.AA.threshold"


def test_the_admin_changes_and_reverts_the_aa_threshold_and_the_other_admin_is_told(
    browser, page, live_server, personas, shipped_programmes
):
    anhui = shipped_programmes["anhui"]
    second_admin_make()

    login_as(page, "province_admin")
    page.get_by_role("link", name="计划设置").click()
    expect(page.get_by_role("heading", name=anhui.name)).to_be_visible()
    row = page.get_by_test_id(f"parameter-{AA}")
    expect(row.get_by_test_id("value")).to_contain_text("100")
    expect(row).to_contain_text("默认值")

    # An inverted grade order is refused, naming the fields; nothing is saved.
    row.get_by_label("AA等次分档线新值").fill("130")
    row.get_by_label("理由").fill("试算")
    row.get_by_role("button", name="保存修改").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        "AAA等次分档线（125）应高于AA等次分档线（130）"
    )
    assert RuleParameter.objects.get(programme=anhui, key=AA).value == 100

    row = page.get_by_test_id(f"parameter-{AA}")
    row.get_by_label("AA等次分档线新值").fill("105")
    row.get_by_label("理由").fill("经主任办公会研究，提高AA等次门槛")
    row.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存：AA等次分档线")
    row = page.get_by_test_id(f"parameter-{AA}")
    expect(row.get_by_test_id("value")).to_contain_text("105")
    expect(row).to_contain_text("已确认")
    screenshot(page, "programme-settings")

    page.get_by_role("tab", name="变更记录").or_(
        page.locator(".xd-tabs").get_by_role("link", name="变更记录")
    ).first.click()
    table = page.get_by_test_id("change-table")
    expect(table).to_contain_text("经主任办公会研究，提高AA等次门槛")
    expect(table).to_contain_text("AA等次分档线")
    table.get_by_label("撤销理由").first.fill("会议决定暂缓调整")
    table.get_by_role("button", name="撤销").first.click()
    expect(page.get_by_role("alert").first).to_contain_text("已撤销：AA等次分档线")
    expect(page.get_by_test_id("change-table")).to_contain_text("撤销变更")
    screenshot(page, "programme-changes")
    parameter = RuleParameter.objects.get(programme=anhui, key=AA)
    assert (parameter.value, parameter.is_default) == (100, True)

    # The second admin's bell has both changes.
    other = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    second = other.new_page()
    second.goto("/accounts/login/")
    second.get_by_label("用户名").fill("ah_admin2")
    second.get_by_label("密码").fill("correct-horse-battery")
    second.get_by_role("button", name="登录", exact=True).click()
    expect(second.get_by_test_id("bell-count")).to_have_text("2")
    second.get_by_role("button", name="消息").click()
    menu = second.get_by_test_id("bell-menu")
    expect(menu).to_contain_text("AA等次分档线")
    expect(menu).to_contain_text("100（默认值） → 105")
    screenshot(second, "programme-settings-bell")
    other.close()
