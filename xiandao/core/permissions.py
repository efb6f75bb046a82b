"""The permission-policy shape every app follows, and the policy for background jobs.

One policy per model answers both "may this user do X to this object?" and "which objects may
they do X to?" from a single queryset, so the two answers can never disagree (Wagtail's
permission policies). Objects outside a user's scope are reported as missing, never as forbidden,
so their existence does not leak.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from .models import Job

M = TypeVar("M", bound=models.Model)


class PermissionPolicy(Generic[M]):
    """Subclasses implement `instances_for`; everything else derives from it."""

    model: type[M]

    def instances_for(self, user: Any, action: str) -> models.QuerySet[M]:
        raise NotImplementedError

    def user_may(self, user: Any, action: str, instance: M) -> bool:
        """May this user do `action` to this instance?"""
        return self.instances_for(user, action).filter(pk=instance.pk).exists()

    def get_or_404(self, user: Any, action: str, **lookup: Any) -> M:
        """The object if the user may act on it; otherwise 404 — foreign objects look absent."""
        try:
            return self.instances_for(user, action).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404("未找到该对象，或您无权访问。") from exc


class JobPolicy(PermissionPolicy[Job]):
    """A job is seen by whoever started it (and superusers)."""

    model = Job

    def instances_for(self, user: Any, action: str) -> models.QuerySet[Job]:
        if not getattr(user, "is_authenticated", False):
            return Job.objects.none()
        if user.is_superuser:
            return Job.objects.all()
        return Job.objects.filter(created_by=user)


job_policy = JobPolicy()
