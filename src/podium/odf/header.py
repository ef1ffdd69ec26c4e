# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Stamping message headers from an injected clock and the Games' feed settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from podium.core.clock import Clock, system_clock
from podium.odf.model import FeedFlag, MessageHeader, ResultStatus
from podium.odf.timing import logical_date

if TYPE_CHECKING:
    from datetime import tzinfo

__all__ = ["GAMES_DOCUMENT_CODE", "FeedContext"]

GAMES_DOCUMENT_CODE: Final = "-" * 34
"""DocumentCode of Games-wide messages such as DT_MEDALS: the RSC with no part set."""


@dataclass(frozen=True, slots=True)
class FeedContext:
    """What every message of one Games feed shares, and the clock that dates them.

    Args:
        competition_code: `CompetitionCode`, for example `OG2024`.
        source: `Source`, the producing system's code, for example `ODS`.
        local_tz: the Games time zone; `Date`, `Time` and `LogicalDate` are local.
        gen: `Competition@Gen`, the general code-set version, for example `OWG2026-GEN-4.6`.
        codes: `Competition@Codes`, the sport code-set version, for example `YOG-2026-2.4`.
        feed_flag: `P` (production) or `T` (test).
        clock: returns the current aware time; inject a fixed one in tests.
        language: `Language` or None.

    """

    competition_code: str
    source: str
    local_tz: tzinfo
    gen: str
    codes: str
    feed_flag: FeedFlag = "P"
    clock: Clock = field(default=system_clock)
    language: str | None = None

    def stamp(
        self,
        document_type: str,
        document_code: str,
        version: int,
        *,
        result_status: ResultStatus | None = None,
        document_subcode: str | None = None,
    ) -> MessageHeader:
        """Return a header dated now: `Date`, `Time` and `LogicalDate` from the clock.

        Args:
            document_type: `DocumentType`, for example `DT_RESULT`.
            document_code: `DocumentCode`, for example the unit RSC.
            version: `Version`, 1 or more.
            result_status: `ResultStatus` or None.
            document_subcode: `DocumentSubcode` or None.

        Raises:
            InvalidOdfValueError: `odf_naive_datetime` when the clock returns a naive time;
                `odf_bad_value` for a bad version or status.

        Rule source: ODF Foundation Principles, message header (LogicalDate cut-off 03:00).

        """
        now = self.clock()
        day = logical_date(now, self.local_tz)
        local = now.astimezone(self.local_tz)
        return MessageHeader(
            competition_code=self.competition_code,
            document_code=document_code,
            document_type=document_type,
            version=version,
            feed_flag=self.feed_flag,
            date=local.date(),
            time=local.time().replace(microsecond=local.microsecond // 1000 * 1000),
            logical_date=day,
            source=self.source,
            document_subcode=document_subcode,
            result_status=result_status,
            language=self.language,
            gen=self.gen,
            codes=self.codes,
        )
