"""The city checks eligibility, drafts with autosave, attests and recommends; the province returns, then accepts."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.pilot_zones.demo import DEMO_LETTER_PDF
from xiandao.programmes.tests.loading import load

REQUIRED = ("ic-rd-intensity", "ic-key-technologies", "ec-high-tech", "ia-revenue", "fs-equity-investment")
YEARS = ("2025", "2026", "2027")


@pytest.fixture
def anhui(personas, settings, tmp_path):
    settings.ATTACHMENTS_ROOT = tmp_path / "attachments"
    return load("anhui").programme


def _saved(page) -> None:
    page.get_by_test_id("saved").wait_for()


def _attest_and_recommend(page, letter) -> None:
    for check, text in (
        ("authenticity", "经核对，材料真实。"),
        ("accuracy", "经核对，数据准确。"),
        ("completeness", "经核对，材料齐全。"),
        ("compliance", "经核对，程序合规。"),
    ):
        page.fill(f"#at-{check}", text)
    page.get_by_test_id("attest").click()
    page.get_by_text("已确认材料审核").wait_for()
    assert "推荐函：未上传本次推荐的盖章推荐函。" in page.get_by_test_id("missing").inner_text()
    assert page.get_by_test_id("recommend").is_disabled()
    page.set_input_files("#letter", str(letter))
    page.get_by_test_id("upload-letter").click()
    page.get_by_text("已上传盖章推荐函").wait_for()
    page.get_by_test_id("recommend").click()
    page.get_by_text("已书面推荐至省级主管部门。").wait_for()


def test_city_drafts_and_recommends_province_returns_city_resubmits_province_accepts(page, anhui, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    letter = tmp_path / "合肥市推荐函.pdf"
    letter.write_bytes(DEMO_LETTER_PDF)
    doc = tmp_path / "旧格式.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)

    login_as(page, "hefei_city_officer")
    page.get_by_role("link", name="申请报告").click()
    page.get_by_test_id("new-application").click()
    # Eligibility: a condition left unanswered is refused, with the reason beside it.
    page.get_by_label(re.compile("合肥高新技术产业开发区")).check()
    conditions = page.get_by_test_id("condition")
    assert conditions.count() == 5
    for index in range(4):
        conditions.nth(index).locator("textarea").fill(f"说明{index + 1}：已具备。")
    page.get_by_test_id("eligibility-submit").click()
    page.locator(".invalid-feedback", has_text="请说明是否具备“区域相对集中”。").wait_for()
    screenshot(page, "applications-01-eligibility-refused")
    page.get_by_test_id("condition").nth(4).locator("textarea").fill("核心区集中于高新区南岗片区。")
    page.get_by_label(re.compile("合肥高新技术产业开发区")).check()
    page.fill("#e-name", "测试量子精密测量未来产业先导区")
    page.get_by_test_id("eligibility-submit").click()
    page.get_by_text("已通过资格核对").wait_for()

    # The form saves as the officer types, section by section.
    page.select_option("[data-testid=field]", "quantum")
    _saved(page)
    page.fill("#f-start", "2025")
    page.fill("#f-end", "2027")
    with page.expect_navigation():
        page.keyboard.press("Tab")
    page.locator("[data-testid=targets] th", has_text="2027年").wait_for()
    for code in REQUIRED:
        page.fill(f"input[name=target__{code}__overall]", "30")
        for offset, year in enumerate(YEARS):
            page.fill(f"input[name=target__{code}__{year}]", str(8 + offset))
    page.fill("#f-measures", "一、建设量子精密测量中试平台。\n二、设立专项基金。")
    page.locator("#f-measures").blur()
    _saved(page)
    assert page.get_by_test_id("section-targets").get_attribute("data-complete") == "1"
    assert page.get_by_test_id("section-measures").get_attribute("data-complete") == "1"
    screenshot(page, "applications-02-form-autosaved")
    # A .doc is refused by its content, whatever its name.
    page.set_input_files("input[name=file]", str(doc))
    page.get_by_role("button", name="上传").click()
    page.get_by_text("请另存为 .docx 或 PDF 后上传").wait_for()

    page.get_by_role("link", name="完成编写，去提交").click()
    assert not page.get_by_test_id("missing").count()
    page.get_by_test_id("submit").click()
    page.get_by_text("已提交设区市审核。").wait_for()
    _attest_and_recommend(page, letter)
    screenshot(page, "applications-03-recommended")
    url = page.url

    # The province returns it with reasons.
    page.context.clear_cookies()
    login_as(page, "province_admin")
    page.goto(url)
    page.fill("#reason", "2026、2027年高新技术企业目标偏低，请调高。")
    page.get_by_test_id("return").click()
    page.get_by_text("已退回修改，并通知设区市。").wait_for()

    # The city sees why, edits and resubmits; the revisions show what changed.
    page.context.clear_cookies()
    login_as(page, "hefei_city_officer")
    page.goto(url)
    assert "目标偏低" in page.get_by_test_id("return-reason").inner_text()
    screenshot(page, "applications-04-returned")
    page.get_by_test_id("edit").click()
    page.fill("input[name=target__ec-high-tech__2027]", "15")
    page.locator("input[name=target__ec-high-tech__2027]").blur()
    _saved(page)
    page.goto(url)
    page.get_by_test_id("submit").click()
    page.get_by_text("已提交设区市审核。").wait_for()
    _attest_and_recommend(page, letter)
    page.get_by_test_id("tab-revisions").click()
    page.get_by_test_id("compare").click()
    page.get_by_test_id("compare-table").wait_for()
    changed = page.get_by_test_id("changed-row").filter(has_text="高新技术企业（2027年）")
    assert (
        changed.locator("td").nth(1).inner_text() == "10"
        and changed.locator("td").nth(2).inner_text() == "15"
    )
    screenshot(page, "applications-05-compare")

    # The province accepts it for review; the step bar names who acted and when.
    page.context.clear_cookies()
    login_as(page, "province_admin")
    page.goto(url)
    page.get_by_test_id("accept").click()
    page.get_by_text("已受理，进入论证。").wait_for()
    assert page.get_by_test_id("status").first.inner_text() == "论证中"
    assert "王敏" in page.get_by_test_id("steps").inner_text()
    page.get_by_test_id("tab-log").click()
    log = page.get_by_test_id("history").inner_text()
    assert "退回修改" in log and "受理论证" in log and "调高" in log
    screenshot(page, "applications-06-accepted")
