"""The back office's gate: who may do what in the admin, provided by `accounts` at start-up.

The admin site lives in `core` so every app's admin can subclass `AuditedModelAdmin`; the duty
table (三员分立) and the second-factor check belong to `accounts`. `accounts` registers them here
from its `ready()`, so `core` never imports `accounts` and the apps do not depend on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class BackOfficeGate:
    """The three questions the admin site asks."""

    may: Any  # (user, action, model) -> bool: the duty table
    roles: Any  # (user) -> frozenset of back-office roles held today
    second_factor_satisfied: Any  # (request) -> bool


_gate: list[BackOfficeGate] = []


def backoffice_gate_register(gate: BackOfficeGate) -> None:
    """Install the gate (once; a second registration replaces the first, as a reload would)."""
    _gate[:] = [gate]


def backoffice_gate() -> BackOfficeGate:
    """The registered gate; with none, the back office is closed to everyone."""
    if not _gate:
        return BackOfficeGate(may=_closed, roles=_no_roles, second_factor_satisfied=_closed_request)
    return _gate[0]


def _closed(user: Any, action: str, model: Any) -> bool:
    return False


def _no_roles(user: Any) -> frozenset[Any]:
    return frozenset()


def _closed_request(request: HttpRequest) -> bool:
    return False
