"""One set of rules per entity: the loader, the confirmation of a proposal and the admin refuse alike.

A target accepted with year 2035 in a 2024–2030 programme once broke ``export_programme``: the
loader refused it, the confirmation service did not, the admin checked nothing. Each writer now
asks ``definition.invariants``, so the same input gets the same sentence from each.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any

import pytest
from django.forms.models import model_to_dict

from xiandao.accounts.tests.factories import UserFactory
from xiandao.programmes.definition import DefinitionError, parse_definition
from xiandao.programmes.definition import schema as definition_schema
from xiandao.programmes.definition.invariants import (
    BASES,
    QUALIFIERS,
    SCOPES,
    ProgrammeFrame,
    TargetFacts,
    period_message,
    target_issues,
)
from xiandao.programmes.models import Basis, Programme, Qualifier, Target, TargetScope, Task
from xiandao.programmes.services.confirmation import (
    ConfirmationInvalid,
    TargetValues,
    TaskValues,
    target_create_from_proposal,
    task_create_from_proposal,
)
from xiandao.programmes.tests.factories import (
    PolicyDocumentFactory,
    TargetFactory,
    TaskFactory,
    TaskUnitFactory,
)
from xiandao.programmes.tests.support import PROGRAMMES

YEAR_2035 = period_message(2035, ProgrammeFrame(start_year=2024, end_year=2030))
LEAD_MISSING = "请至少填写一个牵头（责任）单位。"


def anhui_text() -> str:
    return (PROGRAMMES / "anhui.yaml").read_text(encoding="utf-8")


def loader_messages(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as refused:
        parse_definition(text, filename="programmes/anhui.yaml")
    return [problem.message for problem in refused.value.problems]


def first_target_block(text: str, old: str, new: str) -> str:
    start = text.index("\ntargets:")
    index = text.index(old, start)
    return text[:index] + new + text[index + len(old) :]


def values(**changes: Any) -> TargetValues:
    base: dict[str, Any] = {
        "year": 2027,
        "metric": "上市企业",
        "value": Decimal(30),
        "unit": "家",
        "qualifier": Qualifier.ABOUT,
        "strive": False,
        "cumulative": False,
        "scope": TargetScope.PROVINCE,
        "basis": Basis.INCREMENT,
        "quote": "培育30家左右上市企业",
    }
    return TargetValues(**{**base, **changes})


@pytest.fixture
def root(db: Any) -> Any:
    return UserFactory.create(is_superuser=True, is_staff=True)


def admin_post(client: Any, root: Any, obj: Any, **changes: Any) -> Any:
    client.force_login(root)
    model = type(obj)
    url = f"/admin/programmes/{model._meta.model_name}/{obj.pk}/change/"
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
    for name in [k for k, v in data.items() if isinstance(v, bool)]:
        if not data[name]:
            del data[name]
    data.update(changes)
    return client.post(url, data)


# --- the 2035 target -----------------------------------------------------------------------


def test_the_loader_refuses_a_target_outside_the_period() -> None:
    text = first_target_block(anhui_text(), "year: 2027", "year: 2035")
    assert YEAR_2035 in loader_messages(text)


@pytest.mark.django_db
def test_confirmation_refuses_a_target_outside_the_period_with_the_loaders_sentence(root: Any) -> None:
    document = PolicyDocumentFactory.create()
    with pytest.raises(ConfirmationInvalid) as refused:
        target_create_from_proposal(
            actor=root, programme=document.programme, document=document, values=values(year=2035)
        )
    assert refused.value.errors == {"year": [YEAR_2035]}
    assert not Target.objects.filter(programme=document.programme).exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_target_outside_the_period_with_the_same_sentence(client: Any, root: Any) -> None:
    target = TargetFactory.create()
    response = admin_post(client, root, target, year=2035)
    assert response.status_code == 200  # the form again, with the error
    assert YEAR_2035 in response.content.decode()
    target.refresh_from_db()
    assert target.year == 2027


@pytest.mark.django_db
def test_the_admin_still_saves_a_valid_target(client: Any, root: Any) -> None:
    target = TargetFactory.create()
    response = admin_post(client, root, target, year=2030)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.year == 2030


@pytest.mark.django_db
def test_the_admin_refuses_a_period_that_would_leave_a_target_outside(client: Any, root: Any) -> None:
    target = TargetFactory.create(year=2030)
    programme = target.programme
    response = admin_post(client, root, programme, end_year=2028)
    assert response.status_code == 200
    assert "已有2030年的目标，计划期2024–2028年须包含这些年份。" in response.content.decode()
    programme.refresh_from_db()
    assert programme.end_year == 2030


# --- the other rules, the same way -----------------------------------------------------------


def test_a_cumulative_target_counted_otherwise_gets_one_sentence_everywhere() -> None:
    text = first_target_block(anhui_text(), "cumulative: false", "cumulative: true")
    frame = ProgrammeFrame(start_year=2024, end_year=2030)
    expected = target_issues(
        TargetFacts(2027, "m", 1, "", "about", False, True, "province", "increment", "q"), frame
    )["basis"]
    assert expected[0] in loader_messages(text)


@pytest.mark.django_db
def test_confirmation_and_admin_refuse_a_cumulative_target_counted_otherwise(client: Any, root: Any) -> None:
    document = PolicyDocumentFactory.create()
    with pytest.raises(ConfirmationInvalid) as refused:
        target_create_from_proposal(
            actor=root, programme=document.programme, document=document, values=values(cumulative=True)
        )
    message = refused.value.errors["basis"][0]
    response = admin_post(client, root, TargetFactory.create(document=document), cumulative="on")
    assert message in response.content.decode()


def test_the_loader_refuses_a_task_without_a_lead_unit() -> None:
    text = anhui_text()
    start = text.index("\ntasks:")
    lead = text.index("lead:", start)
    end = text.index("\n", text.index("cooperating:", lead))
    text = text[:lead] + "lead: []\n    cooperating: []" + text[end:]
    assert LEAD_MISSING in loader_messages(text)


@pytest.mark.django_db
def test_confirmation_refuses_a_task_without_a_lead_unit(root: Any) -> None:
    document = PolicyDocumentFactory.create()
    with pytest.raises(ConfirmationInvalid) as refused:
        task_create_from_proposal(
            actor=root,
            programme=document.programme,
            document=document,
            values=TaskValues(title="强化要素保障", quote="（省发展改革委牵头）", lead=(), cooperating=()),
        )
    assert refused.value.errors["lead"] == [LEAD_MISSING]
    assert not Task.objects.filter(programme=document.programme).exists()


@pytest.mark.django_db
def test_the_admin_refuses_to_remove_a_tasks_last_lead_unit(client: Any, root: Any) -> None:
    unit = TaskUnitFactory.create()
    task = unit.task
    prefix = "units"
    response = admin_post(
        client,
        root,
        task,
        **{
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(unit.pk),
            f"{prefix}-0-task": str(task.pk),
            f"{prefix}-0-role": unit.role,
            f"{prefix}-0-written": unit.written,
            f"{prefix}-0-position": "0",
            f"{prefix}-0-DELETE": "on",
        },
    )
    assert response.status_code == 200, response.status_code
    assert LEAD_MISSING in response.content.decode()
    assert task.units.count() == 1


@pytest.mark.django_db
def test_a_heading_needs_no_lead_unit() -> None:
    heading = TaskFactory.create(kind="heading", quote="")
    heading.full_clean()


def test_the_choices_are_the_same_for_every_writer() -> None:
    assert list(QUALIFIERS.items()) == [(str(v), str(label)) for v, label in Qualifier.choices]
    assert list(SCOPES.items()) == [(str(v), str(label)) for v, label in TargetScope.choices]
    assert list(BASES.items()) == [(str(v), str(label)) for v, label in Basis.choices]
    assert list(typing.get_args(definition_schema.Qualifier)) == list(QUALIFIERS)
    assert list(typing.get_args(definition_schema.Scope)) == list(SCOPES)
    assert list(typing.get_args(definition_schema.Basis)) == list(BASES)


@pytest.mark.django_db
def test_export_of_a_programme_can_no_longer_be_broken_through_a_writer(root: Any) -> None:
    """Every writer refused the 2035 target, so the programme still exports."""
    programme = Programme.objects.get(code="anhui")
    document = programme.documents.first()
    assert document is not None
    with pytest.raises(ConfirmationInvalid):
        target_create_from_proposal(
            actor=root, programme=programme, document=document, values=values(year=2035)
        )
    from xiandao.programmes.state import programme_definition_export

    assert programme_definition_export(programme).code == "anhui"


@pytest.mark.django_db
def test_the_admin_refuses_dimension_weights_that_no_longer_add_up_with_the_loaders_sentence(
    client: Any, root: Any
) -> None:
    from xiandao.programmes.definition.invariants import framework_weight_issues
    from xiandao.programmes.models import Dimension

    dimension = Dimension.objects.filter(framework__programme__code="anhui").order_by("position")[0]
    others = Dimension.objects.filter(framework=dimension.framework).exclude(pk=dimension.pk)
    expected = framework_weight_issues(
        {dimension.name: Decimal("0.9"), **dict(others.values_list("name", "weight"))}
    )["weight"][0]
    response = admin_post(client, root, dimension, weight="0.9")
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "各维度权重之和应为1" in expected
    dimension.refresh_from_db()
    assert dimension.weight != Decimal("0.9")


@pytest.mark.django_db
def test_an_indicator_counted_from_a_registry_must_name_it(shipped_programmes: Any) -> None:
    from django.core.exceptions import ValidationError

    from xiandao.programmes.models import Indicator

    indicator = Indicator.objects.filter(dimension__framework__programme__code="anhui")[0]
    indicator.source, indicator.measure = "registry_count", ""
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert refused.value.message_dict["measure"] == ["来源为登记库计数的指标须写 measure: registry:<登记库>"]
