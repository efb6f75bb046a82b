"""The advisory committee's review in the browser: the admin draws a panel at random, three experts of
the three kinds declare and score, the admin reads the results and writes the committee's opinion."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login_as, screenshot
from xiandao.geo.models import Jurisdiction
from xiandao.review.services import expert_create
from xiandao.review.tests.factories import UnderReviewApplicationFactory

SHEETS = {
    "scientist_expert": (
        "88",
        "76",
        "82",
        "79",
        "建议列入创建名单",
        "方向契合全省布局，分年目标增幅需补充依据。",
    ),
    "entrepreneur_expert": ("85", "80", "78", "84", "建议列入创建名单", "产业配套较好，场景开放举措可细化。"),
    "investor_expert": ("80", "62", "70", "66", "修改完善后列入", "基金投入测算偏乐观。"),
}


@pytest.fixture
def review_world(shipped_programmes, personas):
    programme = shipped_programmes["anhui"]
    wuhu, bengbu, hefei = (Jurisdiction.objects.get(code=c) for c in ("340200", "340300", "340100"))
    application = UnderReviewApplicationFactory(programme=programme, city=wuhu, name="示例芜湖具身智能先导区")
    admin = personas["province_admin"]
    for key, kind in (
        ("scientist_expert", "scientist"),
        ("entrepreneur_expert", "entrepreneur"),
        ("investor_expert", "investor"),
    ):
        user = personas[key]
        expert_create(
            actor=admin, programme=programme, name=user.display_name, kind=kind, city=bengbu, user=user
        )
    # A scientist from the applying city: excluded from the draw with the reason.
    expert_create(actor=admin, programme=programme, name="示例芜湖专家", kind="scientist", city=wuhu)
    # Retired from the pool: excluded too, so the panel is the three personas whatever the seed.
    expert_create(
        actor=admin, programme=programme, name="示例合肥企业家", kind="entrepreneur", city=hefei, active=False
    )
    return application


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")


def test_a_panel_of_three_kinds_is_drawn_scores_and_the_admin_writes_the_opinion(page, review_world):
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, "province_admin")
    page.get_by_role("link", name="专家库").click()
    expect(page.get_by_test_id("expert-table")).to_contain_text("示例芜湖专家")
    screenshot(page, "review-pool")

    page.get_by_role("link", name="评审批次").click()
    page.get_by_test_id("round-create").click()
    page.fill("#id_name", "示例浏览器评审批次")
    page.fill("#id_deadline", (dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("示例芜湖具身智能先导区（芜湖市）").check()
    page.get_by_role("button", name="新建").click()
    expect(page.get_by_test_id("round-status")).to_have_text("筹备中")

    # A panel without investors is refused in Chinese.
    page.fill("#id_investor", "0")
    page.select_option("#id_supervisor", label="赵磊")
    page.get_by_test_id("draw-run").click()
    expect(page.locator(".alert-danger")).to_contain_text("评审专家组须包含风险投资家，至少1名")

    page.fill("#id_investor", "1")
    page.fill("#id_reserves_per_kind", "1")
    page.select_option("#id_supervisor", label="赵磊")
    page.get_by_test_id("draw-run").click()
    expect(page.get_by_test_id("round-status")).to_have_text("已抽取")
    expect(page.get_by_test_id("draw-conditions")).to_contain_text("科学家1名、企业家1名、风险投资家1名")
    page.locator("summary", has_text="排除名单及理由").click()
    expect(page.get_by_test_id("exclusions")).to_contain_text("与申报城市为同一城市（芜湖市）")
    expect(page.get_by_test_id("exclusions")).to_contain_text("已停用，不参加抽取")
    page.get_by_test_id("draw-verify").click()
    expect(page.locator(".alert-success")).to_contain_text("结果与记录一致")
    for name in ("陈静", "黄志远", "林晓"):
        page.get_by_test_id(f"accept-{name}").click()
        expect(page.get_by_test_id(f"member-{name}")).to_contain_text("已确认参加")
    screenshot(page, "review-draw-record")
    page.get_by_test_id("panel-confirm").click()
    expect(page.get_by_test_id("round-status")).to_have_text("评审中")
    logout(page)

    for key, (d, a, s, f, recommendation, comments) in SHEETS.items():
        login_as(page, key)
        expect(page.locator("main")).to_contain_text("论证评审：示例浏览器评审批次")  # the workbench's to-do
        page.get_by_role("link", name="我的评审").click()
        page.get_by_role("link", name="打开").click()
        expect(page.get_by_test_id("declaration")).to_be_visible()
        page.get_by_label("本人与该申报不存在需回避的情形").check()
        page.get_by_test_id("declare").click()
        if key == "entrepreneur_expert":
            page.fill("#id_direction", "101")
            page.fill("#id_attainability", a)
            page.fill("#id_soundness", s)
            page.fill("#id_feasibility", f)
            page.fill("#id_comments", comments)
            page.select_option("#id_recommendation", label=recommendation)
            page.get_by_test_id("score-submit").click()
            expect(page.get_by_test_id("form-errors")).to_contain_text(
                "“发展方向”的评分应在0～100分之间（填写的是101）"
            )
            screenshot(page, "review-score-refused")
        page.fill("#id_direction", d)
        page.fill("#id_attainability", a)
        page.fill("#id_soundness", s)
        page.fill("#id_feasibility", f)
        page.fill("#id_comments", comments)
        page.select_option("#id_recommendation", label=recommendation)
        page.get_by_test_id("score-submit").click()
        expect(page.get_by_test_id("assignment-status")).to_have_text("已提交")
        expect(page.get_by_test_id("others")).to_contain_text("专家组评分（匿名）")
        screenshot(page, f"review-scored-{key}")
        logout(page)

    login_as(page, "province_admin")
    screenshot(page, "review-admin-workbench")
    page.get_by_role("link", name="撰写论证意见：示例浏览器评审批次").click()  # the workbench's to-do
    row = page.locator("[data-testid^=result-]").first
    # (88+76+82+79)/4 = 81.25; (85+80+78+84)/4 = 81.75; (80+62+70+66)/4 = 69.50 → mean 77.50
    expect(row).to_contain_text("77.50")
    expect(row).to_contain_text("有分歧")
    page.get_by_test_id("round-close").click()
    expect(page.get_by_test_id("round-status")).to_have_text("评审结束")
    page.locator("textarea[name$='-text']").fill(
        "委员会认为该先导区发展方向明确，目标总体可及；建议补充分年目标依据后列入创建名单。"
    )
    page.locator("select[name$='-conclusion']").select_option(label="建议列入创建名单")
    page.get_by_test_id("opinion-save").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存“示例芜湖具身智能先导区”的论证意见")
    expect(page.get_by_test_id("opinion-meta")).to_contain_text("王敏")
    page.locator("[data-chart=review-results-chart] canvas").wait_for()
    screenshot(page, "review-results")
    with page.expect_download() as download:
        page.get_by_test_id("summary-xlsx").click()
    assert download.value.suggested_filename == "示例浏览器评审批次评审汇总表.xlsx"
