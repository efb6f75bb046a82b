"""Each early-warning rule fired from real data through the apps' services, then closed: by the data
changing, or by a recorded explanation; shown on the responsible users' workbench, and the digest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from xiandao.accounts.models import User
from xiandao.evaluation import services as evaluation_services
from xiandao.evaluation.models import EvaluationSettings
from xiandao.evaluation.tests.factories import sources_replaced, values_make, zones_make
from xiandao.monitoring import services as monitoring_services
from xiandao.monitoring.tests.factories import ANHUI_VALUES, fill, period_open, report_of, zone_in_park
from xiandao.notifications.models import Notification
from xiandao.programmes.models import Programme, TaskKind, UnitRole
from xiandao.programmes.services.parameters import parameter_change
from xiandao.supervision import rules, selectors, services
from xiandao.supervision.selectors import early_warnings

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def anhui(personas: dict[str, Any]) -> Programme:
    programme = Programme.objects.get(code="anhui")
    EvaluationSettings.objects.update_or_create(programme=programme, defaults={"draws": 20})
    return programme


def keys(programme: Programme, kind: str, *, today: dt.date | None = None) -> set[str]:
    return {w.key for w in selectors.warnings_open(programme, today=today) if w.kind == kind}


def explain(admin: Any, programme: Programme, key: str) -> None:
    services.warning_explain(actor=admin, programme=programme, key=key, text="情况已核实，另行说明")


# --- a report not submitted at its deadline -------------------------------------------------------------


def _submit(report: Any, actor: Any) -> None:
    """Submit; a warning flag that stands is explained in its thread first, as a zone would."""
    try:
        monitoring_services.report_submit(actor=actor, report=report)
    except monitoring_services.ReportRefused:
        for flag in monitoring_services.flags_refresh(report=report):
            if flag.importance == "warning":
                monitoring_services.flag_comment(actor=actor, flag=flag, text="数据已与统计部门核对无误")
        monitoring_services.report_submit(actor=actor, report=report)


def test_a_report_not_submitted_at_its_deadline_warns_until_submitted(anhui, zone_operator, province_admin):
    zone = zone_in_park(anhui, name="示例预警甲先导区")
    year = TODAY.year - 1
    deadline = dt.date(TODAY.year, 3, 31)
    report = report_of(period_open(anhui, year, deadline=deadline), zone)
    key = f"report_missing:{zone.pk}:{year}"
    assert key not in keys(anhui, "report_missing", today=dt.date(year + 1, 1, 15))  # before the deadline
    late = dt.date(year + 1, 6, 1)
    warning = next(w for w in selectors.warnings_open(anhui, today=late) if w.key == key)
    assert warning.level == "red"  # 60 days late
    assert province_admin.pk in warning.responsible_ids and "合肥市" in warning.responsible
    fill(report, ANHUI_VALUES, actor=zone_operator)
    assert key in keys(anhui, "report_missing", today=late)  # filled in, not yet submitted
    _submit(report, zone_operator)
    assert key not in keys(anhui, "report_missing", today=late)


def test_the_periods_own_deadline_counts_and_the_citys_officers_are_told(
    anhui, zone_operator, province_admin, hefei_city_officer
):
    zone = zone_in_park(anhui, name="示例预警乙先导区")
    year = TODAY.year - 1
    extended = dt.date(year + 1, 5, 31)  # the admin gave two more months
    period_open(anhui, year, deadline=extended)
    key = f"report_missing:{zone.pk}:{year}"
    assert key not in keys(anhui, "report_missing", today=dt.date(year + 1, 4, 30))
    warning = next(w for w in selectors.warnings_open(anhui, today=dt.date(year + 1, 6, 5)) if w.key == key)
    assert warning.since == extended + dt.timedelta(days=1) and warning.level == "orange"
    assert {province_admin.pk, hefei_city_officer.pk} <= set(warning.responsible_ids)
    assert zone_operator.pk not in warning.responsible_ids


# --- approved values falling year on year -----------------------------------------------------------------


def _approved(
    programme: Programme, zone: Any, year: int, values: dict[str, Any], people: dict[str, Any]
) -> Any:
    report = report_of(period_open(programme, year), zone)
    fill(report, values, actor=people["zone_operator"])
    _submit(report, people["zone_operator"])
    for reviewer in (people["hefei_city_officer"], people["province_admin"]):
        report.refresh_from_db()
        monitoring_services.report_approve(actor=reviewer, report=report)
    report.refresh_from_db()
    return report


def test_approved_values_falling_year_on_year_warn_until_corrected_and_approved(anhui, personas):
    zone = zone_in_park(anhui, name="示例预警乙先导区")
    year = TODAY.year - 1
    _approved(anhui, zone, year - 1, ANHUI_VALUES, personas)
    fallen = {**ANHUI_VALUES, "ic-invention-patents": Decimal("30")}  # 42 → 30: −28.6 %
    report = _approved(anhui, zone, year, fallen, personas)
    key = f"indicator_falling:{zone.pk}:ic-invention-patents:{year}"
    warning = next(w for w in selectors.warnings_open(anhui) if w.key == key)
    assert "下降28.6%" in warning.detail and warning.level == "orange"  # beyond the drop tolerance
    assert personas["province_admin"].pk in warning.responsible_ids
    # Only the falling indicator warns: every other value stands still.
    assert {w.key for w in selectors.warnings_open(anhui) if w.kind == "indicator_falling"} == {key}
    # The statistics bureau's corrected figure, approved again through the chain, closes it.
    fill(report, {"ic-invention-patents": "45"}, actor=personas["zone_operator"], reason="统计局核定数调整")
    report.refresh_from_db()
    _submit(report, personas["zone_operator"])
    for reviewer in (personas["hefei_city_officer"], personas["province_admin"]):
        report.refresh_from_db()
        monitoring_services.report_approve(actor=reviewer, report=report)
    assert key not in keys(anhui, "indicator_falling")


# --- a target behind its path -----------------------------------------------------------------------------


def test_a_target_behind_its_path_warns_until_its_value_catches_up(anhui, province_admin):
    target = anhui.targets.filter(measure="", year__gt=TODAY.year, value__gt=0).first()
    assert target is not None
    key = f"target_behind:{target.pk}"
    assert key not in keys(anhui, "target_behind")  # nothing reported: no data, no warning
    services.target_value_report(
        actor=province_admin,
        target=target,
        as_of=TODAY - dt.timedelta(days=1),
        value="0",
        evidence="统计快报",
    )
    warning = next(w for w in selectors.warnings_open(anhui) if w.key == key)
    assert warning.level == "red" and warning.detail.startswith("低于预期进度")  # at risk
    assert province_admin.pk in warning.responsible_ids
    services.target_value_report(
        actor=province_admin,
        target=target,
        as_of=TODAY,
        value=str(target.value.quantize(Decimal("0.01"))),
        evidence="统计年报",
    )
    assert key not in keys(anhui, "target_behind")


# --- grades: a second consecutive A, removal risk ---------------------------------------------------------


@pytest.fixture
def graded(anhui: Programme, django_capture_on_commit_callbacks: Any) -> Any:
    """Four zones with values 2022–2026, and a way to compute and publish a year with chosen grades."""
    zones = zones_make(anhui, 4)
    strong = {zones[0].pk: 1.6, zones[1].pk: 1.1, zones[2].pk: 0.8, zones[3].pk: 0.5}
    with sources_replaced(values_make(anhui, zones, range(2022, 2027), strong=strong)):

        def publish(admin: Any, year: int, grades: dict[Any, str]) -> Any:
            run = evaluation_services.run_create(actor=admin, programme=anhui, year=year)
            with django_capture_on_commit_callbacks(execute=True):
                evaluation_services.run_start(actor=admin, run=run)
            for zone, grade in grades.items():
                result = run.zone_results.get(zone=zone)
                if result.grade != grade:
                    evaluation_services.grade_adjust(
                        actor=admin, result=result, grade=grade, reason=f"测试设定为{grade}"
                    )
            evaluation_services.run_finalise(actor=admin, run=run)
            with django_capture_on_commit_callbacks(execute=True):
                evaluation_services.run_publish(actor=admin, run=run, today=dt.date(year + 1, 3, 1))
            return run

        yield zones, publish


def test_a_second_consecutive_a_and_the_removal_risk_closed_by_an_explanation_and_a_better_grade(
    anhui, graded, province_admin
):
    zones, publish = graded
    weak, strong = zones[3], zones[0]
    second, risk = f"second_a:{weak.pk}:2025", f"removal_risk:{weak.pk}:2025"
    publish(province_admin, 2024, {weak: "A", strong: "AAA"})
    # One A: neither (Anhui removes a zone after three consecutive A years).
    assert not keys(anhui, "second_a") and not keys(anhui, "removal_risk")
    publish(province_admin, 2025, {weak: "A", strong: "AAA"})
    found = {w.key: w for w in selectors.warnings_open(anhui)}
    assert found[second].level == "orange" and found[second].detail == "2024年、2025年连续评为A等次"
    assert (
        found[risk].level == "red" and "已连续2年" in found[risk].detail and "连续3年" in found[risk].detail
    )
    assert province_admin.pk in found[second].responsible_ids
    assert not any(k.endswith(f":{strong.pk}:2025") for k in found)  # AAA twice: nothing to warn
    # An explanation closes the second A; the risk stays open.
    explain(province_admin, anhui, second)
    assert second not in keys(anhui, "second_a") and risk in keys(anhui, "removal_risk")
    assert second in {w.key for w in selectors.warnings_all(anhui)}  # still raised, explained
    # A better grade the next year closes the risk: the data changed.
    publish(province_admin, 2026, {weak: "AA"})
    assert not any(k.startswith(f"removal_risk:{weak.pk}:") for k in keys(anhui, "removal_risk"))
    assert not any(k.startswith(f"second_a:{weak.pk}:") for k in keys(anhui, "second_a"))


def test_with_removal_after_two_consecutive_a_one_a_is_the_risk(anhui, graded, province_admin):
    zones, publish = graded
    weak = zones[3]
    parameter_change(
        user=province_admin,
        programme=anhui,
        key="consequences.removal.consecutive_years",
        value=2,
        reason="测试：连续两年A等次即移出",
    )
    publish(province_admin, 2024, {weak: "A"})
    risk = next(w for w in selectors.warnings_open(anhui) if w.key == f"removal_risk:{weak.pk}:2024")
    assert "已连续1年" in risk.detail and "连续2年" in risk.detail
    assert not keys(anhui, "second_a")


# --- an overdue work item ---------------------------------------------------------------------------------


def _led_task(anhui: Programme, officer: Any) -> Any:
    return (
        anhui.tasks.filter(
            kind=TaskKind.TASK, units__role=UnitRole.LEAD, units__organisations=officer.organisation
        )
        .distinct()
        .first()
    )


def test_an_overdue_item_warns_until_completed_and_an_explanation_closes_another(
    anhui, province_admin, department_officer
):
    task = _led_task(anhui, department_officer)
    due = TODAY - dt.timedelta(days=10)
    late, other = (
        services.work_item_create(
            actor=province_admin, programme=anhui, task=task, year=TODAY.year, title=title, due=due
        )
        for title in ("完成中试平台建设", "出台配套政策")
    )
    found = {w.key: w for w in selectors.warnings_open(anhui)}
    warning = found[f"item_overdue:{late.pk}"]
    assert warning.level == "yellow" and warning.detail == "已逾期10天"
    assert {province_admin.pk, department_officer.pk} <= set(warning.responsible_ids)
    services.work_item_complete(actor=department_officer, item=late, done_on=TODAY, note="已建成")
    assert f"item_overdue:{late.pk}" not in keys(anhui, "item_overdue")
    # The lead unit explains the other one itself.
    services.warning_explain(
        actor=department_officer, programme=anhui, key=f"item_overdue:{other.pk}", text="经批准延期至年底"
    )
    assert f"item_overdue:{other.pk}" not in keys(anhui, "item_overdue")


# --- the workbench, the bell and the weekly digest ---------------------------------------------------------


def test_the_responsible_users_see_it_on_their_workbench_and_others_do_not(
    client, anhui, province_admin, department_officer, zone_operator
):
    task = _led_task(anhui, department_officer)
    services.work_item_create(
        actor=province_admin,
        programme=anhui,
        task=task,
        year=TODAY.year,
        title="组建产业联盟",
        due=TODAY - dt.timedelta(days=3),
    )
    # The lead unit's officer: the item among the notices, and every warning of theirs counted.
    client.force_login(department_officer)
    page = client.get("/").content.decode()
    assert "【黄色预警】工作事项逾期" in page and "组建产业联盟" in page
    mine = selectors.warnings_for_user(department_officer)
    assert "item_overdue:" in " ".join(w.key for _p, w in mine)
    # Only the kinds that can name an officer are computed for them: the same warnings as all filtered.
    assert [w.key for _p, w in mine] == [
        w.key for w in selectors.warnings_open(anhui) if department_officer.pk in w.responsible_ids
    ]
    assert "我负责的提示预警（待处理或说明）" in page
    # The admin: responsible for it too, counted among all their warnings (the most severe shown).
    ours = selectors.warnings_for_user(province_admin)
    assert any("组建产业联盟" in w.subject for _p, w in ours)
    client.force_login(province_admin)
    page = client.get("/").content.decode()
    assert "我负责的提示预警（待处理或说明）" in page
    assert (
        f'我负责的提示预警（待处理或说明）</a>\n            <span><span class="badge text-bg-danger">{len(ours)}</span>'
        in page
    )
    most_severe = sorted(ours, key=lambda pw: (rules.LEVEL_ORDER[pw[1].level], pw[1].since, pw[1].key))[0][1]
    assert most_severe.subject in page
    # Someone responsible for nothing sees neither.
    client.force_login(zone_operator)
    page = client.get("/").content.decode()
    assert "组建产业联盟" not in page and "我负责的提示预警" not in page


def test_the_workbench_computes_the_warnings_once_a_request_and_afresh_the_next(
    client, anhui, province_admin, department_officer, monkeypatch
):
    calls = []
    kept = selectors.warnings_open

    def counted(programme, **kwargs):
        calls.append(programme.code)
        return kept(programme, **kwargs)

    task = _led_task(anhui, department_officer)
    item = services.work_item_create(
        actor=province_admin, programme=anhui, task=task, year=TODAY.year, title="组建产业联盟", due=TODAY
    )
    client.force_login(department_officer)
    monkeypatch.setattr(early_warnings, "warnings_open", counted)  # where the workbench looks it up
    assert "组建产业联盟" not in client.get("/").content.decode()  # due today: not overdue yet
    first = list(calls)
    assert first and len(first) == len(set(first))  # each programme once, for to-dos and notices
    services.work_item_complete(actor=department_officer, item=item, done_on=TODAY, note="已组建")
    services.work_item_create(
        actor=province_admin,
        programme=anhui,
        task=task,
        year=TODAY.year,
        title="出台配套政策",
        due=TODAY - dt.timedelta(days=2),
    )
    assert "出台配套政策" in client.get("/").content.decode()  # the next request sees the change
    assert len(calls) == 2 * len(first)


def test_the_digest_mails_each_responsible_user_their_open_warnings_and_rings_the_bell(
    anhui, province_admin, department_officer, zone_operator, django_capture_on_commit_callbacks
):
    for user in (province_admin, department_officer, zone_operator):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    task = _led_task(anhui, department_officer)
    item = services.work_item_create(
        actor=province_admin,
        programme=anhui,
        task=task,
        year=TODAY.year,
        title="组建产业联盟",
        due=TODAY - dt.timedelta(days=3),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = services.warning_digest_send()
    rung = list(
        Notification.objects.filter(kind="supervision.warning_digest").values_list("recipient_id", flat=True)
    )
    assert len(rung) == len(set(rung)) == told  # one message in the bell per responsible user
    by_address = {m.to[0]: m for m in mail.outbox}
    addresses = set(User.objects.filter(pk__in=rung).exclude(email="").values_list("email", flat=True))
    assert len(by_address) == len(mail.outbox) and set(by_address) == addresses  # and one e-mail each
    for user in (province_admin, department_officer):
        mine = [
            w
            for p in Programme.objects.all()
            for w in selectors.warnings_open(p)
            if user.pk in w.responsible_ids
        ]
        message = by_address[user.email]
        assert f"本周提示预警：{len(mine)}条待处理" in message.subject
        assert "工作事项逾期" in message.body and "组建产业联盟" in message.body
        bell = Notification.objects.get(recipient=user, kind="supervision.warning_digest")
        assert bell.read_at is None and "组建产业联盟" in bell.body
    assert zone_operator.email not in by_address
    assert not Notification.objects.filter(
        recipient=zone_operator, kind="supervision.warning_digest"
    ).exists()
    # Completed, the item leaves the officer's next digest.
    services.work_item_complete(actor=department_officer, item=item, done_on=TODAY, note="已组建")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.warning_digest_send()
    assert all("组建产业联盟" not in m.body for m in mail.outbox)


def test_the_removal_streak_counts_consecutive_years_ending_in_the_latest():
    assert rules.streak_of([(2023, "A"), (2024, "A"), (2025, "A")], "A") == 3
    assert rules.streak_of([(2023, "A"), (2025, "A")], "A") == 1  # 2024 not graded: the run breaks
    assert rules.streak_of([(2024, "A"), (2025, "AA")], "A") == 0
    risks = rules.removal_risks(
        [
            rules.RiskFact(1, "甲区", 2025, 1, 2, "市"),  # removal after two: one A is the risk
            rules.RiskFact(2, "乙区", 2025, 3, 3, "市"),  # kept within its tolerance period
            rules.RiskFact(3, "丙区", 2025, 1, 3, "市"),  # not yet: the rule gives nothing
        ]
    )
    assert [w.key for w in risks] == ["removal_risk:1:2025", "removal_risk:2:2025"]
    assert "再有1年将被移出（连续2年移出）" in risks[0].detail and "已达到移出条件" in risks[1].detail
