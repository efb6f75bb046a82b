"""Background work of the evaluation: computing a run from its frozen snapshot."""

from __future__ import annotations

from typing import Any

from xiandao.core.jobs import JobContext, job_function

from .services import RUN_JOB, run_compute


@job_function(RUN_JOB, "计算年度评估")
def evaluation_run(ctx: JobContext, *, run_id: int, user_id: int | None = None) -> dict[str, Any]:
    """Compute a run, reporting the Monte Carlo's draws as progress."""
    return run_compute(run_id=run_id, user_id=user_id, progress=ctx.progress)
