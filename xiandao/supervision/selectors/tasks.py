"""Tasks with their units, annual work lists (and 督办) and progress reports; the cities' work lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from xiandao.programmes.models import TaskKind, UnitRole
from xiandao.programmes.selectors import task_unit_prefetch

from ..models import (
    ProgressReport,
    SupervisionNotice,
    WorkItem,
)
from ..permissions import SupervisionAction
from .base import settings_of

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme, Task, TaskUnit

# --- tasks ---------------------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    lead: list[TaskUnit]
    cooperating: list[TaskUnit]
    items: list[WorkItem]
    reports: dict[int, ProgressReport]
    standing: tuple[str, ...]

    @property
    def overdue(self) -> list[WorkItem]:
        today = timezone.localdate()
        return [i for i in self.items if i.done_on is None and i.due < today]

    @property
    def done_share(self) -> Decimal | None:
        if not self.items:
            return None
        return Decimal(sum(1 for i in self.items if i.done_on)) / Decimal(len(self.items))

    @property
    def latest_completion(self) -> int | None:
        if not self.reports:
            return None
        return self.reports[max(self.reports)].completion


def _items_prefetch() -> Prefetch:
    notices = SupervisionNotice.objects.select_related("issued_by", "answered_by").order_by("-issued_at")
    return Prefetch(
        "work_items",
        queryset=WorkItem.objects.order_by("year", "due", "position", "pk").prefetch_related(
            Prefetch("notices", queryset=notices)
        ),
    )


def task_rows(programme: Programme, tasks: QuerySet[Task] | None = None) -> list[TaskRow]:
    """Tasks with their units, work-list items (and notices) and progress reports (with parts): five queries."""
    standing = settings_of(programme).standing_units
    if tasks is None:
        tasks = programme.tasks.public().filter(kind=TaskKind.TASK)
    tasks = (
        tasks.select_related("parent", "document")
        .prefetch_related(
            task_unit_prefetch(),
            _items_prefetch(),
            Prefetch(
                "progress_reports",
                queryset=ProgressReport.objects.select_related(
                    "organisation", "reported_by"
                ).prefetch_related("parts__organisation"),
            ),
        )
        .order_by("position")
    )
    rows = []
    for task in tasks:
        units = task.units_by_role()
        rows.append(
            TaskRow(
                task,
                units[UnitRole.LEAD],
                units[UnitRole.COOPERATING],
                list(task.work_items.all()),
                {r.year: r for r in task.progress_reports.all()},
                standing,
            )
        )
    return rows


def task_get(user: Any, task_id: int | str) -> Task:
    from ..permissions import task_supervision_policy

    return task_supervision_policy.get_or_404(user, SupervisionAction.VIEW, pk=task_id)


def tasks_of_user(user: Any) -> QuerySet[Task]:
    """The tasks the user's department leads or joins."""
    from ..permissions import task_supervision_policy

    return task_supervision_policy.instances_for(user, SupervisionAction.REPORT)


def city_items(programme: Programme, city_ids: Any = None) -> list[WorkItem]:
    items = WorkItem.objects.filter(programme=programme, city__isnull=False).select_related("city")
    if city_ids is not None:
        items = items.filter(city_id__in=list(city_ids))
    return list(
        items.prefetch_related(
            Prefetch("notices", queryset=SupervisionNotice.objects.order_by("-issued_at"))
        ).order_by("city__code", "year", "due")
    )


def item_get(user: Any, item_id: int | str, action: str = SupervisionAction.VIEW) -> WorkItem:
    from ..permissions import work_item_policy

    return work_item_policy.get_or_404(user, action, pk=item_id)
