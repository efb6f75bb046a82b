from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xiandao.supervision"
    verbose_name = "督查督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from xiandao.core.providers import notice_providers, todo_providers
        from xiandao.notifications.services import notification_kinds_register

        from .kinds import SupervisionNotification
        from .selectors import (
            supervision_notices,
            supervision_todos,
            warnings_request_finished,
            warnings_request_started,
        )

        notification_kinds_register(
            SupervisionNotification,
            app_label=self.label,
            email_by_default={SupervisionNotification.NOTICE_ISSUED, SupervisionNotification.WARNING_DIGEST},
        )
        todo_providers.register(supervision_todos)
        notice_providers.register(supervision_notices)
        # The workbench's warnings, computed once a request (selectors.early_warnings._request_warnings).
        request_started.connect(warnings_request_started, dispatch_uid="supervision_warnings_started")
        request_finished.connect(warnings_request_finished, dispatch_uid="supervision_warnings_finished")
