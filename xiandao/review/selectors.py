"""Reads of the committee's review, scoped: the pool, rounds, an expert's assignments, results.

``application_review_results(application)`` is the one answer other apps (the creation list)
ask: the weighted result, spread and dissent of an application's latest round, with the
committee's opinion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from xiandao.core.formats import date_zh
from xiandao.core.providers import TodoItem

from .facts import scoring_rules
from .models import (
    Assignment,
    AssignmentStatus,
    Expert,
    MemberStatus,
    PanelMember,
    ReviewOpinion,
    ReviewRound,
    RoundApplication,
    RoundStatus,
    ScoreSheet,
)
from .permissions import ReviewAction, assignment_policy, expert_policy, programmes_administered, round_policy
from .scoring import CRITERIA, CRITERION_LABELS, RECOMMENDATION_LABELS, Result, Sheet, result_of


def programmes_for_review(user: Any) -> QuerySet[Any]:
    return programmes_administered(user)


def expert_list_for_admin(user: Any) -> QuerySet[Expert]:
    return (
        expert_policy.instances_for(user, ReviewAction.VIEW)
        .select_related("programme", "organisation", "city", "user")
        .annotate(
            conflict_count=Count("declared_conflicts", distinct=True),
            tie_count=Count("relationships", distinct=True),
        )
    )


def round_list_for_user(user: Any) -> QuerySet[ReviewRound]:
    return (
        round_policy.instances_for(user, ReviewAction.VIEW)
        .select_related("programme")
        .annotate(application_count=Count("entries", distinct=True))
        .order_by("-created_at", "-pk")
    )


def assignment_list_for_expert(user: Any) -> QuerySet[Assignment]:
    return (
        assignment_policy.instances_for(user, ReviewAction.VIEW)
        .select_related("member__round__programme", "application__city", "application__field")
        .order_by("member__round__deadline", "application__name")
    )


@dataclass
class ExpertSheet:
    """One submitted sheet as the results show it (the expert named only to those who may see the panel)."""

    label: str
    kind: str
    overall: Decimal
    criteria: dict[str, Decimal]
    recommendation: str
    comments: str
    submitted_at: dt.datetime

    @property
    def recommendation_label(self) -> str:
        return RECOMMENDATION_LABELS.get(self.recommendation, self.recommendation)

    @property
    def criteria_cells(self) -> list[Decimal | None]:
        return [self.criteria.get(c) for c in CRITERIA]


@dataclass
class ApplicationResults:
    application: Any
    round: ReviewRound | None
    result: Result
    sheets: list[ExpertSheet] = field(default_factory=list)
    assigned: int = 0
    recused: int = 0
    opinion: ReviewOpinion | None = None

    @property
    def recommendation_labels(self) -> list[tuple[str, int]]:
        return [(RECOMMENDATION_LABELS[k], n) for k, n in self.result.recommendations.items()]

    @property
    def criteria_rows(self) -> list[tuple[str, Decimal]]:
        return [(CRITERION_LABELS[c], v) for c, v in self.result.criteria_means.items()]


def _sheets_for(round_: ReviewRound, application_ids: Iterable[int]) -> dict[int, list[ScoreSheet]]:
    sheets = (
        ScoreSheet.objects.filter(
            assignment__member__round=round_,
            assignment__application_id__in=list(application_ids),
            assignment__conflicted=False,
        )
        .select_related("assignment__member__expert")
        .prefetch_related("lines")
        .order_by("submitted_at", "pk")
    )
    out: dict[int, list[ScoreSheet]] = {}
    for sheet in sheets:
        out.setdefault(sheet.assignment.application_id, []).append(sheet)
    return out


def _criteria_of(sheet: ScoreSheet, items: dict[str, tuple[str, int]], scale_max: int) -> dict[str, Decimal]:
    lines = list(sheet.lines.all())
    if not items:
        return {line.code: line.points for line in lines if line.code in CRITERIA}
    got: dict[str, Decimal] = {}
    most: dict[str, Decimal] = {}
    for line in lines:
        criterion, maximum = items.get(line.code, (line.criterion, 0))
        got[criterion] = got.get(criterion, Decimal(0)) + line.points
        most[criterion] = most.get(criterion, Decimal(0)) + Decimal(maximum)
    return {c: got[c] / most[c] * Decimal(scale_max) for c in got if most.get(c)}


def _results(round_: ReviewRound, applications: list[Any], *, named: bool) -> list[ApplicationResults]:
    sheets = _sheets_for(round_, [a.pk for a in applications])
    counts = {
        row["application_id"]: row
        for row in Assignment.objects.filter(member__round=round_, conflicted=False)
        .values("application_id")
        .annotate(n=Count("pk"), recused=Count("pk", filter=Q(status=AssignmentStatus.RECUSED)))
    }
    opinions = {
        o.application_id: o for o in ReviewOpinion.objects.filter(round=round_).select_related("written_by")
    }
    out = []
    for application in applications:
        rows = []
        for index, sheet in enumerate(sheets.get(application.pk, [])):
            rules = sheet.rules or {}
            items = {i["code"]: (i["criterion"], i["max_points"]) for i in rules.get("items", [])}
            scale_max = (rules.get("scale") or [0, 100])[1]
            member = sheet.assignment.member
            rows.append(
                ExpertSheet(
                    label=member.expert.name if named else f"专家{chr(ord('A') + index)}",
                    kind=member.get_kind_display(),
                    overall=sheet.overall,
                    criteria=_criteria_of(sheet, items, scale_max),
                    recommendation=sheet.recommendation,
                    comments=sheet.comments,
                    submitted_at=sheet.submitted_at,
                )
            )
        result = result_of([Sheet(r.label, r.kind, r.overall, r.criteria, r.recommendation) for r in rows])
        count = counts.get(application.pk, {})
        out.append(
            ApplicationResults(
                application=application,
                round=round_,
                result=result,
                sheets=rows,
                assigned=int(count.get("n", 0)),
                recused=int(count.get("recused", 0)),
                opinion=opinions.get(application.pk),
            )
        )
    return out


def round_results(round_: ReviewRound, *, named: bool = True) -> list[ApplicationResults]:
    """Every application of the round with its figures, sheets and opinion."""
    applications = [
        e.application
        for e in RoundApplication.objects.filter(round=round_).select_related(
            "application__city", "application__field"
        )
    ]
    return _results(round_, applications, named=named)


def application_review_results(application: Any) -> ApplicationResults:
    """The application's latest round: weighted result, spread, dissent, recommendations and the opinion.

    Experts are shown as 专家A, 专家B… (the panel list is confidential); an application never
    reviewed answers with an empty result and ``round`` None.
    """
    entry = (
        RoundApplication.objects.filter(application=application)
        .select_related("round")
        .order_by("-round__created_at", "-pk")
        .first()
    )
    if entry is None:
        return ApplicationResults(application=application, round=None, result=result_of([]))
    return _results(entry.round, [application], named=False)[0]


KIND_ORDER = ("scientist", "entrepreneur", "investor")


def round_panel(round_: ReviewRound) -> list[PanelMember]:
    """The round's drawn experts, scientists then entrepreneurs then investors, each in ranked order."""
    members = PanelMember.objects.filter(round=round_).select_related(
        "expert__organisation", "expert__city", "replaces__expert"
    )
    return sorted(members, key=lambda m: (KIND_ORDER.index(m.kind) if m.kind in KIND_ORDER else 9, m.rank))


def round_rules(round_: ReviewRound) -> Any:
    return scoring_rules(round_.programme)


def others_sheets_visible(assignment: Assignment) -> bool:
    """An expert sees the others' scores on an application only once they submitted their own."""
    return assignment.status == AssignmentStatus.SUBMITTED


def reviews_due_todo(user: Any) -> list[TodoItem]:
    """The workbench's to-do for an expert: assignments not yet declared or scored, by deadline."""
    due = (
        assignment_policy.instances_for(user, ReviewAction.OPEN)
        .filter(
            member__round__status=RoundStatus.SCORING,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED],
        )
        .values("member__round_id", "member__round__name", "member__round__deadline")
        .annotate(n=Count("pk"))
        .order_by("member__round__deadline")
    )
    return [
        TodoItem(
            label=f"论证评审：{row['member__round__name']}",
            url=reverse("review:my_reviews"),
            deadline=date_zh(row["member__round__deadline"]),
            count=row["n"],
        )
        for row in due
    ]


def rounds_to_act_todo(user: Any) -> list[TodoItem]:
    """The admin's to-do: rounds whose sheets are all in but whose opinions are not yet written."""
    rounds = round_policy.instances_for(user, ReviewAction.MANAGE).filter(
        status__in=[RoundStatus.SCORING, RoundStatus.CLOSED], scores_complete_at__isnull=False
    )
    return [
        TodoItem(label=f"撰写论证意见：{r.name}", url=reverse("review:round_results", args=[r.pk]))
        for r in rounds.order_by("deadline")[:5]
    ]


#: Days before the deadline when an expert is first reminded; after it, every day they are late.
REMIND_DAYS_BEFORE = 2


def reminders_due(now: dt.datetime) -> list[Any]:
    """Reminders for experts whose sheets are due within two days or late (one key per day and round)."""
    from xiandao.notifications.services import Reminder

    from .kinds import ReviewNotificationKind

    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    open_assignments = (
        Assignment.objects.filter(
            member__round__status=RoundStatus.SCORING,
            member__status=MemberStatus.ACCEPTED,
            member__round__deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
            conflicted=False,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED],
            member__expert__user__isnull=False,
        )
        .select_related("member__round", "member__expert__user")
        .order_by("member__round_id", "member__expert_id")
    )
    grouped: dict[tuple[int, int], list[Assignment]] = {}
    for assignment in open_assignments:
        grouped.setdefault((assignment.member.round_id, assignment.member.expert_id), []).append(assignment)
    reminders = []
    for (round_id, expert_id), items in grouped.items():
        round_ = items[0].member.round
        late = (today - round_.deadline).days
        when = (
            f"已逾期{late}天"
            if late > 0
            else ("今天截止" if late == 0 else f"将于{date_zh(round_.deadline)}截止")
        )
        reminders.append(
            Reminder(
                key=f"review.reminder:{round_id}:{expert_id}:{today.isoformat()}",
                kind=ReviewNotificationKind.REMINDER,
                recipients=[items[0].member.expert.user],
                title=f"论证评审催办：{round_.name}（{when}）",
                body=f"尚有{len(items)}份申报未完成回避声明或评分。",
                url=reverse("review:my_reviews"),
            )
        )
    return reminders


def applications_under_review(programme: Any) -> QuerySet[Any]:
    """The programme's applications in 论证中, which a round may take."""
    from xiandao.pilot_zones.models import ZoneStatus

    return (
        programme.applications.filter(status=ZoneStatus.UNDER_REVIEW)
        .select_related("city", "field")
        .order_by("name")
    )


def member_for_manage(user: Any, member_id: int) -> PanelMember | None:
    rounds = round_policy.instances_for(user, ReviewAction.MANAGE)
    return (
        PanelMember.objects.filter(pk=member_id, round__in=rounds).select_related("round", "expert").first()
    )


def round_application(round_: ReviewRound, application_id: int) -> Any:
    entry = (
        RoundApplication.objects.filter(round=round_, application_id=application_id)
        .select_related("application")
        .first()
    )
    return entry.application if entry is not None else None


def application_results_in_round(round_: ReviewRound, application: Any) -> ApplicationResults:
    """One application's figures in a round, experts unnamed (what a panel member may see)."""
    return _results(round_, [application], named=False)[0]


@dataclass(frozen=True)
class ApplicationSummary:
    name: str
    city: str
    field: str
    parks: list[str]
    period: str
    summary: str
    measures: str


def application_summary(application: Any) -> ApplicationSummary:
    """What an expert reads of the application they review."""
    start, end = application.creation_start_year, application.creation_end_year
    return ApplicationSummary(
        name=application.name,
        city=str(application.city),
        field=str(application.field or ""),
        parks=[p.name for p in application.host_parks.all()],
        period=f"{start}年—{end}年" if start and end else "",
        summary=application.summary,
        measures=application.measures,
    )


def review_summaries_for_lists(applications: list[Any]) -> dict[int, Any]:
    """The draft creation list's view of each application: weighted score, spread, dissent, 论证意见."""
    from django.urls import reverse

    from xiandao.pilot_zones.selectors import ReviewSummary

    found: dict[int, Any] = {}
    for application in applications:
        results = application_review_results(application)
        if results.round is None:
            continue
        result = results.result
        spread = (
            result.maximum - result.minimum
            if result.maximum is not None and result.minimum is not None
            else None
        )
        opinion = results.opinion
        found[application.pk] = ReviewSummary(
            score=result.mean,
            spread=spread,
            dissent=result.dissent,
            recommendation="、".join(f"{label}{n}票" for label, n in results.recommendation_labels),
            opinion=opinion.text if opinion is not None else "",
            url=reverse("review:round_results", args=[results.round.pk]),
        )
    return found
