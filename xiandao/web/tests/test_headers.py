"""Headers and the network: a strict CSP on every page, no-store behind login, HTTPS in production,
API docs and favicon served locally."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

REPO = Path(__file__).resolve().parents[3]
TEMPLATE_FILES = sorted(
    p for p in (REPO / "xiandao").glob("**/templates/**/*.html") if "node_modules" not in p.parts
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_the_templates_carry_no_inline_script_handler_or_style():
    """What the CSP refuses must not be written: behaviour goes in static JS reading data-* attributes."""
    assert TEMPLATE_FILES, "no templates found"
    found = []
    for path in TEMPLATE_FILES:
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (INLINE_HANDLER, "on…= handler"),
            (INLINE_STYLE, "style="),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(REPO)}:{line}: {what}: {match.group(0).strip()[:60]}")
    assert not found, "\n".join(found)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/programmes/", "/api/v1/docs", "/no-such-page/"])
def test_every_page_has_a_policy_refusing_inline_and_foreign_script(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_pages_behind_login_are_not_stored(client, hefei_city_officer):
    public = client.get("/programmes/")
    assert "no-store" not in public.get("Cache-Control", "")
    client.force_login(hefei_city_officer)
    for path in ("/", "/programmes/", "/jobs/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], path


@pytest.mark.django_db
def test_api_docs_load_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.findall(html), EXTERNAL_URL.findall(html)
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:  # every one is a file we serve
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_api_description_names_no_developer_file(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema)
    assert not re.search(r"\b[A-Z_]+\.md\b", text), re.findall(r"\b[A-Z_]+\.md\b", text)


@pytest.mark.django_db
def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_production_settings_pass_the_deploy_check():
    """`manage.py check --deploy` under production settings, with what production must be given."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "postgres://xiandao@db.invalid:5432/xiandao",
        "ALLOWED_HOSTS": "xiandao.example.gov.cn",
        "XIANDAO_DEMO_MODE": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
