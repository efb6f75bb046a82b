"""Registry entries for the authorization matrix: details are never public, counts are."""

from __future__ import annotations

import datetime as dt

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.registries.models import Enterprise, EnterpriseTag, EntryStatus, EvidenceFile
from xiandao.registries.tests.factories import credit_code

PUBLIC_URL_NAMES = {
    "registries:index",  # counts per registry only
    "registries:chart",  # aggregated counts by year, city and field
    "api:programme_counts",  # a programme's counts: aggregated, like its public targets
}


def foreign_enterprise(world: ForeignWorld) -> Enterprise:
    """A confirmed enterprise in the world's city, named with the marker (one per run)."""
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=credit_code(int(world.province.code)),
        defaults={
            "name": f"{world.marker}企业有限公司",
            "city": world.city,
            "valid_from": dt.date(2024, 1, 1),
            "status": EntryStatus.CONFIRMED,
            "source_note": f"{world.marker}名单",
        },
    )
    return enterprise


@provider("entry_id")
def entry_id(world: ForeignWorld) -> ForeignObject:
    enterprise = foreign_enterprise(world)
    return ForeignObject(str(enterprise.pk), (enterprise.name, enterprise.credit_code))


@provider("tag_id")
def tag_id(world: ForeignWorld) -> ForeignObject:
    enterprise = foreign_enterprise(world)
    tag, _ = EnterpriseTag.objects.get_or_create(
        enterprise=enterprise,
        tag="high_tech",
        valid_from=dt.date(2024, 1, 1),
        defaults={"certificate_no": f"GR2024{world.province.code}", "list_name": f"{world.marker}批次"},
    )
    return ForeignObject(str(tag.pk), (tag.list_name, enterprise.name))


@provider("evidence_id")
def evidence_id(world: ForeignWorld) -> ForeignObject:
    enterprise = foreign_enterprise(world)
    evidence, _ = EvidenceFile.objects.get_or_create(
        registry="enterprise",
        entry_id=enterprise.pk,
        defaults={"file": "registries/evidence/probe.pdf", "name": f"{world.marker}证书.pdf", "size": 10},
    )
    return ForeignObject(str(evidence.pk), (evidence.name,))
