"""Issue 15's whole path in the browser: eligibility → application → recommendation → review → list → public page.

A city officer checks eligibility, drafts and recommends; the admin accepts and draws a panel;
three experts of the three kinds score; a department gives its opinion on the draft list; the
admin writes the committee's opinion, drafts and publishes the list; the public page shows the
zone. Where a form is a long table (the application's targets, typed as the officer goes), the
test fills it through the same service the page saves with, and drives every decision by its button.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.browser.conftest import login_as, screenshot
from xiandao.geo.models import Jurisdiction
from xiandao.pilot_zones.models import Application
from xiandao.programmes.tests.loading import load

ZONE = "示例量子导航未来产业先导区"
PARK = "合肥高新技术产业开发区"
EXPERTS = (
    ("scientist_expert", "scientist"),
    ("entrepreneur_expert", "entrepreneur"),
    ("investor_expert", "investor"),
)


@pytest.fixture
def anhui(personas: dict[str, Any]) -> Any:
    from xiandao.review.services import expert_create

    programme = load("anhui").programme
    bengbu = Jurisdiction.objects.get(code="340300")
    for key, kind in EXPERTS:
        user = personas[key]
        expert_create(
            actor=personas["province_admin"],
            programme=programme,
            name=user.display_name,
            kind=kind,
            city=bengbu,
            user=user,
        )
    return programme


def _switch(page: Any, persona: str) -> None:
    page.context.clear_cookies()
    login_as(page, persona)


def test_the_whole_path_of_issue_15(page: Any, anhui: Any, personas: dict[str, Any]) -> None:
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm asks before each decision

    # 1. The city officer checks eligibility: a park of the city, each condition answered.
    login_as(page, "hefei_city_officer")
    page.goto("/pilot-zones/applications/new/?programme=anhui")
    page.get_by_label(re.compile(PARK)).first.check()
    page.fill("#e-name", ZONE)
    for area in page.locator("[data-testid=condition] textarea").all():
        area.fill("示例：合肥高新区集聚量子领域高校院所与龙头企业，具备该条件。")
    screenshot(page, "issue15-01-eligibility")
    page.get_by_test_id("eligibility-submit").click()
    page.wait_for_load_state()
    application = Application.objects.get(name=ZONE)

    # 2. The draft: period, targets per indicator and year, measures (the service the form saves with).
    from xiandao.pilot_zones.application_services import application_update
    from xiandao.pilot_zones.demo import DEMO_LETTER_PDF, application_complete_data

    data = application_complete_data(application, "quantum", 2025, 3)
    application_update(
        actor=personas["hefei_city_officer"], application=application, version=application.version, data=data
    )
    page.goto(f"/pilot-zones/applications/{application.pk}/")
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    for area in page.locator("[data-testid=attest-form] textarea").all():
        area.fill("经核对，材料真实、准确、完整、合规。")
    page.get_by_test_id("attest").click()
    page.wait_for_load_state()
    page.set_input_files(
        "#letter", {"name": "盖章推荐函.pdf", "mimeType": "application/pdf", "buffer": DEMO_LETTER_PDF}
    )
    page.get_by_test_id("upload-letter").click()
    page.wait_for_load_state()
    page.get_by_test_id("recommend").click()
    page.wait_for_load_state()
    screenshot(page, "issue15-02-recommended")
    application.refresh_from_db()
    assert application.status == "recommended"

    # 3. The admin accepts it for review and draws a panel of the three kinds.
    _switch(page, "province_admin")
    page.goto(f"/pilot-zones/applications/{application.pk}/")
    page.get_by_test_id("accept").click()
    page.wait_for_load_state()
    from xiandao.review.services import round_create

    round_ = round_create(
        actor=personas["province_admin"],
        programme=anhui,
        name="示例第一批论证",
        deadline=dt.date.today() + dt.timedelta(days=10),
        applications=[Application.objects.get(pk=application.pk)],
    )
    page.goto(f"/review/rounds/{round_.pk}/")
    page.fill("[name=reserves_per_kind]", "0")
    page.select_option("[name=supervisor]", index=1)
    page.get_by_test_id("draw-run").click()
    page.wait_for_load_state()
    for key, _ in EXPERTS:
        page.get_by_test_id(f"accept-{personas[key].display_name}").click()
        page.wait_for_load_state()
    page.get_by_test_id("panel-confirm").click()
    page.wait_for_load_state()
    screenshot(page, "issue15-03-panel")

    # 4. Three experts of the three kinds declare no conflict and score.
    for i, (key, _) in enumerate(EXPERTS):
        _switch(page, key)
        page.goto("/review/mine/")
        page.locator(f"[data-testid='assignment-{ZONE}'] a").click()
        page.check("#no-conflict")
        page.get_by_test_id("declare").click()
        page.wait_for_load_state()
        for name, points in (
            ("direction", 90),
            ("attainability", 80),
            ("soundness", 85),
            ("feasibility", 80 - i),
        ):
            page.fill(f"[name={name}]", str(points))
        page.fill("[name=comments]", "方向明确，目标可及。")
        page.select_option("[name=recommendation]", "recommend")
        if i == 2:
            screenshot(page, "issue15-04-scoring")
        page.get_by_test_id("score-submit").click()
        page.wait_for_load_state()

    # 5. The admin writes the committee's opinion (论证意见) on the results page.
    _switch(page, "province_admin")
    page.goto(f"/review/rounds/{round_.pk}/results/")
    if page.get_by_test_id("round-close").count():
        page.get_by_test_id("round-close").first.click()
        page.wait_for_load_state()
        page.goto(f"/review/rounds/{round_.pk}/results/")
    form = page.locator(f"[data-testid=application-{application.pk}] form")
    form.locator(f"[name=a{application.pk}-text]").fill(
        "咨询委员会认为：发展方向明确，分年目标可及，任务合理，措施可行，建议列入创建名单。"
    )
    form.locator(f"[name=a{application.pk}-conclusion]").select_option("recommend")
    page.get_by_test_id("opinion-save").click()
    page.wait_for_load_state()
    screenshot(page, "issue15-05-results-and-opinion")

    # 6. The admin drafts the creation list from the opinion and consults 省科技厅 until today.
    page.goto("/pilot-zones/lists/")
    page.locator("[data-testid=list-create] button").first.click()
    page.wait_for_load_state()
    row = page.locator("[data-testid=candidate-row]", has_text=ZONE)
    assert "加权得分" in row.inner_text()
    row.locator("textarea[name=opinion]").fill("依据论证意见，拟列入创建名单。")
    row.get_by_role("button", name="提出拟列入").click()
    page.wait_for_load_state()
    consult = page.get_by_test_id("consult-form")
    consult.get_by_label("安徽省科学技术厅").check()
    consult.locator("[name=deadline]").fill(dt.date.today().isoformat())
    consult.get_by_role("button", name="发出征求意见").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("list-status").inner_text() == "征求意见中"
    list_url = page.url

    # 7. The department sees it waiting on its workbench and gives its opinion before the deadline.
    _switch(page, "department_officer")
    page.get_by_role("link", name=re.compile("提出意见")).first.click()
    page.wait_for_load_state()
    opinion = page.get_by_test_id("opinion-form")
    opinion.get_by_label("原则同意，有修改意见").check()
    opinion.locator("[name=text]").fill("建议补充量子导航应用场景开放目标。")
    opinion.get_by_role("button", name="提交意见").click()
    page.wait_for_load_state()
    screenshot(page, "issue15-06-department-opinion")
    assert "原则同意，有修改意见" in page.get_by_test_id("opinion-table").inner_text()

    # 8. The admin publishes; the application becomes a zone under creation with its plan.
    _switch(page, "province_admin")
    page.goto(list_url)
    page.get_by_test_id("publish-form").get_by_role("button").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("list-status").inner_text() == "已公布"
    screenshot(page, "issue15-07-published")

    # 9. Anyone, without logging in, sees the list and the zone's profile.
    page.context.clear_cookies()
    page.goto("/programmes/anhui/")
    page.get_by_test_id("creation-lists-link").click()
    page.wait_for_load_state()
    listed = page.locator("[data-testid=public-zone-row]", has_text=ZONE)
    assert "合肥市" in listed.inner_text() and "创建中" in listed.inner_text()
    screenshot(page, "issue15-08-public-list")
    listed.get_by_role("link", name=ZONE).click()
    page.wait_for_load_state()
    profile = page.get_by_test_id("zone-profile").inner_text()
    assert "量子" in profile and "2025年至2027年" in profile and "合肥市" in profile
    assert PARK in page.get_by_test_id("zone-places").inner_text()
    assert page.get_by_test_id("zone-targets").locator("tbody tr").count() >= 1
    screenshot(page, "issue15-09-public-zone")
