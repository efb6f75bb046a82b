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


def _reference_rows(data: dict[str, Any]) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    """Flatten the province → city → county tree into rows and (child, parent) code pairs."""
    rows: list[dict[str, str]] = []
    links: list[tuple[str, str]] = []
    for province in data["provinces"]:
        rows.append(
            {
                "code": province["code"],
                "name": province["name"],
                "level": JurisdictionLevel.PROVINCE,
                "short_name": province.get("short_name", ""),
            }
        )
        for city in province.get("cities", []):
            rows.append(
                {
                    "code": city["code"],
                    "name": city["name"],
                    "level": JurisdictionLevel.CITY,
                    "short_name": "",
                }
            )
            links.append((city["code"], province["code"]))
            for county in city.get("counties", []):
                rows.append(
                    {
                        "code": county["code"],
                        "name": county["name"],
                        "level": JurisdictionLevel.COUNTY,
                        "short_name": "",
                    }
                )
                links.append((county["code"], city["code"]))
    return rows, links


@transaction.atomic
def geo_reference_load(*, actor: Any = None, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Load jurisdictions and parks from the reference file; running it twice changes nothing.

    Existing rows are never re-assigned: a membership or location already open stays as it is,
    because a later change of boundaries is recorded with dates, not by reloading.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows, links = _reference_rows(data)
    existing = set(Jurisdiction.objects.values_list("code", flat=True))
    Jurisdiction.objects.bulk_create([Jurisdiction(**row) for row in rows if row["code"] not in existing])
    by_code = dict(Jurisdiction.objects.values_list("code", "pk"))
    linked = set(
        JurisdictionMembership.objects.filter(valid_to__isnull=True).values_list("child_id", flat=True)
    )
    JurisdictionMembership.objects.bulk_create(
        [
            JurisdictionMembership(child_id=by_code[child], parent_id=by_code[parent])
            for child, parent in links
            if by_code[child] not in linked
        ]
    )
    known_parks = set(Park.objects.values_list("name", flat=True))
    new_parks = [p for p in data.get("parks", []) if p["name"] not in known_parks]
    Park.objects.bulk_create(
        [
            Park(
                name=p["name"],
                short_name=p.get("short_name", ""),
                kind=p.get("kind", "other"),
                level=p.get("level", ""),
                source=p.get("source", ""),
            )
            for p in new_parks
        ]
    )
    park_ids = dict(Park.objects.filter(name__in=[p["name"] for p in new_parks]).values_list("name", "pk"))
    ParkLocation.objects.bulk_create(
        [
            ParkLocation(park_id=park_ids[p["name"]], jurisdiction_id=by_code[p["jurisdiction"]])
            for p in new_parks
        ]
    )
    created = {
        "jurisdictions": len(rows) - len(existing & {r["code"] for r in rows}),
        "parks": len(new_parks),
    }
    if any(created.values()):
        audit_record(actor=actor, action="geo.reference.loaded", after=created)
    return created


@transaction.atomic
def park_relocate(
    *, actor: Any, park: Park, jurisdiction: Jurisdiction, on: dt.date, reason: str
) -> ParkLocation:
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
