"""`flush` that can empty a whole SQLite test database despite the append-only audit triggers.

Emptying every table (the test runner does it after each transactional test) is not deleting
audit rows by any code path of the platform: on SQLite the triggers are lifted for the flush
and put back at once; PostgreSQL's flush is a TRUNCATE, which fires no row trigger.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

TRIGGERS = import_module("xiandao.core.migrations.0003_audit_entries_append_only").SQLITE_TRIGGERS


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for sql in TRIGGERS.values():
                    cursor.execute(sql)
