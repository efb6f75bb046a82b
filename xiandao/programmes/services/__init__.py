"""Writes to programmes: loading definition files (the database is the truth afterwards)."""

from .loading import (
    ProgrammeEdited,
    ProgrammeLoadRefused,
    ProgrammeLoadResult,
    programme_load,
)

__all__ = ["ProgrammeEdited", "ProgrammeLoadRefused", "ProgrammeLoadResult", "programme_load"]
