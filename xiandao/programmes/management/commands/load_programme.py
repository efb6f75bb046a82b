"""python manage.py load_programme FILE…: validate and load programme definition files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiandao.programmes.definition import DefinitionError, read_located_definition
from xiandao.programmes.services import ProgrammeEdited, ProgrammeLoadRefused, programme_load


class Command(BaseCommand):
    help = "校验并加载培育计划定义文件（YAML）；重复加载不作改动，不覆盖管理员在平台中的修改"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="定义文件，如 programmes/anhui.yaml")
        parser.add_argument(
            "--force", action="store_true", help="即使管理员已在平台中修改，也以文件覆盖（须同时写 --reason）"
        )
        parser.add_argument("--reason", default="", help="以文件覆盖管理员修改的理由，记入操作记录")
        parser.add_argument(
            "--skip-edited",
            action="store_true",
            help="管理员已修改的计划只提示、不视为失败（供 setup_platform 使用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["force"] and not options["reason"].strip():
            self.stderr.write("使用 --force 覆盖管理员修改时，须用 --reason 说明理由。")
            raise SystemExit(2)
        failed = False
        for name in options["files"]:
            try:
                self._load(Path(name), options)
            except DefinitionError as exc:
                failed = True
                self._problems(name, [str(p) for p in exc.problems])
            except ProgrammeLoadRefused as exc:
                failed = True
                self._problems(name, [str(p) for p in exc.problems])
            except ProgrammeEdited as exc:
                message = (
                    f"培育计划“{exc.programme.name}”（{exc.programme.code}）在上次加载后已在平台中修改，"
                    f"以数据库为准，未用 {name} 覆盖。"
                )
                if options["skip_edited"]:
                    self.stdout.write(self.style.WARNING(message))
                    continue
                failed = True
                self.stderr.write(message)
                self.stderr.write("差异如下（- 数据库中的现状，+ 文件）：")
                self.stderr.write(exc.diff.rstrip("\n"))
                self.stderr.write(
                    "如需保留平台中的修改，请用 python manage.py export_programme "
                    f"{exc.programme.code} 导出后更新文件；如确需以文件覆盖，请加 --force --reason 理由。"
                )
            except Exception as exc:
                if options.get("traceback"):
                    raise
                failed = True
                self.stderr.write(
                    f"{name}：加载失败，未作任何改动（{type(exc).__name__}：{exc}）。加 --traceback 可查看详情。"
                )
        if failed:
            raise SystemExit(1)

    def _load(self, path: Path, options: dict[str, Any]) -> None:
        located = read_located_definition(path)
        result = programme_load(actor=None, located=located, force=options["force"], reason=options["reason"])
        programme, counts = result.programme, result.counts
        summary = (
            f"政策文件{counts['documents']}份、领域分类{counts['taxonomy_versions']}版（领域{counts['fields']}个）、"
            f"目标{counts['targets']}条、任务{counts['tasks']}项"
        )
        if result.outcome == "unchanged":
            self.stdout.write(f"培育计划“{programme.name}”（{programme.code}）与 {path} 一致，未作改动。")
            return
        verb = "已加载" if result.outcome == "created" else "已按文件更新"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}培育计划“{programme.name}”（{programme.code}）：{summary}。")
        )
        if result.organisations_created:
            self.stdout.write(
                f"  按集合称谓新建机构{len(result.organisations_created)}家：{'、'.join(result.organisations_created)}"
            )

    def _problems(self, name: str, lines: list[str]) -> None:
        self.stderr.write(f"{name} 有{len(lines)}处问题，未加载，数据库未作任何改动：")
        for line in lines:
            self.stderr.write(f"  {line}")
