"""A printable ticket: one A6 page, as PDF (fpdf2), with the QR code of the signed ticket.

`render_ticket` is pure: values in (`TicketPrint`), PDF bytes out. The QR code holds the
ticket's static signed text only (`podium.gates`, Base45). It does NOT admit on its own:
gates also ask for the rotating code (`podium.gates.codes`, 15-second step) that only the
Podium app shows, from a few hours before the session, so a printed or photographed ticket
is refused `code_missing`. The page says so, in English and French.

Text is set in DejaVu Sans from the system's fonts (names with any diacritics print as
written); without it the core Helvetica font is used and names are transliterated to
Latin-1, as on accreditation cards.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from fpdf import FPDF

from podium.core.errors import InvalidInputError
from podium.gates import qr_png
from podium.ticketing.models import Ticket
from podium.ticketing.rotating import ticket_view
from podium.ticketing.tickets import TicketDesk

__all__ = ["TICKET_FONT_DIR", "TicketPrint", "render_ticket", "ticket_document"]

TICKET_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where the ticket's Unicode fonts are read (Debian's `fonts-dejavu-core`)."""
_PAGE_W, _PAGE_H = 105.0, 148.0  # A6 portrait, millimetres (ISO 216)
_MARGIN = 7.0
_QR = 52.0
_BAND = (0, 45, 98)
_INK = (20, 20, 20)
NOTE_EN = (
    "This code alone does not admit. Show the rotating code in the Podium app at the gate: "
    "it appears in the hours before the session and changes every 15 seconds."
)
NOTE_FR = (
    "Ce code seul ne permet pas d'entrer. Présentez le code tournant de l'application "
    "Podium : il apparaît dans les heures qui précèdent la session et change toutes les "
    "15 secondes."
)


@dataclass(frozen=True, slots=True)
class TicketPrint:
    """Everything printed on a ticket.

    Attributes:
        ticket_id: the ticket's id (`tkt_...`).
        number: the ticket number (credential id) and `serial` its credential serial.
        session_code: the session (`SWM01`), with `session_title` (e.g. the venue's name)
            and `starts_at` (printed in UTC, ISO 8601).
        area_name: the seating area; `seat` the place label.
        holder_name: the nominative holder, or None.
        price_cents: face value in euro cents.
        credential: the signed ticket's Base45 text (the QR code).
        games: the event's name in the top band.

    """

    ticket_id: str
    number: int
    serial: int
    session_code: str
    session_title: str
    starts_at: datetime
    area_name: str
    seat: str
    holder_name: str | None
    price_cents: int
    credential: str
    games: str = "Paris 2024"


def _latin1(text: str) -> str:
    out = []
    for char in text:
        if ord(char) < 0x100:
            out.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) < 0x100 for c in base) else "?")
    return "".join(out)


class _Ticket(FPDF):
    def __init__(self, font_dir: Path) -> None:
        super().__init__(orientation="P", unit="mm", format=(_PAGE_W, _PAGE_H))
        regular, bold = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf"
        self.unicode = regular.is_file() and bold.is_file()
        self.family = "DejaVu" if self.unicode else "helvetica"
        if self.unicode:
            self.add_font(self.family, "", str(regular))
            self.add_font(self.family, "B", str(bold))
        self.set_auto_page_break(auto=False)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_title("Ticket")
        self.set_creator("Podium")
        self.set_lang("en")

    def line_at(self, y: float, text: str, size: float, *, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_xy(_MARGIN, y)
        self.cell(_PAGE_W - 2 * _MARGIN, size * 0.5, text if self.unicode else _latin1(text))

    def paragraph(self, y: float, text: str, size: float) -> None:
        self.set_font(self.family, "", size)
        self.set_xy(_MARGIN, y)
        self.multi_cell(_PAGE_W - 2 * _MARGIN, size * 0.45, text if self.unicode else _latin1(text))


def render_ticket(ticket: TicketPrint, font_dir: Path = TICKET_FONT_DIR) -> bytes:
    """Render one ticket as a PDF document of one A6 page.

    Args:
        ticket: what to print.
        font_dir: the folder of DejaVu Sans (the core font is used when it is missing).

    Returns:
        The PDF document's bytes.
    """
    pdf = _Ticket(font_dir)
    pdf.add_page()
    pdf.set_fill_color(*_BAND)
    pdf.rect(0, 0, _PAGE_W, 14, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.line_at(4, f"{ticket.games}  Ticket / Billet", 11, bold=True)
    pdf.set_text_color(*_INK)
    pdf.line_at(18, f"{ticket.session_code}  {ticket.session_title}", 12, bold=True)
    pdf.line_at(25, ticket.starts_at.strftime("%Y-%m-%d %H:%M UTC"), 9)
    pdf.line_at(31, f"Area / Tribune: {ticket.area_name}", 9)
    pdf.line_at(37, f"Seat / Place: {ticket.seat}", 12, bold=True)
    pdf.line_at(44, f"Holder / Titulaire: {ticket.holder_name or '-'}", 9)
    euros = f"{ticket.price_cents // 100},{ticket.price_cents % 100:02d} EUR"
    pdf.line_at(50, f"Face value / Valeur faciale: {euros}", 8)
    image = BytesIO(qr_png(ticket.credential, scale=8, border=4))
    pdf.image(image, x=(_PAGE_W - _QR) / 2, y=56, w=_QR, h=_QR)
    pdf.line_at(109, f"No. {ticket.number}  serial {ticket.serial}  {ticket.ticket_id}", 7)
    pdf.paragraph(115, NOTE_EN, 7.5)
    pdf.paragraph(129, NOTE_FR, 7.5)
    return bytes(pdf.output())


def ticket_document(desk: TicketDesk, ticket_id: str, account_id: str) -> bytes:
    """Return the PDF of a fan's own ticket.

    Raises:
        TicketingNotFoundError: `ticket_not_found` (also another account's ticket).
        InvalidInputError: `credential_missing`, the ticket is not valid any more.
    """
    view = ticket_view(desk, ticket_id, account_id=account_id)
    credential = desk.games.get_one(Ticket, ticket_id).credential
    if credential is None or view.code.state == "void":
        raise InvalidInputError(
            f"ticket {ticket_id} has no valid credential", code="credential_missing"
        )
    return render_ticket(
        TicketPrint(
            ticket_id=view.ticket_id,
            number=view.number,
            serial=view.serial,
            session_code=view.session_code,
            session_title=view.venue_name or view.venue_code or "",
            starts_at=view.starts_at,
            area_name=view.area_name,
            seat=view.seat,
            holder_name=view.holder_name,
            price_cents=view.price_cents,
            credential=credential,
        )
    )
