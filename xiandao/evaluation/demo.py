"""Demonstration evaluations of Anhui, made through the services from monitoring's demo reports.

* 2024: a published run over the demo zones on the creation list (their 2023–2024 reports are
  approved);
* 2025: the zone graded A in 2024 is under observation, so its 2025 report is reviewed at once
  (city, then province) and the reports waiting at the province are approved by the province's
  admin persona (the others stay at the city or in drafting); the run goes ahead on approved
  values only (marked as such), the observed zone stays at A (lowered with its reason should the
  computation rank it higher), the top zone is raised one grade with its reason where the scale
  allows, and the run is published: the zone graded A in 2024 and 2025 carries the removal-risk
  flag (and supervision's second-A and removal-risk warnings);
* a draft run of the year being reported (2026), computed on the reports approved so far
  (monitoring's demo has two zones in three approved early) and left for the committee.

Nothing here writes a row directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from xiandao.accounts.selectors import user_find_by_username
from xiandao.monitoring import services as monitoring_services
from xiandao.monitoring.permissions import MonitoringAction, report_policy
from xiandao.monitoring.selectors import report_states
from xiandao.programmes.selectors import programme_find

from . import services
from .models import EvaluationRun
from .services import snapshot as snap

ADMIN = "ah_admin"
#: The city officer persona (Hefei), who reviews at the city's step where the zone is theirs.
CITY_OFFICER = "hf_officer"
REASON = "示例：专家组复核佐证材料后认为其建设成效突出，上调一档"
#: A grade lowered to A (the observed zone's, should the computation rank it higher).
LOWER_REASON = "示例：专家组复核认为其整改未达预期，维持A等次"


def _admin() -> Any:
    return user_find_by_username(ADMIN)


def _approve_waiting_at_province(programme: Any, year: int, admin: Any) -> None:
    waiting = {s.zone_id for s in report_states(programme, year) if not s.approved}
    for report in report_policy.instances_for(admin, MonitoringAction.REVIEW).filter(
        period__programme=programme, period__year=year, zone_id__in=waiting
    ):
        try:
            monitoring_services.report_approve(actor=admin, report=report)
        except Exception:  # not at the province's step: it stays where it is
            continue


def _review_observed(programme: Any, year: int, zone_id: int, admin: Any) -> None:
    """The observed zone's report, submitted and waiting, approved at each remaining step (city, province).

    A zone on observation after an A is followed closely: its next report is reviewed first, so
    the next evaluation grades it. A report still being filled in stays so.
    """
    officer = user_find_by_username(CITY_OFFICER)
    for report in report_policy.instances_for(admin, MonitoringAction.VIEW).filter(
        period__programme=programme, period__year=year, period__quarter=0, zone_id=zone_id
    ):
        for _step in range(5):  # the chain has a handful of levels at most
            report.refresh_from_db()
            if report.status != "pending":  # waiting at a review step
                break
            reviewer = next(
                (
                    u
                    for u in (officer, admin)
                    if u is not None and report_policy.user_may(u, MonitoringAction.REVIEW, report)
                ),
                None,
            )
            monitoring_services.report_approve(actor=reviewer, report=report)


def _publish(admin: Any, run: EvaluationRun, grades: dict[int, str], today: dt.date) -> None:
    found = snap.grade_scale(run.programme)
    scale = list(found.codes) if found else []
    for result in run.zone_results.all():
        wanted = grades.get(result.zone_id)
        if wanted and wanted != result.grade:
            lower = (
                wanted in scale and result.grade in scale and scale.index(wanted) < scale.index(result.grade)
            )
            services.grade_adjust(
                actor=admin, result=result, grade=wanted, reason=LOWER_REASON if lower else REASON
            )
    services.run_finalise(actor=admin, run=run)
    services.run_publish(actor=admin, run=run, today=today)


def demo_evaluations_create() -> list[EvaluationRun]:
    """The runs above; running twice changes nothing. Jobs run inline here (the demo loader)."""
    from django.test.utils import override_settings

    programme = programme_find("anhui")
    admin = _admin()
    if (
        programme is None
        or admin is None
        or EvaluationRun.objects.filter(programme=programme, is_demo=True).exists()
    ):
        return []
    with override_settings(JOBS_BACKEND="inline"), transaction.atomic():
        runs = _demo_runs(programme, admin)
    EvaluationRun.objects.filter(pk__in=[r.pk for r in runs]).update(is_demo=True)
    return list(EvaluationRun.objects.filter(pk__in=[r.pk for r in runs]).order_by("year", "pk"))


def _demo_runs(programme: Any, admin: Any) -> list[EvaluationRun]:
    runs: list[EvaluationRun] = []
    first = _compute_committed(admin, programme, 2024)
    if first is None:
        return runs
    runs.append(first)
    results = list(first.zone_results.order_by("rank"))
    if not results:
        return runs
    weakest = results[-1].zone_id
    _publish(admin, first, {weakest: "A"}, dt.date(2025, 4, 15))
    _review_observed(programme, 2025, weakest, admin)
    _approve_waiting_at_province(programme, 2025, admin)
    second = _compute_committed(admin, programme, 2025)
    if second is None:
        return runs
    runs.append(second)
    grades = {weakest: "A"}
    others = [r for r in second.zone_results.order_by("rank") if r.zone_id != weakest and r.grade]
    if others:
        top = others[0]
        found = snap.grade_scale(programme)
        scale = list(found.codes) if found else []
        if top.grade in scale and scale.index(top.grade) + 1 < len(scale):
            grades[top.zone_id] = scale[scale.index(top.grade) + 1]
    _publish(admin, second, grades, dt.date(2026, 4, 15))
    latest = max(
        (y for y in range(2026, 2031) if any(snap.sources().values(programme, y).values())), default=None
    )
    if latest:
        draft = _compute_committed(admin, programme, latest)
        if draft is not None:
            runs.append(draft)
    return runs


def _compute_committed(admin: Any, programme: Any, year: int) -> EvaluationRun | None:
    """Create and compute a run; the job starts when the creating transaction commits."""
    try:
        with transaction.atomic():
            run = services.run_create(
                actor=admin,
                programme=programme,
                year=year,
                approved_only=bool(snap.unapproved_reports(programme, year)),
            )
    except Exception:
        return None
    services.run_compute(run_id=run.pk, user_id=admin.pk)
    run.refresh_from_db()
    return run


def demo_evaluations_remove() -> int:
    """The demo runs with their results, adjustments and consequences."""
    return services.demo_runs_delete(actor=None)
