from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xiandao.api"
    verbose_name = "接口"
