"""Core background work: the demonstration job."""

from __future__ import annotations

import time
from typing import Any

from .jobs import JobContext, job_function


@job_function("core.demo_count", "演示任务：逐项核对")
def demo_count(ctx: JobContext, *, steps: int = 20, step_seconds: float = 0.25) -> dict[str, Any]:
    """Walk through a number of steps, reporting each, so the progress bar can be seen working."""
    ctx.progress(0, steps, "开始")
    for step in range(1, steps + 1):
        if step_seconds:
            time.sleep(step_seconds)
        ctx.progress(step, steps, f"已核对第{step}项，共{steps}项")
    return {"checked": steps}
