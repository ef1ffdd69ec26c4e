"""Errors of the sport entries domain, each with a stable `code`.

InvalidInputError
└── EntryRefusedError     an entry breaks a rule: `quota_event`, `quota_discipline_gender`,
                          `gender_ineligible`, `age_ineligible`, `deadline_passed`,
                          `not_in_noc`, `duplicate_entry`, `unknown_event`
    (InvalidInputError also: `entry_competitor_required`, `team_event_mismatch`,
     `entry_not_entered`, `replacement_reason_required`, `replacement_athlete_required`)
NotFoundError             `entry_not_found`, `participant_not_found`, `team_not_found`
PermissionDeniedError     `organisation_mismatch`: a NOC's operator acting for another NOC
"""

from __future__ import annotations

from podium.core.errors import InvalidInputError
from podium.entries.rules import Refusal

__all__ = ["EntryRefusedError"]


class EntryRefusedError(InvalidInputError):
    """An entry refused by a rule; `code` is the `RefusalCode`, the message names the rule."""

    def __init__(self, refusal: Refusal) -> None:
        """Create the error from the rules' refusal."""
        super().__init__(refusal.message, code=refusal.code.value)
        self.refusal = refusal
