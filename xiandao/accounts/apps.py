from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xiandao.accounts"
    verbose_name = "用户与机构"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
