"""Playwright driving Debian's Chromium against the live server; screenshots land in test-artifacts/."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import service_required

# The real binary: /usr/bin/chromium is a wrapper script Playwright cannot drive.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    configured = os.environ.get("XIANDAO_CHROMIUM")
    for candidate in (configured, *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    listing = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return "CJK" in listing or "Noto Sans SC" in listing


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    service_required("Chromium（Debian 软件包 chromium）", lambda: chromium_path() is not None)
    service_required("中文字体（Debian 软件包 fonts-noto-cjk）", cjk_font_installed)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


# Every page reports what the Content-Security-Policy refused: a refused script or style breaks
# HTMX or a chart silently, so any report fails the test that caused it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def csp_violations(tab: Any, console: list[str]) -> list[str]:
    """What the policy refused on the tab's current page, and console messages that name the policy."""
    try:
        reported = list(tab.evaluate("window.__cspViolations || []"))
    except Exception:  # the page is gone (closed, navigating): the console still tells
        reported = []
    return reported + [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda message: console.append(message.text))
    tab.csp_console = console
    yield tab
    violations = csp_violations(tab, console)
    context.close()
    assert not violations, "内容安全策略（CSP）拦截了页面内容：\n" + "\n".join(violations)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login_as(page: Any, persona_key: str) -> None:
    """Log in the way a demo user does: the persona's one-click button on the login page."""
    page.goto("/accounts/login/")
    page.click(f"button[data-persona={persona_key}]")
    page.get_by_role("heading", name="我的工作台").wait_for()
