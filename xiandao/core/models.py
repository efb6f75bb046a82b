"""The shared kernel: the audit log, background jobs and the demonstration-data marker."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One recorded write: who did what to which object, with the state before and after.

    Rows are only ever inserted, by `xiandao.core.audit.audit_record`, called from services.
    The database itself refuses to update or delete them (triggers on PostgreSQL and SQLite,
    migration ``0002_audit_entries_append_only``), so they are kept as long as the database is:
    at least the 180 days 网络安全法 Art. 21 asks; no code path deletes them.
    """

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        # The row never changes, even when its user is removed: no cascade, no SET NULL (both
        # would update or delete audit rows), and no database constraint to stop the removal.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept beside the foreign key so the record still reads right after a user is removed.
    actor_label = models.CharField("操作人（记录时）", max_length=200, blank=True)
    action = models.CharField("操作代码", max_length=100, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_label = models.CharField("对象", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"  # created, not yet picked up
    RUNNING = "running", "运行中"  # a worker is reporting progress
    SUCCEEDED = "succeeded", "已完成"  # finished, result stored
    FAILED = "failed", "失败"  # stopped with an error message for the user


class Job(models.Model):
    """A piece of background work and its progress, whatever runs it (Celery, a thread, inline)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("任务类型", max_length=100)
    title = models.CharField("任务名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", default=0)
    message = models.CharField("进度说明", max_length=300, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        """Progress as a whole percentage for the progress bar."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, (self.done * 100) // self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class DemoDataset(models.Model):
    """Marks that demonstration data is loaded, so every page shows the 示例数据 ribbon."""

    name = models.CharField("名称", max_length=100, unique=True)
    loaded_at = models.DateTimeField("加载时间", auto_now_add=True)

    class Meta:
        verbose_name = "示例数据集"
        verbose_name_plural = "示例数据集"

    def __str__(self) -> str:
        return self.name
