"""Celery application, imported only when CELERY_BROKER_URL is set (keeps start-up light otherwise)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
app = Celery("xiandao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.timezone = "Asia/Shanghai"
# Due reminders every hour (each is sent once, so a run repeated or missed loses nothing).
app.conf.beat_schedule = {
    "send-reminders": {"task": "xiandao.notifications.send_reminders", "schedule": crontab(minute=5)},
}


@app.task(name="xiandao.core.run_job")
def run_job_task(job_id: str) -> None:
    """Celery's side of `job_start`: the job row carries everything needed."""
    from xiandao.core.jobs import job_run

    job_run(job_id)


@app.task(name="xiandao.notifications.send_reminders")
def send_reminders_task() -> dict[str, int]:
    """Beat's side of `manage.py send_reminders`."""
    from xiandao.notifications.services import reminders_send

    run = reminders_send()
    return {"sent": run.sent, "already_sent": run.already_sent, "failed": run.failed}
