"""The Paris 2024 import: complete, idempotent, transactional, and loud about bad rows."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.games import PreliminarySlot, Unit, Venue
from podium.migrations import upgrade_all
from podium.paris2024 import (
    DEFAULT_SOURCE,
    BadRowError,
    ImportOptions,
    ImportReport,
    SourceFileError,
    import_paris2024,
)
from podium.paris2024.importer import PseudonymKeyMismatchError
from podium.people import Participant, Person
from podium.results import UnitResult


def _count(planes: Planes, model: type, sovereign: bool = False) -> int:
    ctx = planes.sovereign_session() if sovereign else planes.games_session()
    with ctx as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_every_result_row_of_the_source_is_imported(planes: Planes) -> None:
    assert _count(planes, UnitResult) == 19195


def test_cancelled_units_are_kept_with_their_status(planes: Planes) -> None:
    with planes.games_session() as session:
        statuses = Counter(session.scalars(select(Unit.status)))
    assert statuses["CANCELLED"] == 62


def test_ceremonies_are_units_without_end_time(planes: Planes) -> None:
    with planes.games_session() as session:
        ceremonies = session.scalars(select(Unit).where(Unit.discipline_code == "CER")).all()
    assert {u.rsc for u in ceremonies} == {
        "CER-OPENING-----------------------",
        "CER-CLOSING-----------------------",
    }
    assert all(u.ends_at is None for u in ceremonies)


def test_unit_codes_are_rebuilt_from_event_code_and_url_tail(planes: Planes) -> None:
    with planes.games_session() as session:
        final = session.get(Unit, "ATHM100M--------------FNL-000100--")
    assert final is not None
    assert final.venue_code == "STA"
    assert final.starts_at.isoformat() == "2024-08-04T19:50:00+00:00"  # 21:50 in Paris


def test_decathlon_stage_code_is_repaired_with_a_notice(
    imported: tuple[Planes, ImportReport, Path],
) -> None:
    planes, report, _ = imported
    with planes.games_session() as session:
        rows = session.scalars(
            select(UnitResult).where(UnitResult.unit_rsc == "ATHMDECATH------------------------")
        ).all()
    assert len(rows) == 22
    repaired = [n for n in report.notices if n["code"] == "rsc_repaired"]
    assert len(repaired) == 22
    assert repaired[0]["file"] == "results/Athletics.csv"


def test_names_with_apostrophes_survive_list_literals(planes: Planes) -> None:
    with planes.games_session() as session:
        austin = session.get(Participant, "1563914")
    assert austin is not None
    assert austin.printed_name == "O'CONNOR Austin"


def test_birth_dates_go_to_the_sovereign_plane_only(planes: Planes) -> None:
    with planes.sovereign_session() as session:
        dated = session.scalar(
            select(func.count()).select_from(Person).where(Person.birth_date.is_not(None))
        )
    assert dated is not None
    assert dated > 11000
    assert not hasattr(Participant, "birth_date")


def test_training_slots_are_skipped_with_a_notice_and_nothing_is_quarantined(
    imported: tuple[Planes, ImportReport, Path],
) -> None:
    _, report, data_dir = imported
    assert report.quarantined == []
    training = [n for n in report.notices if n["code"] == "training_skipped"]
    assert len(training) == 15
    assert (training[0]["file"], training[0]["line"], training[0]["column"]) == (
        "schedules.csv",
        48,
        "phase",
    )
    assert (data_dir / "reports" / "import-paris2024-latest.json").is_file()


def test_strict_import_of_the_bundled_data_succeeds(tmp_path: Path) -> None:
    planes = _fresh(tmp_path)
    options = ImportOptions(source=DEFAULT_SOURCE, data_dir=tmp_path / "node", strict=True)
    report = import_paris2024(planes, options)
    assert report.quarantined == []
    assert _count(planes, UnitResult) == 19195
    # A second import of the same data changes nothing. On this fresh node, not on the
    # session's shared one, which other tests (erasure, accreditation...) have moved on.
    again = import_paris2024(
        planes, ImportOptions(source=DEFAULT_SOURCE, data_dir=tmp_path / "node")
    )
    assert again.changed == 0
    planes.dispose()


def _broken_copy(tmp_path: Path) -> Path:
    source = tmp_path / "paris2024"
    shutil.copytree(DEFAULT_SOURCE, source)
    results = source / "results" / "Judo.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",Person,", ",Person,", 1).replace("JUDMO100KG--", "JUDMO100KG", 1)
    results.write_text("".join(lines), encoding="utf-8")
    return source


def _fresh(tmp_path: Path) -> Planes:
    planes = open_planes(Settings(data_dir=tmp_path / "node"))
    upgrade_all(planes.games, planes.sovereign)
    return planes


def test_strict_import_fails_on_the_first_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    source = _broken_copy(tmp_path)
    planes = _fresh(tmp_path)
    options = ImportOptions(source=source, data_dir=tmp_path / "node", strict=True)
    with pytest.raises(BadRowError) as raised:
        import_paris2024(planes, options)
    assert raised.value.file == "results/Judo.csv"
    assert raised.value.line == 4
    assert raised.value.column == "stage_code"
    assert "32" in str(raised.value)
    assert _count(planes, UnitResult) == 0
    assert _count(planes, Person, sovereign=True) == 0
    planes.dispose()


def test_default_import_quarantines_the_bad_row_and_keeps_the_rest(tmp_path: Path) -> None:
    source = _broken_copy(tmp_path)
    planes = _fresh(tmp_path)
    report = import_paris2024(planes, ImportOptions(source=source, data_dir=tmp_path / "node"))
    judo = [q for q in report.quarantined if q["file"] == "results/Judo.csv"]
    assert [(q["line"], q["column"], q["code"]) for q in judo] == [
        (4, "stage_code", "rsc_wrong_length")
    ]
    assert _count(planes, UnitResult) == 19194
    planes.dispose()


def test_preliminary_utc_slots_match_units_at_the_same_instant(planes: Planes) -> None:
    with planes.games_session() as session:
        slots = session.scalars(select(PreliminarySlot)).all()
        men_100m_prelims = session.get(Unit, "ATHM100M--------------PREL000100--")
    matched = [s for s in slots if s.unit_rsc is not None]
    assert len(slots) == 2298
    assert len(matched) > 1600  # the same instant: 08:35Z is 10:35+02:00
    assert men_100m_prelims is not None
    slot = next(s for s in matched if s.unit_rsc == men_100m_prelims.rsc)
    assert slot.starts_at == men_100m_prelims.starts_at
    assert slot.starts_at.isoformat() == "2024-08-03T08:35:00+00:00"


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "odf-samples"


def test_rebuilt_codes_agree_with_the_real_odf_schedules(planes: Planes) -> None:
    """The IOC's own 2022 DT_SCHEDULE messages name the same events and, where the schedule
    did not change before the Games, the same unit codes as Podium rebuilds from the URLs."""
    from podium.games import Event  # noqa: PLC0415
    from podium.odf import parse_file  # noqa: PLC0415

    with planes.games_session() as session:
        units = set(session.scalars(select(Unit.rsc)))
        events = set(session.scalars(select(Event.rsc)))
    real = [
        unit
        for path in sorted(SAMPLES.glob("2022*DT_SCHEDULE*.xml"))
        for unit in parse_file(path).payload.units  # type: ignore[union-attr]
    ]
    competition = [u.code for u in real if u.phase_type == "3"]
    assert len(competition) == 210
    assert {c.event for c in competition if c.event_part.strip("-")} <= events
    assert sum(c in units for c in competition) == 117
    ceremonies = {u.code for u in real if u.code.startswith("CER")}
    assert ceremonies <= units


def _edited_copy(tmp_path: Path, name: str, edit: Callable[[list[str]], list[str]]) -> Path:
    source = tmp_path / "paris2024"
    shutil.copytree(DEFAULT_SOURCE, source)
    path = source / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(edit(lines)), encoding="utf-8")
    return source


def _open_quote(lines: list[str]) -> list[str]:
    lines[5] = lines[5].replace(",1953618,SOARES Diogo,", ',1953618,"SOARES Diogo,', 1)
    return lines


def test_an_unclosed_quote_is_reported_instead_of_swallowing_the_file(tmp_path: Path) -> None:
    source = _edited_copy(tmp_path, "results/Artistic Gymnastics.csv", _open_quote)
    planes = _fresh(tmp_path)
    with pytest.raises(BadRowError) as raised:
        import_paris2024(planes, ImportOptions(source, tmp_path / "node", strict=True))
    assert (raised.value.file, raised.value.line, raised.value.code) == (
        "results/Artistic Gymnastics.csv",
        6,
        "unclosed_quote",
    )
    assert "lines 6-" in str(raised.value)
    report = import_paris2024(planes, ImportOptions(source, tmp_path / "node"))
    assert [q["code"] for q in report.quarantined] == ["unclosed_quote"]
    planes.dispose()


def _short_row(lines: list[str]) -> list[str]:
    lines[9] = lines[9].rsplit(",", 3)[0] + "\n"
    return lines


def test_a_row_with_missing_fields_is_quarantined(tmp_path: Path) -> None:
    source = _edited_copy(tmp_path, "results/Swimming.csv", _short_row)
    planes = _fresh(tmp_path)
    report = import_paris2024(planes, ImportOptions(source, tmp_path / "node"))
    assert [(q["file"], q["line"], q["code"]) for q in report.quarantined] == [
        ("results/Swimming.csv", 10, "wrong_field_count")
    ]
    assert _count(planes, UnitResult) == 19194
    planes.dispose()


def _drop_rank(lines: list[str]) -> list[str]:
    rows = list(csv.reader(lines))
    at = rows[0].index("rank")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    return out.getvalue().splitlines(keepends=True)


def test_a_missing_required_column_fails_the_whole_import(tmp_path: Path) -> None:
    source = _edited_copy(tmp_path, "results/Athletics.csv", _drop_rank)
    planes = _fresh(tmp_path)
    with pytest.raises(SourceFileError) as raised:
        import_paris2024(planes, ImportOptions(source, tmp_path / "node"))
    assert raised.value.code == "missing_column"
    assert "results/Athletics.csv" in str(raised.value)
    assert "rank or result_WLT" in str(raised.value)
    assert _count(planes, UnitResult) == 0
    planes.dispose()


def test_a_missing_source_folder_is_a_clear_error(tmp_path: Path) -> None:
    planes = _fresh(tmp_path)
    with pytest.raises(SourceFileError) as raised:
        import_paris2024(planes, ImportOptions(tmp_path / "nowhere", tmp_path / "node"))
    assert raised.value.code == "missing_source"
    planes.dispose()


def test_the_key_store_can_live_apart_from_the_data_folder(tmp_path: Path) -> None:
    planes = _fresh(tmp_path)
    keys = tmp_path / "sovereign-keys"
    options = ImportOptions(DEFAULT_SOURCE, tmp_path / "node", key_dir=keys)
    import_paris2024(planes, options)
    assert (keys / "pseudonym.key").is_file()
    assert not (tmp_path / "node" / "keys").exists()
    assert import_paris2024(planes, options).changed == 0
    planes.dispose()


def test_an_import_with_another_pseudonym_key_is_refused(tmp_path: Path) -> None:
    planes = _fresh(tmp_path)
    import_paris2024(planes, ImportOptions(DEFAULT_SOURCE, tmp_path / "node"))
    with planes.sovereign_session() as session:
        before = set(session.scalars(select(Person.subject_id)))
    with pytest.raises(PseudonymKeyMismatchError) as raised:
        import_paris2024(planes, ImportOptions(DEFAULT_SOURCE, tmp_path / "other-node"))
    assert raised.value.code == "pseudonym_key_mismatch"
    with planes.sovereign_session() as session:
        assert set(session.scalars(select(Person.subject_id))) == before
    planes.dispose()


def test_a_phase_scheduled_over_several_rows_gives_each_unit_its_own_time(
    planes: Planes,
) -> None:
    """Golf's four rounds are four rows of one phase-level schedule item; rowing's finals
    A to F are six. Each unit takes the row it was raced in, and the fourth golf round,
    after the results snapshot, gets the unit code ODF gives it (FNL-000400)."""
    paris = ZoneInfo("Europe/Paris")
    with planes.games_session() as session:
        golf = session.scalars(
            select(Unit).where(Unit.rsc.startswith("GLFWSTROKE")).order_by(Unit.rsc)
        ).all()
        final_a = session.get(Unit, "ROWMSCULL1------------FNL-000100--")
    assert [u.rsc[22:] for u in golf] == [f"FNL-000{n}00--" for n in range(1, 5)]
    assert [u.starts_at.astimezone(paris).day for u in golf] == [7, 8, 9, 10]
    assert final_a is not None
    assert final_a.starts_at.astimezone(paris).isoformat() == "2024-08-03T11:30:00+02:00"


def test_every_venue_gets_its_page_despite_different_names(
    imported: tuple[Planes, ImportReport, Path],
) -> None:
    planes, report, _ = imported
    with planes.games_session() as session:
        venues = {v.code: v for v in session.scalars(select(Venue))}
    assert len(venues) == 40
    assert [c for c, v in venues.items() if v.url is None] == []
    assert venues["VE1"].url is not None
    assert venues["VE1"].url.endswith("/saint-quentin-en-yvelines-velodrome")
    unused = [n for n in report.notices if n["code"] == "venue_unused"]
    assert [(n["file"], n["line"]) for n in unused] == [("venues.csv", 12)]  # Hôtel de Ville
