"""The one interface for background work: start a job, report progress, read it back.

The same job function runs under Celery (CELERY_BROKER_URL set), in a thread (demo mode) or
inline (tests), so the progress bar a user watches is proven in every mode.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .audit import audit_record
from .models import Job, JobStatus

logger = logging.getLogger(__name__)


class JobContext:
    """Handed to a job function so it can report progress without knowing who runs it."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Store progress in its own short write, so readers see it at once."""
        fields: dict[str, Any] = {"done": done, "message": message[:300]}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job_id).update(**fields)


JobFunction = Callable[..., dict[str, Any] | None]
_REGISTRY: dict[str, tuple[str, JobFunction]] = {}


def job_function(kind: str, title: str) -> Callable[[JobFunction], JobFunction]:
    """Register a function as a job kind; it is called as `func(ctx, **params)`."""

    def register(func: JobFunction) -> JobFunction:
        _REGISTRY[kind] = (title, func)
        return func

    return register


@contextmanager
def job_registry_kept() -> Iterator[None]:
    """Kinds registered inside the block are forgotten after it, and replaced ones restored (tests)."""
    saved = dict(_REGISTRY)
    try:
        yield
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(saved)


def registered_kinds() -> dict[str, str]:
    """Job kinds and their Chinese titles."""
    return {kind: title for kind, (title, _func) in _REGISTRY.items()}


def job_start(*, kind: str, params: dict[str, Any] | None = None, user: Any = None) -> Job:
    """Create the Job row and hand it to the configured backend once the transaction commits."""
    if kind not in _REGISTRY:
        raise ValueError(f"未知的任务类型：{kind}")
    title, _func = _REGISTRY[kind]
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title,
            params=params or {},
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        audit_record(
            actor=user, action="core.job.started", target=job, after={"kind": kind, "params": params}
        )
    backend = settings.JOBS_BACKEND
    if backend == "inline":
        job_run(job.pk)
    elif backend == "thread":
        threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"job-{job.pk}").start()
    elif backend == "celery":
        from config.celery import run_job_task

        run_job_task.delay(str(job.pk))
    else:
        raise ValueError(f"未知的后台任务方式：{backend}")
    job.refresh_from_db()
    return job


def _run_in_thread(job_id: Any) -> None:
    close_old_connections()
    try:
        job_run(job_id)
    finally:
        connection.close()


def job_run(job_id: Any) -> None:
    """Run one job to its end, recording success or a readable failure; never raises."""
    job = Job.objects.get(pk=job_id)
    _title, func = _REGISTRY[job.kind]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        result = func(JobContext(job.pk), **job.params)
    except Exception as exc:  # a failed job is shown to the user, not raised into a worker
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=str(exc)[:2000] or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
        return
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, result=result, finished_at=timezone.now()
    )
