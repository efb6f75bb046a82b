"""Apps reach each other only through their public modules, and no two apps import each other.

An app's ``models`` are its own: another app names them in its ``models`` (for a foreign key) or
for typing, and may use their choices (enums) anywhere; every read goes through the owner's
``selectors``, every write through its ``services``, every permission question through its
``permissions``; the web shell loads each app's demonstration data through its ``demo`` module,
which writes through services. ``core`` is the shared kernel, open to all, and so is every pure
package of ``tests/test_purity.py`` (no Django, no state: the definition schema, the engine). Test code is never
imported by the platform. Read statically from the source, so it covers every
app, present and future; another app's model taken from one of the app's own modules (a
``models`` that imported it for a foreign key) counts as taken from that other app.
"""

from __future__ import annotations

import ast
import enum
import importlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_purity import PURE

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGE = REPOSITORY / "xiandao"
SHARED_KERNEL = "core"
#: Modules of another app any module may import.
PUBLIC = ("selectors", "services", "permissions", "demo")


@dataclass(frozen=True)
class Crossing:
    """One import of another app's module: who imports, what, and the names taken."""

    source: str  # path relative to the repository
    app: str  # the importing app
    target_app: str
    target_module: str  # inside the target app: "models", "services.confirmation", ""
    names: tuple[str, ...]
    line: int

    @property
    def kind(self) -> str:
        """``models``, ``tests``, … : the first part of the module path imported."""
        return self.target_module.split(".")[0]

    def __str__(self) -> str:
        module = f"xiandao.{self.target_app}" + (f".{self.target_module}" if self.target_module else "")
        return f"{self.source}:{self.line} 导入 {module}（{'、'.join(self.names)}）"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import executed at run time: module level or inside functions, not under TYPE_CHECKING."""
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    walk(other)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            walk(child)

    walk(tree)
    return found


def _platform_files() -> list[Path]:
    """The platform's source: every app's modules outside tests and migrations."""
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        files.append(path)
    return files


def crossings() -> list[Crossing]:
    """Every run-time import of one app's module by another app's source."""
    found: list[Crossing] = []
    for path in _platform_files():
        app = path.relative_to(PACKAGE).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _runtime_imports(tree):
            if isinstance(node, ast.ImportFrom) and not _is_models_module(str(path.relative_to(REPOSITORY))):
                found += _passed_on(path, app, node)
            if isinstance(node, ast.ImportFrom):
                if node.level or not node.module or not node.module.startswith("xiandao."):
                    continue
                parts = node.module.split(".")[1:]
                names = tuple(alias.name for alias in node.names)
                targets = [(parts[0], ".".join(parts[1:]), names)]
                if len(parts) == 1:  # from xiandao.programmes import selectors
                    targets = [(parts[0], name, (name,)) for name in names]
            else:
                targets = [
                    (alias.name.split(".")[1], ".".join(alias.name.split(".")[2:]), ("*",))
                    for alias in node.names
                    if alias.name.startswith("xiandao.") and alias.name.count(".") >= 1
                ]
            for target_app, module, names in targets:
                if target_app != app:
                    source = str(path.relative_to(REPOSITORY))
                    found.append(Crossing(source, app, target_app, module, names, node.lineno))
    return found


def _passed_on(path: Path, app: str, node: ast.ImportFrom) -> list[Crossing]:
    """Another app's classes taken from one of the app's own modules (``from .models import Target``, where
    ``models`` imported ``Target`` for a foreign key): the same crossing as importing them directly."""
    package = ".".join(("xiandao", *path.relative_to(PACKAGE).with_suffix("").parts[:-1]))
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        module_name = ".".join([*base, *([node.module] if node.module else [])])
    else:
        module_name = node.module or ""
    if module_name.split(".")[:2] != ["xiandao", app]:
        return []
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    found = []
    source = str(path.relative_to(REPOSITORY))
    for alias in node.names:
        value = getattr(module, alias.name, None)
        owner = getattr(value, "__module__", "") or ""
        parts = owner.split(".")
        if isinstance(value, type) and len(parts) > 2 and parts[0] == "xiandao" and parts[1] != app:
            found.append(Crossing(source, app, parts[1], ".".join(parts[2:]), (alias.name,), node.lineno))
    return found


def _is_models_module(source: str) -> bool:
    parts = Path(source).parts
    return parts[2] == "models.py" or parts[2] == "models"


def _only_choices(crossing: Crossing) -> bool:
    """Every name taken from the other app's models is an enum (its choices), not a model."""
    module = importlib.import_module(f"xiandao.{crossing.target_app}.{crossing.target_module}")
    values = [getattr(module, name, None) for name in crossing.names]
    return all(isinstance(value, type) and issubclass(value, enum.Enum) for value in values)


def violation(crossing: Crossing) -> str | None:
    """Why this import breaks the boundary, or None when it keeps it."""
    if crossing.target_app == SHARED_KERNEL:
        return None
    module = f"xiandao.{crossing.target_app}.{crossing.target_module}"
    if any(module == pure or module.startswith(f"{pure}.") for pure in PURE):
        return None
    if crossing.kind == "tests":
        return "平台代码导入了测试代码（示例数据应通过服务函数写入）"
    if crossing.kind in PUBLIC:
        return None
    if crossing.target_app == "api" and crossing.kind == "errors":
        return None  # the API's one error shape, which every app's operations answer with
    if crossing.kind == "admin" and Path(crossing.source).name == "admin.py":
        return None  # an admin base class of another app (ProgrammeScopedAdmin)
    if crossing.kind == "models":
        if _is_models_module(crossing.source) or _only_choices(crossing):
            return None
        return "直接使用了其他应用的模型（应通过其 selectors/services）"
    return f"导入了其他应用的内部模块“{crossing.target_module}”（只可导入 selectors、services、permissions、demo）"


#: Crossings that predate this test and still wait to be moved behind selectors/services. The list
#: only shrinks: an entry that no longer occurs fails the test, so it is deleted with the fix.
KNOWN: frozenset[tuple[str, str]] = frozenset(
    {
        ("xiandao/api/auth.py", "accounts.models"),
        ("xiandao/accounts/demo.py", "geo.models"),
        ("xiandao/accounts/selectors.py", "geo.models"),
        ("xiandao/accounts/services.py", "geo.models"),
        ("xiandao/policies/forms.py", "programmes.models"),
        ("xiandao/policies/selectors.py", "programmes.models"),
        ("xiandao/policies/services/decisions.py", "programmes.models"),
        ("xiandao/policies/services/uploads.py", "programmes.models"),
        ("xiandao/programmes/selectors.py", "accounts.models"),
        ("xiandao/programmes/services/loading.py", "accounts.models"),
        ("xiandao/programmes/services/loading.py", "geo.models"),
        ("xiandao/programmes/services/resolution.py", "accounts.models"),
        ("xiandao/programmes/services/resolution.py", "geo.models"),
        ("xiandao/programmes/services/writing.py", "accounts.models"),
        ("xiandao/programmes/services/writing.py", "geo.models"),
    }
)


def test_every_app_keeps_to_the_other_apps_public_modules() -> None:
    broken = {}
    for crossing in crossings():
        reason = violation(crossing)
        key = (crossing.source, f"{crossing.target_app}.{crossing.kind}")
        if reason and key not in KNOWN:
            broken[key] = f"{crossing}：{reason}"
    assert not broken, "\n".join(sorted(broken.values()))


def test_the_list_of_known_crossings_is_still_true() -> None:
    seen = {(c.source, f"{c.target_app}.{c.kind}") for c in crossings() if violation(c) is not None}
    fixed = sorted(KNOWN - seen)
    assert not fixed, f"这些跨应用导入已不存在，请从 KNOWN 中删除：{fixed}"


def test_no_two_apps_import_each_other() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for crossing in crossings():
        graph[crossing.app].add(crossing.target_app)

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*path, start]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    cycles = {" → ".join(c) for app in sorted(graph) if (c := cycle_from(app))}
    assert not cycles, "应用之间的循环依赖：" + "；".join(sorted(cycles))


@pytest.mark.parametrize(
    ("source", "module", "names", "broken"),
    [
        ("xiandao/web/workbench.py", "models", ("Organisation",), True),
        ("xiandao/web/workbench.py", "models", ("Role",), False),
        ("xiandao/programmes/models/targets.py", "models", ("Organisation",), False),
        ("xiandao/pilot_zones/demo.py", "tests.factories", ("OrganisationFactory",), True),
        ("xiandao/web/workbench.py", "selectors", ("user_scope",), False),
        ("xiandao/web/workbench.py", "views", ("home",), True),
    ],
)
def test_the_rule_itself(source: str, module: str, names: tuple[str, ...], broken: bool) -> None:
    crossing = Crossing(source, source.split("/")[1], "accounts", module, names, 1)
    assert (violation(crossing) is not None) == broken


@pytest.mark.parametrize(
    ("statement", "passed_on"),
    [
        ("from .models import Target", ["programmes.models"]),  # models imported it for a foreign key
        ("from xiandao.supervision.models import Target", ["programmes.models"]),
        ("from .models import WorkItem", []),  # the app's own model
        ("from .rules import Kind", []),
    ],
)
def test_another_apps_model_taken_from_an_own_module_is_a_crossing(
    statement: str, passed_on: list[str]
) -> None:
    node = ast.parse(statement).body[0]
    assert isinstance(node, ast.ImportFrom)
    found = _passed_on(PACKAGE / "supervision" / "views.py", "supervision", node)
    assert [f"{c.target_app}.{c.kind}" for c in found] == passed_on
    assert all(violation(c) for c in found)
