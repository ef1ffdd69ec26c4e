"""Test data of the accreditation pages (no tests here): organisations, operators and people.

`AccreditationWorld` registers, on the imported node (or finds, when the node has them),
two media organisations of their own (`PDMA`, `PDMB`, so no other test's data is
touched), an operator for each, an EU
desk officer of the organising committee (accreditation and vetting roles) and one outside
the EU, and people with real-looking names (Czech, Polish, Greek) with portraits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.operators import PASSWORD

from podium.accreditation import (
    Accreditation,
    Organisation,
    register_person,
    save_organisation,
    set_quotas,
)
from podium.core.db import Planes
from podium.core.errors import NotFoundError
from podium.people import registration_subject
from podium.privacy.operators import build_principal, create_operator, find_operator
from podium.privacy.spine import Spine

ORG_A, ORG_B = "PDMA", "PDMB"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# username → (country, organisation, roles, purposes)
ACCOUNTS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "pdma-registrar": ("FR", ORG_A, ("organisation-registrar",), ("accreditation",)),
    "pdmb-registrar": ("DE", ORG_B, ("organisation-registrar",), ("accreditation",)),
    "eu-desk": (
        "FR",
        "PARIS2024",
        ("accreditation-officer", "vetting-officer"),
        ("accreditation", "vetting"),
    ),
    "ch-desk": ("CH", "PARIS2024", ("accreditation-officer",), ("accreditation",)),
    "eu-vetting": ("FR", "PARIS2024", ("vetting-officer",), ("vetting",)),
}
PEOPLE = [
    ("CZ-001", "Černý", "Ondřej", "M"),
    ("PL-002", "Wójcik", "Łukasz", "M"),
    ("GR-003", "Παπαδοπούλου", "Ελένη", "W"),
    ("FR-004", "Lefèvre", "Zoé", "W"),  # the browser tests' keyboard journey
    ("DE-005", "Müller", "Jonas", "M"),  # the browser tests' journey without JavaScript
    ("IT-006", "Bianchi", "Giulia", "W"),  # vetting at the desk by a vetting officer alone
]


def portrait(colour: tuple[int, int, int] = (150, 110, 90)) -> bytes:
    """A JPEG portrait that passes the registration's photo checks (480 × 600)."""
    out = BytesIO()
    Image.new("RGB", (480, 600), colour).save(out, "JPEG")
    return out.getvalue()


def person_fields(reference: str, family: str, given: str, gender: str) -> dict[str, str]:
    """The registration form's fields of one person of organisation A."""
    return {
        "reference": reference,
        "family_name": family,
        "given_names": given,
        "gender": gender,
        "birth_date": "1996-04-12",
        "nationality": "CZE",
        "document_type": "passport",
        "document_number": f"P{reference.replace('-', '')}X00".upper(),
        "document_expiry": "2031-05-31",
        "email": "",
        "function": "Photographer",
        "category": "E",
    }


@dataclass
class AccreditationWorld:
    """The organisations, operators and people the page tests work on."""

    numbers: dict[str, int]  # reference → accreditation number (organisation A)
    other: int  # an accreditation of organisation B


def _organisations(planes: Planes) -> None:
    with planes.games_session() as games:
        for code, name, kind in (
            (ORG_A, "Podium Media Agency A", "media"),
            (ORG_B, "Podium Media Agency B", "media"),
            ("PARIS2024", "Paris 2024 Organising Committee", "ocog"),
        ):
            if games.get(Organisation, code) is None:
                save_organisation(games, code, name, kind)
        set_quotas(games, ORG_A, {"E": 10, "EP": 2})


def _operators(planes: Planes, spine: Spine) -> None:
    with planes.sovereign_session() as session:
        for username, (country, organisation, roles, purposes) in ACCOUNTS.items():
            if _exists(session, username):
                continue
            create_operator(
                session,
                username=username,
                display_name=username.replace("-", " ").title(),
                home_country=country,
                organisation=organisation,
                roles=roles,
                purposes=purposes,
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )


def principal_of(planes: Planes, username: str, purpose: str = "accreditation") -> Any:
    """The principal of a test account, as its sign-in session presents it."""
    with planes.sovereign_session() as session:
        return build_principal(find_operator(session, username), None, purpose=purpose)


def _exists(session: Session, username: str) -> bool:
    try:
        find_operator(session, username)
    except NotFoundError:
        return False
    return True


def _registered(planes: Planes, spine: Spine, organisation: str, reference: str) -> int | None:
    """The accreditation of a reference already registered on this node, if any."""
    subject = registration_subject(spine.pseudonym_key, organisation, reference)
    with planes.games_session() as games:
        return games.scalar(select(Accreditation.id).where(Accreditation.subject_id == subject))


def _register(planes: Planes, spine: Spine, organisation: str, person: tuple[str, ...]) -> int:
    reference, family, given, gender = person
    found = _registered(planes, spine, organisation, reference)
    if found is not None:
        return found
    fields = {**person_fields(reference, family, given, gender), "organisation": organisation}
    del fields["email"]
    registrar = principal_of(
        planes, "pdma-registrar" if organisation == ORG_A else "pdmb-registrar"
    )
    photo = portrait() if organisation == ORG_A else None
    return register_person(planes, spine, registrar, fields, photo=photo).accreditation_id


def build_world(planes: Planes, spine: Spine) -> AccreditationWorld:
    """Create the organisations, operators and people; what a node already has is reused.

    Idempotent on the node's data (a copy of a node that has the world keeps it), so any
    test module may ask for the world on the shared node or on a copy of it.
    """
    _organisations(planes)
    _operators(planes, spine)
    numbers = {person[0]: _register(planes, spine, ORG_A, person) for person in PEOPLE}
    other = _register(planes, spine, ORG_B, ("B-1", "Schmidt", "Anna", "W"))
    return AccreditationWorld(numbers, other)


def status_of(planes: Planes, number: int) -> str:
    """The current status of an accreditation."""
    with planes.games_session() as games:
        status = games.scalar(select(Accreditation.status).where(Accreditation.id == number))
    assert status is not None
    return status


def sign_in(client: TestClient, username: str, purpose: str = "accreditation") -> str:
    """Sign in and return the session's CSRF token."""
    response = client.post(
        "/staff/login", data={"username": username, "password": PASSWORD, "purpose": purpose}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/staff/").text)


def csrf_of(html: str) -> str:
    """The CSRF token of a staff page's forms."""
    match = CSRF.search(html)
    assert match is not None
    return match.group(1)
