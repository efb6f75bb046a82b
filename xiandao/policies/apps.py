from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "xiandao.policies"
    verbose_name = "政策文件"
