"""Errors of the data-subject rights service, each with a stable `code`.

PodiumError
├── InvalidInputError
│   ├── RectificationError    rectification_invalid: unknown field or a malformed value
│   ├── RequestStateError     request_not_open / request_extended / request_kind_unknown
│   └── SubjectErasedError    subject_erased: the subject's data was erased (Art. 17)
└── NotFoundError
    ├── SubjectNotFoundError  subject_not_found: no participant code or subject ID matches
    ├── RequestNotFoundError  request_not_found
    └── HoldNotFoundError     hold_not_found
"""

from __future__ import annotations

from podium.core.errors import InvalidInputError, NotFoundError

__all__ = [
    "HoldNotFoundError",
    "RectificationError",
    "RequestNotFoundError",
    "RequestStateError",
    "SubjectErasedError",
    "SubjectNotFoundError",
]


class SubjectNotFoundError(NotFoundError):
    """Neither a participant code nor a subject ID held by Podium matches the input."""

    code = "subject_not_found"


class SubjectErasedError(InvalidInputError):
    """The subject's data was erased (GDPR Art. 17): nothing left to rectify or restrict."""

    code = "subject_erased"


class RectificationError(InvalidInputError):
    """A rectification names an unknown field or gives a malformed value (GDPR Art. 16)."""

    code = "rectification_invalid"


class RequestNotFoundError(NotFoundError):
    """No data-subject request has this id."""

    code = "request_not_found"


class RequestStateError(InvalidInputError):
    """A data-subject request cannot take this step (closed, already extended, bad kind)."""

    code = "request_not_open"


class HoldNotFoundError(NotFoundError):
    """No active legal hold has this id."""

    code = "hold_not_found"
