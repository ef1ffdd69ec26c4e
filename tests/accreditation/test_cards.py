"""Accreditation cards as PDF: pages, text, photo, fonts and the QR code of the credential.

The PDF is read back with pypdf (text extraction and embedded images); the QR image in
the PDF is compared module by module with the QR code segno makes of the credential text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from podium.accreditation.cards import CardData, CardFonts, card_fonts, render_cards
from podium.core.errors import InvalidInputError
from podium.gates import (
    AccreditationBody,
    Credential,
    IssuerKey,
    PublicKeySet,
    decode,
    from_text,
    open_issuer_keyring,
    sign,
)

VALID_FROM = datetime(2024, 7, 18, tzinfo=UTC)
VALID_UNTIL = datetime(2024, 8, 11, 21, 59, tzinfo=UTC)


@pytest.fixture(scope="module")
def keyring(tmp_path_factory: pytest.TempPathFactory) -> tuple[IssuerKey, PublicKeySet]:
    opened = open_issuer_keyring(tmp_path_factory.mktemp("issuer"))
    return opened.active, opened.public_key_set()


def _credential(
    keyring: tuple[IssuerKey, PublicKeySet], number: int = 1042, serial: int = 1
) -> str:
    body = AccreditationBody(category="Aa", zones=("1", "2", "3"))
    signed = sign(Credential(number, serial, VALID_FROM, VALID_UNTIL, body), keyring[0])
    return signed.text


def qr_code(text: str) -> segno.QRCode:
    """The QR code a gate expects of a credential text (as `podium.gates` draws it)."""
    return segno.make_qr(text, error="m", mode="alphanumeric", boost_error=False)


CREDENTIAL = "6BFOXN*TS0BI$ZDYSHS0NEC7T3GJ*2KR0-PN8R2OG2DOXT1"


def _jpeg(
    width: int = 480, height: int = 600, colour: tuple[int, int, int] = (180, 90, 40)
) -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGBA", (420, 525), (10, 120, 200, 255)).save(out, "PNG")
    return out.getvalue()


def _card(**changes: object) -> CardData:
    card = CardData(
        accreditation_number=1042,
        card_serial=1,
        name="Ondřej CERNY",
        organisation_code="CZE",
        organisation_name="Czech Olympic Committee",
        category_code="Aa",
        category_name="Team officials / Officiels d'équipe",
        zones=("1", "2", "3"),
        venues=(),
        valid_until=VALID_UNTIL,
        credential=CREDENTIAL,
        photo=_jpeg(),
        function="Coach",
    )
    return replace(card, **changes)  # type: ignore[arg-type]


def _pdf(cards: list[CardData], fonts: CardFonts | None = None) -> PdfReader:
    data = render_cards(cards, fonts)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    return PdfReader(BytesIO(data), strict=True)


def _qr_modules(image: Image.Image, modules: int) -> list[list[bool]]:
    """Read a QR image back into dark (True) and light modules, quiet zone excluded."""
    grey = image.convert("L")
    scale = grey.width // (modules + 8)
    return [
        [grey.getpixel(((4 + x) * scale + scale // 2, (4 + y) * scale + scale // 2)) < 128
         for x in range(modules)]
        for y in range(modules)
    ]  # fmt: skip


def test_a_batch_of_n_cards_is_one_pdf_of_n_pages() -> None:
    cards = [_card(accreditation_number=n, name=f"Person {n} TEST") for n in range(1, 6)]
    reader = _pdf(cards)
    assert len(reader.pages) == 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Person {number} TEST" in page.extract_text()
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (105, 148)  # A6


def test_the_card_shows_name_organisation_category_zones_venues_and_numbers() -> None:
    text = _pdf([_card(card_serial=2)]).pages[0].extract_text()
    for expected in (
        "Ondřej",
        "CERNY",
        "CZE",
        "Czech Olympic Committee",
        "Coach",
        "Aa",
        "Team officials / Officiels d'équipe",
        "1 2 3",
        "ALL",
        "2024-08-11",
        "1042",
    ):
        assert expected in text, expected
    assert "Card serial" in text
    assert text.split("Card serial / N° de carte")[1].strip().startswith("2")


def test_a_card_lists_its_venues_when_it_does_not_open_them_all() -> None:
    text = _pdf([_card(venues=("STA", "AQC"))]).pages[0].extract_text()
    assert "STA AQC" in text
    assert "ALL" not in text


def test_names_in_other_scripts_print_as_written() -> None:
    names = ["ŁUKASZ Żółć", "Ιωάννης ΠΑΠΑΔΟΠΟΥΛΟΣ", "Иван ПЕТРОВ", "Ørjan BJØRNSTAD"]
    reader = _pdf([_card(name=name) for name in names])
    for page, name in zip(reader.pages, names, strict=True):
        text = " ".join(page.extract_text().split())
        assert name in text


def test_the_photo_is_embedded_in_the_card_frame_without_stretching() -> None:
    wide = _jpeg(900, 600)
    page = _pdf([_card(photo=wide)]).pages[0]
    photos = [image.image for image in page.images if image.image.mode == "RGB"]
    assert len(photos) == 1
    assert photos[0].width * 4 == photos[0].height * 3  # cropped to 3:4, centred
    png_page = _pdf([_card(photo=_png())]).pages[0]
    assert any(image.image.mode == "RGB" for image in png_page.images)


def test_a_card_without_a_photo_says_so_instead() -> None:
    page = _pdf([_card(photo=None)]).pages[0]
    assert "NO PHOTO" in page.extract_text()
    assert all(image.image.mode == "1" for image in page.images)  # the QR code alone


def test_an_unreadable_photo_is_refused_naming_the_accreditation() -> None:
    with pytest.raises(InvalidInputError, match="accreditation 1042") as caught:
        render_cards([_card(photo=b"not an image")])
    assert caught.value.code == "photo_unreadable"


def test_the_qr_code_in_the_pdf_is_the_signed_credential_that_gates_decode(
    keyring: tuple[IssuerKey, PublicKeySet],
) -> None:
    text = _credential(keyring, number=1042, serial=3)
    page = _pdf([_card(photo=None, credential=text)]).pages[0]
    (qr_image,) = [image.image for image in page.images]
    expected = qr_code(text)
    modules = len(expected.matrix)
    assert qr_image.width == qr_image.height
    assert _qr_modules(qr_image, modules) == [[bool(m) for m in row] for row in expected.matrix]
    assert qr_code(text[:-1] + ("0" if text[-1] != "0" else "1")).matrix != expected.matrix
    signed = decode(from_text(text))
    assert (signed.credential.credential_id, signed.credential.card_serial) == (1042, 3)
    assert signed.credential.body.category == "Aa"
    key = keyring[1][signed.credential.key_id].public_key
    key.verify(signed.signature, signed.message)  # raises InvalidSignature if not signed


def test_a_batch_keeps_each_cards_own_qr_code(keyring: tuple[IssuerKey, PublicKeySet]) -> None:
    texts = [_credential(keyring, number) for number in (7, 8)]
    reader = _pdf([_card(photo=None, credential=text) for text in texts])
    images = [page.images[0].image for page in reader.pages]
    for image, text in zip(images, texts, strict=True):
        matrix = qr_code(text).matrix
        assert _qr_modules(image, len(matrix)) == [[bool(m) for m in row] for row in matrix]


def test_without_dejavu_the_card_falls_back_to_core_fonts_and_transliterates(
    tmp_path: Path,
) -> None:
    fonts = card_fonts(tmp_path)
    assert not fonts.unicode
    text = _pdf([_card(name="ŁUKASZ Ondřej Иван")], fonts).pages[0].extract_text()
    assert "LUKASZ Ondrej ????" in text
    assert "Catégorie" in text  # Latin-1 letters stay as they are
    assert card_fonts().unicode  # the system's DejaVu Sans is installed (set-up scripts)


def test_nothing_to_print_and_an_empty_credential_are_refused() -> None:
    with pytest.raises(InvalidInputError) as empty:
        render_cards([])
    assert empty.value.code == "cards_empty"
    with pytest.raises(InvalidInputError) as missing:
        render_cards([_card(credential="")])
    assert missing.value.code == "credential_missing"
