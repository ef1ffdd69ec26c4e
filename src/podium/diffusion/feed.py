"""What every Podium feed message shares: its context, its date, its file shape."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from podium.core.clock import Clock, system_clock
from podium.games import GAMES_TIME_ZONE
from podium.odf import FeedContext, MessageHeader

__all__ = ["GENDERS", "PARIS", "OdfMessageFile", "as_of", "evening", "feed_context", "split_name"]


PARIS = GAMES_TIME_ZONE


@dataclass(frozen=True, slots=True)
class OdfMessageFile:
    """One built message: its DocumentType, DocumentCode, XML bytes and header."""

    document_type: str
    document_code: str
    content: bytes
    header: MessageHeader | None = None


def feed_context(clock: Clock = system_clock, source: str = "PODIUM") -> FeedContext:
    """Return the feed context of the Paris 2024 Olympic Games (local time Europe/Paris)."""
    return FeedContext(
        competition_code="OG2024",
        source=source,
        local_tz=PARIS,
        gen="OG2024-GEN-1.0",
        codes="OG2024-1.0",
        clock=clock,
    )


def as_of(context: FeedContext, moment: datetime) -> FeedContext:
    """Return the context stamped at `moment`, unless the context's clock is earlier.

    A message is dated when what it describes happened (a result when its unit ended), so
    exporting the past Games gives the same headers, `LogicalDate`s and file names every
    time; a live message, describing now, is dated now. Never later than the clock.
    """
    now = context.clock()
    stamp = min(moment, now)
    return replace(context, clock=lambda: stamp)


def evening(day: date) -> datetime:
    """Return 23:00 Paris time of a competition day: when a day's medals are all known."""
    return datetime.combine(day, time(23, 0), tzinfo=PARIS)


GENDERS = {"M": "M", "W": "F", "X": "X"}


def split_name(printed: str) -> tuple[str, str | None]:
    """Split `FAMILY Given` into family and given names (family names are upper case)."""
    words = printed.split()
    family = [w for w in words if w.isupper() or not w.isalpha()] or words[:1]
    given = [w for w in words if w not in family]
    return " ".join(family), " ".join(given) or None
