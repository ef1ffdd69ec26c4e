"""The metadata of both planes, read lazily (the migration tree imports this package)."""

from __future__ import annotations

from sqlalchemy import MetaData

from podium.core.categories import Plane

__all__ = ["both_metadata", "plane_metadata"]


def plane_metadata(plane: Plane) -> MetaData:
    """Return one plane's metadata with every domain's tables registered."""
    # Imported here: `podium.migrations.metadata` imports `podium.subjects.models`.
    from podium.migrations.metadata import metadata_of  # noqa: PLC0415

    return metadata_of(plane)


def both_metadata() -> tuple[MetaData, MetaData]:
    """Return the games plane's and the sovereign plane's metadata, in that order."""
    return plane_metadata(Plane.GAMES), plane_metadata(Plane.SOVEREIGN)
