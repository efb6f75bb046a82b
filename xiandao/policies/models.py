"""An uploaded version of a policy document, and what the extractor proposed from it.

The text stored is the text the readers returned, so every proposal's ``start``/``end`` are
offsets into :attr:`DocumentVersion.text` and ``text[start:end]`` is its quote. Texts are kept in
the database, never in the repository (they are the government's).
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import F, Q

from xiandao.core.messages import move_refused
from xiandao.core.models import Job
from xiandao.programmes.models import PolicyDocument, Programme, Target, Task


class VersionStatus(models.TextChoices):
    EXTRACTING = "extracting", "正在识别"  # a background job is reading the text for proposals
    READY = "ready", "待确认"  # proposals are there for the admin to decide
    FAILED = "failed", "识别失败"  # the job failed; ``error`` says why


class Publication(models.TextChoices):
    DRAFT = "draft", "草稿"  # uploaded; it and what was accepted from it are seen by its admins only
    PUBLISHED = "published", "已发布"  # public: the document, its text and what was accepted from it
    WITHDRAWN = "withdrawn", "已撤回"  # taken back before publication; what it added is retired


#: The moves of a version's publication. A published version is changed by a newer version.
PUBLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Publication.DRAFT: frozenset({Publication.PUBLISHED, Publication.WITHDRAWN}),
    Publication.PUBLISHED: frozenset(),
    Publication.WITHDRAWN: frozenset(),
}


def publication_move_allowed(current: str, wanted: str) -> bool:
    """May a version whose publication is ``current`` be moved to ``wanted``?"""
    return wanted in PUBLICATION_TRANSITIONS.get(current, frozenset())


class UploadStorage(FileSystemStorage):
    """Uploaded files, under ``POLICIES_UPLOAD_ROOT``: outside the web root, with no URL of their own.

    They are served only by ``policies:document_file``, which checks who may see the document.
    The folder is read from the settings each time, so a test may point it elsewhere.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.POLICIES_UPLOAD_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("上传的政策文件没有公开地址，请通过文件下载页面获取。")


_storage = UploadStorage()


def upload_storage() -> Storage:
    return _storage


def upload_path_for(programme_code: str, sha256: str, filename: str) -> str:
    """programme/ab/abcdef….pdf: by content, never by the name the uploader chose."""
    suffix = "".join(c for c in PurePath(filename).suffix.lower()[:10] if c.isalnum() or c == ".")
    return f"{programme_code}/{sha256[:2]}/{sha256}{suffix}"


def upload_path(version: DocumentVersion, filename: str) -> str:
    return upload_path_for(version.programme.code, version.sha256, filename)


class DocumentVersion(models.Model):
    """One upload of a policy document: its text as read and the file itself, for one programme."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="document_versions", verbose_name="培育计划"
    )
    document = models.ForeignKey(
        PolicyDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name="所属政策文件",
        help_text="上传时选定即为该文件的新版本；新文件在首次确认建议时登记到培育计划。",
    )
    is_new_version = models.BooleanField(
        "已有文件的新版本", default=False, help_text="上传时选定了所属政策文件；否则为新文件"
    )
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文单位", max_length=200, blank=True)
    number = models.CharField("文号", max_length=100, blank=True)
    file_name = models.CharField("文件名", max_length=255)
    file_size = models.PositiveIntegerField("文件大小（字节）", default=0)
    sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    file = models.FileField(
        "原文件", storage=upload_storage, upload_to=upload_path, max_length=300, blank=True
    )
    text = models.TextField("识别出的全文")
    status = models.CharField("状态", max_length=20, choices=VersionStatus.choices)
    error = models.TextField("识别失败原因", blank=True)
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="识别任务"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="policy_uploads",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    publication = models.CharField(
        "发布状态", max_length=20, choices=Publication.choices, default=Publication.DRAFT
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤回人",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)

    #: Set by ``document_upload`` when the same file was uploaded to the programme before: the
    #: version returned is that earlier one, and nothing new was stored.
    already_uploaded: bool = False

    class Meta:
        verbose_name = "政策文件上传版本"
        verbose_name_plural = "政策文件上传版本"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            # The same file twice in one programme is one version (two uploads at once included);
            # once withdrawn it may be uploaded again.
            models.UniqueConstraint(
                fields=["programme", "sha256"],
                condition=~Q(sha256="") & ~Q(publication="withdrawn"),
                name="policies_version_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"《{self.title}》（{self.file_name}）"


class ProposalKind(models.TextChoices):
    TARGET = "target", "目标"  # a quantitative goal (LABELLING.md, Targets)
    TASK = "task", "任务"  # a task with its responsible units
    FIELD = "field", "领域"  # a field of the taxonomy with its directions


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"  # as the extractor proposed it, not decided yet
    ACCEPTED = "accepted", "已接受"  # accepted as proposed
    EDITED = "edited", "修改后接受"  # accepted after the admin corrected it
    REJECTED = "rejected", "已驳回"  # not a target or task of the programme; ``reason`` says why


#: What the admin does to bring a proposal into each status, as a verb: the status labels are
#: states (已接受) and read wrong where a sentence needs the action (不能再已接受).
PROPOSAL_ACTION_LABELS: dict[str, str] = {
    ProposalStatus.PROPOSED: "退回待确认",
    ProposalStatus.ACCEPTED: "接受",
    ProposalStatus.EDITED: "修改后接受",
    ProposalStatus.REJECTED: "驳回",
}


class ComparedAs(models.TextChoices):
    NEW = "new", "新增"  # written as a new target or task
    CHANGED = "changed", "有变化"  # updated a target or task of the document
    UNCHANGED = "unchanged", "无变化"  # confirmed a target or task as it stood


#: The moves a decision may make. A rejection can be reconsidered; an acceptance has written the
#: programme's data, which is then changed in the programme itself, not by deciding again.
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.PROPOSED: frozenset(
        {ProposalStatus.ACCEPTED, ProposalStatus.EDITED, ProposalStatus.REJECTED}
    ),
    ProposalStatus.REJECTED: frozenset({ProposalStatus.ACCEPTED, ProposalStatus.EDITED}),
    ProposalStatus.ACCEPTED: frozenset(),
    ProposalStatus.EDITED: frozenset(),
}


def proposal_move_allowed(current: str, wanted: str) -> bool:
    """May a proposal in status ``current`` be moved to ``wanted``?"""
    return wanted in PROPOSAL_TRANSITIONS.get(current, frozenset())


def proposal_move_refused(current: str, wanted: str) -> str:
    """Why a proposal in status ``current`` cannot be moved to ``wanted``, in a sentence."""
    return move_refused(
        what="该条建议",
        status_label=str(ProposalStatus(current).label),
        action_label=PROPOSAL_ACTION_LABELS[wanted],
        hint="如需修改，请在培育计划中编辑对应的目标或任务。",
    )


class Proposal(models.Model):
    """A target, task or field the extractor proposed, with the admin's decision on it."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="proposals", verbose_name="上传版本"
    )
    kind = models.CharField("类别", max_length=20, choices=ProposalKind.choices)
    position = models.PositiveIntegerField("顺序", default=0)
    payload = models.JSONField("识别结果", help_text="抽取器给出的内容（LABELLING.md 的键），不再改动")
    final_payload = models.JSONField(
        "确认内容", null=True, blank=True, help_text="接受时写入培育计划的内容；修改后接受时为修改后的内容"
    )
    start = models.PositiveIntegerField("原文起点")
    end = models.PositiveIntegerField("原文终点")
    status = models.CharField(
        "状态", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_decisions",
        verbose_name="确认人",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    change_when_decided = models.CharField(
        "确认时的比对结果",
        max_length=20,
        choices=ComparedAs.choices,
        blank=True,
        help_text="接受时与培育计划现有内容相比是新增、有变化还是无变化",
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="对应目标",
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="对应任务",
    )

    class Meta:
        verbose_name = "识别建议"
        verbose_name_plural = "识别建议"
        ordering = ["version", "start", "kind", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="policies_proposal_span_ordered"),
            models.UniqueConstraint(
                fields=["version", "kind", "position"], name="policies_proposal_position_unique"
            ),
        ]
        indexes = [models.Index(fields=["version", "status"], name="policies_proposal_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.label}"

    @property
    def label(self) -> str:
        """A one-line description: 2027年 省级未来产业先导区 10个; a task's name; a field's name."""
        data: dict[str, Any] = self.final_payload or self.payload
        if self.kind == ProposalKind.TARGET:
            year = f"{data.get('year')}年" if data.get("year") else "未注明年份"
            return f"{year} {data.get('metric', '')} {data.get('value', '')}{data.get('unit') or ''}"
        if self.kind == ProposalKind.TASK:
            return str(data.get("task", ""))
        return str(data.get("name", ""))

    @property
    def is_decided(self) -> bool:
        return self.status != ProposalStatus.PROPOSED

    @property
    def is_accepted(self) -> bool:
        return self.status in (ProposalStatus.ACCEPTED, ProposalStatus.EDITED)

    @property
    def anchor(self) -> str:
        return f"proposal-{self.pk}"
