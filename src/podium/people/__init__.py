"""People: published identity in the games plane, personal data in the sovereign plane."""

from podium.people.models import Participant, Person, PseudonymKey, Team, TeamMember

__all__ = ["Participant", "Person", "PseudonymKey", "Team", "TeamMember"]
