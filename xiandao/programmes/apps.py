from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "xiandao.programmes"
    verbose_name = "培育计划"
