"""The full metadata of each plane, with every domain's tables imported."""

from __future__ import annotations

from sqlalchemy import MetaData

from podium.accreditation import models as _accreditation_models
from podium.core.categories import Plane
from podium.core.db import GamesBase, SovereignBase
from podium.diffusion import models as _diffusion_models
from podium.entries import models as _entries_models
from podium.games import models as _games_models
from podium.people import models as _people_models
from podium.privacy import audit as _audit_models
from podium.privacy import operators as _operator_models
from podium.privacy import register as _register_models
from podium.privacy import sessions as _session_models
from podium.results import models as _results_models
from podium.subjects import models as _subjects_models
from podium.ticketing import models as _ticketing_models
from podium.ticketing import models_scans as _scan_models
from podium.ticketing import models_tickets as _ticket_models

__all__ = ["metadata_of"]

_LOADED = (
    _accreditation_models,
    _entries_models,
    _diffusion_models,
    _games_models,
    _people_models,
    _results_models,
    _audit_models,
    _operator_models,
    _session_models,
    _register_models,
    _subjects_models,
    _ticketing_models,
    _scan_models,
    _ticket_models,
)


def metadata_of(plane: Plane) -> MetaData:
    """Return the SQLAlchemy metadata of a plane, with all its tables registered."""
    return GamesBase.metadata if plane is Plane.GAMES else SovereignBase.metadata
