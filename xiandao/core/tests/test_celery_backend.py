"""The Celery backend against the real Redis on 127.0.0.1:6379, with an in-process worker."""

import time
from typing import Any

import pytest
from django.test import override_settings

from conftest import service_required, tcp_open
from xiandao.core.jobs import job_start
from xiandao.core.models import Job, JobStatus


@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_a_job_through_redis():
    service_required("Redis（127.0.0.1:6379）", lambda: tcp_open("127.0.0.1", 6379))
    from config.celery import app

    changes = {"broker_url": "redis://127.0.0.1:6379/15", "result_backend": None, "task_always_eager": False}
    saved = {key: app.conf.get(key) for key in changes}
    app.conf.update(changes)
    try:
        run_through_worker(app)
    finally:
        app.conf.update(saved)  # the Celery app's configuration does not leak into later tests
    assert {key: app.conf.get(key) for key in changes} == saved


def run_through_worker(app: Any) -> None:
    from celery.contrib.testing.worker import start_worker

    with (
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
        override_settings(JOBS_BACKEND="celery"),
    ):
        job = job_start(kind="core.demo_count", params={"steps": 3, "step_seconds": 0})
        deadline = time.monotonic() + 20
        while not Job.objects.get(pk=job.pk).is_finished and time.monotonic() < deadline:
            time.sleep(0.1)
    finished = Job.objects.get(pk=job.pk)
    assert finished.status == JobStatus.SUCCEEDED
    assert finished.result == {"checked": 3}
