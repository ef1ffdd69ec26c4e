"""Every ODF message Podium emits from the real Games validates against the IOC schema."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes
from podium.diffusion import feed_context, iter_messages
from podium.diffusion.feed import PARIS
from podium.games import queries as games
from podium.odf import FILENAME_PATTERN, parse_file, parse_message, validate_message
from podium.paris2024 import ImportReport


def _fixed() -> datetime:
    return datetime(2024, 8, 12, 1, 30, tzinfo=UTC)  # 03:30 in Paris: logical date Aug 12


def test_every_emitted_message_validates(planes: Planes) -> None:
    counts: Counter[str] = Counter()
    with planes.games_session() as session:
        for message in iter_messages(session, feed_context(_fixed)):
            assert validate_message(message.content) == [], message.document_code
            counts[message.document_type] += 1
    assert counts == {
        "DT_SCHEDULE": 46,
        "DT_RESULT": 4098,
        "DT_MEDALLISTS": 329,
        "DT_MEDALS": 1,
        "DT_PARTIC": 45,
    }


def test_result_message_carries_the_real_results(planes: Planes) -> None:
    with planes.games_session() as session:
        message = next(
            m
            for m in iter_messages(session, feed_context(_fixed))
            if m.document_code == "SWMM100MBA------------HEAT000100--"
        )
    parsed = parse_message(message.content)
    assert parsed.header.document_type == "DT_RESULT"
    assert parsed.header.logical_date.isoformat() == "2024-07-28"  # dated when the heat ended
    first = parsed.payload.lines[0]  # type: ignore[union-attr]
    assert (first.rank, first.result, first.competitor.code) == ("1", "55.78", "1901276")


def test_cli_exports_named_files_and_prints_the_medal_table(
    imported: tuple[Planes, ImportReport, Path], tmp_path: Path
) -> None:
    _, _, data_dir = imported
    runner = CliRunner()
    medals = runner.invoke(app, ["--data-dir", str(data_dir), "medals", "--format", "json"])
    assert medals.exit_code == 0, medals.output
    table = json.loads(medals.stdout)
    assert table[0] == {
        "rank": 1,
        "noc": "USA",
        "gold": 40,
        "silver": 44,
        "bronze": 42,
        "total": 126,
    }
    out = tmp_path / "odf"
    exported = runner.invoke(app, ["--data-dir", str(data_dir), "odf", "export", str(out)])
    assert exported.exit_code == 0, exported.output
    files = sorted(out.iterdir())
    assert len(files) == 4519
    assert all(FILENAME_PATTERN.fullmatch(f.name) for f in files)
    medals_file = next(f for f in files if "DT_MEDALS_" in f.name)
    assert parse_file(medals_file).header.document_type == "DT_MEDALS"
    checked = runner.invoke(app, ["odf", "validate", str(medals_file)])
    assert checked.exit_code == 0
    assert "valid" in checked.stdout


def test_record_marks_are_emitted_and_validate() -> None:
    from podium.diffusion.messages import record_marks  # noqa: PLC0415
    from podium.odf import (  # noqa: PLC0415
        Athlete,
        Competitor,
        ResultLine,
        Rsc,
        UnitResult,
        build_result,
    )

    marks = record_marks("WR, =OR")
    assert [(m.code, m.order, m.equalled) for m in marks] == [("WR", 1, False), ("OR", 2, True)]
    athlete = Athlete(code="1", family_name="DUPLANTIS", gender="M", organisation="SWE")
    line = ResultLine(
        competitor=Competitor.individual(athlete), rank="1", result="6.25", records=marks
    )
    unit = Rsc("ATHMPOLEVAULT---------FNL-000100--")
    header = feed_context(_fixed).stamp("DT_RESULT", unit, 1, result_status="OFFICIAL")
    message = build_result(header, UnitResult(unit=unit, lines=(line,)))
    assert validate_message(message) == []
    assert b'RecordType="WR"' in message


def test_index_lists_exactly_the_messages_built(planes: Planes) -> None:
    from podium.diffusion import build_message, message_index  # noqa: PLC0415

    with planes.games_session() as session:
        built = {
            (m.document_type, m.document_code): m.content
            for m in iter_messages(session, feed_context(_fixed))
        }
        index = message_index(session)
        assert sorted(index) == sorted(built)
        for key in [index[0], index[100], index[-1], ("DT_MEDALS", "-" * 34)]:
            one = build_message(session, feed_context(_fixed), *key)
            assert one is not None
            assert one.content == built[key]
        assert build_message(session, feed_context(_fixed), "DT_RESULT", "nope") is None


def test_a_result_after_midnight_belongs_to_the_previous_logical_day(planes: Planes) -> None:
    """Teahupo'o's surfing final ended at 02:51 Paris time on 6 August: before the 03:00
    cut-off, so its LogicalDate is 5 August (ODF Foundation Principles, LogicalDate)."""
    from podium.diffusion import build_message  # noqa: PLC0415

    final = "SRFMSHORTBRD----------FNL-000100--"
    with planes.games_session() as session:
        message = build_message(session, feed_context(), "DT_RESULT", final)
    assert message is not None
    header = parse_message(message.content).header
    assert header.date.isoformat() == "2024-08-06"
    assert header.logical_date.isoformat() == "2024-08-05"


def test_exporting_twice_gives_the_same_files(planes: Planes) -> None:
    from podium.odf import message_filename  # noqa: PLC0415

    def names() -> set[str]:
        with planes.games_session() as session:
            return {
                message_filename(parse_message(m.content).header, m.content)
                for m in iter_messages(session, feed_context())
                if m.document_type in {"DT_SCHEDULE", "DT_MEDALS", "DT_MEDALLISTS"}
            }

    assert names() == names()


def test_medallists_name_the_deciding_unit_and_list_team_members(planes: Planes) -> None:
    from podium.diffusion import build_message  # noqa: PLC0415

    with planes.games_session() as session:
        football = build_message(
            session, feed_context(), "DT_MEDALLISTS", "FBLMTEAM11------------------------"
        )
    assert football is not None
    assert validate_message(football.content) == []
    awards = parse_message(football.content).payload.awards  # type: ignore[union-attr]
    gold = next(a for a in awards if a.medal == "ME_GOLD")
    assert gold.unit == "FBLMTEAM11------------FNL-000100--"
    [spain] = gold.competitors
    assert (spain.type, spain.organisation, spain.code) == ("T", "ESP", "FBLMTEAM11--ESP01")
    assert len(spain.athletes) >= 18


def test_team_results_carry_members_and_the_winner(planes: Planes) -> None:
    from podium.diffusion import build_message  # noqa: PLC0415

    unit = "RU7MTEAM7-------------FNL-000300--"
    with planes.games_session() as session:
        message = build_message(session, feed_context(), "DT_RESULT", unit)
    assert message is not None
    assert validate_message(message.content) == []
    lines = parse_message(message.content).payload.lines  # type: ignore[union-attr]
    assert {line.wlt for line in lines} == {"W", "L"}
    assert all(line.competitor.type == "T" for line in lines)
    assert all(len(line.competitor.athletes) >= 12 for line in lines)


def test_medallists_come_gold_first_and_after_the_deciding_unit(planes: Planes) -> None:
    from podium.diffusion import build_message  # noqa: PLC0415

    event = "BOXW60KG--------------------------"
    with planes.games_session() as session:
        message = build_message(session, feed_context(), "DT_MEDALLISTS", event)
        final = games.unit(session, "BOXW60KG--------------FNL-000100--")
    assert message is not None
    parsed = parse_message(message.content)
    medals = [a.medal for a in parsed.payload.awards]  # type: ignore[union-attr]
    assert medals == ["ME_GOLD", "ME_SILVER", "ME_BRONZE", "ME_BRONZE"]
    stamped = datetime.combine(parsed.header.date, parsed.header.time)
    assert final.ends_at is not None
    assert stamped >= final.ends_at.astimezone(PARIS).replace(tzinfo=None)
