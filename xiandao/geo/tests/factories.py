from __future__ import annotations

import factory

from xiandao.geo.models import Jurisdiction, JurisdictionLevel, JurisdictionMembership, Park, ParkLocation


class JurisdictionFactory(factory.django.DjangoModelFactory[Jurisdiction]):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试行政区{n}")
    level = JurisdictionLevel.CITY


class JurisdictionMembershipFactory(factory.django.DjangoModelFactory[JurisdictionMembership]):
    class Meta:
        model = JurisdictionMembership

    child = factory.SubFactory(JurisdictionFactory)
    parent = factory.SubFactory(JurisdictionFactory, level=JurisdictionLevel.PROVINCE)


class ParkFactory(factory.django.DjangoModelFactory[Park]):
    class Meta:
        model = Park

    name = factory.Sequence(lambda n: f"测试园区{n}")


class ParkLocationFactory(factory.django.DjangoModelFactory[ParkLocation]):
    class Meta:
        model = ParkLocation

    park = factory.SubFactory(ParkFactory)
    jurisdiction = factory.SubFactory(JurisdictionFactory)
