import pytest

from xiandao.core.audit import audit_record, snapshot
from xiandao.core.models import AuditEntry
from xiandao.geo.tests.factories import ParkFactory


@pytest.mark.django_db
def test_audit_records_actor_action_object_before_and_after(province_admin):
    park = ParkFactory.create(name="审计测试园区")
    before = snapshot(park)
    park.short_name = "审计园"
    entry = audit_record(
        actor=province_admin,
        action="geo.park.relocated",
        target=park,
        before=before,
        after=snapshot(park),
        reason="更正简称",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == province_admin
    assert "王敏" in stored.actor_label and "安徽省发展和改革委员会" in stored.actor_label
    assert stored.object_type == "geo.park"
    assert stored.object_id == str(park.pk)
    assert stored.before is not None and stored.before["short_name"] == ""
    assert stored.after is not None and stored.after["short_name"] == "审计园"
    assert stored.reason == "更正简称"


@pytest.mark.django_db
def test_audit_refuses_an_action_code_without_namespace():
    with pytest.raises(ValueError):
        audit_record(actor=None, action="renamed")


@pytest.mark.django_db
def test_audit_without_a_user_is_recorded_as_the_system():
    entry = audit_record(actor=None, action="core.job.started")
    assert entry.actor is None
    assert entry.actor_label == "系统"
