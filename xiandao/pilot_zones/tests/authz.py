"""Pilot zones for the authorization matrix: the providers of each part of the app, gathered here."""

from __future__ import annotations

from .authz_lists import LISTS_PUBLIC_URL_NAMES, assessment_id, list_id, objection_id, zone_id

PUBLIC_URL_NAMES = set(LISTS_PUBLIC_URL_NAMES)

__all__ = ["PUBLIC_URL_NAMES", "assessment_id", "list_id", "objection_id", "zone_id"]
