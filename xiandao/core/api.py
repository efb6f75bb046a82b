"""Jobs over the API: a machine that started work can follow its progress."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .permissions import job_policy

ROUTER_PREFIX = "/jobs"
router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    percent: int
    done: int
    total: int
    message: str
    error: str
    created_at: dt.datetime


@router.get("/{job_id}", response=JobOut, summary="后台任务的进度")
def job_get(request: HttpRequest, job_id: uuid.UUID) -> Any:
    return job_policy.get_or_404(request.user, "view", pk=job_id)
