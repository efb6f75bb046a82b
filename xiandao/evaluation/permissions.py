"""Who may see and do what with evaluation runs, zone results and consequences.

* programme admins: every run of the programmes in their jurisdictions; they create, compute,
  adjust, finalise, put to 公示 and publish, entrust evaluators, confirm removals;
* the committee's experts of those jurisdictions: read every run and adjust grades with a reason;
* third-party evaluators: the runs they are entrusted with (``RunEvaluator``): read them always,
  create, compute and adjust only between the dates of the grant (after it, a Chinese refusal);
* city officers and zone operators: their zones' results once the run is published (the report
  card), the operator writes the zone's improvement plan;
* the public: the published grades list when the programme's grades are public (selectors).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.formats import date_zh
from xiandao.core.permissions import PermissionPolicy
from xiandao.pilot_zones.selectors import zone_list_in_jurisdictions, zone_list_in_parks

from .models import Consequence, ConsequenceKind, EvaluationRun, RunEvaluator, RunStatus, ZoneResult

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme


class EvaluationAction(StrEnum):
    VIEW = "view"  # read a run, its results and its report cards
    COMPUTE = "compute"  # create a run, start or restart its computation
    ADJUST = "adjust"  # adjust a proposed grade with a reason
    FINALISE = "finalise"  # fix the grades, open the 公示, record and answer objections
    PUBLISH = "publish"  # publish, applying the consequences
    ENTRUST = "entrust"  # entrust a third-party evaluator with the run for dates
    SENSITIVITY = "sensitivity"  # see which methodological choices move the grades (Sobol)


class ResultAction(StrEnum):
    VIEW = "view"  # a zone's report card


class ConsequenceAction(StrEnum):
    VIEW = "view"  # see a consequence and its follow-up
    RESPOND = "respond"  # the zone's improvement plan
    MANAGE = "manage"  # confirm or decline a removal, record support delivered


_ADMIN_ONLY = {
    EvaluationAction.FINALISE,
    EvaluationAction.PUBLISH,
    EvaluationAction.ENTRUST,
    EvaluationAction.SENSITIVITY,
}


def _admin_programmes_q(scope: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}programme__jurisdiction_id__in": scope.jurisdiction_ids})


def _evaluator_runs(user: Any, *, active: bool) -> QuerySet[RunEvaluator]:
    grants = RunEvaluator.objects.filter(user=user)
    if active:
        today = timezone.localdate()
        grants = grants.filter(valid_from__lte=today, valid_to__gte=today)
    return grants


class RunPolicy(PermissionPolicy[EvaluationRun]):
    model = EvaluationRun
    actions = EvaluationAction

    def instances_for(self, user: Any, action: str) -> QuerySet[EvaluationRun]:
        runs = EvaluationRun.objects.all()
        if not getattr(user, "is_authenticated", False):
            return runs.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return runs
        allowed = Q(pk__in=[])
        if scope.has_role(Role.PROGRAMME_ADMIN):
            allowed |= _admin_programmes_q(scope)
        if action in (EvaluationAction.VIEW, EvaluationAction.ADJUST) and Role.EXPERT in scope.roles:
            allowed |= _admin_programmes_q(scope) & ~Q(status=RunStatus.DRAFT)
        if action in (EvaluationAction.VIEW, EvaluationAction.COMPUTE, EvaluationAction.ADJUST) and (
            Role.EVALUATOR in scope.roles
        ):
            # Seen for ever once entrusted; acted on only inside the grant's dates.
            active = action != EvaluationAction.VIEW
            allowed |= Q(pk__in=_evaluator_runs(user, active=active).values("run_id"))
        return runs.filter(allowed)


run_policy = RunPolicy()


def evaluator_refusal(user: Any, run: EvaluationRun, what: str) -> str | None:
    """Why an entrusted evaluator may no longer act on ``run`` (their dates are past), else None."""
    grants = list(RunEvaluator.objects.filter(user=user, run=run).order_by("-valid_to"))
    if not grants:
        return None
    today = timezone.localdate()
    if any(g.valid_from <= today <= g.valid_to for g in grants):
        return None
    if all(g.valid_from > today for g in grants):
        start = min(g.valid_from for g in grants)
        return f"您受托评估该批次的期限自{date_zh(start)}开始，目前还不能{what}。"
    return f"您受托评估该批次的期限已于{date_zh(grants[0].valid_to)}结束，不能再{what}；如需继续，请联系计划管理员重新委托。"


def may_create_run(user: Any, programme: Programme) -> bool:
    """Programme admins of the programme; evaluators entrusted, today, with a run of it."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    if scope.has_role(Role.PROGRAMME_ADMIN) and programme.jurisdiction_id in scope.jurisdiction_ids:
        return True
    if Role.EVALUATOR in scope.roles:
        return _evaluator_runs(user, active=True).filter(run__programme=programme).exists()
    return False


def _zones_of(scope: Any) -> Any:
    zones = zone_list_in_parks(scope.park_ids).values("pk") if scope.park_ids else None
    in_jurisdictions = (
        zone_list_in_jurisdictions(scope.jurisdiction_ids).values("pk") if scope.jurisdiction_ids else None
    )
    return zones, in_jurisdictions


class ResultPolicy(PermissionPolicy[ZoneResult]):
    model = ZoneResult
    actions = ResultAction

    def instances_for(self, user: Any, action: str) -> QuerySet[ZoneResult]:
        results = ZoneResult.objects.all()
        if not getattr(user, "is_authenticated", False):
            return results.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return results
        allowed = Q(run__in=run_policy.instances_for(user, EvaluationAction.VIEW))
        parks, jurisdictions = _zones_of(scope)
        published = Q(run__status=RunStatus.PUBLISHED)
        if Role.ZONE_OPERATOR in scope.roles and parks is not None:
            allowed |= published & Q(zone__in=parks)
        if Role.CITY_OFFICER in scope.roles and jurisdictions is not None:
            allowed |= published & Q(zone__in=jurisdictions)
        return results.filter(allowed)


result_policy = ResultPolicy()


class ConsequencePolicy(PermissionPolicy[Consequence]):
    model = Consequence
    actions = ConsequenceAction

    def instances_for(self, user: Any, action: str) -> QuerySet[Consequence]:
        items = Consequence.objects.all()
        if not getattr(user, "is_authenticated", False):
            return items.none()
        scope = user_scope(user)
        if scope.is_superuser:
            return items
        admin = _admin_programmes_q(scope, "run__") if scope.has_role(Role.PROGRAMME_ADMIN) else Q(pk__in=[])
        if action == ConsequenceAction.MANAGE:
            return items.filter(admin)
        if action == ConsequenceAction.VIEW:
            return items.filter(admin | Q(result__in=result_policy.instances_for(user, ResultAction.VIEW)))
        parks, _jurisdictions = _zones_of(scope)
        if Role.ZONE_OPERATOR in scope.roles and parks is not None:
            return items.filter(kind=ConsequenceKind.IMPROVEMENT_PLAN, result__zone__in=parks)
        return items.none()


consequence_policy = ConsequencePolicy()


def admin_only(action: EvaluationAction) -> bool:
    return action in _ADMIN_ONLY
