"""Uploading a policy document and reading proposals from it.

A file is read before anything is saved, within the limits of ``extraction.limits`` (a Word
file's zip members, the text's length): a file that cannot be read (a scan, a .doc, a broken
or hostile file) is refused with a Chinese message and leaves no row and no file behind. The
file itself is kept (``DocumentVersion.file``, outside the web root). The same file uploaded
twice to one programme — one after the other or both at once — is one version: the second
upload answers with the first (a unique constraint decides a race). The extraction runs inline
for ordinary documents (tens of milliseconds) and as a background job with a progress bar for
very long ones (``POLICIES_INLINE_EXTRACTION_CHARS``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from xiandao.core.audit import audit_record
from xiandao.core.jobs import job_start
from xiandao.programmes.models import PolicyDocument, Programme
from xiandao.programmes.permissions import programme_policy

from ..extraction import (
    ExtractionError,
    FieldProposal,
    TargetProposal,
    TaskProposal,
    extract_fields,
    extract_targets,
    extract_tasks,
)
from ..extraction.limits import MIB, ReadLimits, read_bytes_limited
from ..extraction.normalise import normalise
from ..models import (
    DocumentVersion,
    Proposal,
    ProposalKind,
    Publication,
    VersionStatus,
    upload_path_for,
    upload_storage,
)

logger = logging.getLogger(__name__)
EXTRACT_JOB = "policies.extract"
Progress = Callable[[int, int, str], None]


class UploadInvalid(Exception):
    """The upload cannot be taken; ``errors`` maps form fields to messages an admin can act on."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("；".join(m for messages in errors.values() for m in messages))


def _max_bytes() -> int:
    return int(settings.POLICIES_MAX_UPLOAD_MB) * MIB


def read_limits() -> ReadLimits:
    """The limits of ``extraction.limits`` as the settings give them."""
    return ReadLimits(
        max_chars=int(settings.POLICIES_MAX_TEXT_CHARS),
        max_zip_members=int(settings.POLICIES_DOCX_MAX_MEMBERS),
        max_zip_bytes=int(settings.POLICIES_DOCX_MAX_UNCOMPRESSED_MB) * MIB,
        max_zip_ratio=int(settings.POLICIES_DOCX_MAX_RATIO),
    )


def upload_size_error(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused before it is read, or None."""
    if size > _max_bytes():
        return f"文件超过{settings.POLICIES_MAX_UPLOAD_MB}MB，请压缩图片或拆分后再上传。"
    return None


def _version_of_file(programme: Programme, sha256: str) -> DocumentVersion | None:
    """The version this file already is in the programme (a withdrawn one does not count)."""
    version = (
        DocumentVersion.objects.filter(programme=programme, sha256=sha256)
        .exclude(publication=Publication.WITHDRAWN)
        .first()
    )
    if version is not None:
        version.already_uploaded = True
    return version


def document_upload(
    *,
    actor: Any,
    programme: Programme,
    data: bytes,
    filename: str,
    title: str = "",
    document: PolicyDocument | None = None,
    issuer: str = "",
    number: str = "",
) -> DocumentVersion:
    """Store an uploaded document's text for ``programme`` and the proposals read from it.

    Only an admin of the programme may upload. ``document`` makes the upload a new version of a
    document the programme already lists; its title and issuer are then the defaults. A file
    the programme already has answers with that version (``already_uploaded`` set).
    """
    if not programme_policy.user_may(actor, "change", programme):
        raise PermissionDenied("只有本培育计划的管理员可以上传政策文件。")
    errors: dict[str, list[str]] = {}
    if document is not None and document.programme_id != programme.pk:
        errors["document"] = ["所选文件不属于该培育计划，请重新选择。"]
    title = (title or (document.title if document is not None else "")).strip()
    if not title:
        errors["title"] = ["请填写文件标题，如《安徽省未来产业发展行动方案》。"]
    issuer = (issuer or (document.issuer if document is not None else "")).strip()
    text = ""
    if not data:
        errors["file"] = ["上传的文件是空的，请重新选择文件。"]
    elif (too_large := upload_size_error(len(data))) is not None:
        errors["file"] = [too_large]
    else:
        try:
            text = read_bytes_limited(data, filename, read_limits())
        except ExtractionError as error:
            errors["file"] = [str(error)]
        else:
            if not text.strip():
                errors["file"] = ["文件中没有文字内容，请检查后再上传。"]
    if errors:
        raise UploadInvalid(errors)
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _version_of_file(programme, sha256)
    if earlier is not None:
        return earlier
    in_background = len(text) > settings.POLICIES_INLINE_EXTRACTION_CHARS
    storage = upload_storage()
    # Stored under a free name, so removing it again never touches another version's file.
    stored = storage.save(upload_path_for(programme.code, sha256, filename), ContentFile(data))
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    version = DocumentVersion.objects.create(
                        programme=programme,
                        document=document,
                        is_new_version=document is not None,
                        title=title[:300],
                        issuer=issuer[:200],
                        number=number.strip()[:100],
                        file_name=filename[:255],
                        file_size=len(data),
                        sha256=sha256,
                        file=stored,
                        text=text,
                        status=VersionStatus.EXTRACTING,
                        uploaded_by=actor,
                    )
            except IntegrityError:
                # The same file uploaded at the same moment: the other upload's version stands.
                earlier = _version_of_file(programme, sha256)
                if earlier is None:
                    raise
                storage.delete(stored)
                return earlier
            audit_record(
                actor=actor,
                action="policies.document.uploaded",
                target=version,
                after={
                    "programme": programme.code,
                    "document": document.code if document is not None else None,
                    "file_name": version.file_name,
                    "file_size": version.file_size,
                    "sha256": version.sha256,
                    "stored_as": stored,
                    "characters": len(text),
                    "in_background": in_background,
                },
            )
            if in_background:
                # The job must see the committed row, whichever backend runs it.
                transaction.on_commit(lambda: _extraction_job_start(version, actor))
            else:
                # A failure is recorded on the version (识别失败) and shown on its page.
                with contextlib.suppress(Exception):
                    document_extract(version_id=version.pk)
    except BaseException:
        storage.delete(stored)
        raise
    version.refresh_from_db()
    return version


def _extraction_job_start(version: DocumentVersion, actor: Any) -> None:
    job = job_start(kind=EXTRACT_JOB, params={"version_id": version.pk}, user=actor)
    DocumentVersion.objects.filter(pk=version.pk).update(job=job)


def document_extract(*, version_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """Read the proposals of a stored version and save them; a failure is recorded on the version.

    The extractor is pure and runs before any write, so a failure in it leaves the database as it
    was apart from the version's status and message.
    """
    version = DocumentVersion.objects.select_related("uploaded_by").get(pk=version_id)
    report = progress or (lambda done, total, message: None)
    text = version.text
    try:
        report(0, 4, "正在整理文本")
        norm = normalise(text)
        report(1, 4, "正在识别目标")
        targets = extract_targets(text, norm)
        report(2, 4, "正在识别任务及责任单位")
        tasks = extract_tasks(text, norm)
        report(3, 4, "正在识别领域和方向")
        fields = extract_fields(text, norm)
    except Exception as error:
        logger.exception("extraction of document version %s failed", version_id)
        with transaction.atomic():
            DocumentVersion.objects.filter(pk=version_id).update(
                status=VersionStatus.FAILED,
                error=f"识别时出错（{error.__class__.__name__}），请联系平台运维人员。",
            )
            audit_record(
                actor=version.uploaded_by,
                action="policies.document.extraction_failed",
                target=version,
                after={"error": str(error)[:500]},
            )
        raise
    found: list[tuple[str, Sequence[TargetProposal | TaskProposal | FieldProposal]]] = [
        (ProposalKind.TARGET, targets),
        (ProposalKind.TASK, tasks),
        (ProposalKind.FIELD, fields),
    ]
    rows = [
        Proposal(
            version=version,
            kind=kind,
            position=position,
            payload=proposal.to_dict(),
            start=proposal.start,
            end=proposal.end,
        )
        for kind, proposals in found
        for position, proposal in enumerate(proposals)
    ]
    counts = {"targets": len(targets), "tasks": len(tasks), "fields": len(fields)}
    with transaction.atomic():
        locked = DocumentVersion.objects.select_for_update().get(pk=version_id)
        if locked.status != VersionStatus.EXTRACTING:  # extracted already (a job run twice)
            return {"version_id": version_id, **counts}
        Proposal.objects.bulk_create(rows)
        locked.status = VersionStatus.READY
        locked.save(update_fields=["status"])
        audit_record(
            actor=version.uploaded_by, action="policies.document.extracted", target=locked, after=counts
        )
    report(4, 4, f"识别完成：目标{counts['targets']}条，任务{counts['tasks']}条，领域{counts['fields']}个")
    return {"version_id": version_id, **counts}
