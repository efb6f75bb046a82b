from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "xiandao.core"
    verbose_name = "平台核心"

    def ready(self) -> None:
        # Each app's tasks.py registers its job functions with the jobs interface.
        autodiscover_modules("tasks")
        # Each app's audit_codes.py declares its audit action codes, with Chinese labels, once.
        from .audit_codes import audit_codes_discover

        audit_codes_discover()
