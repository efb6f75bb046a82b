"""Writes to programmes: loading definition files (the database is the truth afterwards), admins' edits."""

from . import framework as framework  # registers its revert handlers with history
from . import parameters as parameters  # registers its revert handler with history
from . import records as records  # registers its revert handlers with history
from . import taxonomy as taxonomy  # registers its revert handler with history
from .loading import (
    ProgrammeEdited,
    ProgrammeLoadRefused,
    ProgrammeLoadResult,
    programme_load,
)

__all__ = ["ProgrammeEdited", "ProgrammeLoadRefused", "ProgrammeLoadResult", "programme_load"]
