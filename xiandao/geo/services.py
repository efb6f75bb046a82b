"""Writes to the jurisdiction tree and parks; reference data loads through here too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from xiandao.core.audit import audit_record

from .models import Jurisdiction, JurisdictionLevel, JurisdictionMembership, Park, ParkLocation

REFERENCE_FILE = Path(__file__).resolve().parent / "reference" / "jurisdictions.yaml"


def _upsert_jurisdiction(*, code: str, name: str, level: str, short_name: str = "") -> tuple[Jurisdiction, bool]:
    jurisdiction, created = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "short_name": short_name}
    )
    return jurisdiction, created


def _ensure_membership(child: Jurisdiction, parent: Jurisdiction) -> None:
    # Reference loading never re-assigns: an existing open membership is left as it is.
    if not JurisdictionMembership.objects.filter(child=child, valid_to__isnull=True).exists():
        JurisdictionMembership.objects.create(child=child, parent=parent)


@transaction.atomic
def geo_reference_load(*, actor: Any = None, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Load jurisdictions and parks from the reference file; running it twice changes nothing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    created = {"jurisdictions": 0, "parks": 0}
    for province_data in data["provinces"]:
        province, new = _upsert_jurisdiction(
            code=province_data["code"],
            name=province_data["name"],
            level=JurisdictionLevel.PROVINCE,
            short_name=province_data.get("short_name", ""),
        )
        created["jurisdictions"] += new
        for city_data in province_data.get("cities", []):
            city, new = _upsert_jurisdiction(code=city_data["code"], name=city_data["name"], level=JurisdictionLevel.CITY)
            created["jurisdictions"] += new
            _ensure_membership(city, province)
            for county_data in city_data.get("counties", []):
                county, new = _upsert_jurisdiction(
                    code=county_data["code"], name=county_data["name"], level=JurisdictionLevel.COUNTY
                )
                created["jurisdictions"] += new
                _ensure_membership(county, city)
    by_code = {j.code: j for j in Jurisdiction.objects.all()}
    for park_data in data.get("parks", []):
        park, new = Park.objects.get_or_create(
            name=park_data["name"],
            defaults={
                "short_name": park_data.get("short_name", ""),
                "kind": park_data.get("kind", "other"),
                "level": park_data.get("level", ""),
                "source": park_data.get("source", ""),
            },
        )
        if new:
            ParkLocation.objects.create(park=park, jurisdiction=by_code[park_data["jurisdiction"]])
            created["parks"] += 1
    if any(created.values()):
        audit_record(actor=actor, action="geo.reference.loaded", after=created)
    return created


@transaction.atomic
def park_relocate(*, actor: Any, park: Park, jurisdiction: Jurisdiction, on: dt.date, reason: str) -> ParkLocation:
    """Move a park to another jurisdiction from a date; the old location keeps its history."""
    current = ParkLocation.objects.select_for_update().filter(park=park, valid_to__isnull=True).first()
    before = {"jurisdiction": current.jurisdiction.code if current else None}
    if current is not None:
        if current.valid_from >= on:
            raise ValueError("新所在地的起始日期必须晚于当前所在地的起始日期")
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    location = ParkLocation.objects.create(park=park, jurisdiction=jurisdiction, valid_from=on)
    audit_record(
        actor=actor,
        action="geo.park.relocated",
        target=park,
        before=before,
        after={"jurisdiction": jurisdiction.code, "valid_from": on},
        reason=reason,
    )
    return location
