"""The supervision app's notification kinds."""

from django.db import models


class SupervisionNotification(models.TextChoices):
    NOTICE_ISSUED = "supervision.notice_issued", "督办通知"
    NOTICE_ANSWERED = "supervision.notice_answered", "督办反馈"
    PROGRESS_REPORTED = "supervision.progress_reported", "任务进展报送"
    WARNING_DIGEST = "supervision.warning_digest", "提示预警周报"
