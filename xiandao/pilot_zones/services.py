"""Writes of pilot zones: a zone and the places hosting it, each audited.

Zones are proposed and reviewed through the applications life cycle (a later issue); until then
only the platform itself (a management command, ``actor=None``) or a superuser creates them,
and only demonstration zones may start in a status other than 草稿.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from xiandao.core.audit import audit_record, snapshot

from .models import PilotZone, ZonePlace, ZoneStatus

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction, Park
    from xiandao.programmes.models import Field, Programme, ZoneType


def _may_create(actor: Any) -> None:
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("先导区须经申报、论证后创建，不能直接新建。")


@transaction.atomic
def zone_create(
    *,
    actor: Any,
    programme: Programme,
    field: Field,
    name: str,
    zone_type: ZoneType | None = None,
    status: str = ZoneStatus.DRAFT,
    is_demo: bool = False,
) -> PilotZone:
    """A zone of ``programme`` in ``field``; a status other than 草稿 only for demonstration zones."""
    _may_create(actor)
    if status != ZoneStatus.DRAFT and not is_demo:
        raise ValueError("新建的先导区应为草稿状态；其他状态由申报、评审等环节形成。")
    if field.version.programme_id != programme.pk:
        raise ValueError("领域须属于该培育计划的分类。")
    zone = PilotZone.objects.create(
        programme=programme, field=field, name=name, zone_type=zone_type, status=status, is_demo=is_demo
    )
    audit_record(actor=actor, action="pilot_zones.zone.created", target=zone, after=snapshot(zone))
    return zone


@transaction.atomic
def zone_place_add(
    *,
    actor: Any,
    zone: PilotZone,
    park: Park | None = None,
    jurisdiction: Jurisdiction | None = None,
    valid_from: dt.date,
) -> ZonePlace:
    """A place hosting ``zone`` from ``valid_from``: a park, a jurisdiction, or both."""
    _may_create(actor)
    if park is None and jurisdiction is None:
        raise ValueError("须指明园区或行政区。")
    place = ZonePlace.objects.create(zone=zone, park=park, jurisdiction=jurisdiction, valid_from=valid_from)
    audit_record(actor=actor, action="pilot_zones.zone_place.added", target=place, after=snapshot(place))
    return place


@transaction.atomic
def demo_zones_delete(*, actor: Any) -> int:
    """Delete every demonstration zone (their places go with them); real zones are never touched."""
    _may_create(actor)
    zones = PilotZone.objects.filter(is_demo=True)
    names = sorted(zones.values_list("name", flat=True))
    deleted, _ = zones.delete()
    if names:
        audit_record(actor=actor, action="pilot_zones.zone.demo_removed", after={"zones": names})
    return deleted


# The applications' writes (申请报告) live beside the zones' and are part of this app's services.
from .application_services import (  # noqa: E402
    application_accept,
    application_attachment_add,
    application_attest,
    application_create,
    application_recommend,
    application_return,
    application_submit,
    application_transition,
    application_update,
    demo_applications_delete,
)

__all__ = [
    "application_accept",
    "application_attachment_add",
    "application_attest",
    "application_create",
    "application_recommend",
    "application_return",
    "application_submit",
    "application_transition",
    "application_update",
    "demo_applications_delete",
    "demo_zones_delete",
    "zone_create",
    "zone_place_add",
]


# Publishing a creation list creates or updates the zones with their plans (the lists' services).
from .lists.services import creation_list_publish  # noqa: E402, F401
