"""People in both planes, linked only by a pseudonymous subject ID.

`Participant` (games plane) holds what the Games publish: the ODF participant code,
the name as printed on results, the NOC and the gender. `Person` (sovereign plane)
holds the personal data (legal name, birth date) under the same `subject_id`, a keyed
pseudonym (GDPR Art. 4(5)) that reveals nothing without the sovereign key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase, SovereignBase
from podium.core.types import UtcDateTime

__all__ = [
    "SEALED",
    "Participant",
    "Person",
    "PersonRegistration",
    "PseudonymKey",
    "Team",
    "TeamMember",
]

_C = DataCategory.COMPETITION
_PUB = DataCategory.PUBLISHED_IDENTITY


class Participant(GamesBase):
    """A person as the Games publish them: athlete, coach or technical official.

    Attributes:
        code: ODF participant code (e.g. `1903136`).
        subject_id: pseudonymous link to the sovereign `Person`.
        printed_name: name as printed on results, `FAMILY Given`.
        tv_name: name as shown on television, `Given FAMILY`.
        noc: NOC code; None for a technical official sent by a federation.
        organisation: responsible organisation: the NOC, or the federation (`FIBA`, `IJF`).
        gender: `M`, `W` or `X`.
        role: `athlete`, `coach` or `official`; function is the accreditation function.

    """

    __tablename__ = "participant"

    code: Mapped[str] = column(
        _C, String(20), primary_key=True, info={"subject_link": "participant"}
    )
    subject_id: Mapped[str] = column(DataCategory.PSEUDONYM, String(32), unique=True)
    printed_name: Mapped[str] = column(_PUB, String(160))
    tv_name: Mapped[str | None] = column(_PUB, String(160))
    noc: Mapped[str | None] = column(_PUB, ForeignKey("noc.code"), index=True)
    organisation: Mapped[str] = column(_PUB, String(8))
    gender: Mapped[str] = column(_PUB, String(1))
    role: Mapped[str] = column(_C, String(12))
    function: Mapped[str | None] = column(_C, String(60))
    disciplines: Mapped[str | None] = column(_C, String(200))
    events: Mapped[str | None] = column(_C, String(400))


class Team(GamesBase):
    """A team entered in an event (ODF team code, e.g. `ARCMTEAM3---CHN01`).

    `current` is False for a team that was withdrawn (the source keeps it, with no event).
    """

    __tablename__ = "team"

    code: Mapped[str] = column(_C, String(40), primary_key=True, info={"subject_link": "team"})
    name: Mapped[str] = column(_PUB, String(160))
    noc: Mapped[str] = column(_PUB, ForeignKey("noc.code"), index=True)
    gender: Mapped[str] = column(_PUB, String(1))
    discipline_code: Mapped[str] = column(_C, ForeignKey("discipline.code"))
    event_name: Mapped[str | None] = column(_C, String(120))
    current: Mapped[bool] = column(_C, Boolean)


class TeamMember(GamesBase):
    """Membership of an athlete in a team."""

    __tablename__ = "team_member"

    team_code: Mapped[str] = column(_C, ForeignKey("team.code"), primary_key=True)
    participant_code: Mapped[str] = column(
        _C, String(20), primary_key=True, info={"subject_link": "participant"}
    )


SEALED = {"sealed": True}
"""Column info of a protected field: stored only as an AES-GCM token (`privacy.fields`)."""


class Person(SovereignBase):
    """The personal data of a data subject (sovereign plane only).

    Protected fields are sealed with the subject's data key of their category
    (`podium.privacy.fields`): a database copy alone reveals nothing, and erasing the
    subject's keys makes every copy unreadable (crypto-shredding, GDPR Art. 17, 32).

    Attributes:
        subject_id: pseudonymous subject ID shared with the games plane.
        full_name: legal name as registered (sealed, category identity).
        birth_date: date of birth as ISO text (sealed, category birth-date); may be unknown.
        organisation: responsible organisation code (NOC or federation), as published.
        function: accreditation function (Athlete, Coach, Referee, ...), as published.

    """

    __tablename__ = "person"

    subject_id: Mapped[str] = column(DataCategory.PSEUDONYM, String(32), primary_key=True)
    full_name: Mapped[bytes | None] = column(DataCategory.IDENTITY, LargeBinary, info=SEALED)
    birth_date: Mapped[bytes | None] = column(DataCategory.BIRTH_DATE, LargeBinary, info=SEALED)
    organisation: Mapped[str | None] = column(_PUB, String(8))
    function: Mapped[str | None] = column(_PUB, String(60))


class PseudonymKey(SovereignBase):
    """The fingerprint of the key that made the sovereign plane's subject IDs.

    An import with another key would re-key every data subject silently; the importer
    compares fingerprints first and refuses.
    """

    __tablename__ = "pseudonym_key"

    fingerprint: Mapped[str] = column(DataCategory.SYSTEM, String(64), primary_key=True)


class PersonRegistration(SovereignBase):
    """What a responsible organisation registered about one of its people (sovereign plane).

    One row per data subject, beside its `Person` row. Every personal value is sealed with
    the subject's data key of its category, so an erasure (GDPR Art. 17) or a retention run
    crypto-shreds it. Gender and nationality are kept in clear as published identity: they
    are what the Games publish of a participant (the NOC and the gender of the results).

    Attributes:
        subject_id: pseudonymous subject ID, `subject_id(key, "ORG:reference")`.
        family_name: family name as on the travel document (sealed, identity).
        given_names: given name(s) (sealed, identity).
        name_index: blind index of the family name (`podium.people.registration.name_index`):
            a keyed HMAC that lets the desk find a family name without opening every row.
        gender: `M`, `W` or `X`.
        nationality: ISO 3166-1 alpha-3 country code or NOC code.
        document_type: `passport`, `id-card`... (sealed, document).
        document_number: the document's number (sealed, document).
        document_expiry: its expiry date, ISO text (sealed, document).
        email: contact e-mail address (sealed, contact).
        photo: the portrait's bytes (sealed, photo), checked by `people.photos.check_photo`.
        photo_media_type: `image/jpeg` or `image/png`.
        organisation: the responsible organisation's code.
        function: the person's function (`Athlete`, `Coach`, `Photographer`...).
        category: the accreditation category applied for.
        registered_at: when the registration was written.

    """

    __tablename__ = "person_registration"

    subject_id: Mapped[str] = column(
        DataCategory.PSEUDONYM, ForeignKey("person.subject_id"), primary_key=True
    )
    family_name: Mapped[bytes | None] = column(DataCategory.IDENTITY, LargeBinary, info=SEALED)
    given_names: Mapped[bytes | None] = column(DataCategory.IDENTITY, LargeBinary, info=SEALED)
    name_index: Mapped[str] = column(DataCategory.PSEUDONYM, String(32), index=True)
    gender: Mapped[str] = column(_PUB, String(1))
    nationality: Mapped[str] = column(_PUB, String(3))
    document_type: Mapped[bytes | None] = column(DataCategory.DOCUMENT, LargeBinary, info=SEALED)
    document_number: Mapped[bytes | None] = column(DataCategory.DOCUMENT, LargeBinary, info=SEALED)
    document_expiry: Mapped[bytes | None] = column(DataCategory.DOCUMENT, LargeBinary, info=SEALED)
    email: Mapped[bytes | None] = column(DataCategory.CONTACT, LargeBinary, info=SEALED)
    photo: Mapped[bytes | None] = column(DataCategory.PHOTO, LargeBinary, info=SEALED)
    photo_media_type: Mapped[str | None] = column(DataCategory.SYSTEM, String(16))
    organisation: Mapped[str] = column(_C, String(12), index=True)
    function: Mapped[str | None] = column(_C, String(60))
    category: Mapped[str] = column(_C, String(8))
    registered_at: Mapped[datetime] = column(DataCategory.SYSTEM, UtcDateTime())
