from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "xiandao.monitoring"
    verbose_name = "统计监测"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xiandao.core.providers import todo_providers
        from xiandao.notifications.services import notification_kinds_register, reminder_provider_register

        from .kinds import MonitoringNotification
        from .selectors import report_reminders, reports_todo

        notification_kinds_register(
            MonitoringNotification,
            app_label=self.label,
            email_by_default={MonitoringNotification.REPORT_RETURNED, MonitoringNotification.REPORT_URGED},
        )
        todo_providers.register(reports_todo)
        reminder_provider_register(report_reminders)
