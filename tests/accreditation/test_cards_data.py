"""What a printed card shows, gathered from both planes under the policy (SQLite, PostgreSQL).

People are registered with portraits, approved and printed through the lifecycle; the
cards' data come from the games plane and the signed credential, the names and portraits
from the sovereign plane through `read_fields`, audited. An operator outside the EU/EEA
reads no name and is refused before any card is printed.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from podium.accreditation import (
    Accreditation,
    Desk,
    ManualVetting,
    Opinion,
    Organisation,
    print_cards,
    record_vetting,
    register_person,
    save_organisation,
    submit,
)
from podium.accreditation.card_data import (
    CARD_PRINT_ACTION,
    card_data,
    check_card_access,
    printed_name,
    read_holders,
)
from podium.accreditation.cards import render_cards
from podium.core.errors import PermissionDeniedError
from podium.privacy.audit import AuditRecord
from podium.privacy.operators import Principal
from podium.privacy.policy import Effect
from podium.privacy.regions import Region

ORG = "PDMC"


def _principal(region: Region, name: str) -> Principal:
    return Principal(
        operator_id=f"op_{name}",
        username=name,
        display_name=name,
        roles=frozenset({"accreditation-officer"}),
        purposes=frozenset({"accreditation"}),
        region=region,
        scopes=None,
        purpose="accreditation",
    )


EU = _principal(Region.EU_EEA, "eu")
OUTSIDE = _principal(Region.ADEQUACY, "ch")


def _portrait(colour: tuple[int, int, int]) -> bytes:
    out = BytesIO()
    Image.new("RGB", (480, 600), colour).save(out, "JPEG")
    return out.getvalue()


def _register(desk: Desk, reference: str, family: str, given: str, photo: bytes | None) -> int:
    values = {
        "reference": reference,
        "organisation": ORG,
        "family_name": family,
        "given_names": given,
        "gender": "M",
        "birth_date": "1994-01-02",
        "nationality": "CZE",
        "document_type": "passport",
        "document_number": f"P{reference}000",
        "document_expiry": "2031-01-01",
        "function": "Photographer",
        "category": "EP",
    }
    outcome = register_person(desk.planes, desk.spine, None, values, photo=photo)
    return outcome.accreditation_id


@pytest.fixture
def printed(desk: Desk) -> tuple[list[tuple[int, str]], bytes]:
    """Two people registered, approved and printed: (number, credential) each, a portrait."""
    with desk.planes.games_session() as games:
        if games.get(Organisation, ORG) is None:
            save_organisation(games, ORG, "Podium Photo Agency C", "media")
    photo = _portrait((120, 60, 30))
    numbers = [
        _register(desk, "A1", "Černý", "Ondřej", photo),
        _register(desk, "A2", "Łukasiewicz", "Ελένη", None),
    ]
    submit(desk, None, numbers)
    vetting = ManualVetting()
    for number in numbers:
        vetting.decide(number, Opinion.FAVOURABLE)
    record_vetting(desk, None, vetting)
    changes = print_cards(desk, None, numbers)
    return [(c.row["id"], c.values["credential"]) for c in changes], photo


def test_cards_carry_the_registered_name_portrait_and_the_credentials_grants(
    desk: Desk, printed: tuple[list[tuple[int, str]], bytes]
) -> None:
    cards_printed, photo = printed
    with desk.planes.games_session() as games, desk.planes.sovereign_session() as sovereign:
        check_card_access(desk.spine, sovereign, EU)
        cards = card_data(
            desk.spine, games, sovereign, EU, printed=cards_printed, access=desk.access
        )
    first, second = cards
    assert (first.name, second.name) == ("Ondřej ČERNÝ", "Ελένη ŁUKASIEWICZ")
    assert first.photo == photo
    assert second.photo is None
    assert first.organisation_name == "Podium Photo Agency C"
    assert first.category_code == "EP"
    assert first.category_name.startswith("Press photographers")
    assert first.card_serial == 1
    assert first.zones  # from the signed credential
    assert first.credential == cards_printed[0][1]
    reader = PdfReader(BytesIO(render_cards(cards)))
    assert len(reader.pages) == 2
    assert "ČERNÝ" in reader.pages[0].extract_text()
    assert "ŁUKASIEWICZ" in reader.pages[1].extract_text()
    with desk.planes.sovereign_session() as sovereign:
        reads = sovereign.scalars(
            select(AuditRecord).where(AuditRecord.action == CARD_PRINT_ACTION)
        ).all()
    assert {r.decision for r in reads} == {"allow"}
    assert any("photo" in r.fields for r in reads)


def test_an_operator_outside_the_eu_reads_no_name_and_is_refused_before_printing(
    desk: Desk, printed: tuple[list[tuple[int, str]], bytes]
) -> None:
    cards_printed, _photo = printed
    number = cards_printed[0][0]
    with desk.planes.games_session() as games:
        subject = games.scalar(select(Accreditation.subject_id).where(Accreditation.id == number))
    assert subject is not None
    with desk.planes.sovereign_session() as sovereign:
        holder = read_holders(desk.spine, sovereign, OUTSIDE, [subject], photo=True)[subject]
    assert (holder.name, holder.photo, holder.effect, holder.reason) == (
        None,
        None,
        Effect.DENY,
        "outside-eu",
    )
    with (
        pytest.raises(PermissionDeniedError) as refused,
        desk.planes.sovereign_session() as sovereign,
    ):
        check_card_access(desk.spine, sovereign, OUTSIDE)
    assert refused.value.code == "policy_denied"
    with desk.planes.sovereign_session() as sovereign:
        denials = sovereign.scalars(
            select(AuditRecord).where(
                AuditRecord.action == CARD_PRINT_ACTION, AuditRecord.decision == "deny"
            )
        ).all()
    assert [d.operator for d in denials] == ["op_ch"]


def test_cards_print_given_names_then_the_family_name_in_capitals() -> None:
    assert printed_name("Ondřej", "Černý") == "Ondřej ČERNÝ"
    assert printed_name(None, "Lima") == "LIMA"
    assert printed_name("  Ana ", None) == "Ana"
