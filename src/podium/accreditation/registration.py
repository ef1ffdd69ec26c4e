"""Registering one person and their accreditation application, and their portrait.

`register_person` is the single-person form of `podium.accreditation.bulk.import_people`
(same checks, same codes, same writes), strict: any problem refuses the registration with
a `RegistrationError` listing every field at fault. `set_photo` checks a portrait
(`podium.people.check_photo`) and stores it sealed with the subject's photo key.
An operator of a responsible organisation manages only its own people; the organising
committee's staff (`PARIS2024`) manage everyone's (`organisation_mismatch`, 403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from podium.accreditation.authz import actor_id
from podium.accreditation.bulk import (
    BulkImportRejectedError,
    BulkOptions,
    Rejection,
    check_organisation_scope,
    import_people,
)
from podium.accreditation.models import Accreditation
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.errors import InvalidInputError, NotFoundError
from podium.people import PersonRegistration, check_photo, registration_subject, seal_photo
from podium.privacy.access import record_write
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine

__all__ = [
    "PersonNotRegisteredError",
    "RegistrationError",
    "RegistrationOutcome",
    "register_person",
    "set_photo",
]


class RegistrationError(InvalidInputError):
    """A registration was refused; `code` is the first problem's, `problems` lists them all.

    Attributes:
        problems: every rejected field (column, code, message).

    """

    code = "registration_invalid"

    def __init__(self, problems: list[Rejection]) -> None:
        """Create the error from the problems found (at least one)."""
        details = "; ".join(f"{p.column}: {p.code} ({p.message})" for p in problems)
        super().__init__(f"registration refused: {details}", code=problems[0].code)
        self.problems = problems


class PersonNotRegisteredError(NotFoundError):
    """No registered person has this subject ID."""

    code = "person_not_registered"


@dataclass(frozen=True, slots=True)
class RegistrationOutcome:
    """A registration written (or found already written).

    Attributes:
        subject_id: the person's pseudonymous subject ID.
        accreditation_id: the application's accreditation number.
        status: the accreditation's status (`applied` for a new one).
        created: False when the person was registered already (nothing written).

    """

    subject_id: str
    accreditation_id: int
    status: str
    created: bool


def register_person(  # noqa: PLR0913 - the record, who, the services, the photo and the clock
    planes: Planes,
    spine: Spine,
    principal: Principal | None,
    values: Mapping[str, Any],
    *,
    photo: bytes | None = None,
    clock: Clock = system_clock,
) -> RegistrationOutcome:
    """Register one person and apply for their accreditation (status `applied`).

    Args:
        planes: both planes.
        spine: the node's privacy services.
        principal: the operator registering; its organisation must be the person's
            (or `PARIS2024`); None for a command run on the host.
        values: the fields of `podium.people.RegistrationIn`.
        photo: the portrait's bytes, if sent with the registration.
        clock: the time of the registration.

    Returns:
        The subject ID and the accreditation.

    Raises:
        OrganisationMismatchError: 403 `organisation_mismatch`.
        RegistrationError: 422 with the first problem's code (`missing`, `bad_date`,
            `unknown_category`, `unknown_organisation`, `quota_exceeded`, `bad_photo`...).

    """
    default = principal.organisation if principal is not None else None
    organisation = str(values.get("organisation") or default or "")
    reference = str(values.get("reference") or "")
    photos = {reference: photo} if photo is not None and reference else {}
    options = BulkOptions(organisation, strict=True, photos=photos)
    try:
        report = import_people(planes, spine, principal, [(1, values)], options, clock=clock)
    except BulkImportRejectedError as refused:
        raise RegistrationError(refused.report.rejected) from refused
    subject = registration_subject(spine.pseudonym_key, organisation, reference)
    with planes.games_session() as games:
        found = games.execute(
            select(Accreditation.id, Accreditation.status).where(
                Accreditation.subject_id == subject
            )
        ).one()
    return RegistrationOutcome(subject, found.id, found.status, created=bool(report.written))


def set_photo(
    planes: Planes,
    spine: Spine,
    principal: Principal | None,
    subject: str,
    data: bytes,
) -> str:
    """Check a portrait and store it, sealed, on a registered person; audit the write.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        principal: the operator; its organisation must be the person's (or `PARIS2024`);
            None for a command run on the host.
        subject: the person's subject ID.
        data: the image file's bytes.

    Returns:
        The media type stored (`image/jpeg` or `image/png`).

    Raises:
        PersonNotRegisteredError: 404 `person_not_registered`.
        OrganisationMismatchError: 403 `organisation_mismatch`.
        PhotoError: 422 `photo_format`, `photo_too_large`, `photo_dimensions` or
            `photo_unreadable`.

    """
    with planes.sovereign_session() as sovereign, planes.games_session() as games:
        registration = sovereign.get(PersonRegistration, subject)
        if registration is None:
            raise PersonNotRegisteredError(f"no registered person has subject ID {subject}")
        check_organisation_scope(games, principal, registration.organisation)
        photo = check_photo(data)
        registration.photo = seal_photo(spine.cipher, subject, photo)
        registration.photo_media_type = photo.media_type
        record_write(
            spine,
            sovereign,
            operator=actor_id(principal),
            action="people.person.photo",
            subject=subject,
            fields=("photo", "photo_media_type"),
            purpose=(principal.purpose if principal else None) or "accreditation",
        )
    return photo.media_type
