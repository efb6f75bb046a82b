"""Background work of the policies app: reading proposals from a long document."""

from __future__ import annotations

from typing import Any

from xiandao.core.jobs import JobContext, job_function

from .services.uploads import EXTRACT_JOB, document_extract


@job_function(EXTRACT_JOB, "识别政策文件中的目标、任务和领域")
def extract_document(ctx: JobContext, *, version_id: int) -> dict[str, Any]:
    """Run the extractor over a stored version, reporting each phase."""
    return document_extract(version_id=version_id, progress=ctx.progress)
