"""Every URL the project defines, as every persona, against objects of another jurisdiction.

URLs are discovered from the resolver, so pages added later are covered without editing this
file: a new URL parameter without a registered provider fails here with what to add.
"""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz import PROVIDERS, ForeignWorld, foreign_world_create
from xiandao.accounts.demo import PERSONAS

PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# Not pages of ours: the admin guards itself (staff only, checked below); logout only ends a session.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")
SKIPPED_NAMES = {"accounts:logout"}


def _url_names(attribute: str) -> set[str]:
    """The union of every app's ``tests/authz.py`` set named ``attribute``."""
    names: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("xiandao."):
            continue
        try:
            module = import_module(f"{config.name}.tests.authz")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(config.name):
                continue
            raise
        names |= set(getattr(module, attribute, set()))
    return names


def discover_urls() -> list[tuple[str, str]]:
    """(route, namespaced name) of every URL pattern, admin excluded."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                found.append((route, f"{namespace}{pattern.name}" if pattern.name else route))

    walk(get_resolver().url_patterns, "", "")
    return found


PUBLIC_URL_NAMES = _url_names("PUBLIC_URL_NAMES")
#: URLs where 403 is the right answer to an outsider: each app lists them in ``FORBIDDEN_URL_NAMES``
#: with the reason (the object's existence is no secret, only the action is not theirs). Every other
#: URL with a parameter must answer 404, so a foreign object looks absent.
FORBIDDEN_URL_NAMES = _url_names("FORBIDDEN_URL_NAMES")
#: Reads the national observer (a ministry-level viewer) has over every programme by design: for that
#: persona alone a foreign programme's objects there are no leak (each app lists them, e.g. supervision).
NATIONAL_READ_URL_NAMES = _url_names("NATIONAL_READ_URL_NAMES")
URLS = discover_urls()


@pytest.fixture
def worlds(personas):
    return {
        "anhui": foreign_world_create(province_code="340000", city_code="340200", marker="越权探针皖"),
        "zhejiang": foreign_world_create(province_code="330000", city_code="330100", marker="越权探针浙"),
    }


def _foreign_world(persona_key: str, worlds: dict[str, ForeignWorld]) -> ForeignWorld:
    return worlds["anhui"] if persona_key.startswith("zhejiang") else worlds["zhejiang"]


def _fill(path: str, parameter: str, value: str) -> str:
    """Put a value in place of the URL parameter of that name."""
    return PARAMETER.sub(lambda m: value if m.group("name") == parameter else m.group(0), path)


def test_every_url_parameter_has_a_foreign_object_provider():
    missing = sorted(
        {
            (m.group("name"), route)
            for route, _ in URLS
            for m in PARAMETER.finditer(route)
            if m.group("name") not in PROVIDERS
        }
    )
    assert not missing, (
        "这些 URL 参数没有越权测试对象；请在对应应用的 tests/authz.py 中用 @provider 登记：" + str(missing)
    )


#: One persona per kind of reach (role, scope, expert kind): two officers of two departments reach
#: alike, so walking every URL for both would prove nothing more and double the slowest test.
REACHES = tuple({(p.role, p.scope_kind, p.scope, p.expert_kind): p for p in reversed(PERSONAS)}.values())[
    ::-1
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", REACHES, ids=lambda p: p.key)
def test_no_url_leaks_another_jurisdictions_objects(client, personas, worlds, persona):
    user = personas[persona.key]
    world = _foreign_world(persona.key, worlds)
    client.force_login(user)
    failures: list[str] = []
    for route, name in URLS:
        if name in SKIPPED_NAMES:
            continue
        if persona.role == "observer" and name in NATIONAL_READ_URL_NAMES:
            continue
        params = [m.group("name") for m in PARAMETER.finditer(route)]
        markers = list(world.markers)
        path = "/" + route
        for parameter in params:
            obj = PROVIDERS[parameter](world)
            markers.extend(obj.markers)
            path = _fill(path, parameter, obj.value)
        response = client.get(path)
        if response.status_code == 405 and params:
            response = client.post(path)
        if response.status_code == 405 and params:  # an API operation that only patches
            response = client.patch(path, data="{}", content_type="application/json")
        if response.status_code == 405 and params:  # an API operation that only puts (replaces)
            response = client.put(path, data="{}", content_type="application/json")
        body = response.content.decode(errors="replace") if response.status_code < 300 else ""
        expected = 403 if name in FORBIDDEN_URL_NAMES else 404
        if params and name not in PUBLIC_URL_NAMES and response.status_code != expected:
            failures.append(f"{persona.key} GET {path} → {response.status_code}（应为 {expected}）")
        leaked = [m for m in markers if m in body]
        if leaked and name not in PUBLIC_URL_NAMES:
            failures.append(f"{persona.key} GET {path} 泄露了 {leaked}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_the_back_office_is_closed_to_every_persona(client, personas, persona):
    """Closed to programme personas; of the three administrators (三员) only the audit admin reads the log."""
    from xiandao.accounts.models import BACKOFFICE_ROLES, Role

    client.force_login(personas[persona.key])
    response = client.get("/admin/core/auditentry/")
    if persona.role == Role.AUDIT_ADMIN:
        assert response.status_code == 200
    elif persona.role in BACKOFFICE_ROLES:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_matrix_sees_the_urls_it_must():
    names = {name for _, name in URLS}
    assert {"web:home", "core:job_detail", "accounts:organisation_detail", "api:me", "api:job_get"} <= names


def test_the_urls_allowed_to_answer_403_exist_and_are_not_public():
    names = {name for _, name in URLS}
    assert names >= FORBIDDEN_URL_NAMES, FORBIDDEN_URL_NAMES - names
    assert not FORBIDDEN_URL_NAMES & PUBLIC_URL_NAMES
