"""The permission-policy shape every app follows, and the policy for background jobs.

One policy per model answers both "may this user do X to this object?" and "which objects may
they do X to?" from a single queryset, so the two answers can never disagree (Wagtail's
permission policies). Objects outside a user's scope are reported as missing, never as forbidden,
so their existence does not leak.

Actions are an enum declared once per app (``class ProgrammeAction(StrEnum)``); each policy names
the actions it answers for, and any other action is refused with :class:`UnknownAction` rather
than granted: a misspelt ``"chagne"`` must not quietly mean "view".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from .models import Job

M = TypeVar("M", bound=models.Model)


class UnknownAction(LookupError):
    """An action the policy does not declare: a programming error, never a permission answer."""


class JobAction(StrEnum):
    VIEW = "view"  # see a job's progress and result


class PermissionPolicy(Generic[M]):
    """Subclasses declare ``actions`` and implement `instances_for`; everything else derives from it."""

    model: type[M]
    #: The actions this policy answers for: an app's action enum, or some of its members.
    actions: ClassVar[Iterable[StrEnum]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not hasattr(cls, "actions"):
            raise TypeError(f"{cls.__name__} 须声明 actions（本应用的操作枚举）")
        if "instances_for" in cls.__dict__:
            cls.instances_for = _refusing_unknown(cls.__dict__["instances_for"])  # type: ignore[method-assign,assignment]

    @classmethod
    def declared_actions(cls) -> tuple[StrEnum, ...]:
        """The declared actions, in declaration order."""
        return tuple(cls.actions)

    def action_check(self, action: str) -> StrEnum:
        """The declared action named ``action``; :class:`UnknownAction` for any other."""
        for declared in self.declared_actions():
            if action == declared:
                return declared
        names = "、".join(str(a) for a in self.declared_actions())
        raise UnknownAction(f"{type(self).__name__} 没有操作“{action}”（可用：{names}）")

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

    def actions_for(self, user: Any, instance: M) -> frozenset[StrEnum]:
        """Every declared action this user may do to this instance (which buttons to show)."""
        return frozenset(a for a in self.declared_actions() if self.user_may(user, a, instance))

    def candidate_users(self, instance: M, action: str) -> models.QuerySet[Any]:
        """Users worth asking about; a policy may narrow it (e.g. to role holders). Default: active users."""
        return get_user_model().objects.filter(is_active=True)

    def users_with(self, instance: M, action: str) -> models.QuerySet[Any]:
        """The active users who may do ``action`` to ``instance`` (for to-do lists and reminders).

        Derived from :meth:`instances_for` user by user, so it can never disagree with
        :meth:`user_may`; a policy with many users may narrow :meth:`candidate_users`.
        """
        self.action_check(action)
        allowed = [
            user.pk
            for user in self.candidate_users(instance, action).order_by("pk")
            if self.instances_for(user, action).filter(pk=instance.pk).exists()
        ]
        return get_user_model().objects.filter(pk__in=allowed).order_by("pk")


def _refusing_unknown(
    method: Callable[[Any, Any, str], models.QuerySet[Any]],
) -> Callable[[Any, Any, str], models.QuerySet[Any]]:
    """Wrap a policy's ``instances_for`` so an undeclared action raises before any scope is computed."""
    if getattr(method, "_refuses_unknown", False):
        return method

    @functools.wraps(method)
    def instances_for(self: PermissionPolicy[Any], user: Any, action: str) -> models.QuerySet[Any]:
        return method(self, user, self.action_check(action))

    instances_for._refuses_unknown = True  # type: ignore[attr-defined]
    return instances_for


class JobPolicy(PermissionPolicy[Job]):
    """A job is seen by whoever started it (and superusers)."""

    model = Job
    actions = JobAction

    def instances_for(self, user: Any, action: str) -> models.QuerySet[Job]:
        if not getattr(user, "is_authenticated", False):
            return Job.objects.none()
        if user.is_superuser:
            return Job.objects.all()
        return Job.objects.filter(created_by=user)


job_policy = JobPolicy()
