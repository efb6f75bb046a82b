"""Under the Content-Security-Policy the pages still work: API docs offline, error pages, the favicon.

The ``page`` fixture fails any test whose pages the policy refused something on.
"""

from __future__ import annotations

from tests.browser.conftest import csp_violations, screenshot


def test_api_docs_render_from_local_files_only(page, live_server):
    foreign: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            else (foreign.append(route.request.url), route.abort())
        ),
    )
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").filter(has_text="先导平台接口").wait_for()
    page.locator(".opblock-summary-path").first.wait_for()
    assert page.locator(".opblock").count() > 5
    assert not foreign, foreign
    screenshot(page, "api-docs")


def test_a_missing_page_is_chinese_in_the_layout(page, live_server, reference_data):
    response = page.goto("/programmes/no-such-programme/", referer=f"{live_server.url}/programmes/")
    assert response.status == 404
    page.get_by_role("heading", name="页面不存在").wait_for()
    assert page.get_by_role("link", name="查看培育计划").is_visible()
    screenshot(page, "error-404")
    page.get_by_role("link", name="返回上一页").click()
    page.wait_for_url("**/programmes/")


def test_forbidden_page_names_what_is_lacking(page, personas):
    from tests.browser.conftest import login_as

    login_as(page, "hefei_city_officer")
    response = page.goto("/policies/upload/")
    assert response.status == 403
    assert "只有培育计划的管理员可以上传政策文件" in page.get_by_test_id("error-reason").inner_text()
    assert "市级管理员" in page.get_by_test_id("error-roles").inner_text()
    screenshot(page, "error-403")


def test_the_violation_guard_sees_what_the_policy_refuses(page, reference_data):
    """The guard every browser test relies on: an inline style and an inline script are reported."""
    page.goto("/programmes/")
    page.evaluate(
        """() => {
        document.body.insertAdjacentHTML("beforeend", '<div style="color:red">x</div>');
        const s = document.createElement("script"); s.textContent = "window.__ran = 1"; document.body.appendChild(s);
    }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__ran") is None  # the inline script did not run
    found = csp_violations(page, page.csp_console)
    assert any("style-src" in v for v in found) and any("script-src" in v for v in found)
    page.evaluate("window.__cspViolations = []")  # handled here; the fixture checks the rest
    page.csp_console.clear()
