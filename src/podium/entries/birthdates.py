"""Birth dates for the age rule, read from the sovereign plane through the access policy.

The games plane holds no birth date (DESIGN.md, two planes). The entries service takes a
`BirthDateProvider`; the default one reads the sealed `Person.birth_date` through
`podium.people` and `podium.privacy.access.read_fields`, so every read is decided by the
policy and written to the audit log. Only the birth date is read (data minimisation,
GDPR Art. 5(1)(c)); a value the policy does not release counts as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from podium.core.errors import NotFoundError
from podium.people import Person, sealed_fields, subject_of
from podium.privacy.access import read_fields
from podium.privacy.policy import Effect

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from podium.privacy.operators import Principal
    from podium.privacy.spine import Spine

__all__ = ["BirthDateProvider", "SovereignBirthDates", "UnknownBirthDates"]


class BirthDateProvider(Protocol):
    """Gives an athlete's birth date for the age rule, or None when unknown."""

    def birth_date(self, participant_code: str) -> date | None:
        """Return the birth date of the athlete with ODF code `participant_code`, or None."""
        ...


class UnknownBirthDates:
    """A provider that knows no birth date: every age check is `unknown`, never refused."""

    def birth_date(self, participant_code: str) -> date | None:
        """Return None: the birth date is not known here."""
        del participant_code
        return None


@dataclass
class SovereignBirthDates:
    """Reads `Person.birth_date` on the sovereign host, as the access policy allows.

    Attributes:
        spine: the node's privacy services (cipher, policy, audit log).
        games: a games-plane session (participant code → subject ID).
        sovereign: a sovereign-plane session; the audit records join its transaction.
        principal: the operator checking the entry, with the purpose declared; an operator
            the policy denies (outside the EU, wrong role) gets None, so `unknown`.

    """

    spine: Spine
    games: Session
    sovereign: Session
    principal: Principal
    _read: dict[str, date | None] = field(default_factory=dict, repr=False)

    def birth_date(self, participant_code: str) -> date | None:
        """Return the birth date, or None when unknown, erased or not released.

        Each athlete is read (and audited) once per provider, however many events they
        enter.
        """
        if participant_code not in self._read:
            self._read[participant_code] = self._birth_date(participant_code)
        return self._read[participant_code]

    def _birth_date(self, participant_code: str) -> date | None:
        try:
            subject = subject_of(self.games, participant_code)
        except NotFoundError:
            return None
        person = self.sovereign.get(Person, subject)
        if person is None:
            return None
        fields = {"birth_date": sealed_fields(person)["birth_date"]}
        value = read_fields(
            self.spine,
            self.sovereign,
            self.principal,
            action="entries.eligibility.read",
            subject=subject,
            fields=fields,
        )["birth_date"]
        if value.effect is not Effect.ALLOW or not value.value:
            return None
        try:
            return date.fromisoformat(value.value)
        except ValueError:
            return None
