"""The permission-policy shape: declared actions only, and the two derived questions for buttons and to-do lists."""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from xiandao.accounts.models import Organisation
from xiandao.accounts.permissions import AccountAction, organisation_policy
from xiandao.core.permissions import PermissionPolicy, UnknownAction


def every_policy() -> list[PermissionPolicy[Any]]:
    """The policy instances every app's ``permissions`` module exposes."""
    found: list[PermissionPolicy[Any]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("xiandao."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError:
            continue
        found += [value for value in vars(module).values() if isinstance(value, PermissionPolicy)]
    return found


def test_every_app_policy_is_found() -> None:
    names = {type(policy).__name__ for policy in every_policy()}
    assert {"ProgrammePolicy", "OrganisationPolicy", "JobPolicy", "ProposalPolicy"} <= names


@pytest.mark.parametrize("policy", every_policy(), ids=lambda p: type(p).__name__)
def test_every_policy_declares_its_actions_as_an_enum(policy: PermissionPolicy[Any]) -> None:
    declared = policy.declared_actions()
    assert declared and all(isinstance(action, StrEnum) for action in declared)


@pytest.mark.django_db
@pytest.mark.parametrize("policy", every_policy(), ids=lambda p: type(p).__name__)
def test_every_policy_refuses_an_action_it_does_not_declare(
    policy: PermissionPolicy[Any], personas: Any
) -> None:
    """Two policies used to grant any action string; a typo must raise, not quietly answer."""
    for user in (personas["province_admin"], AnonymousUser()):
        with pytest.raises(UnknownAction):
            policy.instances_for(user, "chagne")
        with pytest.raises(UnknownAction):
            policy.get_or_404(user, "delete-everything", pk=1)


def test_a_policy_without_declared_actions_cannot_be_defined() -> None:
    with pytest.raises(TypeError, match="actions"):

        class Undeclared(PermissionPolicy[Organisation]):  # pragma: no cover - the class is refused
            model = Organisation

            def instances_for(self, user: Any, action: str) -> QuerySet[Organisation]:
                return Organisation.objects.all()


@pytest.mark.django_db
def test_actions_for_says_which_buttons_a_user_gets(personas: Any) -> None:
    anhui_office = Organisation.objects.get(code="ah-drc")
    assert organisation_policy.actions_for(personas["province_admin"], anhui_office) == {
        AccountAction.VIEW,
        AccountAction.MANAGE_ROLES,
    }
    assert organisation_policy.actions_for(personas["zhejiang_admin"], anhui_office) == frozenset()
    assert organisation_policy.actions_for(AnonymousUser(), anhui_office) == frozenset()


@pytest.mark.django_db
def test_users_with_lists_exactly_who_may_act(personas: Any) -> None:
    anhui_office = Organisation.objects.get(code="ah-drc")
    managers = organisation_policy.users_with(anhui_office, AccountAction.MANAGE_ROLES)
    assert list(managers) == [personas["province_admin"]]
    viewers = set(organisation_policy.users_with(anhui_office, AccountAction.VIEW))
    assert personas["zhejiang_admin"] not in viewers
    assert personas["province_admin"] in viewers
    assert personas["hefei_city_officer"] not in viewers  # a Hefei officer sees Hefei's organisations
    # The two answers agree for every persona.
    for user in personas.values():
        assert (user in viewers) == organisation_policy.user_may(user, AccountAction.VIEW, anhui_office)


@pytest.mark.django_db
def test_users_with_refuses_an_unknown_action(personas: Any) -> None:
    with pytest.raises(UnknownAction):
        organisation_policy.users_with(Organisation.objects.get(code="ah-drc"), "approve")
