"""People: published identity in the games plane, personal data in the sovereign plane."""

from podium.people.models import SEALED, Participant, Person, PseudonymKey, Team, TeamMember
from podium.people.personal import personal_record, sealed_fields, subject_of

__all__ = [
    "SEALED",
    "Participant",
    "Person",
    "PseudonymKey",
    "Team",
    "TeamMember",
    "personal_record",
    "sealed_fields",
    "subject_of",
]
