"""The programme's change history (变更记录): every admin edit, with who, when, why, before and after.

Each row also keeps the whole programme as it stood after the change (``state_after``, the
definition data the export writes), and the first row of a programme the state before it, so
the programme as it stood on any date can be shown and exported without replaying edits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .programme import Programme


class ChangeKind(models.TextChoices):
    PARAMETER_CHANGED = "parameter_changed", "调整参数"  # a rule parameter's value changed
    PARAMETER_CONFIRMED = "parameter_confirmed", "确认采用默认值"  # a default kept as it stands
    DIMENSION_WEIGHTS_CHANGED = "dimension_weights_changed", "调整维度权重"  # all dimension weights at once
    INDICATOR_ADDED = "indicator_added", "新增指标"
    INDICATOR_CHANGED = "indicator_changed", "修改指标"  # definition, formula, weight…
    INDICATOR_RETIRED = "indicator_retired", "停用指标"  # removed from the framework from a year on
    TARGET_ADDED = "target_added", "新增目标"
    TARGET_CHANGED = "target_changed", "修改目标"
    TASK_ADDED = "task_added", "新增任务"
    TASK_CHANGED = "task_changed", "修改任务"  # units resolved again as the loader does
    RECORD_RETIRED = "record_retired", "停用目标或任务"  # kept, no longer counted from a year on
    TAXONOMY_VERSION_ADDED = "taxonomy_version_added", "新增领域分类版本"  # 动态调整
    REVERTED = "reverted", "撤销变更"  # undoing an earlier change, itself a change


class ProgrammeNotificationKind(models.TextChoices):
    """What the programme's people are told of (registered with the notifications catalogue)."""

    PARAMETER_CHANGED = "programmes.parameter_changed", "计划设置变更"  # another admin changed the settings


class ProgrammeChange(models.Model):
    """One change an admin made to a programme through the platform."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="changes", verbose_name="培育计划"
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人（当时）", max_length=300, blank=True)
    kind = models.CharField("变更类型", max_length=40, choices=ChangeKind.choices)
    subject = models.CharField("变更对象", max_length=200, help_text="参数键或指标编码")
    subject_label = models.CharField("对象名称", max_length=300)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    reason = models.TextField("理由")
    reverts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reverted_by",
        verbose_name="撤销的变更",
    )
    effective_year = models.PositiveSmallIntegerField("起始适用年度", null=True, blank=True)
    state_before = models.JSONField("变更前的计划（仅首条）", null=True, blank=True)
    state_after = models.JSONField("变更后的计划")

    class Meta:
        verbose_name = "计划变更记录"
        verbose_name_plural = "计划变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["programme", "subject"], name="programmes_change_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject_label}"
