"""Suite-wide test setup: markers by what a test needs, the CI hypothesis profile, persona fixtures.

Tests are marked automatically: `browser` when they drive Chromium, `db` when they touch the
database, `pure` otherwise. The Makefile runs pure and database tests on SQLite, database tests
again on PostgreSQL, and browser tests once on PostgreSQL.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}
BROWSER_FIXTURES = {"page", "browser", "browser_context"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & DB_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.db)
        elif not names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.pure)


def service_required(name: str, available: Callable[[], bool]) -> None:
    """Skip a test whose service is missing on a developer's machine; on CI, fail loudly instead."""
    if available():
        return
    message = f"{name} 不可用"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI 环境缺少 {name}：该测试不能跳过", pytrace=False)
    pytest.skip(message)


def tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def reference_data(db: Any) -> None:
    """Jurisdictions, parks and the organisations the documents name (idempotent, per test)."""
    from xiandao.accounts.services import organisation_reference_load
    from xiandao.geo.services import geo_reference_load

    geo_reference_load()
    organisation_reference_load()


@pytest.fixture
def personas(reference_data: None) -> dict[str, Any]:
    """The demonstration personas by key (province_admin, hefei_city_officer, …)."""
    from xiandao.accounts.demo import PERSONAS, demo_personas_create

    users = demo_personas_create()
    return {persona.key: user for persona, user in zip(PERSONAS, users, strict=True)}


def _persona_fixture(key: str) -> Any:
    @pytest.fixture(name=key)
    def persona(personas: dict[str, Any]) -> Any:
        return personas[key]

    return persona


# Named persona fixtures, like Zulip's example_user("hamlet"): province_admin, hefei_city_officer, …
for _key in (
    "province_admin",
    "hefei_city_officer",
    "zone_operator",
    "scientist_expert",
    "evaluator",
    "department_officer",
    "zhejiang_admin",
):
    globals()[f"persona_{_key}"] = _persona_fixture(_key)
