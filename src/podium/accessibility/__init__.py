"""Accessibility services: live descriptions, speech and the tactile stream, from the feed.

    spoken_result, ordinal, tv_name          numbers, times and names written for speech
    NocNames, spoken_noc_names               NOC names in full, English and French
    Describer.describe -> [Description]      pure: a parsed ODF message -> descriptions
    SpeechEngine                             espeak-ng to WAV, cached under <data_dir>/speech
    DescriptionService, descriptions_of      the live channels per unit and venue

    TACTILE_FAMILIES                         disciplines a tactile tablet can follow
    tactile, tactile_play, tactile_rules     the tactile stream (Vision Pad style)
    bundled_statement, build_statement       the RGAA-style accessibility statement, from
                                             the browser tests' audit (`statement`)

Errors: `SpeechUnavailableError` (`speech_unavailable`, `speech_bad_id`),
`StatementDataError` (`statement_data_invalid`).
"""

from podium.accessibility.describer import (
    Describer,
    Description,
    DescriptionKind,
    UnitInfo,
    is_match,
    leader_of,
    standings_of,
)
from podium.accessibility.nocs import NocNames, spoken_noc_names
from podium.accessibility.service import (
    Channel,
    DescriptionService,
    Timing,
    descriptions_of,
    games_names,
)
from podium.accessibility.speech import (
    SPEECH_VOICES,
    SpeechEngine,
    SpeechUnavailableError,
    sized_wav,
)
from podium.accessibility.spoken import (
    SPEECH_LANGS,
    SpeechLang,
    ordinal,
    spoken_decimal,
    spoken_result,
    tv_name,
)
from podium.accessibility.statement import (
    RGAA_VERSION,
    LimitKind,
    Statement,
    StatementDataError,
    build_statement,
    bundled_statement,
    load_audit,
    load_statement_data,
    pages_by_pattern,
)
from podium.accessibility.tactile_rules import FAMILIES as TACTILE_FAMILIES

__all__ = [
    "RGAA_VERSION",
    "SPEECH_LANGS",
    "SPEECH_VOICES",
    "TACTILE_FAMILIES",
    "Channel",
    "Describer",
    "Description",
    "DescriptionKind",
    "DescriptionService",
    "LimitKind",
    "NocNames",
    "SpeechEngine",
    "SpeechLang",
    "SpeechUnavailableError",
    "Statement",
    "StatementDataError",
    "Timing",
    "UnitInfo",
    "build_statement",
    "bundled_statement",
    "descriptions_of",
    "games_names",
    "is_match",
    "leader_of",
    "load_audit",
    "load_statement_data",
    "ordinal",
    "pages_by_pattern",
    "sized_wav",
    "spoken_decimal",
    "spoken_noc_names",
    "spoken_result",
    "standings_of",
    "tv_name",
]
