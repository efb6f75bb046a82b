from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "首次运行的准备：参考数据，以及（演示模式下）演示数据；可重复运行"

    def handle(self, *args: object, **options: object) -> None:
        call_command("load_reference", stdout=self.stdout)
        if settings.DEMO_MODE:
            call_command("seed_demo", stdout=self.stdout)
