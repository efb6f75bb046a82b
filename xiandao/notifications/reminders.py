"""The reminder registry: apps register providers at ready time; ``send_reminders`` asks them all.

A provider is a function of the current time returning the reminders due then. Each reminder
carries a key that names it once and for all (``monitoring.report_due:2026Q3:zone-12:7d``), so a
reminder offered again on the next run — or by two runs at once — is sent only once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reminder:
    key: str  # unique forever: the same key is never sent twice
    kind: str  # a registered notification kind
    recipients: Sequence[Any]  # users
    title: str
    body: str = ""
    url: str = ""


ReminderProvider = Callable[[dt.datetime], Iterable[Reminder]]
_PROVIDERS: list[ReminderProvider] = []


def reminder_provider_register(provider: ReminderProvider) -> None:
    """Add a provider of due reminders (call from the app's ``ready()``); registering twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def reminder_provider_unregister(provider: ReminderProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def reminder_providers() -> list[ReminderProvider]:
    return list(_PROVIDERS)
