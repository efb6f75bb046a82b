"""The back office is audited like the services: the row itself and each inline row."""

import pytest

from xiandao.accounts.models import Organisation, OrganisationAlias, User
from xiandao.core.models import AuditEntry


@pytest.mark.django_db
def test_an_admin_edit_with_an_inline_alias_leaves_an_entry_for_each_write(client, reference_data):
    superuser = User.objects.create_superuser("sysadmin", "admin@example.com", "x-admin-pass")
    organisation = Organisation.objects.get(name="安徽省科学技术厅")
    alias = organisation.aliases.get(alias="省科技厅")
    client.force_login(superuser)
    aliases = list(organisation.aliases.order_by("pk"))
    data = {
        "code": organisation.code,
        "name": organisation.name,
        "kind": organisation.kind,
        "jurisdiction": organisation.jurisdiction_id,
        "park": "",
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(aliases):
        data[f"aliases-{i}-id"] = str(row.pk)
        data[f"aliases-{i}-organisation"] = str(organisation.pk)
        data[f"aliases-{i}-alias"] = "省科学技术厅（简称）" if row.pk == alias.pk else row.alias
    data[f"aliases-{len(aliases)}-organisation"] = str(organisation.pk)
    data[f"aliases-{len(aliases)}-alias"] = "科技厅"
    response = client.post(f"/admin/accounts/organisation/{organisation.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = AuditEntry.objects.get(
        action="accounts.organisationalias.admin_changed", object_id=str(alias.pk)
    )
    assert changed.before is not None and changed.before["alias"] == "省科技厅"
    assert changed.after is not None and changed.after["alias"] == "省科学技术厅（简称）"
    added = OrganisationAlias.objects.get(organisation=organisation, alias="科技厅")
    assert AuditEntry.objects.filter(
        action="accounts.organisationalias.admin_created", object_id=str(added.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="accounts.organisation.admin_changed", actor=superuser).exists()
