"""The audit trail as an auditor reads it years later: complete, catalogued, unchangeable, no secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import DatabaseError, IntegrityError, connection, transaction

from xiandao.accounts.models import ApiToken, User
from xiandao.accounts.services import api_token_issue
from xiandao.accounts.tests.factories import UserFactory
from xiandao.core.admin import AuditedModelAdmin
from xiandao.core.audit import audit_record, snapshot
from xiandao.core.audit_codes import AuditCodes, audit_code_known, audit_code_label, audit_codes_register
from xiandao.core.models import AuditEntry

REPO = Path(__file__).resolve().parents[3]


def _entries_text(**filters: object) -> str:
    return " ".join(
        f"{e.before} {e.after} {e.reason} {e.object_label}" for e in AuditEntry.objects.filter(**filters)
    )


# -- no secret ever enters an entry --------------------------------------------------------


@pytest.mark.django_db
def test_snapshots_of_every_model_with_a_secret_leave_the_secret_out(reference_data):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory.create()
    token, key = api_token_issue(actor=user, user=user, name="对接")
    totp = TOTPDevice.objects.create(user=user, name="手机")
    static = StaticDevice.objects.create(user=user, name="恢复码")
    code = StaticToken.objects.create(device=static, token="abcd1234")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    session = Session.objects.get(session_key=store.session_key)
    secrets = {
        user: user.password,
        token: token.key_hash,
        totp: totp.key,
        code: code.token,
        session: session.session_key,
    }
    for instance, secret in secrets.items():
        taken = snapshot(instance)
        assert secret not in str(taken), type(instance).__name__
        # even when a service passes the secret in a before/after mapping by hand
        entry = audit_record(actor=None, action="core.job.started", after={**taken, "password": secret})
        assert secret not in f"{entry.after} {entry.object_label}"
    assert key not in _entries_text()
    assert snapshot(user)["username"] == user.username  # the rest is still recorded


@pytest.mark.django_db
def test_an_admin_change_of_a_user_and_of_their_password_is_audited_without_the_hash(client, reference_data):
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    user = UserFactory.create(username="clerk")
    client.force_login(root)
    old_hash = user.password
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "Brand-New-pass-77", "password2": "Brand-New-pass-77", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    user.refresh_from_db()
    assert user.check_password("Brand-New-pass-77")
    assert user.password_changed_at is None  # set by someone else: the user must change it
    entry = AuditEntry.objects.get(action="accounts.user.admin_changed", object_id=str(user.pk))
    assert entry.actor == root
    assert "密码" in entry.reason  # which secret changed is said; its value is not
    text = _entries_text()
    assert old_hash not in text and user.password not in text
    assert "pbkdf2" not in text and "md5$" not in text


@pytest.mark.django_db
def test_every_admin_on_the_site_is_audited_and_declares_its_codes():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedModelAdmin), model
        assert audit_code_known(f"{model._meta.app_label}.{model._meta.model_name}.admin_changed"), model


@pytest.mark.django_db
def test_lifting_a_lockout_in_the_admin_is_audited_and_login_logs_cannot_be_deleted(client, personas):
    from axes.models import AccessAttempt, AccessFailureLog

    for _ in range(3):
        client.post("/accounts/login/", {"username": "hf_officer", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="hf_officer")
    failures = AccessFailureLog.objects.filter(username="hf_officer")
    assert failures.count() == 3 and failures.first().ip_address == "127.0.0.1"
    security = personas["security_admin"]
    client.force_login(security)
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert AuditEntry.objects.filter(
        action="axes.accessattempt.admin_deleted", object_id=str(attempt.pk), actor=security
    ).exists()
    # the failed logins themselves are kept, read-only, even for a superuser
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    client.force_login(root)
    log = failures.first()
    assert client.post(f"/admin/axes/accessfailurelog/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessFailureLog.objects.filter(username="hf_officer").count() == 3


# -- append-only in the database itself ---------------------------------------------------


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_audit_rows_by_orm_and_raw_sql():
    entry = audit_record(actor=None, action="core.job.started", after={"n": 1})
    attempts = [
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="改写"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: entry.delete(),
        lambda: connection.cursor().execute(
            "UPDATE core_auditentry SET reason = 'x' WHERE id = %s", [entry.pk]
        ),
        lambda: connection.cursor().execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk]),
        lambda: connection.cursor().execute("DELETE FROM core_auditentry"),
    ]
    for attempt in attempts:
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            attempt()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.reason == "" and stored.after == {"n": 1}
    entry.reason = "改写"
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        entry.save()


@pytest.mark.django_db
def test_removing_a_user_leaves_their_audit_entries_as_written(reference_data):
    user = UserFactory.create(display_name="离职人员")
    entry = audit_record(actor=user, action="core.job.started")
    user_pk = user.pk
    user.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id == user_pk and "离职人员" in stored.actor_label


def test_no_code_path_deletes_audit_rows():
    pattern = re.compile(r"AuditEntry\.objects[^\n]*\.(delete|update)\(")
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "xiandao").rglob("*.py")
        if "tests" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# -- the catalogue ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_code_is_refused_and_nothing_is_written():
    before = AuditEntry.objects.count()
    with pytest.raises(ValueError, match="未登记的操作代码"):
        audit_record(actor=None, action="accounts.user.teleported")
    assert AuditEntry.objects.count() == before


def test_a_code_must_be_the_declaring_apps_and_have_a_chinese_label():
    from django.core.exceptions import ImproperlyConfigured

    class Foreign(AuditCodes):
        X = "geo.park.moved_by_accounts", "移动园区"

    class English(AuditCodes):
        X = "accounts.thing.done", "done"

    with pytest.raises(ImproperlyConfigured):
        audit_codes_register(Foreign, app_label="accounts")
    with pytest.raises(ImproperlyConfigured):
        audit_codes_register(English, app_label="accounts")


def test_every_code_written_in_the_source_is_declared_with_a_chinese_label():
    literal = re.compile(r"""action=f?["']([a-z_]+\.[a-z_]+\.[a-z_{}]+)["']""")
    found = set()
    for path in (REPO / "xiandao").rglob("*.py"):
        if "tests" in path.parts:
            continue
        for code in literal.findall(path.read_text(encoding="utf-8")):
            found.add(code)
    assert found, "the scan found no audit codes"
    for code in sorted(found):
        if "{" in code:  # a code completed at run time: every completion must be declared
            prefix = code.split("{", 1)[0]
            assert any(c.startswith(prefix) for c in _all_codes()), code
            continue
        assert audit_code_known(code), code
        assert re.search(r"[\u4e00-\u9fff]", audit_code_label(code)), code


def _all_codes() -> list[str]:
    from xiandao.core.audit_codes import audit_catalogue

    return list(audit_catalogue())


@pytest.mark.django_db
def test_the_audit_list_shows_the_chinese_label_to_the_audit_administrator(client, personas):
    audit_record(actor=personas["province_admin"], action="accounts.api_token.issued")
    client.force_login(personas["audit_admin"])
    page = client.get("/admin/core/auditentry/").content.decode()
    assert "签发接口令牌" in page and "accounts.api_token.issued" in page
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_the_admin_sites_own_password_change_goes_through_the_audited_page(client, personas):
    client.force_login(personas["audit_admin"])
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
