import threading
import time

import pytest
from django.test import override_settings

from xiandao.core.jobs import (
    JobContext,
    job_function,
    job_registry_kept,
    job_run,
    job_start,
    registered_kinds,
)
from xiandao.core.models import AuditEntry, Job, JobStatus


@pytest.fixture
def failing_job() -> None:
    """A job kind that fails half-way, registered for one test only."""

    @job_function("core.test_fails", "测试：失败的任务")
    def fails(ctx: JobContext, *, at: int = 2) -> None:
        ctx.progress(at, 5, "处理中")
        raise RuntimeError("第3行数据缺失")


def test_a_kind_registered_by_a_test_is_forgotten_after_it() -> None:
    """No test's job kind is left in the registry (one used to be registered at import)."""
    assert not [kind for kind in registered_kinds() if kind.startswith("core.test_")]
    with job_registry_kept():

        @job_function("core.test_temporary", "测试：临时任务")
        def temporary(ctx: JobContext) -> None:
            return None

        assert "core.test_temporary" in registered_kinds()
    assert "core.test_temporary" not in registered_kinds()
    assert "core.demo_count" in registered_kinds()


@pytest.mark.django_db
def test_inline_job_runs_to_the_end_and_records_progress_and_result(province_admin):
    job = job_start(kind="core.demo_count", params={"steps": 4, "step_seconds": 0}, user=province_admin)
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    assert job.message == "已核对第4项，共4项"
    assert job.result == {"checked": 4}
    assert AuditEntry.objects.filter(action="core.job.started", object_id=str(job.pk)).exists()


@pytest.mark.django_db
def test_failed_job_keeps_its_progress_and_a_readable_error(province_admin, failing_job):
    job = job_start(kind="core.test_fails", user=province_admin)
    assert job.status == JobStatus.FAILED
    assert job.error == "第3行数据缺失"
    assert job.done == 2 and job.total == 5


@pytest.mark.django_db
def test_unknown_job_kind_is_refused_and_nothing_is_written(province_admin):
    before = Job.objects.count()
    with pytest.raises(ValueError, match="未知的任务类型"):
        job_start(kind="core.no_such_job", user=province_admin)
    assert Job.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_thread_backend_reports_progress_while_running(reference_data):
    gate = threading.Event()

    @job_function("core.test_gated", "测试：等待放行的任务")
    def gated(ctx: JobContext) -> dict:
        ctx.progress(1, 2, "第一步完成")
        gate.wait(10)
        ctx.progress(2, 2, "第二步完成")
        return {"ok": True}

    with override_settings(JOBS_BACKEND="thread"):
        job = job_start(kind="core.test_gated")
    deadline = time.monotonic() + 10
    while Job.objects.get(pk=job.pk).done < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    seen = Job.objects.get(pk=job.pk)
    assert seen.status == JobStatus.RUNNING and seen.percent == 50
    gate.set()
    while not Job.objects.get(pk=job.pk).is_finished and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_job_run_of_a_pending_row_is_what_celery_calls(province_admin):
    job = Job.objects.create(kind="core.demo_count", title="演示", params={"steps": 2, "step_seconds": 0})
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 2
