from django.core.management.base import BaseCommand

from xiandao.web.demo import demo_data_remove


class Command(BaseCommand):
    help = "删除全部演示数据（演示账号、示例机构及示例数据标记）"

    def handle(self, *args: object, **options: object) -> None:
        removed = demo_data_remove()
        self.stdout.write(
            f"已删除演示数据：示例先导区 {removed['pilot_zones']} 个、用户 {removed['users']} 条、"
            f"示例机构 {removed['organisations']} 条（含关联记录）"
        )
