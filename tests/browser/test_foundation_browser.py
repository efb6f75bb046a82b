"""What a person does first: log in as each persona, see their home page; watch a job's progress bar."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.browser.conftest import login_as, screenshot
from xiandao.accounts.demo import DEMO_PASSWORD, PERSONAS


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_each_persona_logs_in_and_sees_their_home_page(page, personas, persona):
    login_as(page, persona.key)
    identity = page.get_by_test_id("home-identity")
    assert persona.organisation.name in identity.inner_text()
    assert page.get_by_test_id("role-scope").first.is_visible()
    assert "范围" in page.get_by_test_id("role-scope").first.inner_text()
    assert persona.display_name in page.get_by_test_id("current-user").inner_text()
    screenshot(page, f"home-{persona.key}")


def test_wrong_password_then_right_one(page, personas):
    page.goto("/accounts/login/")
    page.fill("#id_username", "hf_officer")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]:has-text('登录')")
    page.get_by_text("用户名或密码不正确").wait_for()
    assert page.input_value("#id_username") == "hf_officer"  # what was typed is kept
    screenshot(page, "login-wrong-password")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.get_by_role("heading", name="我的工作台").wait_for()


def test_demo_job_progress_bar_moves_to_done(page, personas):
    with override_settings(JOBS_BACKEND="thread", JOBS_DEMO_STEP_SECONDS=0.1):
        login_as(page, "hefei_city_officer")
        page.click("text=启动演示任务")
        page.get_by_role("heading", name="演示任务：逐项核对").wait_for()
        page.get_by_test_id("job-status").filter(has_text="已完成").wait_for(timeout=20_000)
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    screenshot(page, "job-progress-done")
