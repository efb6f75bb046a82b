"""Supervision for the authorization matrix: a task, a target, a work item and a report of another province."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.programmes.models import PolicyDocument, Target, Task
from xiandao.programmes.tests.authz import foreign_programme

#: The national observer reads every programme's supervision (targets, tasks, warnings, cockpit):
#: the matrix does not count what it sees there as a leak (tests/test_authorization_matrix.py).
NATIONAL_READ_URL_NAMES = {
    "supervision:overview",  # lists every programme it follows: all of them
    "supervision:compare",
    "api:task_report_submit",  # the GET of the same path lists the reports
    "api:notice_issue",
    "supervision:targets",
    "supervision:target_detail",
    "supervision:tasks",
    "supervision:task_detail",
    "supervision:item_detail",
    "supervision:warnings_programme",
    "supervision:cockpit",
    "supervision:bulletin",
    "supervision:six_lists",
    "api:target_progress",
    "api:warnings",
    "api:task_reports",
    "api:item_notices",
}


def _document(world: ForeignWorld) -> PolicyDocument:
    programme = foreign_programme(world)
    document, _ = PolicyDocument.objects.get_or_create(
        programme=programme,
        code="probe-doc",
        defaults={"title": f"{world.marker}文件", "issuer": world.marker, "date": dt.date(2024, 1, 1)},
    )
    return document


def foreign_task(world: ForeignWorld) -> Task:
    document = _document(world)
    task, _ = Task.objects.get_or_create(
        programme=document.programme,
        code="probe-task",
        defaults={"document": document, "title": f"{world.marker}任务", "quote": world.marker},
    )
    return task


@provider("task_id")
def task_id(world: ForeignWorld) -> ForeignObject:
    task = foreign_task(world)
    return ForeignObject(str(task.pk), (task.title,))


@provider("target_id")
def target_id(world: ForeignWorld) -> ForeignObject:
    document = _document(world)
    target, _ = Target.objects.get_or_create(
        programme=document.programme,
        code="probe-target",
        defaults={
            "document": document,
            "year": 2027,
            "metric": f"{world.marker}目标",
            "value": 10,
            "qualifier": "exactly",
            "scope": "province",
            "quote": world.marker,
            "basis": "stock",
        },
    )
    return ForeignObject(str(target.pk), (target.metric,))


def foreign_item(world: ForeignWorld) -> Any:
    from xiandao.supervision.models import WorkItem

    task = foreign_task(world)
    item, _ = WorkItem.objects.get_or_create(
        programme=task.programme,
        task=task,
        year=2025,
        defaults={"title": f"{world.marker}事项", "due": dt.date(2025, 6, 1)},
    )
    return item


@provider("item_id")
def item_id(world: ForeignWorld) -> ForeignObject:
    item = foreign_item(world)
    return ForeignObject(str(item.pk), (item.title,))


@provider("progress_id")
def progress_id(world: ForeignWorld) -> ForeignObject:
    from django.utils import timezone

    from xiandao.supervision.models import ProgressReport

    task = foreign_task(world)
    report, _ = ProgressReport.objects.get_or_create(
        task=task,
        year=2025,
        organisation=world.organisation,
        defaults={"summary": f"{world.marker}进展", "reported_by": world.user, "reported_at": timezone.now()},
    )
    return ForeignObject(str(report.pk), (report.summary,))


@provider("supervision_notice_id")
def supervision_notice_id(world: ForeignWorld) -> ForeignObject:
    from xiandao.supervision.models import SupervisionNotice

    item = foreign_item(world)
    notice, _ = SupervisionNotice.objects.get_or_create(
        item=item,
        defaults={"text": f"{world.marker}督办", "respond_by": dt.date(2025, 7, 1), "issued_by": world.user},
    )
    return ForeignObject(str(notice.pk), (notice.text,))


@provider("code")
def code(world: ForeignWorld) -> ForeignObject:
    """A programme code in the API's ``/programmes/{code}/…`` supervision reads."""
    programme = foreign_programme(world)
    return ForeignObject(programme.code, (programme.name,))


@provider("field_code")
def field_code(world: ForeignWorld) -> ForeignObject:
    """An industry of Fuzhou's 六个一 (the foreign programme runs no such lists, so its pages are absent)."""
    return ForeignObject("frontier-materials", ())


@provider("six_list_entry_id")
def six_list_entry_id(world: ForeignWorld) -> ForeignObject:
    from xiandao.supervision.models import SixListEntry

    programme = foreign_programme(world)
    entry, _ = SixListEntry.objects.get_or_create(
        programme=programme,
        field_code="probe-field",
        list_kind="advisors",
        name=f"{world.marker}咨询机构",
        defaults={"keeper": world.organisation},
    )
    return ForeignObject(str(entry.pk), (entry.name,))
