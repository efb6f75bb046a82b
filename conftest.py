"""Suite-wide test setup: markers by what a test needs, the CI hypothesis profile, persona fixtures.

Tests are marked automatically: `browser` when they drive Chromium, `db` when they touch the
database, `pure` otherwise. The Makefile runs pure and database tests on SQLite, database tests
again on PostgreSQL, and browser tests once on PostgreSQL.

The reference data, the personas and the four shipped programmes are written once per test
database (once per xdist worker, in ``django_db_setup``); each database test runs in a
transaction rolled back at its end, so it finds them as shipped and never loads YAML itself.
A transactional test flushes the database; the fixtures below notice and write them again.
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


@pytest.fixture(autouse=True)
def _job_registry_isolated() -> Any:
    """A job kind a test registers is gone after it: the registry does not leak between tests."""
    from xiandao.core.jobs import job_registry_kept

    with job_registry_kept():
        yield


#: The programmes every test database holds from the start (``programmes/<code>.yaml``).
PRELOADED_PROGRAMMES = ("anhui", "zhejiang", "yangzhou", "fuzhou")


def reference_data_ensure() -> None:
    """Jurisdictions, parks and the documents' organisations, written unless already there."""
    from xiandao.accounts.models import Organisation
    from xiandao.accounts.services import organisation_reference_load
    from xiandao.geo.models import Jurisdiction
    from xiandao.geo.services import geo_reference_load

    if not Jurisdiction.objects.exists():
        geo_reference_load()
    if not Organisation.objects.filter(code="ah-drc").exists():
        organisation_reference_load()


#: Organisations that exist before any programme is loaded (reference data and personas), by pk.
_ORGANISATIONS_BEFORE_PROGRAMMES: set[int] = set()


def preload() -> None:
    from xiandao.accounts.demo import demo_personas_create
    from xiandao.accounts.models import Organisation
    from xiandao.programmes.tests.loading import programme_ensure

    reference_data_ensure()
    demo_personas_create()
    _ORGANISATIONS_BEFORE_PROGRAMMES.update(Organisation.objects.values_list("pk", flat=True))
    for code in PRELOADED_PROGRAMMES:
        programme_ensure(code)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database with reference data, personas and the shipped programmes, once per worker."""
    with django_db_blocker.unblock():
        preload()


@pytest.fixture
def reference_data(db: Any) -> None:
    """Jurisdictions, parks and the organisations the documents name (preloaded; restored after a flush)."""
    reference_data_ensure()


@pytest.fixture
def personas(reference_data: None) -> dict[str, Any]:
    """The demonstration personas by key (province_admin, hefei_city_officer, …)."""
    from xiandao.accounts.demo import PERSONAS, demo_personas_create
    from xiandao.accounts.models import User

    users = {user.username: user for user in User.objects.filter(username__in=[p.username for p in PERSONAS])}
    if len(users) != len(PERSONAS):
        users = {user.username: user for user in demo_personas_create()}
    return {persona.key: users[persona.username] for persona in PERSONAS}


@pytest.fixture
def shipped_programmes(reference_data: None) -> dict[str, Any]:
    """The four shipped programmes by code, as their files define them (preloaded, not read per test)."""
    from xiandao.programmes.tests.loading import programme_ensure

    return {code: programme_ensure(code) for code in PRELOADED_PROGRAMMES}


@pytest.fixture
def programmes_absent(reference_data: None) -> None:
    """No programme, nor the organisations loading made, for tests of loading itself (undone at the test's end)."""
    from xiandao.accounts.models import Organisation
    from xiandao.programmes.models import (
        Field,
        IndicatorFramework,
        Lifecycle,
        Programme,
        Target,
        Task,
        TaxonomyVersion,
        ZoneType,
    )

    # Rows that guard each other (PROTECT) go first, each kind in one bulk delete.
    Task.objects.update(parent=None)
    for model in (Task, Target, Field, TaxonomyVersion, Lifecycle, IndicatorFramework, ZoneType, Programme):
        model.objects.all().delete()
    if _ORGANISATIONS_BEFORE_PROGRAMMES:
        Organisation.objects.exclude(pk__in=_ORGANISATIONS_BEFORE_PROGRAMMES).delete()


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
    "entrepreneur_expert",
    "investor_expert",
    "evaluator",
    "department_officer",
    "zhejiang_admin",
):
    globals()[f"persona_{_key}"] = _persona_fixture(_key)
