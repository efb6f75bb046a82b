"""Programme definition files: the pydantic schema, the reader and the writer (no Django).

The Django loader and export commands call :func:`read_definition` and :func:`dump_definition`;
everything else here is the schema they share.
"""

from xiandao.programmes.definition.reader import (
    DefinitionError,
    LocatedDefinition,
    Problem,
    canonical_text,
    dump_definition,
    parse_definition,
    parse_located_definition,
    read_definition,
    read_located_definition,
)
from xiandao.programmes.definition.schema import ProgrammeDefinition

__all__ = [
    "DefinitionError",
    "LocatedDefinition",
    "Problem",
    "ProgrammeDefinition",
    "canonical_text",
    "dump_definition",
    "parse_definition",
    "parse_located_definition",
    "read_definition",
    "read_located_definition",
]
