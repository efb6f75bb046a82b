from django.apps import AppConfig


class PilotZonesConfig(AppConfig):
    name = "xiandao.pilot_zones"
    verbose_name = "未来产业先导区"

    def ready(self) -> None:
        from xiandao.programmes.selectors import programme_zone_listers

        from .selectors import zone_list_for_programme

        # The programme overview lists its zones without programmes importing this app.
        programme_zone_listers.register(zone_list_for_programme)
