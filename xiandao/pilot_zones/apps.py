from django.apps import AppConfig


class PilotZonesConfig(AppConfig):
    name = "xiandao.pilot_zones"
    verbose_name = "未来产业先导区"
