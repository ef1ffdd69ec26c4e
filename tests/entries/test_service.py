"""Enter, withdraw and replace on a node with the real entries, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.db import Planes
from podium.core.errors import InvalidInputError, PermissionDeniedError
from podium.entries import (
    Entry,
    EntryFilter,
    EntryRefusedError,
    EntryRequest,
    EntryStatus,
    enter,
    entries,
    replace,
    start_list,
    start_order_key,
    withdraw,
)
from podium.entries.service import first_unit_start
from tests.entries.conftest import BEFORE_DEADLINE, RULES, context_at, principal

STAFF = principal("PARIS2024")
LATE = RULES.of("JUD").deadline + timedelta(days=2)


def entry_of(games: Session, event: str, noc: str, *, team: bool = False) -> Entry:
    found = games.scalars(
        select(Entry).where(
            Entry.event_code == event,
            Entry.noc == noc,
            Entry.status == EntryStatus.ENTERED,
            Entry.team_code.is_not(None) if team else Entry.participant_code.is_not(None),
        )
    ).first()
    assert found is not None
    return found


def test_an_entry_past_the_event_quota_is_refused_with_code_and_reason(loaded: Planes) -> None:
    with loaded.games_session() as games:
        other = entry_of(games, "JUDM66KG", "FRA").participant_code
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", "JUDM60KG", participant_code=other),
            )
    assert caught.value.code == "quota_event"
    assert "FRA" in str(caught.value)
    assert "JUDM60KG" in str(caught.value)
    assert "quota is 1 per NOC" in str(caught.value)


def test_an_entry_past_the_discipline_gender_quota_is_refused(loaded: Planes) -> None:
    weightlifting = ("WLFM61KG", "WLFM73KG", "WLFM89KG", "WLFM102KG", "WLFMO102KG")
    with loaded.games_session() as games:
        rows = [e for code in weightlifting for e in entries(games, EntryFilter(code))]
        by_noc: dict[str, set[str]] = {}
        for row in rows:
            by_noc.setdefault(row.noc, set()).add(row.event_code)
        noc = min(n for n, events in by_noc.items() if len(events) == 3)
        free = next(code for code in weightlifting if code not in by_noc[noc])
        outsider = next(
            e.participant_code
            for e in entries(games, EntryFilter(noc=noc))
            if e.event_code.startswith(("ATHM", "SWMM", "JUDM", "BOXM"))
        )
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest(noc, free, participant_code=outsider),
            )
    assert caught.value.code == "quota_discipline_gender"
    assert noc in str(caught.value)
    assert free in str(caught.value)
    assert "quota is 3 per NOC per gender" in str(caught.value)


def test_gender_and_age_eligibility(loaded: Planes) -> None:
    with loaded.games_session() as games:
        woman = entry_of(games, "JUDW48KG", "FRA").participant_code or ""
        boxer = entry_of(games, "BOXM51KG", "FRA")
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", "JUDMO100KG", participant_code=woman),
            )
        assert caught.value.code == "gender_ineligible"
        withdraw(games, context_at(BEFORE_DEADLINE), STAFF, boxer.id, "injury")
        judoka = entry_of(games, "JUDM60KG", "FRA").participant_code or ""
        young = context_at(BEFORE_DEADLINE, {judoka: date(2006, 5, 1)})
        request = EntryRequest("FRA", "BOXM51KG", participant_code=judoka)
        with pytest.raises(EntryRefusedError) as caught:
            enter(games, young, STAFF, request)
        assert caught.value.code == "age_ineligible"
        assert "19 to 40" in str(caught.value)
        made = enter(games, context_at(BEFORE_DEADLINE), STAFF, request)  # age unknown
        assert made.status == EntryStatus.ENTERED


def test_after_the_deadline_only_a_late_replacement_with_a_reason(loaded: Planes) -> None:
    with loaded.games_session() as games:
        old = entry_of(games, "JUDM60KG", "FRA")
        incoming = entry_of(games, "JUDM66KG", "FRA").participant_code or ""
        withdraw(
            games, context_at(BEFORE_DEADLINE), STAFF, entry_of(games, "JUDM66KG", "FRA").id, ""
        )
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(LATE),
                STAFF,
                EntryRequest("FRA", "JUDM66KG", participant_code=incoming),
            )
        assert caught.value.code == "deadline_passed"
        with pytest.raises(InvalidInputError) as missing:
            replace(games, context_at(LATE), STAFF, old.id, participant_code=incoming, reason=" ")
        assert missing.value.code == "replacement_reason_required"
        new = replace(
            games, context_at(LATE), STAFF, old.id, participant_code=incoming, reason="injury"
        )
        assert (old.status, old.replaced_by, new.replaces) == ("replaced", new.id, old.id)
        start = first_unit_start(games, old.event_rsc)
        assert start is not None
        closed = context_at(start - RULES.late_replacement + timedelta(minutes=1))
        with pytest.raises(EntryRefusedError) as caught:
            replace(
                games,
                closed,
                STAFF,
                new.id,
                participant_code=old.participant_code or "",
                reason="x",
            )
        assert caught.value.code == "deadline_passed"


def test_a_noc_operator_enters_only_its_own_athletes(loaded: Planes) -> None:
    with loaded.games_session() as games:
        fra = entry_of(games, "JUDM60KG", "FRA")
        with pytest.raises(PermissionDeniedError) as caught:
            withdraw(games, context_at(BEFORE_DEADLINE), principal("ITA"), fra.id, "")
        assert caught.value.code == "organisation_mismatch"
        italian = entry_of(games, "JUDM60KG", "ITA").participant_code
        with pytest.raises(EntryRefusedError) as other:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                principal("FRA"),
                EntryRequest("FRA", "JUDM66KG", participant_code=italian),
            )
        assert other.value.code == "not_in_noc"
        withdraw(games, context_at(BEFORE_DEADLINE), principal("FRA"), fra.id, "selection")
        assert fra.status == EntryStatus.WITHDRAWN


def test_duplicate_and_unknown_event_are_refused(loaded: Planes) -> None:
    with loaded.games_session() as games:
        fra = entry_of(games, "JUDM60KG", "FRA")
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", "JUDM60KG", participant_code=fra.participant_code),
            )
        assert caught.value.code in {"duplicate_entry", "quota_event"}
        with pytest.raises(EntryRefusedError) as unknown:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", "JUDM61KG", participant_code=fra.participant_code),
            )
        assert unknown.value.code == "unknown_event"


def test_a_team_is_entered_once_and_counted_against_the_team_quota(loaded: Planes) -> None:
    with loaded.games_session() as games:
        team = entry_of(games, "BK3MTEAM3", "FRA", team=True)
        with pytest.raises(EntryRefusedError) as caught:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", team_code=team.team_code),
            )
        assert caught.value.code == "duplicate_entry"
        with pytest.raises(InvalidInputError) as mismatch:
            enter(
                games,
                context_at(BEFORE_DEADLINE),
                STAFF,
                EntryRequest("FRA", "JUDM60KG", team_code=team.team_code),
            )
        assert mismatch.value.code == "team_event_mismatch"


def test_the_start_list_is_a_deterministic_draw_of_the_entered_athletes(loaded: Planes) -> None:
    with loaded.games_session() as games:
        listed = start_list(games, "ATHM100M")
        again = start_list(games, "ATHM100M")
        assert listed == again
        assert listed.phase_name == "Men's 100m Preliminary Round"
        codes = {e.participant_code for e in entries(games, EntryFilter("ATHM100M"))}
        assert {line.code for line in listed.lines} == codes
        keys = [
            start_order_key(listed.event_code.ljust(34, "-"), line.code) for line in listed.lines
        ]
        assert keys == sorted(keys)
        assert [line.order for line in listed.lines] == list(range(1, len(codes) + 1))
        teams = start_list(games, "BK3WTEAM3")
        assert len(teams.lines) == 8
        assert all(line.code.startswith("BK3WTEAM3---") for line in teams.lines)


def test_a_refused_entry_writes_nothing(loaded: Planes) -> None:
    with loaded.games_session() as games:
        before = len(entries(games, EntryFilter(noc="FRA", all_statuses=True)))
        other = entry_of(games, "JUDM66KG", "FRA").participant_code
        with pytest.raises(EntryRefusedError):
            enter(
                games,
                context_at(datetime(2024, 7, 1, tzinfo=UTC)),
                STAFF,
                EntryRequest("FRA", "JUDM60KG", participant_code=other),
            )
        assert len(entries(games, EntryFilter(noc="FRA", all_statuses=True))) == before
