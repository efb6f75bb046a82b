import os
import subprocess
import sys

import pytest
from django.test import override_settings

from xiandao.accounts.demo import DEMO_PASSWORD, PERSONAS


@pytest.mark.django_db
def test_login_page_is_chinese_and_lists_the_personas_in_demo_mode(client, personas):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and "用户名" in page and "密码" in page
    for persona in PERSONAS:
        assert persona.display_name in page
        assert f'data-persona="{persona.key}"' in page


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_no_personas_and_no_demo_login_outside_demo_mode(client, personas):
    page = client.get("/accounts/login/").content.decode()
    assert "演示模式" not in page
    assert client.post("/accounts/demo-login/", {"persona": "province_admin"}).status_code == 404
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_says_so_in_chinese(client, personas):
    response = client.post("/accounts/login/", {"username": "hf_officer", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client, personas):
    for _ in range(3):  # AXES_FAILURE_LIMIT in test settings
        client.post("/accounts/login/", {"username": "hf_officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "hf_officer", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    # another account from the same office is not locked
    ok = client.post("/accounts/login/", {"username": "ah_admin", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_password_login_lands_on_the_home_page(client, personas):
    response = client.post(
        "/accounts/login/", {"username": "hf_officer", "password": DEMO_PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "我的工作台" in page and "合肥市发展和改革委员会" in page


@pytest.mark.django_db
def test_unknown_persona_is_refused_with_a_message(client, personas):
    response = client.post("/accounts/demo-login/", {"persona": "nobody"}, follow=True)
    assert "未找到该演示账号" in response.content.decode()


def test_production_settings_refuse_demo_mode_and_missing_secrets():
    env = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "XIANDAO_DEMO_MODE"}
    }
    code = "import django; django.setup()"
    base = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    no_secret = subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True)
    assert no_secret.returncode != 0 and "SECRET_KEY" in no_secret.stderr
    demo = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u@127.0.0.1/db",
            "XIANDAO_DEMO_MODE": "1",
        },
        capture_output=True,
        text=True,
    )
    assert demo.returncode != 0 and "演示模式" in demo.stderr
