from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xiandao.accounts"
    verbose_name = "用户与机构"
