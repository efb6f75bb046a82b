"""Programme definition files: the pydantic schema, the reader and the writer (no Django).

The Django loader and export commands call :func:`read_definition` and :func:`dump_definition`;
everything else here is the schema they share.
"""

from xiandao.programmes.definition.reader import (
    DefinitionError,
    Problem,
    dump_definition,
    parse_definition,
    read_definition,
)
from xiandao.programmes.definition.schema import ProgrammeDefinition

__all__ = [
    "DefinitionError",
    "Problem",
    "ProgrammeDefinition",
    "dump_definition",
    "parse_definition",
    "read_definition",
]
