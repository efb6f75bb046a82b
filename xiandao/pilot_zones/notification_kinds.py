"""The notifications the applications send (registered in ``apps.ready``)."""

from django.db import models


class PilotZonesNotificationKind(models.TextChoices):
    APPLICATION_SUBMITTED = "pilot_zones.application_submitted", "申请报告待设区市审核"
    APPLICATION_RECOMMENDED = "pilot_zones.application_recommended", "设区市推荐了先导区申请报告"
    APPLICATION_RETURNED = "pilot_zones.application_returned", "申请报告被退回修改"
    APPLICATION_ACCEPTED = "pilot_zones.application_accepted", "申请报告已受理论证"
