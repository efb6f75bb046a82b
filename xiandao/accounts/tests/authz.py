"""Foreign objects of the accounts app for the authorization matrix."""

from tests.authz import ForeignObject, ForeignWorld, provider

PUBLIC_URL_NAMES = {"accounts:login"}


@provider("organisation_id")
def foreign_organisation(world: ForeignWorld) -> ForeignObject:
    return ForeignObject(str(world.organisation.pk), (world.organisation.name, f"{world.marker}简称"))
