"""Why a programme definition is not loaded: refused (file, line, field) or edited in the database."""

from __future__ import annotations

from xiandao.programmes.definition import Problem

from ..models import Programme


class ProgrammeLoadRefused(Exception):
    """The file cannot be loaded; ``problems`` name file, line and field of each reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class ProgrammeEdited(Exception):
    """The database was edited since the last load; ``diff`` shows database against file."""

    def __init__(self, programme: Programme, diff: str) -> None:
        self.programme = programme
        self.diff = diff
        super().__init__(f"培育计划“{programme.code}”在上次加载后已被修改")
