"""Creation lists, objections, zones and acceptance assessments for the authorization matrix.

The published lists and the listed zones' profiles are public (with their API); a list in drafting
or consultation, its objections and a zone's assessment are seen only by the programme's admins
(and the departments consulted), so another province's persona gets 404.
"""

from __future__ import annotations

import datetime as dt

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.lists.models import AcceptanceAssessment, CreationList, ListStatus, Objection
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Field, Programme

LISTS_PUBLIC_URL_NAMES = {
    "pilot_zone_public:lists",  # the published creation lists: public (皖四(三) 公布创建名单)
    "pilot_zone_public:zone",  # a listed zone's profile
    "api:programme_creation_lists",
    "api:programme_listed_zones",
}


def _shipped_programme(world: ForeignWorld) -> Programme:
    """The shipped programme of the world's province (Anhui or Zhejiang), which has a life cycle and fields."""
    programme = (
        Programme.objects.filter(jurisdiction=world.province).exclude(code__startswith="probe-").first()
    )
    assert programme is not None, world.province
    return programme


def foreign_list(world: ForeignWorld) -> CreationList:
    programme = _shipped_programme(world)
    creation_list, _ = CreationList.objects.get_or_create(
        programme=programme,
        batch=90,
        defaults={
            "title": f"{world.marker}创建名单",
            "status": ListStatus.PUBLIC_NOTICE,
            "notice_starts_on": dt.date(2026, 1, 1),
            "notice_ends_on": dt.date(2026, 1, 7),
        },
    )
    return creation_list


def foreign_zone(world: ForeignWorld) -> PilotZone:
    programme = _shipped_programme(world)
    field = Field.objects.filter(version__programme=programme).first()
    zone, _ = PilotZone.objects.get_or_create(
        programme=programme,
        name=f"{world.marker}先导区",
        defaults={"field": field, "status": State.ACCEPTANCE_ASSESSMENT},
    )
    return zone


@provider("list_id")
def list_id(world: ForeignWorld) -> ForeignObject:
    creation_list = foreign_list(world)
    return ForeignObject(str(creation_list.pk), (creation_list.title,))


@provider("objection_id")
def objection_id(world: ForeignWorld) -> ForeignObject:
    creation_list = foreign_list(world)
    objection, _ = Objection.objects.get_or_create(
        creation_list=creation_list,
        objector=f"{world.marker}异议人",
        defaults={"content": f"{world.marker}异议内容", "received_on": dt.date(2026, 1, 2)},
    )
    return ForeignObject(str(objection.pk), (objection.objector, creation_list.title))


@provider("zone_id")
def zone_id(world: ForeignWorld) -> ForeignObject:
    zone = foreign_zone(world)
    return ForeignObject(str(zone.pk), (zone.name,))


@provider("assessment_id")
def assessment_id(world: ForeignWorld) -> ForeignObject:
    zone = foreign_zone(world)
    assessment, _ = AcceptanceAssessment.objects.get_or_create(
        zone=zone, defaults={"assessor": f"{world.marker}考核单位", "started_on": dt.date(2026, 1, 1)}
    )
    return ForeignObject(str(assessment.pk), (assessment.assessor, zone.name))
