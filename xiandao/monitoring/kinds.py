"""The monitoring app's notification kinds."""

from django.db import models


class MonitoringNotification(models.TextChoices):
    PERIOD_OPENED = "monitoring.period_opened", "统计填报期开启"
    REPORT_WAITING = "monitoring.report_waiting", "统计报表待审核"
    REPORT_RETURNED = "monitoring.report_returned", "统计报表被退回"
    REPORT_APPROVED = "monitoring.report_approved", "统计报表已审定"
    REPORT_DUE = "monitoring.report_due", "统计报表填报提醒"
    REPORT_URGED = "monitoring.report_urged", "催报"
