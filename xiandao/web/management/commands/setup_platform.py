from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from xiandao.programmes.services.files import programme_files


class Command(BaseCommand):
    help = "首次运行的准备：数据库迁移、参考数据，以及（演示模式下）演示数据；可重复运行"

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference", stdout=self.stdout)
        # The shipped programme definitions; edits an admin made since are kept, not overwritten.
        call_command("load_programme", *programme_files(), skip_edited=True, stdout=self.stdout)
        if settings.DEMO_MODE:
            call_command("seed_demo", stdout=self.stdout)
