"""Accounts and sessions as 等保 2.0 level 3 asks: password rules, lockout, sessions, 2FA, 三员."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiandao.accounts.demo import DEMO_PASSWORD
from xiandao.accounts.models import ApiToken, Role, RoleAssignment, ScopeKind, User
from xiandao.accounts.services import api_token_issue, password_change_own
from xiandao.accounts.tests.factories import UserFactory
from xiandao.core.models import AuditEntry


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# -- password rules ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "至少需要 10 个字符"),
        ("abcdefghijkl", "至少 3 类"),
        ("abcdefgh1234", "至少 3 类"),
        ("Clerk-zhang-2026", "不能包含用户名"),
        ("Password123!", None),
    ],
)
def test_password_rules_in_chinese(reference_data, password, message):
    user = UserFactory.create(username="zhang")
    if message is None:
        validate_password(password, user)
        return
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert any(message in m for m in caught.value.messages)


@pytest.mark.django_db
def test_a_common_password_is_refused(reference_data):
    with pytest.raises(ValidationError, match="过于常见"):
        validate_password("1qaz2wsx3edc", None)


@pytest.mark.django_db
def test_none_of_the_last_five_passwords_may_come_back(reference_data):
    user = UserFactory.create(username="wang")
    passwords = [f"Xiandao-Pass-{n}!" for n in range(6)]
    current = "correct-horse-battery"
    for new in passwords:
        password_change_own(actor=user, old_password=current, new_password=new)
        current = new
    for recent in passwords[1:]:  # the last five, the current one included
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, user)
    validate_password(passwords[0], user)  # the sixth-last may be used again
    assert AuditEntry.objects.filter(action="accounts.user.password_changed", actor=user).count() == 6


@pytest.mark.django_db
def test_first_login_and_a_90_day_old_password_must_be_changed(client, reference_data):
    user = User.objects.create_user("newcomer", password="Given-by-admin-1")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    page = client.get(response["Location"]).content.decode()
    assert "首次登录须修改" in page and "修改密码" in page
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "Given-by-admin-1",
            "new_password1": "My-own-pass-2026",
            "new_password2": "My-own-pass-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still logged in, nothing due
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/password/" in response["Location"]
    assert "超过有效期" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_password_page_says_what_is_wrong(client, reference_data):
    user = UserFactory.create(username="li")
    client.force_login(user)
    page = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    ).content.decode()
    assert "两次输入的新密码不一致" in page
    page = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Long-enough-1", "new_password2": "Long-enough-1"},
    ).content.decode()
    assert "当前密码不正确" in page


def test_the_policy_defaults_are_the_issues():
    base = importlib.import_module("config.settings.base")
    assert base.XIANDAO_LOCKOUT_FAILURES == 5 and base.XIANDAO_LOCKOUT_MINUTES == 30
    assert base.SESSION_COOKIE_AGE == 30 * 60 and base.SESSION_SAVE_EVERY_REQUEST
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE and base.XIANDAO_PASSWORD_MAX_AGE_DAYS == 90
    assert base.XIANDAO_PASSWORD_MIN_LENGTH == 10 and base.XIANDAO_PASSWORD_HISTORY == 5
    assert base.AXES_ENABLE_ACCESS_FAILURE_LOG


@pytest.mark.django_db
def test_the_security_administrator_tightens_the_policy_and_it_takes_effect(client, personas):
    from django.test import Client

    from xiandao.accounts.models import SecurityPolicy

    client.force_login(personas["security_admin"])
    response = client.get("/admin/accounts/securitypolicy/")
    assert response.status_code == 302
    change_url = response["Location"]
    form = {
        "session_idle_minutes": 10,
        "password_max_age_days": 60,
        "password_min_length": 12,
        "password_history": 5,
        "lockout_failures": 4,
        "lockout_minutes": 60,
    }
    loosened = client.post(change_url, {**form, "password_min_length": 8, "lockout_failures": 10})
    assert loosened.status_code == 200 and "只能收紧不能放宽" in loosened.content.decode()
    assert client.post(change_url, form).status_code == 302
    assert SecurityPolicy.objects.get().password_min_length == 12
    assert AuditEntry.objects.filter(action="accounts.securitypolicy.admin_changed").exists()
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        validate_password("Abcdef-1234", None)
    attacker = Client()
    for _ in range(3):
        attacker.post("/accounts/login/", {"username": "hf_officer", "password": "guess"})
    assert (
        attacker.post("/accounts/login/", {"username": "hf_officer", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    attacker = Client()  # the one above is now logged in
    for _ in range(4):
        attacker.post("/accounts/login/", {"username": "zj_admin", "password": "guess"})
    locked = attacker.post("/accounts/login/", {"username": "zj_admin", "password": DEMO_PASSWORD})
    assert locked.status_code == 429 and "60 分钟" in locked.content.decode()
    for persona in ("system_admin", "audit_admin"):  # nobody else sets it
        client.force_login(personas[persona])
        assert client.post(change_url, form).status_code == 403


@pytest.mark.django_db
def test_an_idle_session_ends_after_the_policys_minutes(client, personas):
    import time

    from xiandao.accounts.middleware import LAST_SEEN_KEY

    client.force_login(personas["hefei_city_officer"])
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302


# -- lockout ends sessions and tokens ------------------------------------------------------


@pytest.mark.django_db
def test_a_locked_accounts_session_and_api_token_stop_working(client, personas):
    from django.test import Client

    officer = personas["hefei_city_officer"]
    _, key = api_token_issue(actor=officer, user=officer, name="对接")
    client.force_login(officer)
    assert client.get("/").status_code == 200
    bearer = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/v1/me", headers=bearer).status_code == 200
    attacker = Client()
    for _ in range(settings.XIANDAO_LOCKOUT_FAILURES):
        attacker.post("/accounts/login/", {"username": officer.username, "password": "guess"})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # the session is over, not only refused once
    assert Client().get("/api/v1/me", headers=bearer).status_code == 401


# -- sessions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_timeout_warning_without_inline_script(client, personas):
    client.force_login(personas["hefei_city_officer"])
    page = client.get("/").content.decode()
    assert f'data-session-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert "accounts/session_timeout.js" in page
    assert "<script>" not in page
    remaining = client.get("/accounts/session/keepalive/").json()["remaining_seconds"]
    assert remaining == settings.SESSION_COOKIE_AGE


# -- two-factor login -----------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)  # no wait after a wrong code
def test_two_factor_setup_then_login_asks_for_the_code_and_takes_a_recovery_code_once(client, personas):
    admin_user = personas["province_admin"]
    client.force_login(admin_user)
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and "身份验证器" in page
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"token": _code(device)})
    page = response.content.decode()
    assert "恢复码（只显示这一次）" in page
    from django_otp.plugins.otp_static.models import StaticToken

    codes = list(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in page for code in codes)
    assert AuditEntry.objects.filter(action="accounts.otp_device.confirmed", actor=admin_user).exists()
    client.logout()
    response = client.post("/accounts/login/", {"username": "ah_admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get("/api/v1/me").status_code == 403
    assert "验证码不正确" in client.post("/accounts/two-factor/verify/", {"token": "000000"}).content.decode()
    assert client.post("/accounts/two-factor/verify/", {"token": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    client.post("/accounts/login/", {"username": "ah_admin", "password": DEMO_PASSWORD})
    assert client.post("/accounts/two-factor/verify/", {"token": codes[0]}).status_code == 200  # used up


@pytest.mark.django_db
def test_required_two_factor_is_enforced_outside_demo_mode(client, personas):
    client.force_login(personas["province_admin"])
    with override_settings(DEMO_MODE=False):
        response = client.get("/")
        assert response.status_code == 302 and "/accounts/two-factor/setup/" in response["Location"]
    client.force_login(personas["hefei_city_officer"])  # optional for a city officer
    with override_settings(DEMO_MODE=False):
        assert client.get("/").status_code == 200


def test_production_may_not_skip_two_factor():
    from xiandao.accounts.checks import two_factor_not_skipped_outside_demo

    with override_settings(DEMO_MODE=False, XIANDAO_TWO_FACTOR_DEMO_SKIP=True):
        assert [e.id for e in two_factor_not_skipped_outside_demo()] == ["xiandao.accounts.E001"]
    with override_settings(DEMO_MODE=True, XIANDAO_TWO_FACTOR_DEMO_SKIP=True):
        assert two_factor_not_skipped_outside_demo() == []


# -- 三员分立 ---------------------------------------------------------------------------------


DUTY_PAGES = {
    "users": "/admin/accounts/user/",
    "roles": "/admin/accounts/roleassignment/",
    "lockouts": "/admin/axes/accessattempt/",
    "policy": "/admin/accounts/securitypolicy/",
    "failed_logins": "/admin/axes/accessfailurelog/",
    "audit": "/admin/core/auditentry/",
    "devices": "/admin/otp_totp/totpdevice/",
    "targets": "/admin/programmes/target/",
    "zones": "/admin/pilot_zones/pilotzone/",
}
DUTIES = {
    "system_admin": {"users", "roles"},
    "security_admin": {"users", "lockouts", "devices", "policy"},
    "audit_admin": {"audit", "failed_logins", "lockouts"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(DUTIES))
def test_each_administrator_reaches_only_their_own_pages(client, personas, persona):
    client.force_login(personas[persona])
    for name, url in DUTY_PAGES.items():
        status = client.get(url, follow=True).status_code
        assert (status == 200) == (name in DUTIES[persona]), (persona, name, status)


@pytest.mark.django_db
def test_no_administrator_changes_or_deletes_an_audit_entry_nor_adds_users_outside_their_duty(
    client, personas
):
    from xiandao.core.audit import audit_record

    entry = audit_record(actor=None, action="core.job.started")
    for persona in DUTIES:
        client.force_login(personas[persona])
        assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code in {
            302,
            403,
        }
        assert client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"reason": "x"}).status_code in {
            302,
            403,
        }
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""
    for persona in ("security_admin", "audit_admin"):
        client.force_login(personas[persona])
        assert client.get("/admin/accounts/user/add/").status_code == 403
    client.force_login(personas["province_admin"])  # programme work is not done in the back office
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_one_person_may_not_hold_two_administrator_roles(personas):
    assignment = RoleAssignment(
        user=personas["system_admin"], role=Role.AUDIT_ADMIN, scope_kind=ScopeKind.PLATFORM
    )
    with pytest.raises(ValidationError, match="三员分立"):
        assignment.full_clean()


@pytest.mark.django_db
def test_the_security_administrator_ends_a_users_sessions(client, personas):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(personas["hefei_city_officer"])
    assert officer_client.get("/").status_code == 200
    client.force_login(personas["security_admin"])
    response = client.post(
        "/admin/accounts/user/",
        {"action": "end_sessions", "_selected_action": [personas["hefei_city_officer"].pk]},
    )
    assert response.status_code == 302
    assert officer_client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user.sessions_ended").exists()


# -- admin correctness ---------------------------------------------------------------------


@pytest.mark.django_db
def test_tokens_are_issued_by_the_service_in_the_admin_and_the_key_is_shown_once(client, personas):
    client.force_login(personas["system_admin"])
    officer = personas["hefei_city_officer"]
    page = client.get("/admin/accounts/apitoken/add/")
    assert page.status_code == 200
    response = client.post(
        "/admin/accounts/apitoken/add/", {"user": officer.pk, "name": "数据对接", "days": 30}
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = html.split('data-testid="api-token-key">')[1].split("<")[0]
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == ApiToken.hash_key(key) and token.prefix == key[:8]
    from django.test import Client

    assert (
        Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()["username"] == officer.username
    )
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert key not in detail
    assert AuditEntry.objects.filter(action="accounts.api_token.issued", object_id=str(token.pk)).exists()


@pytest.mark.django_db
def test_status_fields_are_read_only_in_the_admin():
    from django.contrib import admin
    from django.test import RequestFactory

    from xiandao.pilot_zones.models import PilotZone

    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_active=True)
    assert "status" in admin.site._registry[PilotZone].get_readonly_fields(request)


# -- 个人中心 ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_profile_shows_organisation_and_roles_with_scopes_and_dates(client, personas):
    client.force_login(personas["hefei_city_officer"])
    page = client.get("/accounts/profile/").content.decode()
    assert "合肥市发展和改革委员会" in page and "市级管理员" in page
    assert "合肥市" in page and "2024年1月1日" in page and "长期有效" in page


@pytest.mark.django_db
def test_a_targets_provenance_cannot_be_changed_in_the_admin(client, reference_data):
    from xiandao.programmes.models import Target
    from xiandao.programmes.tests.loading import load

    load("anhui")
    target = Target.objects.filter(programme__code="anhui").first()
    assert target is not None
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    client.force_login(root)
    url = f"/admin/programmes/target/{target.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="quote"' not in page and 'name="document"' not in page and 'name="metric"' in page


@pytest.mark.django_db
def test_outside_demo_mode_a_superuser_has_no_back_office_and_an_appointed_administrator_does(
    client, reference_data
):
    from django.core.management import call_command

    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    clerk = UserFactory.create(username="auditor")
    with override_settings(DEMO_MODE=False, XIANDAO_TWO_FACTOR_DEMO_SKIP=False):
        client.force_login(root)
        assert client.get("/admin/core/auditentry/").status_code == 302
        call_command("backoffice_appoint", "auditor", role=Role.AUDIT_ADMIN)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=clerk, name="手机", confirmed=True)
        client.force_login(clerk)
        assert client.get("/admin/core/auditentry/").status_code == 302  # second factor first
        session = client.session
        from django_otp import DEVICE_ID_SESSION_KEY

        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=clerk).persistent_id
        session.save()
        assert client.get("/admin/core/auditentry/").status_code == 200
    assert AuditEntry.objects.filter(
        action="accounts.role.granted", object_type="accounts.roleassignment"
    ).exists()


@pytest.mark.django_db
def test_the_password_is_changed_over_the_api_by_the_same_rules(client, reference_data):
    user = UserFactory.create(username="api_user")
    _, key = api_token_issue(actor=user, user=user, name="脚本")
    headers = {"Authorization": f"Bearer {key}"}
    weak = client.post(
        "/api/v1/me/password",
        {"old_password": "correct-horse-battery", "new_password": "short"},
        content_type="application/json",
        headers=headers,
    )
    assert weak.status_code == 400 and "至少需要 10 个字符" in weak.json()["error"]["message"]
    ok = client.post(
        "/api/v1/me/password",
        {"old_password": "correct-horse-battery", "new_password": "Api-Chosen-2026"},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200 and ok.json()["changed"]
    user.refresh_from_db()
    assert user.check_password("Api-Chosen-2026")


@pytest.mark.django_db
def test_an_administrators_account_holds_no_programme_role_and_nobody_edits_their_own_roles(client, personas):
    from xiandao.geo.models import Jurisdiction

    system_admin = personas["system_admin"]
    business = RoleAssignment(
        user=system_admin,
        role=Role.PROGRAMME_ADMIN,
        scope_kind=ScopeKind.JURISDICTION,
        jurisdiction=Jurisdiction.objects.get(code="340000"),
    )
    with pytest.raises(ValidationError, match="账号专用"):
        business.full_clean()
    client.force_login(system_admin)
    own = RoleAssignment.objects.get(user=system_admin)
    assert client.post(f"/admin/accounts/roleassignment/{own.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_with_only_the_password_nobody_enrols_a_new_authenticator(client, personas):
    admin_user = personas["province_admin"]
    TOTPDevice.objects.create(user=admin_user, name="手机", confirmed=True)
    client.post("/accounts/login/", {"username": "ah_admin", "password": DEMO_PASSWORD})
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/verify/")
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=False).exists()
