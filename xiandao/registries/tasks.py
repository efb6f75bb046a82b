"""Background work of the registries: importing a large workbook."""

from __future__ import annotations

from typing import Any

from xiandao.core.jobs import JobContext, job_function

from .services.importing import IMPORT_JOB, import_job_run


@job_function(IMPORT_JOB, "导入登记库条目")
def import_entries(
    ctx: JobContext, *, path: str, registry: str, filename: str, user_id: int
) -> dict[str, Any]:
    """Import a kept workbook, reporting the rows checked."""
    return import_job_run(
        path=path, registry=registry, filename=filename, user_id=user_id, progress=ctx.progress
    )
