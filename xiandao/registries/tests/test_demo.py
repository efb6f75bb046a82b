"""The demonstration registries: made through the services, counted, and removed as a unit."""

from __future__ import annotations

import datetime as dt

import pytest

from xiandao.core.models import AuditEntry
from xiandao.registries.demo import demo_registries_create, demo_registries_remove
from xiandao.registries.models import Enterprise, EntryStatus
from xiandao.registries.selectors import measure_counts

pytestmark = pytest.mark.django_db


def test_demo_entries_move_over_the_years_and_go_away(anhui):
    made = demo_registries_create(scale=0.1)
    assert made["platform"] == 30 and made["enterprise"] == 1200  # enterprises are not scaled
    assert demo_registries_create(scale=0.1) == {}  # running twice changes nothing
    assert all(e.name.startswith("示例") for e in Enterprise.objects.all())
    assert Enterprise.objects.filter(status=EntryStatus.CONFIRMED).exists()
    assert AuditEntry.objects.filter(action="registries.enterprise.imported").count() == 1
    early = {m.key: m.count for m in measure_counts(anhui, on=dt.date(2023, 12, 31))}
    late = {m.key: m.count for m in measure_counts(anhui, on=dt.date(2026, 11, 30))}
    assert (late["ap-2027-platforms"] or 0) > (early["ap-2027-platforms"] or 0)
    assert (late["ap-2030-high-tech-enterprises"] or 0) > 0
    assert demo_registries_remove() > 0 and not Enterprise.objects.exists()
