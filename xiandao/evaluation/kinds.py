"""The evaluation app's notification kinds (registered in ``apps.ready()``)."""

from django.db import models


class EvaluationNotificationKind(models.TextChoices):
    RUN_COMPUTED = "evaluation.run_computed", "年度评估计算完成"  # the one who started the run
    RUN_ENTRUSTED = "evaluation.run_entrusted", "受托年度评估"  # a third-party evaluator's grant
    GRADE_ADJUSTED = "evaluation.grade_adjusted", "评估等次调整"  # the admins: a grade changed with a reason
    RESULTS_PUBLISHED = "evaluation.results_published", "年度评估结果发布"  # the cities and zones concerned
    ZONE_GRADED = "evaluation.zone_graded", "先导区年度评估等次"  # a zone's own grade and its consequences
    REMOVAL_DECIDED = (
        "evaluation.removal_decided",
        "移出创建名单决定",
    )  # the city: removal confirmed or declined
