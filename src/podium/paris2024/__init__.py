"""The Paris 2024 data set: reading its real files and importing them into both planes."""

from pathlib import Path

from podium.paris2024.csvsource import BadRowError, Quarantine, SourceFileError
from podium.paris2024.importer import ImportOptions, ImportReport, import_paris2024
from podium.paris2024.replay_script import ReplaySource, read_replay_source

__all__ = [
    "DEFAULT_SOURCE",
    "BadRowError",
    "ImportOptions",
    "ImportReport",
    "Quarantine",
    "ReplaySource",
    "SourceFileError",
    "import_paris2024",
    "read_replay_source",
]

DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "data" / "paris2024"
"""The copy of the data bundled in the repository (`data/paris2024`, see its SOURCES.md)."""
