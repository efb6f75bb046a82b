"""Factories for the review tests: applications under review (rows, as a fixture would), experts."""

from __future__ import annotations

import factory

from xiandao.geo.models import Jurisdiction, Park
from xiandao.pilot_zones.models import Application, ZoneStatus
from xiandao.review.models import Expert


class UnderReviewApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """An application already accepted for review (论证中) in a city; pass ``programme`` and ``city``."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"示例先导区申报{n}")
    status = ZoneStatus.UNDER_REVIEW
    summary = "示例：基本情况。"
    measures = "示例：主要举措。"
    creation_start_year = 2025
    creation_end_year = 2027
    is_demo = True

    @factory.post_generation
    def parks(self, create: bool, extracted: list[Park] | None, **kwargs: object) -> None:
        if create and extracted:
            self.host_parks.set(extracted)  # type: ignore[attr-defined]


class ExpertFactory(factory.django.DjangoModelFactory[Expert]):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"示例专家{n}")
    kind = "scientist"
    city = factory.LazyFunction(lambda: Jurisdiction.objects.get(code="340300"))
    is_demo = True
