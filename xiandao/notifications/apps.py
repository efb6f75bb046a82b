from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xiandao.notifications"
    verbose_name = "消息与通知公告"

    def ready(self) -> None:
        from xiandao.core.providers import notice_providers

        from .kinds import NotificationKind, notification_kinds_register
        from .selectors import notices_for_workbench

        notification_kinds_register(
            NotificationKind, app_label=self.label, email_by_default={NotificationKind.NOTICE_PUBLISHED}
        )
        # The workbench's 通知公告 card reads this app through a provider, never its models.
        notice_providers.register(notices_for_workbench)
        # A programme admin's change tells the programme's other admins (on commit).
        from xiandao.programmes.models import ProgrammeNotificationKind
        from xiandao.programmes.services.history import programme_change_listeners

        from .programme_changes import programme_change_notify

        notification_kinds_register(
            ProgrammeNotificationKind,
            app_label="programmes",
            email_by_default={ProgrammeNotificationKind.PARAMETER_CHANGED},
        )
        programme_change_listeners.register(programme_change_notify)
