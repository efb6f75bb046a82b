"""Factories of programmes and their documents, targets and tasks, for tests that need no shipped file.

A test that needs the shipped programmes uses the preloaded ones (``shipped_programmes``); a test
about one rule builds the few rows it needs here, so it reads no YAML.
"""

from __future__ import annotations

from decimal import Decimal

import factory

from xiandao.accounts.tests.factories import OrganisationFactory
from xiandao.geo.tests.factories import JurisdictionFactory
from xiandao.programmes.models import (
    Basis,
    PolicyDocument,
    Programme,
    Qualifier,
    Target,
    TargetScope,
    Task,
    TaskKind,
    TaskUnit,
    UnitRole,
)


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    """A province's programme running 2024–2030."""

    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"测试省未来产业培育{n}")
    level = "province"
    jurisdiction = factory.SubFactory(JurisdictionFactory)
    admin_organisation = factory.SubFactory(
        OrganisationFactory, jurisdiction=factory.SelfAttribute("..jurisdiction")
    )
    start_year = 2024
    end_year = 2030


class PolicyDocumentFactory(factory.django.DjangoModelFactory[PolicyDocument]):
    class Meta:
        model = PolicyDocument

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"document-{n}")
    title = factory.Sequence(lambda n: f"测试政策文件{n}")
    issuer = "测试省人民政府办公厅"
    source_file = factory.LazyAttribute(lambda document: f"{document.code}.txt")


class TargetFactory(factory.django.DjangoModelFactory[Target]):
    """A valid target of the document's programme: 2027, 30 家 上市企业 左右, new ones counted."""

    class Meta:
        model = Target

    document = factory.SubFactory(PolicyDocumentFactory)
    programme = factory.SelfAttribute("document.programme")
    code = factory.Sequence(lambda n: f"target-{n}")
    year = 2027
    metric = "上市企业"
    value = Decimal(30)
    unit = "家"
    qualifier = Qualifier.ABOUT
    scope = TargetScope.PROVINCE
    basis = Basis.INCREMENT
    quote = "培育30家左右上市企业"


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    class Meta:
        model = Task

    document = factory.SubFactory(PolicyDocumentFactory)
    programme = factory.SelfAttribute("document.programme")
    code = factory.Sequence(lambda n: f"task-{n}")
    kind = TaskKind.TASK
    title = "强化要素保障"
    quote = "（省发展改革委牵头）"


class TaskUnitFactory(factory.django.DjangoModelFactory[TaskUnit]):
    class Meta:
        model = TaskUnit

    task = factory.SubFactory(TaskFactory)
    role = UnitRole.LEAD
    written = "省发展改革委"
