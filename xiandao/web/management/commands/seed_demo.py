from django.core.management.base import BaseCommand

from xiandao.web.demo import demo_data_load


class Command(BaseCommand):
    help = "加载演示数据（演示账号等），已加载时不重复加载"

    def handle(self, *args: object, **options: object) -> None:
        created = demo_data_load()
        self.stdout.write("演示数据已加载" if created else "演示数据已存在，未重复加载")
