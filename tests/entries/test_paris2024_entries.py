"""The real Paris 2024 entries pass the rules, on SQLite and PostgreSQL."""

import dataclasses

from sqlalchemy import func, select

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.entries import (
    Entry,
    RefusedEntry,
    SovereignBirthDates,
    check_entries,
    load_paris2024_entries,
)
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.privacy.spine import open_spine
from tests.entries.conftest import BEFORE_DEADLINE, RULES, context_at

# The one source entry the rules refuse: olympics.com lists Matthew RICHARDSON (AUS, a man)
# in the women's keirin as well as the men's. It is a data error, not an entry.
SOURCE_ERROR = RefusedEntry(
    noc="AUS",
    event="CTRWKEIRIN",
    competitor="1940263",
    code="gender_ineligible",
    message="CTRWKEIRIN (Women's Keirin) is a women's event: athlete 1940263 of AUS (M) "
    "is not eligible",
)


def test_every_real_entry_passes_the_rules_and_loading_twice_changes_nothing(
    live_planes: Planes,
) -> None:
    with live_planes.games_session() as games:
        first = load_paris2024_entries(games, context_at(BEFORE_DEADLINE))
    assert first.refused == [SOURCE_ERROR]
    assert first.entered == 15873
    assert set(first.discipline_level) == {"GARM", "GARW", "SWMMRELAY", "SWMWRELAY"}
    with live_planes.games_session() as games:
        second = load_paris2024_entries(games, context_at(BEFORE_DEADLINE))
        assert games.scalar(select(func.count()).select_from(Entry)) == 15873
    assert (second.entered, second.unchanged, second.refused) == (0, 15873, [SOURCE_ERROR])


def test_a_recheck_with_the_real_birth_dates_finds_every_entry_eligible(
    loaded: Planes, live_settings: Settings
) -> None:
    spine = open_spine(live_settings)
    officer = Principal(
        operator_id="op-entries",
        username="entries-officer",
        display_name="Entries Officer",
        roles=frozenset({"entries-officer"}),
        purposes=frozenset({"sport-entries"}),
        region=Region.EU_EEA,
        scopes=None,
        purpose="sport-entries",
        organisation="PARIS2024",
    )
    try:
        with loaded.games_session() as games, loaded.sovereign_session() as sovereign:
            births = SovereignBirthDates(spine, games, sovereign, officer)
            context = context_at(BEFORE_DEADLINE)
            report = check_entries(games, type(context)(RULES, context.clock, births))
            boxer = games.scalar(
                select(Entry.participant_code).where(Entry.event_code == "BOXM51KG")
            )
            assert boxer is not None
            assert births.birth_date(boxer) is not None
            outside = dataclasses.replace(officer, operator_id="op-us", region=Region.THIRD_COUNTRY)
            assert SovereignBirthDates(spine, games, sovereign, outside).birth_date(boxer) is None
    finally:
        spine.close()
    assert report.checked == 15873
    assert report.refused == []
    assert report.age_unknown == 0
    assert report.age_checked > 1000


def test_without_birth_dates_ages_are_unknown_never_refused(loaded: Planes) -> None:
    with loaded.games_session() as games:
        report = check_entries(games, context_at(BEFORE_DEADLINE))
    assert report.refused == []
    assert report.age_unknown > 1000
    assert report.age_checked == 0
