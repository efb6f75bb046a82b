"""Background jobs as a person sees them: a list, a progress bar that moves, the result."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .jobs import job_start
from .permissions import job_policy


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = job_policy.instances_for(request.user, "view").order_by("-created_at")[:50]
    return render(request, "core/job_list.html", {"jobs": jobs, "breadcrumbs": [("后台任务", None)]})


@login_required
@require_POST
def job_demo_start(request: HttpRequest) -> HttpResponse:
    params = {"steps": 20, "step_seconds": settings.JOBS_DEMO_STEP_SECONDS}
    job = job_start(kind="core.demo_count", params=params, user=request.user)
    return redirect("core:job_detail", job_id=job.pk)


@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_policy.get_or_404(request.user, "view", pk=job_id)
    return render(
        request,
        "core/job_detail.html",
        {"job": job, "breadcrumbs": [("后台任务", "/jobs/"), (job.title, None)]},
    )


@login_required
def job_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """The progress fragment HTMX polls until the job has finished."""
    job = job_policy.get_or_404(request.user, "view", pk=job_id)
    return render(request, "core/_job_progress.html", {"job": job})
