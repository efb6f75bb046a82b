"""The pure packages import no Django: each is imported alone in a clean interpreter.

One list for the whole platform. A package or module added to a pure core is covered by walking
the folder, so a new file cannot slip past; its own ``tests`` are not part of the core.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]

#: Every pure package or module: the evaluation engine, the policy extractor and the pure helpers
#: of the policies app, the programme definitions (schema, reader, entity rules), highlighting, the pilot-zone life cycle.
PURE: tuple[str, ...] = (
    "xiandao.evaluation.engine",
    "xiandao.policies.extraction",
    "xiandao.policies.comparison",
    "xiandao.policies.marking",
    "xiandao.policies.defaults",
    "xiandao.programmes.definition",
    "xiandao.programmes.highlight",
    "xiandao.core.locations",
    "xiandao.monitoring.checks",
    "xiandao.registries.codes",
    "xiandao.registries.counting",
    "xiandao.registries.tiers",
    "xiandao.registries.matching",
    "xiandao.pilot_zones.lifecycle",
    "xiandao.review.conflicts",
    "xiandao.review.draw",
    "xiandao.review.scoring",
    "xiandao.monitoring.workbook",
    "xiandao.supervision.progress",
    "xiandao.supervision.rules",
)

LEAKS = (
    "import importlib, sys\n"
    "for name in sys.argv[1:]:\n"
    "    importlib.import_module(name)\n"
    "print(' '.join(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))))\n"
)


def modules_of(dotted: str) -> list[str]:
    """The module itself, or every module of the package outside its ``tests`` (and unguarded ``__main__``)."""
    path = REPOSITORY.joinpath(*dotted.split("."))
    if path.with_suffix(".py").is_file():
        return [dotted]
    assert (path / "__init__.py").is_file(), f"{dotted} 不是本仓库中的包或模块"
    names = []
    for file in sorted(path.rglob("*.py")):
        parts = file.relative_to(REPOSITORY).with_suffix("").parts
        if "tests" in parts:
            continue
        if parts[-1] == "__main__" and 'if __name__ == "__main__"' not in file.read_text(encoding="utf-8"):
            continue  # an unguarded __main__ runs its command line when imported; its imports are covered
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def django_modules_loaded(modules: list[str], *, root: Path = REPOSITORY) -> tuple[int, str]:
    """Import ``modules`` in a fresh interpreter without Django settings; the Django modules it loaded."""
    completed = subprocess.run(
        [sys.executable, "-c", LEAKS, *modules],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return completed.returncode, completed.stdout.strip() + completed.stderr


@pytest.mark.parametrize("package", PURE)
def test_a_pure_package_imports_no_django(package: str) -> None:
    modules = modules_of(package)
    returncode, output = django_modules_loaded(modules)
    assert returncode == 0, output
    assert output == "", f"{package} 导入了 Django 模块：{output}"


def test_the_check_notices_a_django_import(tmp_path: Path) -> None:
    """The probe is not blind: a module that imports Django is caught."""
    package = tmp_path / "impure"
    package.mkdir()
    (package / "__init__.py").write_text("import django.db.models\n", encoding="utf-8")
    for path in sys.path:
        if (Path(path) / "django").is_dir():
            (tmp_path / "django").symlink_to(Path(path) / "django")
            break
    returncode, output = django_modules_loaded(["impure"], root=tmp_path)
    assert returncode == 0, output
    assert "django.db.models" in output.split()
