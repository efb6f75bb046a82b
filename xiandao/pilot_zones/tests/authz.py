"""Applications for the authorization matrix: never public; another province's answer 404 everywhere."""

from __future__ import annotations

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.geo.models import Park, ParkKind, ParkLocation
from xiandao.pilot_zones.models import Application, ApplicationAttachment, AttachmentKind, StatusChange
from xiandao.programmes.models import Programme

PUBLIC_URL_NAMES: set[str] = set()


def foreign_application(world: ForeignWorld) -> Application:
    """A recommended application of the world's city (its programme: the one covering that province)."""
    name = f"{world.marker}先导区"
    found = Application.objects.filter(name=name).first()
    if found is not None:
        return found
    programme = Programme.objects.filter(jurisdiction=world.province).order_by("pk").first()
    if programme is None:
        programme = Programme.objects.order_by("pk").first()
    assert programme is not None
    park, _ = Park.objects.get_or_create(
        name=f"{world.marker}高新区", defaults={"kind": ParkKind.HIGH_TECH_ZONE, "level": "国家级"}
    )
    ParkLocation.objects.get_or_create(park=park, jurisdiction=world.city)
    application = Application.objects.create(
        programme=programme,
        city=world.city,
        name=name,
        status="recommended",
        summary=f"{world.marker}基本情况",
    )
    application.host_parks.set([park])
    StatusChange.objects.create(
        application=application, from_status="attested", to_status="recommended", action="recommend"
    )
    application.revisions.create(number=1, record={"name": name}, status="draft", author_name=world.marker)
    application.revisions.create(
        number=2, record={"name": name + "二"}, status="draft", author_name=world.marker
    )
    return application


@provider("application_id")
def application_id(world: ForeignWorld) -> ForeignObject:
    application = foreign_application(world)
    return ForeignObject(str(application.pk), (application.name,))


@provider("attachment_id")
def attachment_id(world: ForeignWorld) -> ForeignObject:
    application = foreign_application(world)
    attachment, _ = ApplicationAttachment.objects.get_or_create(
        application=application,
        original_name=f"{world.marker}推荐函.pdf",
        defaults={
            "kind": AttachmentKind.RECOMMENDATION_LETTER,
            "file": "applications/probe.pdf",
            "content_type": "application/pdf",
            "size": 10,
            "sha256": "0" * 64,
        },
    )
    return ForeignObject(str(attachment.pk), (attachment.original_name,))
