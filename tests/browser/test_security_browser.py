"""What a person sees of account security: the forced password change, two-factor login, the
session-timeout warning that lets them stay."""

from __future__ import annotations

from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import login_as, screenshot
from xiandao.accounts.demo import DEMO_PASSWORD
from xiandao.accounts.models import Organisation, User


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('登录')")


def test_a_new_user_must_choose_a_password_at_first_login(page, personas):
    User.objects.create_user(
        "newcomer",
        password="Given-by-admin-1",
        display_name="新同事",
        organisation=Organisation.objects.get(name="合肥市发展和改革委员会"),
    )
    _password_login(page, "newcomer", "Given-by-admin-1")
    page.get_by_role("heading", name="修改密码").wait_for()
    assert "首次登录须修改" in page.inner_text("main")
    page.fill("#id_old_password", "Given-by-admin-1")
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.click("button:has-text('保存新密码')")
    page.get_by_text("密码至少需要 10 个字符").wait_for()
    screenshot(page, "password-change-refused")
    page.fill("#id_old_password", "Given-by-admin-1")
    page.fill("#id_new_password1", "Xiandao-Own-2026")
    page.fill("#id_new_password2", "Xiandao-Own-2026")
    page.click("button:has-text('保存新密码')")
    page.get_by_text("密码已修改").wait_for()
    page.get_by_role("heading", name="我的工作台").wait_for()  # where the user was going
    page.goto("/accounts/profile/")
    screenshot(page, "profile-after-password-change")
    assert "合肥市发展和改革委员会" in page.get_by_test_id("profile-organisation").inner_text()


def test_two_factor_setup_then_the_login_asks_for_the_code(page, personas):
    login_as(page, "province_admin")
    page.goto("/accounts/profile/")
    assert "计划管理员" in page.get_by_test_id("profile-roles").inner_text()
    screenshot(page, "profile-province-admin")
    page.get_by_role("link", name="启用双因素认证").click()
    page.get_by_test_id("totp-qr").wait_for()
    screenshot(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user__username="ah_admin", confirmed=False)
    page.fill("#id_token", _code(device))
    page.click("button:has-text('启用')")
    page.get_by_test_id("recovery-codes").wait_for()
    assert len(page.get_by_test_id("recovery-codes").locator("li").all()) == 10
    screenshot(page, "two-factor-recovery-codes")
    page.click("button:has-text('退出')")
    _password_login(page, "ah_admin", DEMO_PASSWORD)
    page.get_by_role("heading", name="双因素认证").wait_for()
    screenshot(page, "two-factor-verify")
    device.refresh_from_db()
    device.last_t = -1  # the set-up code's time step may be reused in this test
    device.save()
    page.fill("#id_token", _code(device))
    page.click("button:has-text('验证并登录')")
    page.get_by_role("heading", name="我的工作台").wait_for()


def test_the_session_timeout_warning_lets_the_user_stay(page, personas):
    with override_settings(SESSION_COOKIE_AGE=14, XIANDAO_SESSION_WARNING_SECONDS=11):
        login_as(page, "hefei_city_officer")
        warning = page.get_by_test_id("session-warning")
        warning.wait_for(state="visible", timeout=8_000)
        assert "会话将在" in warning.inner_text()
        screenshot(page, "session-timeout-warning")
        page.get_by_test_id("session-stay").click()
        warning.wait_for(state="hidden", timeout=3_000)
        page.wait_for_timeout(1_000)
        assert page.get_by_role("heading", name="我的工作台").is_visible()
        # left alone, the page ends the session and goes to the login page
        page.wait_for_url("**/accounts/login/**", timeout=20_000)
        page.get_by_text("会话已结束").wait_for()
        screenshot(page, "session-timed-out")
