"""Evaluation runs, results and consequences of another province, for the authorization matrix."""

from __future__ import annotations

import json

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.evaluation.models import (
    Consequence,
    ConsequenceKind,
    EvaluationRun,
    Objection,
    RunStatus,
    ZoneResult,
)
from xiandao.pilot_zones.models import PilotZone
from xiandao.programmes.models import Field

PUBLIC_URL_NAMES = {
    "evaluation:published_grades",  # the published grades list, when the programme's grades are public
    "api:programme_evaluations",  # the same over the API
}


def foreign_result(world: ForeignWorld) -> ZoneResult:
    """A published run of a programme of the world's province, with one zone named with the marker."""
    field = Field.objects.filter(version__programme__jurisdiction=world.province).order_by("pk").first()
    assert field is not None, "the shipped programmes hold one of each province, with fields"
    programme = field.version.programme
    zone, _ = PilotZone.objects.get_or_create(
        programme=programme,
        name=f"{world.marker}先导区",
        defaults={"field": field, "status": "creating", "is_demo": True},
    )
    snapshot = json.dumps(
        {"grades": [["A", "A等次"], ["AA", "AA等次"], ["AAA", "AAA等次"]], "zones": {str(zone.pk): zone.name}}
    )
    run, _ = EvaluationRun.objects.get_or_create(
        programme=programme,
        year=2025,
        defaults={
            "status": RunStatus.COMPUTED,
            "snapshot": snapshot,
            "snapshot_sha256": "0" * 64,
            "method_version": "probe",
            "lock_sha256": "0" * 64,
        },
    )
    result, _ = ZoneResult.objects.get_or_create(
        run=run, zone=zone, defaults={"zone_name": zone.name, "proposed_grade": "AA", "rank": 1}
    )
    return result


@provider("run_id")
def run_id(world: ForeignWorld) -> ForeignObject:
    result = foreign_result(world)
    return ForeignObject(str(result.run_id), (result.zone_name,))


@provider("result_id")
def result_id(world: ForeignWorld) -> ForeignObject:
    result = foreign_result(world)
    return ForeignObject(str(result.pk), (result.zone_name,))


@provider("consequence_id")
def consequence_id(world: ForeignWorld) -> ForeignObject:
    result = foreign_result(world)
    item, _ = Consequence.objects.get_or_create(
        run=result.run, result=result, kind=ConsequenceKind.NATIONAL, defaults={"text": f"{world.marker}推荐"}
    )
    return ForeignObject(str(item.pk), (result.zone_name, item.text))


@provider("objection_id")
def objection_id(world: ForeignWorld) -> ForeignObject:
    result = foreign_result(world)
    item, _ = Objection.objects.get_or_create(
        run=result.run,
        raised_by=f"{world.marker}异议人",
        defaults={"text": f"{world.marker}异议", "recorded_by": world.user},
    )
    return ForeignObject(str(item.pk), (item.text,))
