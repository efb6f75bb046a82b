"""Early warnings (提示预警) computed when read, and what waits on the workbench."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import role_holders_by_jurisdiction, users_holding_role
from xiandao.programmes.models import UnitRole

from .. import rules
from ..models import (
    SupervisionNotice,
    WarningExplanation,
    WorkItem,
)
from ..permissions import SupervisionAction
from .base import programme_list_for_user, settings_of
from .targets import TargetProgress, target_progress

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme

# --- warnings --------------------------------------------------------------------------------------------


def _admin_ids(programme: Programme) -> tuple[int, ...]:
    from xiandao.geo.selectors import jurisdiction_descendant_ids

    ids = jurisdiction_descendant_ids([programme.jurisdiction_id])
    return tuple(users_holding_role(Role.PROGRAMME_ADMIN, jurisdiction_ids=ids).values_list("pk", flat=True))


def _zone_cities(programme: Programme) -> tuple[list[Any], dict[int, str]]:
    """The programme's zones and each one's city name (monitoring's dated divisions: a few queries)."""
    zones, city_ids, names = _zone_places(programme)
    return zones, {zone_id: names[city] for zone_id, city in city_ids.items()}


def _zone_places(programme: Programme) -> tuple[list[Any], dict[int, int], dict[int, str]]:
    """The programme's zones, each one's city id, and the cities' names."""
    from xiandao.geo.selectors import city_list
    from xiandao.monitoring.selectors import zone_divisions
    from xiandao.pilot_zones.selectors import zone_list_for_programme

    zones = list(zone_list_for_programme(programme))
    divisions = zone_divisions(zones, timezone.localdate())
    names = dict(city_list().filter(pk__in={c for c, _ in divisions.values() if c}).values_list("pk", "name"))
    return zones, {zone_id: city for zone_id, (city, _county) in divisions.items() if city in names}, names


def warnings_all(
    programme: Programme,
    *,
    today: dt.date | None = None,
    progress_rows: list[TargetProgress] | None = None,
    kinds: frozenset[str] | None = None,
) -> list[rules.Warning]:
    """Every warning the rules raise for the programme today, explained ones included.

    ``kinds`` limits the rules run (and the data read) to those kinds; every kind by default.
    """
    from xiandao.evaluation.selectors import grade_histories
    from xiandao.monitoring.permissions import programme_settings
    from xiandao.monitoring.selectors import approved_values_by_year, default_deadline, report_states
    from xiandao.programmes.selectors import framework_for_year, lifecycle_get, rule_parameters

    today = today or timezone.localdate()
    conf = settings_of(programme)
    admins = _admin_ids(programme)
    admin_name = programme.admin_organisation.name if programme.admin_organisation_id else "计划管理员"
    zones, city_ids, city_names = _zone_places(programme)
    cities = {zone_id: city_names[city] for zone_id, city in city_ids.items()}
    zone_names = {z.pk: z.name for z in zones}
    # A zone's warnings go to the programme's admins and to the officers of the zone's city.
    officers = role_holders_by_jurisdiction(Role.CITY_OFFICER, set(city_ids.values()))

    def zone_ids(zone_id: int) -> tuple[int, ...]:
        return admins + tuple(u for u in officers.get(city_ids.get(zone_id, 0), ()) if u not in admins)

    def zone_resp(zone_id: int) -> str:
        city = cities.get(zone_id, "")
        return (
            f"{city}发展改革委、{zone_names.get(zone_id, '')}运营单位"
            if city
            else f"{zone_names.get(zone_id, '')}运营单位"
        )

    def wanted(*of: str) -> bool:
        return kinds is None or any(k in kinds for k in of)

    found: list[rules.Warning] = []
    year = today.year - 1
    # Reports missing at the deadline (last year's annual report).
    if wanted(rules.Kind.REPORT_MISSING):
        deadline = default_deadline(programme_settings(programme), year)
        facts = [
            rules.ReportFact(
                s.zone_id,
                s.zone_name,
                year,
                s.deadline or deadline,
                s.status not in ("absent", "draft", "returned"),
                zone_resp(s.zone_id),
                zone_ids(s.zone_id),
            )
            for s in report_states(programme, year)
        ]
        found += rules.reports_missing(facts, today)
    # Indicators falling year on year (approved values of the two latest years).
    if wanted(rules.Kind.INDICATOR_FALLING):
        approved = approved_values_by_year(programme, [year, year - 1, year - 2])
        latest, before = approved[year], approved[year - 1]
        if not latest:
            latest, before = before, approved[year - 2]
            year -= 1
        names: dict[str, tuple[str, int]] = {}
        for _dimension, indicators in framework_for_year(programme, year):
            for indicator in indicators:
                names[indicator.code] = (indicator.name, indicator.direction)
        series = []
        for zone_id, values in latest.items():
            for code, value in values.items():
                if code in names and code in before.get(zone_id, {}):
                    series.append(
                        rules.SeriesFact(
                            zone_id,
                            zone_names.get(zone_id, str(zone_id)),
                            code,
                            names[code][0],
                            {year - 1: before[zone_id][code], year: value},
                            zone_resp(zone_id),
                            "down" if names[code][1] == -1 else "up",
                            zone_ids(zone_id),
                        )
                    )
        found += rules.indicators_falling(series, drop_percent=conf.falling_percent, on=today)
    # Targets behind their path.
    if wanted(rules.Kind.TARGET_BEHIND):
        rows = progress_rows if progress_rows is not None else target_progress(programme, today=today)
        # Two documents may set the same metric for the same year: name the document then.
        named = Counter((r.target.year, r.target.metric) for r in rows)
        found += rules.targets_behind(
            rules.TargetFact(
                r.target.pk,
                f"{r.target.year}年目标：{r.target.metric}"
                + (f"（{r.target.document.title}）" if named[(r.target.year, r.target.metric)] > 1 else ""),
                r.status,
                r.shortfall,
                admin_name,
                r.behind_since or r.as_of,
                admins,
            )
            for r in rows
        )
    # Grades: a second consecutive A, and removal risk (one removal grade short).
    if wanted(rules.Kind.SECOND_A, rules.Kind.REMOVAL_RISK):
        histories = grade_histories(programme)
        lifecycle = lifecycle_get(programme)
        structure = lifecycle.structure if lifecycle and lifecycle.specified else {}
        removal_grade = str((structure.get("consequences") or {}).get("removal", {}).get("grade", "") or "")
        if removal_grade or histories:
            grade_facts = [
                rules.GradeFact(
                    zone_id,
                    zone_names.get(zone_id, str(zone_id)),
                    history,
                    zone_resp(zone_id),
                    zone_ids(zone_id),
                )
                for zone_id, history in histories.items()
            ]
            found += rules.second_consecutive(grade_facts, grade=removal_grade or "A")
            parameter = rule_parameters(programme).get("consequences.removal.consecutive_years")
            n = parameter.value if parameter and parameter.value else None
            risks = []
            for zone_id, history in histories.items():
                if not n or n < 2 or not history or not removal_grade:
                    continue
                # The run of removal grades in consecutive years ending in the zone's latest published
                # year. On its (n-1)th one more removes the zone; with n = 2 a single removal grade is
                # the risk. A longer run (a zone kept within its tolerance period) stays at risk, as in
                # evaluation's forecast, which flags every run of at least n-1.
                streak = rules.streak_of(history, removal_grade)
                if streak >= n - 1:
                    risks.append(
                        rules.RiskFact(
                            zone_id,
                            zone_names.get(zone_id, str(zone_id)),
                            history[-1][0],
                            streak,
                            n,
                            zone_resp(zone_id),
                            zone_ids(zone_id),
                        )
                    )
            found += rules.removal_risks(risks)
    # Work-list items overdue.
    if wanted(rules.Kind.ITEM_OVERDUE):
        items = list(
            WorkItem.objects.filter(programme=programme, done_on__isnull=True, due__lt=today)
            .select_related("task", "city")
            .prefetch_related("notices", "task__units__organisations")
        )
        officer_ids = _department_officers()
        city_officers = role_holders_by_jurisdiction(
            Role.CITY_OFFICER, {i.city_id for i in items if i.city_id}
        )
        item_facts = []
        for item in items:
            if item.task is not None:
                lead = [u for u in item.task.units.all() if u.role == UnitRole.LEAD]
                responsible = "、".join(u.written for u in lead) or "牵头单位"
                org_ids = {o.pk for u in lead for o in u.organisations.all()}
                ids = tuple(uid for uid, oid in officer_ids if oid in org_ids) + admins
                subject = f"{item.task.title[:30]}：{item.title}"
            else:
                responsible = f"{item.city.name}人民政府" if item.city else "设区市"
                ids = admins + city_officers.get(item.city_id or 0, ())
                subject = f"{item.city.name if item.city else ''}年度工作清单：{item.title}"
            item_facts.append(
                rules.ItemFact(
                    item.pk,
                    subject,
                    item.due,
                    False,
                    any(n.is_open for n in item.notices.all()),
                    responsible,
                    ids,
                )
            )
        found += rules.items_overdue(item_facts, today)
    return found


def _department_officers() -> list[tuple[int, int]]:
    officers = users_holding_role(Role.DEPARTMENT_OFFICER).filter(organisation__isnull=False)
    return list(officers.values_list("pk", "organisation_id"))


def explained_keys(programme: Programme) -> dict[str, WarningExplanation]:
    return {
        e.key: e
        for e in WarningExplanation.objects.filter(programme=programme).select_related("explained_by")
    }


def warnings_open(
    programme: Programme,
    *,
    today: dt.date | None = None,
    progress_rows: list[TargetProgress] | None = None,
    kinds: frozenset[str] | None = None,
) -> list[rules.Warning]:
    """The open warnings: raised by the rules and not closed by an explanation."""
    return rules.open_warnings(
        warnings_all(programme, today=today, progress_rows=progress_rows, kinds=kinds),
        explained_keys(programme),
    )


def _kinds_for(user: Any, programme: Programme) -> frozenset[str] | None:
    """The kinds whose warnings may name the user (warnings_all's responsible_ids): every kind for
    the programme's admins, overdue items for a department officer (their lead unit's), else none.
    Computing only those spares an officer's workbench the targets' and grades' reads."""
    if user.pk in _admin_ids(programme):
        return None
    kinds: set[str] = set()
    if user.pk in {uid for uid, _org in _department_officers()}:
        kinds.add(rules.Kind.ITEM_OVERDUE)
    from xiandao.accounts.selectors import user_scope

    if user_scope(user).has_role(Role.CITY_OFFICER):
        # A city's officers answer for their zones' reports, figures and grades, and the city's work list.
        kinds |= {
            rules.Kind.REPORT_MISSING,
            rules.Kind.INDICATOR_FALLING,
            rules.Kind.SECOND_A,
            rules.Kind.REMOVAL_RISK,
            rules.Kind.ITEM_OVERDUE,
        }
    return frozenset(kinds)


#: The warnings computed during the current request, by (user, day): the workbench asks twice (its
#: to-dos and its notices) and each computation reads every programme's data. Only set between
#: Django's request_started and request_finished (apps.py), so nothing outlives a request: outside
#: one (a command, a test calling the selectors) every call computes afresh.
_request_warnings: ContextVar[dict[tuple[int, dt.date], list[tuple[Programme, rules.Warning]]] | None] = (
    ContextVar("supervision_request_warnings", default=None)
)


def warnings_request_started(**_kwargs: Any) -> None:
    _request_warnings.set({})


def warnings_request_finished(**_kwargs: Any) -> None:
    _request_warnings.set(None)


def warnings_for_user(user: Any) -> list[tuple[Programme, rules.Warning]]:
    """The open warnings the user is responsible for, over the programmes they follow (once a request)."""
    cache = _request_warnings.get()
    key = (user.pk, timezone.localdate())
    if cache is not None and key in cache:
        return list(cache[key])
    found = []
    for programme in programme_list_for_user(user):
        kinds = _kinds_for(user, programme)
        if kinds is not None and not kinds:
            continue
        for warning in warnings_open(programme, kinds=kinds):
            if user.pk in warning.responsible_ids:
                found.append((programme, warning))
    if cache is not None:
        cache[key] = list(found)
    return found


# --- workbench ---------------------------------------------------------------------------------------------


def supervision_todos(user: Any) -> list[Any]:
    """What waits: items due in 30 days or overdue on my department's tasks, 督办 to answer, my warnings."""
    from django.urls import reverse

    from xiandao.accounts.selectors import user_scope
    from xiandao.core.providers import TodoItem

    from ..permissions import work_item_policy

    scope = user_scope(user)
    if not scope.has_role(Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER, Role.PROGRAMME_ADMIN):
        return []
    today = timezone.localdate()
    items: list[Any] = []
    mine = work_item_policy.instances_for(user, SupervisionAction.ANSWER).filter(done_on__isnull=True)
    due = mine.filter(due__lte=today + dt.timedelta(days=30))
    count = due.count()
    if count:
        first = due.order_by("due").first()
        items.append(
            TodoItem(
                "本部门待完成的年度工作事项",
                reverse("supervision:my_tasks"),
                first.due.isoformat() if first else "",
                count,
            )
        )
    notices = SupervisionNotice.objects.filter(item__in=mine, answered_at__isnull=True)
    count = notices.count()
    if count:
        items.append(TodoItem("待反馈的督办", reverse("supervision:my_tasks") + "#notices", "", count))
    if scope.has_role(Role.DEPARTMENT_OFFICER, Role.PROGRAMME_ADMIN):
        # Every open warning I am responsible for, counted (the notices show the most severe).
        warnings = warnings_for_user(user)
        if warnings:
            items.append(
                TodoItem(
                    "我负责的提示预警（待处理或说明）",
                    reverse("supervision:warnings"),
                    "",
                    len(warnings),
                )
            )
    if scope.has_role(Role.PROGRAMME_ADMIN):
        overdue = work_item_policy.instances_for(user, SupervisionAction.MANAGE).filter(
            done_on__isnull=True, due__lt=today
        )
        count = overdue.exclude(notices__answered_at__isnull=True, notices__isnull=False).count()
        if count:
            items.append(
                TodoItem(
                    "逾期未办结、尚未督办的工作事项",
                    reverse("supervision:warnings") + "?kind=item_overdue",
                    "",
                    count,
                )
            )
    return items


def supervision_notices(user: Any) -> list[Any]:
    """The warnings the user is responsible for, as notices on the workbench."""
    from django.urls import reverse

    from xiandao.accounts.selectors import user_scope
    from xiandao.core.providers import NoticeItem

    if not user_scope(user).has_role(Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER, Role.PROGRAMME_ADMIN):
        return []
    found = []
    for programme, warning in warnings_for_user(user)[:8]:
        found.append(
            NoticeItem(
                f"【{warning.level_label}预警】{warning.kind_label}：{warning.subject}",
                reverse("supervision:warnings_programme", kwargs={"programme_code": programme.code}),
                warning.since.isoformat(),
                "提示预警",
            )
        )
    return found
