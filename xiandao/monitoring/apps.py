from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "xiandao.monitoring"
    verbose_name = "统计监测"
    default_auto_field = "django.db.models.BigAutoField"
