"""Loading and removing the demonstration data as one unit, marked so every page shows 示例数据."""

from __future__ import annotations

from django.db import transaction

from xiandao.accounts.demo import demo_personas_create, demo_personas_remove
from xiandao.core.audit import audit_record
from xiandao.core.models import DemoDataset
from xiandao.evaluation.demo import demo_evaluations_create, demo_evaluations_remove
from xiandao.monitoring.demo import demo_reports_create, demo_reports_remove
from xiandao.notifications.demo import demo_notices_create, demo_notices_remove, demo_notifications_create
from xiandao.pilot_zones.demo import (
    demo_applications_create,
    demo_applications_remove,
    demo_lists_create,
    demo_lists_remove,
    demo_round_applications_create,
    demo_zones_create,
    demo_zones_remove,
)
from xiandao.registries.demo import demo_registries_create, demo_registries_remove
from xiandao.review.demo import demo_review_create, demo_review_remove
from xiandao.supervision.demo import demo_supervision_create, demo_supervision_remove

DEMO_DATASET = "demo"


@transaction.atomic
def demo_data_load() -> bool:
    """Create the demonstration data if absent; returns whether anything was created."""
    if DemoDataset.objects.filter(name=DEMO_DATASET).exists():
        return False
    users = demo_personas_create()
    zones = demo_zones_create()
    applications = demo_applications_create()
    # The round: applications brought to 论证中, the committee's panel and scores, then the lists.
    round_applications = demo_round_applications_create()
    review = demo_review_create()
    lists = demo_lists_create()
    registries = demo_registries_create()
    reports = demo_reports_create(users)
    evaluations = demo_evaluations_create()
    supervision = demo_supervision_create()
    demo_notifications_create(users)
    notices = demo_notices_create()
    DemoDataset.objects.create(name=DEMO_DATASET)
    audit_record(
        actor=None,
        action="web.demo_data.loaded",
        after={
            "personas": [u.username for u in users],
            "pilot_zones": [z.name for z in zones],
            "applications": [a.name for a in applications],
            "round_applications": [a.name for a in round_applications],
            "creation_lists": [cl.title for cl in lists],
            "registries": registries,
            "review": review,
            "monitoring_reports": reports,
            "evaluation_runs": [f"{r.programme.code}-{r.year}-{r.get_status_display()}" for r in evaluations],
            "notices": [n.title for n in notices],
            "supervision": supervision,
        },
    )
    return True


@transaction.atomic
def demo_data_remove() -> dict[str, int]:
    """Remove every demonstration row: personas, invented organisations and the marker."""
    supervision = demo_supervision_remove()
    evaluations = demo_evaluations_remove()
    review = demo_review_remove()
    reports = demo_reports_remove()
    entries = demo_registries_remove()
    lists = demo_lists_remove()  # before the zones and applications the lists point at

    zones = demo_zones_remove()
    applications = demo_applications_remove()  # after the zones made from them
    notices = demo_notices_remove()
    removed = {
        **demo_personas_remove(),
        "pilot_zones": zones,
        "creation_lists": lists,
        "applications": applications,
        "registry_entries": entries,
        **review,
        "monitoring_reports": reports,
        "evaluation_runs": evaluations,
        "notices": notices,
        "supervision": supervision,
    }
    DemoDataset.objects.filter(name=DEMO_DATASET).delete()
    audit_record(actor=None, action="web.demo_data.removed", after=removed)
    return removed
