"""Printable accreditation cards: one A6 page per card, as PDF (fpdf2), with the QR credential.

`render_cards` is pure: values in (`CardData`), PDF bytes out; it reads no database and
decides nothing. The card follows the Olympic accreditation card's anatomy (Olympic Charter
Rule 52 and its bye-law: the card identifies its holder and carries the access rights):
photo, printed name, responsible organisation, accreditation category, zone codes in large
boxes, venues (or ALL), validity, accreditation number and card serial, and the QR code of
the signed credential's text form (`podium.gates`) that gates read offline. Labels are
bilingual English/French, as on the Games' cards.

Text is set in DejaVu Sans (Unicode: Latin with its diacritics, Greek, Cyrillic) from the
system's fonts. Without it, the card falls back to PDF core fonts and transliterates names
to Latin-1 (`Ł` → `L`), which `CardFonts.unicode` reports.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageOps, UnidentifiedImageError

from podium.core.errors import InvalidInputError
from podium.gates import qr_png

__all__ = [
    "CARD_FONT_DIR",
    "CardData",
    "CardFonts",
    "card_fonts",
    "render_cards",
]

CARD_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where the card's Unicode fonts are read (Debian's `fonts-dejavu-core`)."""
_REGULAR, _BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
_PAGE_W, _PAGE_H = 105.0, 148.0  # A6 portrait, millimetres (ISO 216)
_MARGIN = 6.0
_PHOTO_W, _PHOTO_H = 30.0, 40.0  # 3:4, the ICAO passport-photo ratio
_QR_SIZE = 38.0
_QR_SCALE = 10  # image pixels per QR module: sharp when printed at any usual size
_ZONE_BOX = 12.0
_INK = (20, 20, 20)
_BAND = (0, 45, 98)
_LATIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h",
     "ı": "i", "Œ": "OE", "œ": "oe", "ß": "ss", "Þ": "TH", "þ": "th", "Æ": "AE", "æ": "ae"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CardData:
    """Everything printed on one accreditation card.

    Attributes:
        accreditation_number: the accreditation's number (`Accreditation.id`).
        card_serial: the serial of this printing (1 for the first card, 2 for a re-print).
        name: the holder's name as printed, e.g. `Ondřej CERNY`.
        organisation_code: the responsible organisation's code (`FRA`, `AFP`).
        organisation_name: its full name.
        category_code: the accreditation category's code (`Aa`, `E`).
        category_name: the category's name (`Athlete`, `Press`).
        zones: the zone codes the card admits to, in order (`("1", "3", "5")`).
        venues: the venue codes the card admits to; empty means every venue (`ALL`).
        valid_until: the last instant the card admits; None when open-ended.
        credential: the signed credential's Base45 text (`podium.gates.SignedCredential.text`),
            encoded in the QR code.
        photo: the holder's photo (JPEG or PNG bytes), or None for the "no photo" box.
        function: the holder's function (`Coach`), printed under the organisation.
        games: the event's name, printed in the card's top band.

    """

    accreditation_number: int
    card_serial: int
    name: str
    organisation_code: str
    organisation_name: str
    category_code: str
    category_name: str
    zones: tuple[str, ...]
    venues: tuple[str, ...]
    valid_until: datetime | None
    credential: str
    photo: bytes | None = None
    function: str | None = None
    games: str = "Paris 2024"


@dataclass(frozen=True, slots=True)
class CardFonts:
    """The fonts a card is set in.

    Attributes:
        family: the fpdf2 font family name.
        regular: the regular face's TTF file, or None for the core font.
        bold: the bold face's TTF file, or None for the core font.

    """

    family: str
    regular: Path | None
    bold: Path | None

    @property
    def unicode(self) -> bool:
        """Whether names print as written (True) or transliterated to Latin-1 (False)."""
        return self.regular is not None


def card_fonts(font_dir: Path = CARD_FONT_DIR) -> CardFonts:
    """Return DejaVu Sans from `font_dir`, or the Helvetica core font when it is missing.

    Args:
        font_dir: the folder holding `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf`.
    """
    regular, bold = font_dir / _REGULAR, font_dir / _BOLD
    if regular.is_file() and bold.is_file():
        return CardFonts("DejaVu", regular, bold)
    return CardFonts("helvetica", None, None)


def _qr_png(card: CardData) -> BytesIO:
    """Return the PNG of the card's QR code, drawn by `podium.gates` (error correction M)."""
    if not card.credential:
        message = f"accreditation {card.accreditation_number}: the card has no credential"
        raise InvalidInputError(message, code="credential_missing")
    return BytesIO(qr_png(card.credential, scale=_QR_SCALE, border=4))


def _photo_image(photo: bytes, number: int) -> Image.Image:
    """Open a photo and crop it to the card's 3:4 frame, centred (never stretched)."""
    try:
        with Image.open(BytesIO(photo)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        message = f"accreditation {number}: the photo is not a readable JPEG or PNG image"
        raise InvalidInputError(message, code="photo_unreadable") from error
    width = max(1, min(image.width, image.height * 3 // 4))
    return ImageOps.fit(image, (width, width * 4 // 3))


def _latin1(char: str) -> str:
    """Return a character as Latin-1 can print it: itself, its base letter, or `?`."""
    if ord(char) < 0x100:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(ord(c) < 0x100 for c in base) else "?"


class _Card(FPDF):
    """An A6 document whose every page is one card."""

    def __init__(self, fonts: CardFonts) -> None:
        super().__init__(orientation="P", unit="mm", format=(_PAGE_W, _PAGE_H))
        self.card_fonts = fonts
        if fonts.regular is not None and fonts.bold is not None:
            self.add_font(fonts.family, "", str(fonts.regular))
            self.add_font(fonts.family, "B", str(fonts.bold))
        self.set_auto_page_break(auto=False)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_title("Accreditation cards")
        self.set_creator("Podium")
        self.set_lang("en")

    def text_of(self, text: str) -> str:
        """Return text as the fonts can print it (transliterated without a Unicode font)."""
        if self.card_fonts.unicode:
            return text
        return "".join(_latin1(c) for c in text.translate(_LATIN))

    def font(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = _INK) -> None:
        """Select the card's font at `size` points."""
        self.set_font(self.card_fonts.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def write_at(self, x: float, y: float, width: float, text: str, align: str = "L") -> None:
        """Write one line of text in a cell of `width` millimetres at (x, y)."""
        self.set_xy(x, y)
        self.cell(width, self.font_size * 1.25, self.text_of(text), align=align)

    def fitting_size(
        self, text: str, width: float, largest: float, smallest: float, lines: int = 1
    ) -> float:
        """Return the largest font size (points) at which `text` fits in `lines` of `width`.

        The current face (regular or bold) is measured; below `smallest` the text wraps
        or is clipped rather than becoming unreadable.
        """
        size = largest
        while size > smallest:
            self.set_font_size(size)
            wrapped = self.multi_cell(
                width, 1, self.text_of(text), dry_run=True, output="LINES", padding=0
            )
            if isinstance(wrapped, list) and len(wrapped) <= lines:
                break
            size -= 0.5
        return size


def _band(pdf: _Card, card: CardData) -> None:
    pdf.set_fill_color(*_BAND)
    pdf.rect(0, 0, _PAGE_W, 14, style="F")
    pdf.font(11, bold=True, colour=(255, 255, 255))
    pdf.write_at(_MARGIN, 4, 60, card.games)
    pdf.font(7, colour=(255, 255, 255))
    pdf.write_at(_PAGE_W - _MARGIN - 40, 2.5, 40, "Accreditation", align="R")
    pdf.write_at(_PAGE_W - _MARGIN - 40, 6.5, 40, "Accréditation", align="R")


def _photo(pdf: _Card, card: CardData, y: float) -> None:
    x = _MARGIN
    pdf.set_draw_color(*_INK)
    if card.photo is None:
        pdf.set_fill_color(235, 235, 235)
        pdf.rect(x, y, _PHOTO_W, _PHOTO_H, style="DF")
        pdf.font(8, bold=True)
        pdf.write_at(x, y + _PHOTO_H / 2 - 5, _PHOTO_W, "NO PHOTO", align="C")
        pdf.write_at(x, y + _PHOTO_H / 2, _PHOTO_W, "SANS PHOTO", align="C")
        return
    image = _photo_image(card.photo, card.accreditation_number)
    pdf.image(image, x=x, y=y, w=_PHOTO_W, h=_PHOTO_H)
    pdf.rect(x, y, _PHOTO_W, _PHOTO_H)


def _identity(pdf: _Card, card: CardData, y: float) -> None:
    x = _MARGIN + _PHOTO_W + 4
    width = _PAGE_W - _MARGIN - x
    pdf.font(14, bold=True)
    size = pdf.fitting_size(card.name, width, 14, 8, lines=2)
    pdf.set_xy(x, y)
    pdf.multi_cell(width, size * 0.45, pdf.text_of(card.name), align="L")
    top = max(pdf.get_y(), y + 10) + 2
    pdf.font(11, bold=True)
    pdf.write_at(x, top, width, card.organisation_code)
    pdf.font(8)
    pdf.font(pdf.fitting_size(card.organisation_name, width, 8, 5.5))
    pdf.write_at(x, top + 5.5, width, card.organisation_name)
    if card.function:
        pdf.font(8)
        pdf.write_at(x, top + 10, width, card.function)


def _category(pdf: _Card, card: CardData, y: float) -> None:
    pdf.set_fill_color(*_INK)
    pdf.rect(_MARGIN, y, 24, 14, style="F")
    pdf.font(20, bold=True, colour=(255, 255, 255))
    pdf.write_at(_MARGIN, y + 2.5, 24, card.category_code, align="C")
    x = _MARGIN + 27
    width = _PAGE_W - _MARGIN - x
    pdf.font(6.5)
    pdf.write_at(x, y + 1, width, "Category / Catégorie")
    pdf.font(12, bold=True)
    pdf.font(pdf.fitting_size(card.category_name, width, 12, 7), bold=True)
    pdf.write_at(x, y + 6, width, card.category_name)


def _zones(pdf: _Card, card: CardData, y: float) -> float:
    """Draw the zone boxes from `y`; return where the next block may start."""
    pdf.font(6.5)
    pdf.write_at(_MARGIN, y, 80, "Zones")
    top, x = y + 4, _MARGIN
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.6)
    for zone in card.zones or ("-",):
        pdf.font(20, bold=True)
        width = max(_ZONE_BOX, pdf.get_string_width(pdf.text_of(zone)) + 3)
        if x + width > _PAGE_W - _MARGIN:
            top, x = top + _ZONE_BOX + 1.5, _MARGIN
        pdf.rect(x, top, width, _ZONE_BOX)
        pdf.write_at(x, top + (_ZONE_BOX - pdf.font_size * 1.25) / 2, width, zone, "C")
        x += width + 1.5
    pdf.set_line_width(0.2)
    return top + _ZONE_BOX + 3


def _footer(pdf: _Card, card: CardData, y: float) -> None:
    width = _PAGE_W - 2 * _MARGIN - _QR_SIZE - 2
    pdf.font(6.5)
    pdf.write_at(_MARGIN, y, width, "Venues / Sites")
    venues = " ".join(card.venues) if card.venues else "ALL"
    pdf.font(12, bold=True)
    pdf.font(pdf.fitting_size(venues, width, 12, 6, lines=2), bold=True)
    pdf.set_xy(_MARGIN, y + 3.5)
    pdf.multi_cell(width, pdf.font_size * 1.2, pdf.text_of(venues), align="L")
    until = card.valid_until.date().isoformat() if card.valid_until else "-"
    rows = [
        ("Valid until / Valable jusqu'au", until),
        ("Accreditation no. / N° d'accréditation", f"{card.accreditation_number}"),
        ("Card serial / N° de carte", f"{card.card_serial}"),
    ]
    top = _PAGE_H - _MARGIN - len(rows) * 7.5
    for label, value in rows:
        pdf.font(6)
        pdf.write_at(_MARGIN, top, width, label)
        pdf.font(9, bold=True)
        pdf.write_at(_MARGIN, top + 2.8, width, value)
        top += 7.5
    qr_x, qr_y = _PAGE_W - _MARGIN - _QR_SIZE, _PAGE_H - _MARGIN - _QR_SIZE
    pdf.image(_qr_png(card), x=qr_x, y=qr_y, w=_QR_SIZE, h=_QR_SIZE)


def _draw(pdf: _Card, card: CardData) -> None:
    pdf.add_page()
    _band(pdf, card)
    _photo(pdf, card, 18)
    _identity(pdf, card, 18)
    _category(pdf, card, 62)
    _footer(pdf, card, _zones(pdf, card, 80))


def render_cards(cards: Sequence[CardData], fonts: CardFonts | None = None) -> bytes:
    """Render accreditation cards as one PDF document, one A6 page per card, in order.

    Args:
        cards: the cards to print (one for a single card, many for a batch).
        fonts: the fonts to set the cards in; by default DejaVu Sans from the system,
            else the core fonts with transliterated names (`card_fonts`).

    Returns:
        The PDF document's bytes.

    Raises:
        InvalidInputError: no card was given (`cards_empty`), a photo is not a readable
            image (`photo_unreadable`) or a credential is empty (`credential_missing`).
    """
    if not cards:
        raise InvalidInputError("there is no card to print", code="cards_empty")
    pdf = _Card(fonts or card_fonts())
    for card in cards:
        _draw(pdf, card)
    return bytes(pdf.output())
