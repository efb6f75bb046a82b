"""Excel import of registry entries: the whole file is checked, every problem listed, nothing saved
unless every row is valid.

The file is checked as an archive before any reading (size, members, macros, expansion ratio),
then read with python-calamine; formulas are found in the sheet XML, since a value read from a
formula's cache is not a value someone typed.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from python_calamine import CalamineError, CalamineWorkbook

from xiandao.core.audit import audit_record

from ..codes import normalise
from ..models import Enterprise, EnterpriseTag
from ..registry import Registry
from .building import TAG_FIELDS, TAG_LABELS, BuildContext, entry_build, tag_build
from .entries import entity

Progress = Callable[..., None]
MAX_BYTES = 50 * 1024 * 1024
INLINE_BYTES = 1024 * 1024  # larger files (about 10,000 rows and more) are imported as a background job
IMPORT_JOB = "registries.import"
MAX_EXPANDED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # an XML sheet compresses 10–30×; a bomb by thousands
MAX_MEMBERS = 2_000
MAX_ROWS = 100_000
FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?(?<!/)>\s*<f[ >/]')


ANALYZE_AFTER = 5_000  # rows: refresh the planner's statistics, or counts plan as if the table were empty


def _analyze(registry: Registry) -> None:
    """After a large import, let the planner see the new rows: a stale plan took 84 s instead of 0.3 s on
    PostgreSQL; SQLite without statistics picks the wrong index for the tag counts (about 40 times slower)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = [registry.model._meta.db_table]
    if registry.model is Enterprise:
        tables.append(EnterpriseTag._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


class WorkbookRefused(ValueError):
    """The file itself is refused (not a workbook, macros, too large…)."""


@dataclass
class ImportResult:
    registry: Registry
    sheet: str
    problems: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)
    tags: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def columns(registry: Registry) -> list[tuple[str, str]]:
    """(field name, Chinese header) of a registry's template, in order."""
    cols = [(name, registry.field_label(name)) for name in registry.entry_fields]
    if registry.model is Enterprise:
        cols += [(name, TAG_LABELS[name]) for name in TAG_FIELDS]
    return cols


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def workbook_check(data: bytes, filename: str = "") -> None:
    """Refuse what is not a plain .xlsx workbook before reading a cell of it."""
    if len(data) > MAX_BYTES:
        raise WorkbookRefused("文件超过 50 MB，请拆分后分批导入")
    lower = filename.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise WorkbookRefused("不接受含宏的工作簿（.xlsm、.xlsb），请另存为 .xlsx 后导入")
    if lower.endswith(".xls"):
        raise WorkbookRefused("不接受旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后导入")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused("文件不是 Excel 工作簿（.xlsx），请使用导入模板填写")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookRefused("文件已损坏，无法作为 Excel 工作簿打开") from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused("文件不是 Excel 工作簿（.xlsx），请使用导入模板填写")
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused("工作簿结构异常（内部文件过多），已拒绝")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise WorkbookRefused("工作簿含有宏，已拒绝；请另存为不含宏的 .xlsx 后导入")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise WorkbookRefused("工作簿解压后异常膨胀（疑似压缩炸弹），已拒绝")
    if total > MAX_EXPANDED_BYTES:
        raise WorkbookRefused("工作簿解压后过大，请拆分后分批导入")
    try:
        content_types = archive.read("[Content_Types].xml")
    except KeyError as exc:
        raise WorkbookRefused("文件不是 Excel 工作簿（.xlsx）") from exc
    if b"macroEnabled" in content_types:
        raise WorkbookRefused("工作簿含有宏，已拒绝；请另存为不含宏的 .xlsx 后导入")


def _sheet_member(archive: zipfile.ZipFile, index: int) -> str | None:
    """The XML member of the workbook's sheet at ``index`` (by the workbook's relationships)."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    sheets = re.findall(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if index >= len(sheets):
        return None
    rid = sheets[index]
    match = re.search(
        rb'<Relationship\b[^>]*Id="' + re.escape(rid) + rb'"[^>]*Target="([^"]+)"', rels
    ) or re.search(rb'<Relationship\b[^>]*Target="([^"]+)"[^>]*Id="' + re.escape(rid) + rb'"', rels)
    if match is None:
        return None
    target = match.group(1).decode()
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def formula_cells(data: bytes, sheet_index: int = 0) -> list[tuple[str, int]]:
    """(column letter, row number) of every cell holding a formula in a sheet."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = _sheet_member(archive, sheet_index)
    if member is None or member not in archive.namelist():
        return []
    xml = archive.read(member)
    if b"<f" not in xml:
        return []
    return [(m.group(1).decode(), int(m.group(2))) for m in FORMULA_CELL.finditer(xml)]


def read_rows(data: bytes) -> tuple[str, list[list[Any]]]:
    """The first sheet's name and rows, read with calamine."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return sheet.name, sheet.to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise WorkbookRefused("无法读取工作簿，请确认文件为 Excel .xlsx 格式") from exc
    except Exception as exc:  # calamine raises its own errors for broken parts
        raise WorkbookRefused("无法读取工作簿，请确认文件为 Excel .xlsx 格式") from exc


def _offer(actor: Any, name: str) -> str:
    """Known enterprises like a name written without its code: offered in the message, never merged."""
    from ..selectors import enterprise_matches

    return "、".join(
        f"{full}（相似度 {score}）" for _, full, score in enterprise_matches(actor, name, limit=3)
    )


def entries_import(
    *,
    actor: Any,
    registry: Registry,
    data: bytes,
    filename: str = "",
    check_permission: bool = True,
    is_demo: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a filled template: all problems listed by sheet, row and column; saved only if none."""
    report = progress or (lambda done, total=None, message="": None)
    workbook_check(data, filename)
    report(0, None, "读取工作簿")
    sheet, rows = read_rows(data)
    result = ImportResult(registry, sheet)
    where = f"工作表“{sheet}”"
    if not rows:
        result.problems.append(f"{where}：没有内容")
        return result
    wanted = columns(registry)
    by_label = {label: name for name, label in wanted}
    header = [str(h).strip() for h in rows[0]]
    positions: dict[str, int] = {}
    for index, label in enumerate(header):
        if not label:
            continue
        if label in by_label:
            positions[by_label[label]] = index
        else:
            result.problems.append(f"{where}第1行第{column_letter(index)}列：表头“{label}”不是模板中的列")
    for name, label in wanted:
        if name not in positions and name in ("name", "city", "valid_from") + (
            ("credit_code",) if registry.model is Enterprise else ()
        ):
            result.problems.append(f"{where}第1行：缺少“{label}”列")
    if result.problems:
        return result
    data_rows = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(v not in (None, "") for v in r)]
    if len(data_rows) > MAX_ROWS:
        result.problems.append(f"{where}：超过 {MAX_ROWS} 行，请拆分后分批导入")
        return result
    result.rows = len(data_rows)
    letters = {name: column_letter(index) for name, index in positions.items()}
    for letter, row_number in formula_cells(data):
        name = next((n for n, col in letters.items() if col == letter), "")
        label = dict(wanted).get(name, "")
        result.problems.append(
            f"{where}第{row_number}行第{letter}列{f'（{label}）' if label else ''}：应填写数值，不能是公式"
        )

    context = BuildContext.for_actor(actor, check_permission=check_permission)
    existing_codes: dict[str, Enterprise] = {}
    if registry.model is Enterprise and "credit_code" in positions:
        codes = {
            normalise(str(r[positions["credit_code"]]))
            for _, r in data_rows
            if positions["credit_code"] < len(r) and r[positions["credit_code"]]
        }
        existing_codes = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    new_entries: list[Any] = []
    new_by_code: dict[str, Any] = {}
    tags: list[EnterpriseTag] = []
    for checked, (row_number, row) in enumerate(data_rows):
        if checked % 2000 == 0:
            report(checked, len(data_rows), f"检查第 {row_number} 行")
        raw = {name: (row[index] if index < len(row) else None) for name, index in positions.items()}
        code = normalise(str(raw.get("credit_code") or "")) if registry.model is Enterprise else ""
        owner = existing_codes.get(code) or new_by_code.get(code)
        if owner is not None:
            errors: dict[str, list[str]] = {}
            if raw.get("tag") not in (None, ""):
                tag, errors = tag_build(owner, raw)
                if not errors:
                    tags.append(tag)
        else:
            built = entry_build(registry, raw, context)
            errors = built.errors
            if registry.model is Enterprise and not code and raw.get("name") and actor is not None:
                offered = _offer(actor, str(raw["name"]))
                if offered:
                    errors.setdefault("credit_code", []).append(
                        f"名称相近的已登记企业：{offered}（请核对后填写其统一社会信用代码）"
                    )
            if not errors:
                built.instance.created_by = actor if getattr(actor, "is_authenticated", False) else None
                built.instance.is_demo = is_demo
                new_entries.append(built.instance)
                if code:
                    new_by_code[code] = built.instance
                if built.tag is not None:
                    tags.append(built.tag)
        for name, messages in errors.items():
            letter = letters.get(name, "")
            label = dict(wanted).get(name, name)
            for message in messages:
                column = f"第{letter}列（{label}）" if letter else f"（{label}）"
                result.problems.append(f"{where}第{row_number}行{column}：{message}")
    if result.problems:
        return result
    report(len(data_rows), len(data_rows), "保存")
    with transaction.atomic():
        registry.model._default_manager.bulk_create(new_entries, batch_size=2000)
        if tags:
            for tag in tags:
                tag.enterprise_id = tag.enterprise.pk  # the enterprise has its key now
            EnterpriseTag.objects.bulk_create(tags, batch_size=2000)
        result.created = [e.pk for e in new_entries]
        result.existing = sorted({e.pk for e in existing_codes.values()})
        result.tags = len(tags)
        if len(new_entries) >= ANALYZE_AFTER:
            transaction.on_commit(lambda: _analyze(registry))
        audit_record(
            actor=actor,
            action=f"registries.{entity(registry)}.imported",
            after={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": result.rows,
                "created": result.created,
                "existing": result.existing,
                "tags": result.tags,
            },
        )
    return result


def import_job_start(*, actor: Any, registry: Registry, data: bytes, filename: str) -> Any:
    """Check the file now, keep it, and import it as a background job (the page shows its progress)."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from xiandao.core.jobs import job_start

    workbook_check(data, filename)
    path = default_storage.save(f"registries/imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    return job_start(
        kind=IMPORT_JOB,
        params={"path": path, "registry": registry.slug, "filename": filename, "user_id": actor.pk},
        user=actor,
    )


def import_job_run(
    *, path: str, registry: str, filename: str, user_id: int, progress: Progress
) -> dict[str, Any]:
    """The job: import the kept file as its uploader, then forget the file; the result lists the problems."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage

    from ..registry import registry_get

    actor = get_user_model().objects.get(pk=user_id)
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    try:
        result = entries_import(
            actor=actor, registry=registry_get(registry), data=data, filename=filename, progress=progress
        )
    except WorkbookRefused as exc:
        return {"registry": registry, "problems": [str(exc)], "created": 0, "existing": 0, "tags": 0}
    finally:
        default_storage.delete(path)
    summary = (
        f"已导入 {len(result.created)} 条新条目"
        if result.ok
        else f"文件中有 {len(result.problems)} 处问题，未保存任何条目"
    )
    progress(result.rows, result.rows, summary)
    return {
        "registry": registry,
        "problems": result.problems[:1000],
        "problem_count": len(result.problems),
        "created": len(result.created),
        "existing": len(result.existing),
        "tags": result.tags,
    }
