"""Uploaded versions and proposals for the authorization matrix: working papers, never public."""

from __future__ import annotations

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.policies.models import DocumentVersion, Proposal, ProposalKind, VersionStatus
from xiandao.programmes.tests.authz import foreign_programme


def foreign_version(world: ForeignWorld) -> DocumentVersion:
    """An upload to the world's programme whose title and text carry the marker (one per run)."""
    version, _ = DocumentVersion.objects.get_or_create(
        programme=foreign_programme(world),
        title=f"{world.marker}上传文件",
        defaults={
            "file_name": "probe.txt",
            "text": f"到2027年，培育{world.marker}企业10家。",
            "status": VersionStatus.READY,
            "uploaded_by": world.user,
        },
    )
    return version


@provider("version_id")
def version_id(world: ForeignWorld) -> ForeignObject:
    version = foreign_version(world)
    return ForeignObject(str(version.pk), (version.title, version.text))


@provider("proposal_id")
def proposal_id(world: ForeignWorld) -> ForeignObject:
    version = foreign_version(world)
    quote = f"培育{world.marker}企业10家"
    proposal, _ = Proposal.objects.get_or_create(
        version=version,
        kind=ProposalKind.TARGET,
        position=0,
        defaults={
            "payload": {
                "year": 2027,
                "metric": f"{world.marker}企业",
                "value": 10,
                "unit": "家",
                "qualifier": "exactly",
                "strive": False,
                "cumulative": False,
                "scope": "province",
                "quote": quote,
            },
            "start": version.text.index(quote),
            "end": version.text.index(quote) + len(quote),
        },
    )
    return ForeignObject(str(proposal.pk), (quote,))
