from django.apps import AppConfig


class PilotZonesConfig(AppConfig):
    name = "xiandao.pilot_zones"
    verbose_name = "未来产业先导区"
    #: The modules whose ``router`` the API mounts (``xiandao.api.main``): the lists have their own.
    api_modules = ("api", "lists.api")

    def ready(self) -> None:
        from xiandao.core.providers import todo_providers
        from xiandao.notifications.services import notification_kinds_register
        from xiandao.programmes.selectors import programme_zone_listers

        from .application_selectors import applications_todo
        from .lists.models import ListNotificationKind
        from .lists.selectors import consultation_todo, zone_list_for_programme_linked
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
        # The programme overview lists its zones (each linked to its public profile once listed)
        # without programmes importing this app.
        programme_zone_listers.register(zone_list_for_programme_linked)
        notification_kinds_register(
            ListNotificationKind,
            app_label=self.label,
            email_by_default={ListNotificationKind.CONSULTATION_OPENED, ListNotificationKind.LIST_PUBLISHED},
        )
        # A department consulted on a draft list sees it waiting, with its deadline.
        todo_providers.register(consultation_todo)
