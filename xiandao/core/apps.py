from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "xiandao.core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        # Each app's tasks.py registers its job functions with the jobs interface.
        autodiscover_modules("tasks")
