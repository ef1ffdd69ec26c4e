"""People: published identity in the games plane, personal data in the sovereign plane."""

from podium.people.models import (
    SEALED,
    Participant,
    Person,
    PersonRegistration,
    PseudonymKey,
    Team,
    TeamMember,
)
from podium.people.personal import personal_record, sealed_fields, subject_of
from podium.people.photos import MAX_PHOTO_BYTES, CheckedPhoto, PhotoError, check_photo
from podium.people.queries import SEARCH_LIMIT, PersonFound, search_people
from podium.people.registration import (
    RegisteredPerson,
    WriteContext,
    insert_rows,
    name_index,
    normalise_name,
    registered_subjects,
    registration_subject,
    seal_photo,
    write_registrations,
)
from podium.people.schemas import REGISTRATION_FIELDS, RegistrationIn
from podium.people.validation import Problem, validate_registration

__all__ = [
    "MAX_PHOTO_BYTES",
    "REGISTRATION_FIELDS",
    "SEALED",
    "SEARCH_LIMIT",
    "CheckedPhoto",
    "Participant",
    "Person",
    "PersonFound",
    "PersonRegistration",
    "PhotoError",
    "Problem",
    "PseudonymKey",
    "RegisteredPerson",
    "RegistrationIn",
    "Team",
    "TeamMember",
    "WriteContext",
    "check_photo",
    "insert_rows",
    "name_index",
    "normalise_name",
    "personal_record",
    "registered_subjects",
    "registration_subject",
    "seal_photo",
    "sealed_fields",
    "search_people",
    "subject_of",
    "validate_registration",
    "write_registrations",
]
