import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from xiandao.accounts.models import Organisation, Role, RoleAssignment, ScopeKind
from xiandao.accounts.permissions import organisation_policy
from xiandao.accounts.selectors import organisation_names_like, organisation_resolve, user_scope
from xiandao.accounts.services import role_end, role_grant
from xiandao.accounts.tests.factories import OrganisationFactory, RoleAssignmentFactory, UserFactory
from xiandao.core.models import AuditEntry
from xiandao.geo.models import Jurisdiction


@pytest.mark.django_db
def test_a_city_scope_reaches_the_city_and_its_parks_not_the_province(hefei_city_officer):
    scope = user_scope(hefei_city_officer)
    hefei = Jurisdiction.objects.get(code="340100")
    assert hefei.pk in scope.jurisdiction_ids
    assert Jurisdiction.objects.get(code="340000").pk not in scope.jurisdiction_ids
    assert Jurisdiction.objects.get(code="340200").pk not in scope.jurisdiction_ids
    assert len(scope.park_ids) == 2  # 合肥高新区、合肥经开区


@pytest.mark.django_db
def test_an_ended_role_no_longer_counts(reference_data):
    assignment = RoleAssignmentFactory.create(
        jurisdiction=Jurisdiction.objects.get(code="340100"),
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2021, 1, 1),
    )
    assert user_scope(assignment.user).roles == frozenset()
    assert Role.CITY_OFFICER in user_scope(assignment.user, on=dt.date(2020, 6, 1)).roles


@pytest.mark.django_db
def test_the_same_alias_resolves_to_each_provinces_own_body(personas):
    anhui = Jurisdiction.objects.get(code="340000")
    zhejiang = Jurisdiction.objects.get(code="330000")

    def resolved(name: str, within: Jurisdiction) -> str | None:
        found = organisation_resolve(name, within=within)
        return found.name if found else None

    assert resolved("省发展改革委", anhui) == "安徽省发展和改革委员会"
    assert resolved("省经信厅", zhejiang) == "浙江省经济和信息化厅"
    # the same words in Anhui mean the department under its current name
    assert resolved("省经信厅", anhui) == "安徽省工业和信息化厅"
    assert resolved("省科技厅", anhui) == "安徽省科学技术厅"
    assert organisation_resolve("不存在的厅", within=anhui) is None
    assert "省科技厅" in organisation_names_like("省科学厅", within=anhui)


@pytest.mark.django_db
def test_province_admin_grants_a_role_inside_the_province_with_an_audit_entry(province_admin):
    newcomer = UserFactory.create(organisation=Organisation.objects.get(name="合肥市发展和改革委员会"))
    assignment = role_grant(
        actor=province_admin,
        user=newcomer,
        role=Role.CITY_OFFICER,
        scope_kind=ScopeKind.JURISDICTION,
        jurisdiction=Jurisdiction.objects.get(code="340100"),
        valid_from=dt.date(2026, 1, 1),
    )
    assert AuditEntry.objects.filter(action="accounts.role.granted", object_id=str(assignment.pk)).exists()
    role_end(actor=province_admin, assignment=assignment, on=dt.date(2026, 6, 1), reason="岗位调整")
    assignment.refresh_from_db()
    assert assignment.valid_to == dt.date(2026, 6, 1)


@pytest.mark.django_db
def test_granting_outside_ones_jurisdiction_is_refused_and_nothing_is_written(
    province_admin, hefei_city_officer
):
    foreign = UserFactory.create(organisation=Organisation.objects.get(name="浙江省经济和信息化厅"))
    roles_before, audit_before = RoleAssignment.objects.count(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied, match="无权"):
        role_grant(
            actor=province_admin,
            user=foreign,
            role=Role.PROGRAMME_ADMIN,
            scope_kind=ScopeKind.JURISDICTION,
            jurisdiction=Jurisdiction.objects.get(code="330000"),
        )
    local = UserFactory.create(organisation=Organisation.objects.get(name="合肥市发展和改革委员会"))
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=hefei_city_officer,
            user=local,
            role=Role.CITY_OFFICER,
            scope_kind=ScopeKind.JURISDICTION,
            jurisdiction=Jurisdiction.objects.get(code="340100"),
        )
    assert (RoleAssignment.objects.count(), AuditEntry.objects.count()) == (roles_before, audit_before)


@pytest.mark.django_db
def test_organisation_policy_answers_see_and_list_alike(hefei_city_officer, department_officer):
    in_hefei = OrganisationFactory.create(jurisdiction=Jurisdiction.objects.get(code="340100"))
    in_wuhu = OrganisationFactory.create(jurisdiction=Jurisdiction.objects.get(code="340200"))
    visible = set(organisation_policy.instances_for(hefei_city_officer, "view"))
    assert in_hefei in visible and in_wuhu not in visible
    assert organisation_policy.user_may(hefei_city_officer, "view", in_hefei)
    assert not organisation_policy.user_may(hefei_city_officer, "view", in_wuhu)
    assert set(organisation_policy.instances_for(department_officer, "view")) == {
        department_officer.organisation
    }


@pytest.mark.django_db
def test_a_role_without_its_scope_target_is_refused_by_the_database(reference_data):
    from django.db import IntegrityError, transaction

    user = UserFactory.create(organisation=Organisation.objects.first())
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.CITY_OFFICER, scope_kind=ScopeKind.JURISDICTION)


@pytest.mark.django_db
def test_the_roles_held_inside_a_subtree_on_a_date(reference_data):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Model

    from xiandao.accounts.selectors import role_assignment_list_within
    from xiandao.geo.selectors import jurisdiction_descendant_ids
    from xiandao.programmes.tests.factories import ProgrammeFactory

    anhui, hefei = Jurisdiction.objects.get(code="340000"), Jurisdiction.objects.get(code="340100")
    zhejiang = Jurisdiction.objects.get(code="330000")
    on = dt.date(2026, 6, 1)
    in_zhejiang, in_hefei = (
        OrganisationFactory.create(jurisdiction=zhejiang),
        OrganisationFactory.create(jurisdiction=hefei),
    )
    programme, other_programme = (
        ProgrammeFactory.create(jurisdiction=anhui),
        ProgrammeFactory.create(jurisdiction=zhejiang),
    )
    programme_type = ContentType.objects.get_for_model(programme)

    def held(**kwargs: object) -> int:
        kwargs.setdefault("user", UserFactory.create(organisation=in_zhejiang))
        if kwargs.get("scope_kind", ScopeKind.JURISDICTION) != ScopeKind.JURISDICTION:
            kwargs.setdefault("jurisdiction", None)
        return RoleAssignmentFactory.create(**kwargs).pk

    inside = {
        held(jurisdiction=hefei),
        held(scope_kind=ScopeKind.ORGANISATION, organisation=in_hefei),
        # A zone's (or review's) role sits where the holder's organisation is.
        held(
            scope_kind=ScopeKind.ZONE,
            object_type=ContentType.objects.get_for_model(in_hefei),
            object_id=in_hefei.pk,
            user=UserFactory.create(organisation=in_hefei),
        ),
    }
    of_the_programme = held(
        scope_kind=ScopeKind.PROGRAMME, object_type=programme_type, object_id=programme.pk
    )
    outside = {
        held(jurisdiction=zhejiang),
        held(jurisdiction=hefei, valid_to=dt.date(2025, 1, 1)),  # ended before the date
        held(jurisdiction=hefei, valid_from=dt.date(2027, 1, 1)),  # not yet begun
        held(jurisdiction=hefei, user=UserFactory.create(organisation=in_zhejiang, is_active=False)),
        held(scope_kind=ScopeKind.ORGANISATION, organisation=in_zhejiang),
        held(scope_kind=ScopeKind.PROGRAMME, object_type=programme_type, object_id=other_programme.pk),
        # The back-office administrators sit on the platform, even when their organisation is here.
        held(
            role=Role.SYSTEM_ADMIN,
            scope_kind=ScopeKind.PLATFORM,
            user=UserFactory.create(organisation=in_hefei),
        ),
    }
    subtree = jurisdiction_descendant_ids([anhui.pk], on=on)
    ours = inside | outside | {of_the_programme}

    def found(programme: Model | None = None) -> set[int]:
        return {a.pk for a in role_assignment_list_within(subtree, on=on, programme=programme)} & ours

    assert found(programme=programme) == inside | {of_the_programme}
    assert found() == inside
    assert of_the_programme not in found(programme=other_programme)
