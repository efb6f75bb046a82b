from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xiandao.supervision"
    verbose_name = "督查督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xiandao.core.providers import notice_providers, todo_providers
        from xiandao.notifications.services import notification_kinds_register

        from .kinds import SupervisionNotification
        from .selectors import supervision_notices, supervision_todos

        notification_kinds_register(
            SupervisionNotification,
            app_label=self.label,
            email_by_default={SupervisionNotification.NOTICE_ISSUED, SupervisionNotification.WARNING_DIGEST},
        )
        todo_providers.register(supervision_todos)
        notice_providers.register(supervision_notices)
