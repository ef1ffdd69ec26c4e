"""Data-subject rights (GDPR Art. 15–21), retention and the records of processing.

Modules: `locate` (a subject's rows in both planes, by link columns), `export` and
`render` (Art. 15 access and Art. 20 portability, JSON and HTML), `rights`
(rectification, restriction, legal holds), `erasure` (Art. 17 with crypto-shredding),
`requests` and `complete` (the Art. 12(3) register and deadlines), `retention`
(Art. 5(1)(e)), `ropa` (Art. 30 records) and `check` (the catalog check).

The migration tree imports `podium.subjects.models`; the other modules read the planes'
metadata lazily (`_planes`) so that import order does not matter.
"""

from podium.subjects.check import catalog_problems
from podium.subjects.complete import Completion, complete_request
from podium.subjects.erasure import ErasureItem, ErasureOutcome, erase_subject
from podium.subjects.errors import (
    HoldNotFoundError,
    RectificationError,
    RequestNotFoundError,
    RequestStateError,
    SubjectErasedError,
    SubjectNotFoundError,
)
from podium.subjects.export import ERASED, WITHHELD, ExportedTable, SubjectExport, export_subject
from podium.subjects.locate import Link, SubjectRef, find_rows, resolve_subject
from podium.subjects.models import LegalHold, SubjectRequest
from podium.subjects.render import export_html, write_export
from podium.subjects.requests import (
    KINDS,
    RequestView,
    due_date,
    extend_request,
    extended_date,
    list_requests,
    register_request,
)
from podium.subjects.retention import RetentionItem, retention_plan, run_retention
from podium.subjects.rights import (
    lift_hold,
    lift_restriction,
    place_hold,
    rectify,
    resolve,
    restrict,
)
from podium.subjects.ropa import Ropa, records_of_processing, ropa_markdown

__all__ = [
    "ERASED",
    "KINDS",
    "WITHHELD",
    "Completion",
    "ErasureItem",
    "ErasureOutcome",
    "ExportedTable",
    "HoldNotFoundError",
    "LegalHold",
    "Link",
    "RectificationError",
    "RequestNotFoundError",
    "RequestStateError",
    "RequestView",
    "RetentionItem",
    "Ropa",
    "SubjectErasedError",
    "SubjectExport",
    "SubjectNotFoundError",
    "SubjectRef",
    "SubjectRequest",
    "catalog_problems",
    "complete_request",
    "due_date",
    "erase_subject",
    "export_html",
    "export_subject",
    "extend_request",
    "extended_date",
    "find_rows",
    "lift_hold",
    "lift_restriction",
    "list_requests",
    "place_hold",
    "records_of_processing",
    "rectify",
    "register_request",
    "resolve",
    "resolve_subject",
    "restrict",
    "retention_plan",
    "ropa_markdown",
    "run_retention",
    "write_export",
]
