from django.apps import AppConfig


class PilotZonesConfig(AppConfig):
    name = "xiandao.pilot_zones"
    verbose_name = "未来产业先导区"

    def ready(self) -> None:
        from xiandao.programmes.selectors import programme_zone_listers

        from .selectors import zone_list_for_programme

        # The programme overview lists its zones without programmes importing this app.
        programme_zone_listers.register(zone_list_for_programme)

        from xiandao.core.providers import todo_providers
        from xiandao.notifications.services import notification_kinds_register

        from .application_selectors import applications_todo
        from .notification_kinds import PilotZonesNotificationKind

        notification_kinds_register(
            PilotZonesNotificationKind,
            app_label=self.label,
            email_by_default={
                PilotZonesNotificationKind.APPLICATION_RETURNED,
                PilotZonesNotificationKind.APPLICATION_RECOMMENDED,
            },
        )
        # The workbench shows what waits for each user without web importing this app's models.
        todo_providers.register(applications_todo)
