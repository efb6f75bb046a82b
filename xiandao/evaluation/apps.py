from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "xiandao.evaluation"
    verbose_name = "年度评估"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xiandao.core.providers import notice_providers, todo_providers
        from xiandao.notifications.services import notification_kinds_register

        from . import tasks  # noqa: F401  (registers the run job)
        from .kinds import EvaluationNotificationKind
        from .selectors import evaluation_todos, removal_risk_notices

        notification_kinds_register(
            EvaluationNotificationKind,
            app_label=self.label,
            email_by_default={
                EvaluationNotificationKind.RUN_ENTRUSTED,
                EvaluationNotificationKind.REMOVAL_DECIDED,
            },
        )
        todo_providers.register(evaluation_todos)
        notice_providers.register(removal_risk_notices)
