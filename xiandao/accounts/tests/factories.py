from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from xiandao.accounts.models import Organisation, OrganisationKind, Role, RoleAssignment, ScopeKind, User
from xiandao.geo.tests.factories import JurisdictionFactory


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = OrganisationKind.GOVERNMENT_DEPARTMENT
    jurisdiction = factory.SubFactory(JurisdictionFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        # factory_boy passes the built User as the first argument.
        if create:
            obj.save()
            # Factory users count as having chosen their password (no forced change in tests
            # that are not about it); the password tests clear this on purpose.
            User.objects.filter(pk=obj.pk).update(password_changed_at=timezone.now())
            obj.password_changed_at = User.objects.get(pk=obj.pk).password_changed_at


class RoleAssignmentFactory(factory.django.DjangoModelFactory[RoleAssignment]):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CITY_OFFICER
    scope_kind = ScopeKind.JURISDICTION
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    valid_from = dt.date(2024, 1, 1)
