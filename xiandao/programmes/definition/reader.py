"""Read and write programme definition files, with Chinese errors that name file, line and field.

``read_definition`` composes the YAML into nodes first (PyYAML's composer keeps each node's
mark), builds plain data while remembering the line of every key and list item, validates the
data with :class:`ProgrammeDefinition`, and turns each pydantic error into a line such as
``programmes/anhui.yaml 第120行 targets[3].year：目标年份2035不在计划期2024–2030年内；未注明年份的请留空。``. The people who
maintain these files are programme staff, so the messages are in Chinese and point at the line.

``dump_definition`` writes a definition back as YAML in the models' field order with Chinese kept
as UTF-8, so load → export → load gives an equal definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from xiandao.programmes.definition.checks import Loc, format_path
from xiandao.programmes.definition.schema import UNION_TAGS, ProgrammeDefinition
from xiandao.programmes.definition.values import plain_number

__all__ = [
    "DefinitionError",
    "LocatedDefinition",
    "Problem",
    "canonical_text",
    "dump_definition",
    "parse_definition",
    "parse_located_definition",
    "read_definition",
    "read_located_definition",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition file, located as precisely as the YAML allows."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} 第{self.line}行" if self.line is not None else self.file
        return f"{where} {self.path}：{self.message}" if self.path else f"{where}：{self.message}"


class DefinitionError(ValueError):
    """A definition file that cannot be accepted; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_definition(path: str | Path) -> ProgrammeDefinition:
    """Read and validate one definition file; raise :class:`DefinitionError` if it is not valid."""
    return read_located_definition(path).definition


def parse_definition(text: str, *, filename: str = "<definition>") -> ProgrammeDefinition:
    """Validate definition YAML given as text; ``filename`` is what error messages call it."""
    return parse_located_definition(text, filename=filename).definition


@dataclass(frozen=True)
class LocatedDefinition:
    """A valid definition with the line of every key and list item, for checks made after reading.

    The loader resolves units and codes against the database; its refusals must name the line
    too, so it keeps the reader's line map.
    """

    definition: ProgrammeDefinition
    filename: str
    lines: dict[Loc, int]

    def problem(self, loc: Loc, message: str) -> Problem:
        """A :class:`Problem` at ``loc`` (``("tasks", 3, "lead", 0)``) of this file."""
        return Problem(self.filename, _line(loc, self.lines), format_path(loc), message)


def read_located_definition(path: str | Path) -> LocatedDefinition:
    """:func:`read_definition`, keeping the line map."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(str(path), None, "", f"无法读取文件：{exc}")]) from exc
    return parse_located_definition(text, filename=str(path))


def parse_located_definition(text: str, *, filename: str = "<definition>") -> LocatedDefinition:
    """:func:`parse_definition`, keeping the line map."""
    data, lines = _compose(text, filename)
    try:
        definition = ProgrammeDefinition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(_problems(exc, data, lines, filename)) from exc
    return LocatedDefinition(definition, filename, lines)


def _compose(text: str, filename: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML into plain data plus the 1-based line of every mapping key and list item."""
    loader = yaml.SafeLoader(text)
    lines: dict[Loc, int] = {}

    def build(node: yaml.Node, loc: Loc) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if not isinstance(key, str | int):
                    raise DefinitionError([Problem(filename, line, format_path(loc), f"键“{key}”应为文本")])
                if key in result:
                    # PyYAML would silently keep the last value; a repeated key is a mistake.
                    path = format_path((*loc, key))
                    raise DefinitionError([Problem(filename, line, path, "键重复出现")])
                lines[(*loc, key)] = line
                result[key] = build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                lines[(*loc, index)] = item.start_mark.line + 1
                items.append(build(item, (*loc, index)))
            return items
        return loader.construct_object(node, deep=True)

    try:
        node = loader.get_single_node()
        if node is None:
            raise DefinitionError([Problem(filename, None, "", "文件为空")])
        lines[()] = node.start_mark.line + 1
        return build(node, ()), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DefinitionError([Problem(filename, line, "", f"YAML 语法错误：{exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(filename, None, "", f"YAML 语法错误：{exc}")]) from exc
    finally:
        loader.dispose()


def _problems(exc: ValidationError, data: Any, lines: dict[Loc, int], filename: str) -> list[Problem]:
    """One :class:`Problem` per distinct field path, in the order of the file."""
    found: dict[Loc, list[str]] = {}
    for error in exc.errors():
        issues = (error.get("ctx") or {}).get("issues")
        if error["type"] == "definition_inconsistent" and issues:
            for loc, message in issues:
                found.setdefault(_data_loc(tuple(loc), data), []).append(message)
            continue
        found.setdefault(_data_loc(error["loc"], data), []).append(_message(error))
    problems = [
        Problem(filename, _line(loc, lines), format_path(loc), "；".join(dict.fromkeys(messages)))
        for loc, messages in found.items()
    ]
    return sorted(problems, key=lambda p: (p.line or 0, p.path))


def _data_loc(loc: tuple[int | str, ...], data: Any) -> Loc:
    """Map pydantic's location onto the file: drop union tags and member type names."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict):
            if part in current:
                out.append(part)
                current = current[part]
            elif part in UNION_TAGS:
                continue
            else:  # a missing or unknown key: name it, there is nothing below it
                out.append(part)
                break
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        else:  # below a scalar pydantic names union members (``int``, ``float``): not in the file
            break
    return tuple(out)


def _line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of the deepest part of ``loc`` present in the file (its parent for a missing key)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


_TYPE_NAMES = {
    "int": "整数",
    "float": "数字",
    "decimal": "数字",
    "string": "文本",
    "bool": "布尔值（true 或 false）",
    "date": "日期（YYYY-MM-DD）",
    "list": "列表",
    "dict": "映射（键: 值）",
    "model": "映射（键: 值）",
    "model_attributes": "映射（键: 值）",
    "none": "空值",
}


def _describe(value: Any) -> str:
    """Say in Chinese what was found, e.g. ``文本“2030”``."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, int):
        return f"整数 {value}"
    if isinstance(value, float):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文本“{value}”"
    if isinstance(value, dt.date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def _message(error: ErrorDetails) -> str:
    """A Chinese message for one pydantic error."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段（格式中没有这一项）"
    for suffix in ("_type", "_parsing"):
        name = kind.removesuffix(suffix)
        if kind.endswith(suffix) and name in _TYPE_NAMES:
            return f"类型错误：应为{_TYPE_NAMES[name]}，实际为{_describe(value)}"
    if kind == "literal_error":
        return f"取值{_describe(value)}无效，应为 {ctx.get('expected', '')} 之一"
    if kind == "string_pattern_mismatch":
        return f"{_describe(value)}格式不符（应匹配 {ctx.get('pattern')}）"
    if kind in ("string_too_short", "too_short"):
        return "不能为空"
    bounds = {
        "greater_than_equal": ("不小于", "ge"),
        "greater_than": ("大于", "gt"),
        "less_than_equal": ("不大于", "le"),
        "less_than": ("小于", "lt"),
    }
    if kind in bounds:
        word, key = bounds[kind]
        return f"取值{_describe(value)}应{word}{ctx.get(key)}"
    if kind in _OWN_ERRORS:
        return error["msg"]
    return f"取值{_describe(value)}无效（{error['msg']}）"


# Error types raised by the schema itself, whose message is already Chinese.
_OWN_ERRORS = frozenset({"lifecycle_kind", "framework_kind", "period_order"})


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with list items indented under their key, as people write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # Weights are short decimals; as YAML floats they read back to the same Decimal.
    number = plain_number(value)
    if isinstance(number, int):
        return dumper.represent_int(number)
    return dumper.represent_float(number)


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_definition(defn: ProgrammeDefinition, *, header: str | None = None) -> str:
    """YAML text of ``defn``: field order of the models, defaults left out, UTF-8 Chinese kept.

    ``header`` lines, if given, are written first as YAML comments.
    """
    data = defn.model_dump(mode="python", exclude_defaults=True)
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100_000,
        indent=2,
    )
    if header:
        comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        text = comments + text
    return text


def canonical_text(data: Any, *, sort_keys: bool = True) -> str:
    """Plain data as block YAML, Chinese kept; with sorted keys equal data give equal text.

    The loader shows the difference between a programme in the database and its file in this
    form; both sides are built in the schema's key order, so ``sort_keys=False`` keeps each
    item's ``code`` next to the line that changed.
    """
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=sort_keys,
        default_flow_style=False,
        width=100_000,
        indent=2,
    )
