"""Audit entries are append-only in the database itself: UPDATE and DELETE are refused.

等保 2.0 level 3 asks that audit records be protected from unexpected deletion, change or
overwrite; a trigger holds even against raw SQL and any code path. One per vendor:
PostgreSQL raises from a plpgsql function, SQLite aborts with RAISE(ABORT). (PostgreSQL's
TRUNCATE, used only to empty a whole test database, fires no row trigger.)
"""

from django.db import migrations

MESSAGE = "操作记录只能新增，不能修改或删除 (core_auditentry is append-only)"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_change();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_refuse_change();
"""

SQLITE_TRIGGERS = {
    "core_auditentry_no_update": f"""
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    "core_auditentry_no_delete": f"""
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_TRIGGERS.values():
            schema_editor.execute(sql)
    else:
        raise RuntimeError(f"append-only audit triggers are not written for {vendor}")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_actor_kept_unchanged")]

    operations = [migrations.RunPython(forward, backward)]
