"""A visitor reads the Anhui programme's targets, filters by document and follows a target to its sentence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, screenshot
from xiandao.programmes.tests.loading import programme_ensure


@pytest.fixture
def anhui(reference_data):
    return programme_ensure("anhui")


def test_a_visitor_follows_a_target_to_its_highlighted_sentence(page, anhui):
    page.goto("/programmes/")
    page.get_by_role("link", name="安徽省未来产业培育（未来产业先导区建设）").click()
    page.get_by_role("link", name="目标", exact=True).click()
    page.get_by_test_id("target-count").filter(has_text="共 39 条目标").wait_for()

    page.select_option("#f-document", label="《安徽省未来产业发展行动方案》")
    page.wait_for_url("**/targets/?document=anhui-action-plan-2024*")
    page.get_by_test_id("target-count").filter(has_text="共 33 条目标").wait_for()
    assert "建设10个左右省级未来产业先导区" not in page.content()  # the other document's target is gone
    screenshot(page, "programmes-anhui-targets-filtered")

    row = page.locator("[data-testid=target-row][data-code=ap-2027-key-technologies]")
    assert "关键技术" in row.inner_text() and "100" in row.inner_text()
    row.locator("a.xd-quote-link").click()
    page.wait_for_url("**/documents/anhui-action-plan-2024/#target-ap-2027-key-technologies")

    current = page.locator("mark.xd-quote-current")
    current.first.wait_for()
    assert current.count() == 1
    assert current.inner_text() == "突破100项以上关键技术"
    assert current.is_visible()
    expect(current).to_be_in_viewport()  # the page scrolled to the sentence
    # Every other quote of the document is marked too, but not emphasised.
    assert page.locator("mark.xd-quote").count() > 30
    screenshot(page, "programmes-anhui-target-in-document")
    # What the visitor sees on arrival, without scrolling.
    page.screenshot(path=str(SCREENSHOTS / "programmes-anhui-target-in-document-viewport.png"))


def test_a_visitor_asks_what_the_science_department_is_responsible_for(page, anhui):
    page.goto("/programmes/anhui/tasks/")
    page.fill("#f-organisation", "省科技厅")
    page.get_by_role("button", name="筛选").click()
    answer = page.get_by_test_id("organisation-answer")
    answer.wait_for()
    assert "安徽省科学技术厅" in answer.inner_text() and "牵头（责任）5 项，配合 12 项" in answer.inner_text()
    assert page.locator("[data-testid=task-row]").count() == 17
    screenshot(page, "programmes-anhui-tasks-science-department")
