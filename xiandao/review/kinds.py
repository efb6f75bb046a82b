"""The review app's notification kinds (registered in ``apps.ready()``)."""

from django.db import models


class ReviewNotificationKind(models.TextChoices):
    ASSIGNED = "review.assigned", "论证评审任务分配"  # an expert was assigned applications
    REMINDER = "review.reminder", "论证评审催办"  # an expert's scores are late
    RECUSED = "review.recused", "专家申请回避"  # an expert recused from an application
    SCORES_COMPLETE = "review.scores_complete", "论证评分已全部提交"  # the admin: every sheet is in
