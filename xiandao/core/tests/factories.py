from __future__ import annotations

import factory

from xiandao.accounts.tests.factories import UserFactory
from xiandao.core.models import Job


class JobFactory(factory.django.DjangoModelFactory[Job]):
    class Meta:
        model = Job

    kind = "core.demo_count"
    title = "演示任务：逐项核对"
    created_by = factory.SubFactory(UserFactory)
