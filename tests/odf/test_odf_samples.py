# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
import dataclasses
from datetime import date, time
from pathlib import Path

import pytest

from podium.odf import (
    FILENAME_PATTERN,
    OdfReadError,
    ParticipantList,
    Schedule,
    build_schedule,
    message_filename,
    parse_file,
    parse_message,
    parse_odf_time,
    validate_file,
    validate_message,
)

SAMPLES = Path(__file__).parents[1] / "data" / "odf-samples"
PARIS = sorted(SAMPLES.glob("*.xml"))
SYNTHETIC = sorted((SAMPLES / "synthetic-syog2026").glob("*.xml"))


def test_samples_are_present() -> None:
    assert len(PARIS) == 13
    assert len(SYNTHETIC) == 6


@pytest.mark.parametrize("path", PARIS, ids=lambda path: path.name[8:11])
def test_paris_schedule_round_trips_through_the_model(path: Path) -> None:
    original = parse_file(path)
    assert isinstance(original.payload, Schedule)
    assert original.header.gen is None  # Paris 2024 messages carry no Gen/Codes
    header = dataclasses.replace(original.header, gen="OG2024-GEN", codes="OG2024-CODES")
    rebuilt = build_schedule(header, original.payload)
    assert validate_message(rebuilt) == []
    again = parse_message(rebuilt)
    assert again.payload == original.payload
    assert dataclasses.replace(again.header, gen=None, codes=None) == original.header


def test_paris_schedule_keeps_units_sessions_and_both_languages() -> None:
    bmx = parse_file(next(path for path in PARIS if path.name[8:11] == "BMX")).payload
    assert isinstance(bmx, Schedule)
    first = bmx.units[0]
    assert first.code == "BMXMINDVRACE----------QFNL000100--"
    assert first.status == "SCHEDULED"
    assert first.start is not None
    assert first.start.isoformat() == "2024-08-01T20:00:00+02:00"
    assert [name.language for name in first.names] == ["ENG", "FRA"]
    assert (first.venue, first.venue_name, first.session_code) == ("VE2", "BMX Stadium", "BMX01")
    assert [session.code for session in bmx.sessions] == ["BMX01", "BMX02"]


def test_unscheduled_units_have_no_dates() -> None:
    ceremonies = parse_file(next(path for path in PARIS if path.name[8:11] == "CER")).payload
    assert isinstance(ceremonies, Schedule)
    assert {unit.status for unit in ceremonies.units} == {"UNSCHEDULED"}
    assert all(unit.start is None for unit in ceremonies.units)


@pytest.mark.parametrize("path", PARIS, ids=lambda path: path.name[8:11])
def test_paris_messages_fail_the_2026_schema_only_for_gen_and_codes(path: Path) -> None:
    errors = validate_file(path)
    assert [error.line for error in errors] == [3, 3]
    assert all("Competition" in error.message for error in errors)
    assert {"'Gen'", "'Codes'"} == {
        word
        for e in errors
        for word in e.message.split()
        if "'" in word and word in ("'Gen'", "'Codes'")
    }


@pytest.mark.parametrize("path", SYNTHETIC, ids=lambda path: path.stem)
def test_synthetic_syog2026_messages_validate_and_parse(path: Path) -> None:
    assert validate_file(path) == []
    message = parse_file(path)
    assert message.header.competition_code == "SYOG2026"


def test_synthetic_participants_are_read() -> None:
    partic = parse_file(SAMPLES / "synthetic-syog2026" / "EQU_DT_PARTIC.xml").payload
    assert isinstance(partic, ParticipantList)
    assert len(partic.participants) == 29
    assert partic.participants[0].print_name == "CERNY Ondřej"


@pytest.mark.parametrize("path", PARIS, ids=lambda path: path.name[8:11])
def test_file_name_reproduces_the_real_layout(path: Path) -> None:
    fields = FILENAME_PATTERN.fullmatch(path.name)
    assert fields is not None
    message = parse_file(path)
    # The real names carry the export's date and time, not the header's: use the name's.
    header = dataclasses.replace(
        message.header,
        logical_date=_date(fields["logical_date"]),
        date=_date(fields["date"].replace("-", "")),
        time=_time(fields["time"]),
    )
    name = message_filename(header, path.read_bytes())
    assert name[:-7] == path.name[:-7]
    assert FILENAME_PATTERN.fullmatch(name) is not None


def test_file_name_suffix_is_a_pure_function_of_the_content() -> None:
    message = parse_file(PARIS[0])
    content = PARIS[0].read_bytes()
    first = message_filename(message.header, content)
    assert message_filename(message.header, content) == first
    assert FILENAME_PATTERN.fullmatch(first) is not None
    assert len(first) == len(PARIS[0].name)


def test_ill_formed_file_is_reported_with_its_name_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<?xml version='1.0'?>\n<OdfBody>\n<Competition>\n</OdfBody>\n")
    for read in (validate_file, parse_file):
        with pytest.raises(OdfReadError) as caught:
            read(path)
        assert caught.value.code == "odf_ill_formed"
        assert str(path) in str(caught.value)
        assert caught.value.line == 4


def test_missing_file_is_reported_as_unreadable(tmp_path: Path) -> None:
    with pytest.raises(OdfReadError) as caught:
        validate_file(tmp_path / "absent.xml")
    assert caught.value.code == "odf_unreadable"
    assert "absent.xml" in str(caught.value)


def test_message_that_is_not_odf_is_refused() -> None:
    with pytest.raises(OdfReadError) as caught:
        parse_message(b"<Results/>")
    assert caught.value.code == "odf_not_odf"


def test_message_without_header_key_is_refused() -> None:
    with pytest.raises(OdfReadError) as caught:
        parse_message(b'<OdfBody CompetitionCode="OG2024"/>')
    assert caught.value.code == "odf_not_odf"
    assert "DocumentCode" in str(caught.value)


def test_unknown_elements_are_ignored() -> None:
    xml = (
        PARIS[0]
        .read_bytes()
        .replace(b"<Competition>", b"<Competition><Mystery Kind='x'><Deep/></Mystery>", 1)
    )
    assert parse_message(xml).payload == parse_file(PARIS[0]).payload


def _date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _time(text: str) -> time:
    return parse_odf_time(text)
