"""python manage.py export_programme CODE: write a programme, as the database holds it, back to YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from xiandao.programmes.definition import DefinitionError, dump_definition
from xiandao.programmes.selectors import programme_codes
from xiandao.programmes.state import programme_definition_export


class Command(BaseCommand):
    help = "把数据库中的培育计划导出为定义文件（YAML），可再次加载"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE", help="计划编码，如 anhui")
        parser.add_argument("-o", "--output", help="写入该文件；不写则输出到屏幕")

    def handle(self, *args: Any, **options: Any) -> None:
        from xiandao.programmes.models import Programme

        code = options["code"]
        programme = (
            Programme.objects.select_related("jurisdiction", "admin_organisation").filter(code=code).first()
        )
        if programme is None:
            known = "、".join(programme_codes()) or "（尚未加载任何计划）"
            self.stderr.write(f"没有编码为“{code}”的培育计划。已加载的计划：{known}")
            raise SystemExit(1)
        try:
            definition = programme_definition_export(programme)
        except DefinitionError as exc:
            self.stderr.write(f"培育计划“{code}”在平台中的修改使其不再是有效的定义，未导出。请先在后台更正：")
            for problem in exc.problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1) from None
        header = (
            f"培育计划“{programme.name}”的定义文件，由 export_programme 于 "
            f"{timezone.localtime():%Y-%m-%d %H:%M} 从数据库导出。\n"
            "格式见 xiandao/programmes/definition/schema.py；政策文件全文不入库。"
        )
        text = dump_definition(definition, header=header)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"已导出到 {options['output']}")
        else:
            self.stdout.write(text, ending="")
