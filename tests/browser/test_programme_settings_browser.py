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


def test_a_weight_changed_from_a_year_and_the_programme_as_it_stood_on_a_date(
    page, live_server, personas, shipped_programmes
):
    import datetime as dt

    from django.utils import timezone

    from xiandao.programmes.models import ProgrammeChange

    anhui = shipped_programmes["anhui"]
    login_as(page, "province_admin")
    page.goto(f"/programmes/{anhui.code}/settings/framework/?year=2027")
    form = page.get_by_test_id("weights-form")
    form.get_by_label("创新能力").fill("0.3")
    form.get_by_label("要素支撑").fill("0.1")
    form.get_by_label("自哪一年起适用（空：所有年度）").fill("2027")
    form.get_by_placeholder("调整理由").fill("自2027年度起突出创新能力")
    form.get_by_role("button", name="保存维度权重").click()
    expect(page.get_by_role("alert").first).to_contain_text("已保存")
    page.goto(f"/programmes/{anhui.code}/settings/framework/?year=2027")
    expect(page.get_by_test_id("weight-innovation")).to_contain_text("0.3")
    screenshot(page, "programme-framework-2027")
    page.goto(f"/programmes/{anhui.code}/settings/framework/?year=2026")
    expect(page.get_by_test_id("weight-innovation")).to_contain_text("0.25")

    # The change was made on 10 March; on 1 March the programme stood as loaded.
    at = timezone.make_aware(dt.datetime(2026, 3, 10, 10))
    ProgrammeChange.objects.filter(programme=anhui).update(at=at)
    page.goto(f"/programmes/{anhui.code}/changes/")
    page.get_by_label("查看某日的计划：").fill("2026-03-01")
    page.get_by_role("button", name="查看", exact=True).click()
    state = page.get_by_test_id("state-on")
    expect(state.get_by_role("heading", name="截至2026年3月1日的计划")).to_be_visible()
    expect(state.get_by_test_id("state-dimension-innovation")).to_contain_text("25.0%")
    expect(state.get_by_test_id("state-parameters")).to_contain_text("AA等次分档线")
    expect(state.get_by_test_id("state-taxonomy")).to_contain_text("当日适用")
    screenshot(page, "programme-as-of")
    state.get_by_role("link", name="返回今天").click()
    expect(page.get_by_test_id("state-on")).to_have_count(0)
    expect(page.get_by_test_id("change-table")).to_contain_text("自2027年度起突出创新能力")
