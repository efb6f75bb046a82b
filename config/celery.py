"""Celery application, imported only when CELERY_BROKER_URL is set (keeps start-up light otherwise)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
app = Celery("xiandao")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="xiandao.core.run_job")
def run_job_task(job_id: str) -> None:
    """Celery's side of `job_start`: the job row carries everything needed."""
    from xiandao.core.jobs import job_run

    job_run(job_id)
