from django.core.management.base import BaseCommand

from xiandao.accounts.services import organisation_reference_load
from xiandao.geo.services import geo_reference_load


class Command(BaseCommand):
    help = "加载参考数据：行政区划、开发区（园区）、政策文件中出现的机构及其别名（可重复运行）"

    def handle(self, *args: object, **options: object) -> None:
        geo = geo_reference_load()
        organisations = organisation_reference_load()
        self.stdout.write(
            f"参考数据：新增行政区划 {geo['jurisdictions']} 个、园区 {geo['parks']} 个、"
            f"机构 {organisations['organisations']} 家、别名 {organisations['aliases']} 个"
        )
