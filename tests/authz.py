"""The authorization matrix's vocabulary: foreign worlds, and providers of foreign objects per URL parameter.

Every app that defines a URL with a parameter registers, in its `tests/authz.py`, a provider for
that parameter name: given a world of another jurisdiction, it creates an object there and
returns the value to put in the URL and the texts that must never appear to an outsider.
Apps list their deliberately public pages (public policy) in `PUBLIC_URL_NAMES`, and the few URLs
where an outsider is rightly told 403 rather than 404 in `FORBIDDEN_URL_NAMES` (none yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xiandao.accounts.models import Organisation, OrganisationKind, Role, ScopeKind, User
from xiandao.accounts.services import organisation_create, role_grant
from xiandao.geo.models import Jurisdiction


@dataclass
class ForeignWorld:
    """A province's worth of objects an outsider must never see; every visible name carries `marker`."""

    province: Jurisdiction
    city: Jurisdiction
    organisation: Organisation
    user: User
    marker: str
    markers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ForeignObject:
    value: str
    markers: tuple[str, ...]


Provider = Callable[[ForeignWorld], ForeignObject]
PROVIDERS: dict[str, Provider] = {}


def provider(parameter: str) -> Callable[[Provider], Provider]:
    """Register the provider of foreign objects for a URL parameter name (e.g. `job_id`)."""

    def register(func: Provider) -> Provider:
        PROVIDERS[parameter] = func
        return func

    return register


def foreign_world_create(*, province_code: str, city_code: str, marker: str) -> ForeignWorld:
    """An organisation and a city officer in another province, named with the marker."""
    province = Jurisdiction.objects.get(code=province_code)
    city = Jurisdiction.objects.get(code=city_code)
    organisation = organisation_create(
        actor=None,
        code=f"probe-{province_code}",
        name=f"{marker}机构",
        kind=OrganisationKind.GOVERNMENT_DEPARTMENT,
        jurisdiction=city,
        aliases=[f"{marker}简称"],
    )
    user = User.objects.create_user(
        username=f"probe_{province_code}", display_name=f"{marker}人员", organisation=organisation
    )
    role_grant(
        actor=None,
        user=user,
        role=Role.CITY_OFFICER,
        scope_kind=ScopeKind.JURISDICTION,
        jurisdiction=city,
        check_permission=False,
    )
    return ForeignWorld(province, city, organisation, user, marker, [marker])
