from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xiandao.web"
    verbose_name = "门户"
