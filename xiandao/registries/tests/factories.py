"""Factories of registry entries, for tests and benchmarks (demo data goes through the services)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from xiandao.geo.models import Jurisdiction
from xiandao.registries.codes import sample_credit_code
from xiandao.registries.models import (
    Enterprise,
    EnterpriseTag,
    EntryStatus,
    KeyTechnology,
    Platform,
    PlatformKind,
    Project,
    ProjectStage,
    Standard,
    StandardLevel,
    StandardStage,
    TagKind,
)


def credit_code(seed: int) -> str:
    """A valid-format code with a correct check character, unique per seed (enterprise, Hefei division)."""
    return sample_credit_code(seed)


def hefei() -> Jurisdiction:
    return Jurisdiction.objects.get(code="340100")


class EntryFactory(factory.django.DjangoModelFactory[Enterprise]):
    class Meta:
        abstract = True

    city = factory.LazyFunction(hefei)
    valid_from = dt.date(2024, 1, 1)
    status = EntryStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    valid_to = None
    ends_on = factory.LazyAttribute(lambda e: e.valid_to)
    is_demo = True


class EnterpriseFactory(EntryFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"示例科技企业{n}有限公司")
    credit_code = factory.Sequence(credit_code)


class EnterpriseTagFactory(factory.django.DjangoModelFactory[EnterpriseTag]):
    class Meta:
        model = EnterpriseTag

    enterprise = factory.SubFactory(EnterpriseFactory)
    tag = TagKind.HIGH_TECH
    certificate_no = factory.Sequence(lambda n: f"GR2024340{n:05d}")
    valid_from = dt.date(2024, 11, 1)
    confirmed = True


class PlatformFactory(EntryFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"示例创新平台{n}")
    kind = PlatformKind.KEY_LABORATORY
    level = "provincial"


class TechnologyFactory(EntryFactory):
    class Meta:
        model = KeyTechnology

    name = factory.Sequence(lambda n: f"示例关键技术{n}")
    catalogue = "frontier"


class StandardFactory(EntryFactory):
    class Meta:
        model = Standard

    name = factory.Sequence(lambda n: f"示例标准{n}")
    level = StandardLevel.GROUP
    stage = StandardStage.PUBLISHED


class ProjectFactory(EntryFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"示例重大项目{n}")
    stage = ProjectStage.STARTED
    planned_investment = 100000
