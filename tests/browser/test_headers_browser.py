"""Under the Content-Security-Policy the pages still work: API docs offline, error pages, the favicon.

The ``page`` fixture fails any test whose pages the policy refused something on.
"""

from __future__ import annotations

from tests.browser.conftest import SCREENSHOTS, csp_violations, screenshot


def test_api_docs_render_from_local_files_only(page, live_server):
    foreign: list[str] = []

    def only_ours(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:  # the internet is not there: anything fetched from elsewhere is noted and refused
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
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


def test_a_chart_draws_from_json_under_the_policy(page, reference_data):
    from xiandao.programmes.tests.loading import load

    load("anhui")
    page.goto("/programmes/anhui/framework/")
    chart = page.get_by_test_id("weights-chart")
    chart.locator("canvas").wait_for()
    assert chart.get_attribute("data-chart-ready") == "1"
    chart.hover()  # the tooltip draws on the canvas, not as HTML with style=""
    screenshot(page, "programmes-anhui-framework-chart")


def test_the_demo_band_covers_no_table_cell(page, reference_data):
    from xiandao.programmes.tests.loading import load
    from xiandao.web.demo import demo_data_load

    load("anhui")
    demo_data_load()
    page.goto("/programmes/anhui/targets/")
    band = page.get_by_test_id("demo-ribbon").bounding_box()
    assert band is not None and band["height"] > 0
    for y in (0, 400, 2000):  # wherever the page is scrolled, no cell lies under the band
        page.evaluate(f"window.scrollTo(0, {y})")
        covered = page.evaluate(
            """() => {
            const band = document.querySelector('[data-testid=demo-ribbon]').getBoundingClientRect();
            return [...document.querySelectorAll('td, th')].filter(c => {
                const r = c.getBoundingClientRect();
                return r.width && r.left < band.right && r.right > band.left && r.top < band.bottom && r.bottom > band.top;
            }).length;
        }"""
        )
        assert covered == 0, y
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "programmes-anhui-targets-viewport.png"))
    screenshot(page, "programmes-anhui-targets")


def test_a_form_with_data_confirm_asks_first(page, reference_data):
    from xiandao.programmes.tests.loading import load

    load("anhui")
    page.goto("/programmes/")
    page.evaluate(
        """() => {
        const form = document.createElement("form");
        form.action = "/programmes/anhui/"; form.method = "get"; form.dataset.confirm = "确定要撤回吗？";
        const button = document.createElement("button"); button.id = "go"; button.textContent = "撤回";
        form.appendChild(button); document.querySelector("main").appendChild(form);
    }"""
    )
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#go")
    page.wait_for_timeout(300)
    assert asked == ["确定要撤回吗？"] and page.url.endswith("/programmes/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#go")
    assert "/programmes/anhui/" in page.url
