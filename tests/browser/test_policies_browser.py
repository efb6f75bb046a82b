"""The Anhui admin uploads the pilot-zone plan, confirms what the platform read, publishes it, and finds the targets public.

The plan's text is read from the policy folder when the test runs; the repository never holds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, login_as, screenshot
from tests.support import policy_file
from xiandao.programmes.models import Programme, Target
from xiandao.programmes.tests.loading import programme_ensure

REPO = Path(__file__).resolve().parents[2]
PLAN = "anhui-pilot-zone-plan"
PROGRAMME = "安徽省未来产业培育（未来产业先导区建设）"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    source = policy_file(f"{PLAN}.txt")
    path = tmp_path / "安徽省未来产业先导区建设方案（试行）.txt"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def anhui_without_plan_targets(reference_data: None) -> Programme:
    """The Anhui programme with the plan listed but its targets not typed in yet."""
    programme = programme_ensure("anhui")
    Target.objects.filter(programme=programme, document__code=PLAN).delete()
    return programme


def card(page, number: str):
    return page.locator(f"article.pl-card[aria-label={number}]")


def test_the_admin_uploads_the_plan_confirms_targets_and_sees_them_published(
    page, personas, anhui_without_plan_targets, plan_file
):
    login_as(page, "province_admin")
    page.get_by_role("link", name="政策文件").click()
    page.get_by_role("heading", name="政策文件").wait_for()
    page.get_by_role("link", name="上传政策文件").click()

    # A scanned or old-format file is refused in Chinese, and what was typed stays.
    bad = plan_file.with_suffix(".doc")
    bad.write_bytes(b"\xd0\xcf\x11\xe0")
    page.select_option("#id_document", label=f"《安徽省未来产业先导区建设方案（试行）》（{PROGRAMME}）")
    page.fill("#id_number", "皖发改高技〔2024〕83号")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="上传并识别").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("暂不支持旧版 Word（.doc）文件")
    expect(page.locator("#id_number")).to_have_value("皖发改高技〔2024〕83号")
    screenshot(page, "policies-upload-refused")

    page.set_input_files("#id_file", str(plan_file))
    page.get_by_role("button", name="上传并识别").click()
    page.wait_for_url("**/policies/documents/*/")
    expect(page.get_by_test_id("review-summary")).to_contain_text("待确认 24")
    # Every proposal is marked in the text with its number and status in words.
    tag = page.locator("a.pl-tag", has_text="目标3·待确认")
    expect(tag).to_have_count(1)
    tag.click()
    expect(card(page, "目标3")).to_be_in_viewport()
    expect(card(page, "目标3").get_by_test_id("proposal-change")).to_have_text("新增")
    screenshot(page, "policies-review")
    page.screenshot(path=str(SCREENSHOTS / "policies-review-viewport.png"))

    # Accept two targets as read; the page does not reload (HTMX), the text's tag follows.
    page.evaluate("window.__notReloaded = true")
    for number in ("目标1", "目标3"):
        card(page, number).get_by_test_id("accept").click()
        expect(card(page, number).get_by_test_id("proposal-status")).to_have_text("已接受")
    expect(page.locator("a.pl-tag", has_text="目标3·已接受")).to_have_count(1)
    expect(page.locator("mark.pl-mark.pl-accepted", has_text="培育30家左右上市企业")).to_have_count(1)
    expect(page.get_by_test_id("review-summary")).to_contain_text("已接受 2")
    assert page.evaluate("window.__notReloaded") is True

    # Edit one: a figure that is not a number is named next to its field, and nothing typed is lost.
    card(page, "目标4").get_by_test_id("edit").click()
    form = card(page, "目标4").get_by_test_id("edit-form")
    form.locator("input[name=value]").fill("六十")
    form.locator("input[name=reason]").fill("按印发稿核对")
    form.get_by_role("button", name="保存并接受").click()
    expect(card(page, "目标4").get_by_test_id("proposal-errors")).to_contain_text("目标值应为数字")
    expect(card(page, "目标4").locator("input[name=reason]")).to_have_value("按印发稿核对")
    screenshot(page, "policies-edit-error")
    card(page, "目标4").locator("input[name=value]").fill("60")
    card(page, "目标4").get_by_role("button", name="保存并接受").click()
    expect(card(page, "目标4").get_by_test_id("proposal-status")).to_have_text("修改后接受")

    # Reject one, with a reason.
    card(page, "目标6").get_by_test_id("reject").click()
    card(page, "目标6").locator("input[name=reason]").fill("“三首”产品另行统计")
    card(page, "目标6").get_by_role("button", name="确认驳回").click()
    expect(card(page, "目标6").get_by_test_id("proposal-status")).to_have_text("已驳回")
    expect(page.locator("mark.pl-mark.pl-rejected", has_text="推出100件左右高端“三首”产品")).to_have_count(1)
    screenshot(page, "policies-review-decided")

    # The comparison with the programme: all six targets new (three of them written now), none removed.
    page.get_by_test_id("compare-link").click()
    expect(page.get_by_test_id("count-targets-new")).to_have_text("新增 6")
    expect(page.locator("[data-testid=compare-row]", has_text="新增（已写入）")).to_have_count(3)
    expect(page.get_by_test_id("count-targets-removed")).to_have_text("新版本中已无 0")
    screenshot(page, "policies-compare")

    # Nothing is public yet: the version is a draft (草稿) until the admin publishes it.
    page.go_back()
    review = page.url
    expect(page.get_by_test_id("publication-tag")).to_contain_text("草稿")
    page.goto("/programmes/anhui/targets/?document=anhui-pilot-zone-plan")
    expect(page.locator("[data-testid=target-row]")).to_have_count(0)
    page.goto(review)
    page.once("dialog", lambda dialog: dialog.accept())  # 确定发布…？
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("publication-tag")).to_contain_text("已发布")
    expect(page.get_by_test_id("publication-panel")).to_contain_text("已公开")
    screenshot(page, "policies-published")

    # The accepted targets are the programme's, on its public targets page, linked to their sentences.
    page.goto("/programmes/anhui/targets/?document=anhui-pilot-zone-plan")
    expect(page.get_by_test_id("target-count")).to_contain_text("共 3 条目标")
    rows = page.locator("[data-testid=target-row]")
    texts = " ".join(rows.all_inner_texts())
    assert "省级未来产业先导区" in texts and "上市企业" in texts and "创新和公共服务平台" in texts
    assert "高端“三首”产品" not in texts
    screenshot(page, "policies-targets-published")
    rows.filter(has_text="上市企业").locator("a.xd-quote-link").click()
    page.wait_for_url("**/documents/anhui-pilot-zone-plan/#target-anhui-pilot-zone-plan-2030-*")
    current = page.locator("mark.xd-quote-current")
    expect(current).to_have_count(1)
    expect(current).to_have_text("培育30家左右上市企业")
    expect(current).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "policies-target-sentence-viewport.png"))


NEW_DOCUMENT = """关于加快培育未来产业的实施意见
一、发展目标
到2028年，培育30家左右上市企业，力争未来产业规模达到500亿元。
"""


def test_the_admin_withdraws_a_mistaken_upload_with_a_reason(page, personas, reference_data, tmp_path):
    programme_ensure("anhui")
    path = tmp_path / "征求意见稿.txt"
    path.write_text(NEW_DOCUMENT, encoding="utf-8")
    login_as(page, "province_admin")
    page.goto("/policies/upload/")
    page.fill("#id_title", "关于加快培育未来产业的实施意见（征求意见稿）")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并识别").click()
    page.wait_for_url("**/policies/documents/*/")
    card(page, "目标1").get_by_test_id("accept").click()
    expect(card(page, "目标1").get_by_test_id("written-note")).to_contain_text("待发布")
    expect(page.get_by_test_id("publication-tag")).to_contain_text("草稿")
    screenshot(page, "policies-draft-with-controls")

    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("withdraw-drafts")).to_contain_text("上市企业")
    page.get_by_test_id("confirm-withdraw").click()
    expect(page.get_by_text("请填写撤回理由")).to_be_visible()
    page.fill("textarea[name=reason]", "上传的是征求意见稿，应为印发稿")
    screenshot(page, "policies-withdraw-confirm")
    page.get_by_test_id("confirm-withdraw").click()
    page.wait_for_url("**/policies/documents/*/")
    expect(page.get_by_test_id("publication-tag")).to_contain_text("已撤回")
    expect(page.get_by_test_id("withdrawal")).to_contain_text("上传的是征求意见稿，应为印发稿")
    expect(card(page, "目标1").get_by_test_id("written-note")).to_contain_text("已撤销")
    expect(page.get_by_test_id("accept")).to_have_count(0)  # nothing more to decide
    screenshot(page, "policies-withdrawn")
    retired = Target.objects.get(quote="培育30家左右上市企业", document__title__contains="实施意见")
    assert retired.status == "retired"
