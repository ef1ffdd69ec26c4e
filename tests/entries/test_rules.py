from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.core.errors import ConfigurationError
from podium.entries import AgeCheck, RefusalCode, load_rules
from podium.entries.rules import (
    AthleteInfo,
    Candidate,
    EntryWindow,
    EventInfo,
    Ledger,
    age_check,
    entry_window,
)

RULES = load_rules()
M100 = EventInfo("ATHM100M", "ATHM100M" + "-" * 26, "ATH", "M", "Men's 100m")
EIGHT = EventInfo("ROWMCOXED8", "ROWMCOXED8" + "-" * 24, "ROW", "M", "Men's Eight", team=True)
BOX51 = EventInfo("BOXM51KG", "BOXM51KG" + "-" * 26, "BOX", "M", "Men's 51kg")
BOX57 = EventInfo("BOXM57KG", "BOXM57KG" + "-" * 26, "BOX", "M", "Men's 57kg")


def athlete(code: str, noc: str = "FRA", gender: str = "M") -> AthleteInfo:
    return AthleteInfo(code, noc, gender)


def test_bundled_rules_give_the_paris_2024_quotas() -> None:
    assert RULES.of("ATH").event_quota("ATHM100M") == 4
    assert RULES.of("ATH").event_quota("ATHX4X400M") == 10
    assert RULES.of("JUD").event_quota("JUDM60KG") == 1
    assert RULES.of("SWM").event_quota("SWMM100MFR") == 2
    assert RULES.of("BOX").min_age == 19
    assert RULES.of("BOX").max_age == 40
    assert RULES.of("XYZ") is RULES.default


def test_a_rules_file_with_a_bad_value_names_the_file_and_key(tmp_path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('[default]\nper_event = 1\ndeadline = "2024-07-08"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_rules(bad)
    assert caught.value.code == "entry_rules_invalid"
    assert "rules.toml" in str(caught.value)
    assert "deadline" in str(caught.value)


def test_an_entry_past_the_event_quota_is_refused_naming_noc_event_and_quota() -> None:
    ledger = Ledger(RULES)
    for n in range(4):
        ledger.add(Candidate(M100, "FRA", athlete(f"A{n}")))
    refusal = ledger.refusal(Candidate(M100, "FRA", athlete("A9")))
    assert refusal is not None
    assert refusal.code is RefusalCode.QUOTA_EVENT
    assert "FRA" in refusal.message
    assert "ATHM100M" in refusal.message
    assert "quota is 4" in refusal.message
    assert ledger.refusal(Candidate(M100, "ITA", athlete("B1", "ITA"))) is None


def test_an_athlete_past_the_discipline_gender_quota_is_refused() -> None:
    ledger = Ledger(RULES)
    events = [
        EventInfo(f"BOXM{kg}KG", f"BOXM{kg}KG".ljust(34, "-"), "BOX", "M", f"{kg}kg")
        for kg in (51, 57, 63, 71, 80, 92, 99)
    ]
    for n, event in enumerate(events[:7]):
        ledger.add(Candidate(event, "FRA", athlete(f"B{n}")))
    extra = EventInfo("BOXMO92KG", "BOXMO92KG".ljust(34, "-"), "BOX", "M", "+92kg")
    refusal = ledger.refusal(Candidate(extra, "FRA", athlete("B8")))
    assert refusal is not None
    assert refusal.code is RefusalCode.QUOTA_DISCIPLINE_GENDER
    assert "quota is 7 per NOC per gender" in refusal.message


def test_a_man_in_a_womens_event_is_not_eligible_and_mixed_events_take_both() -> None:
    ledger = Ledger(RULES)
    women = EventInfo("ATHW100M", "ATHW100M".ljust(34, "-"), "ATH", "W", "Women's 100m")
    refusal = ledger.refusal(Candidate(women, "FRA", athlete("A1")))
    assert refusal is not None
    assert refusal.code is RefusalCode.GENDER_INELIGIBLE
    mixed = EventInfo("ATHX4X400M", "ATHX4X400M".ljust(34, "-"), "ATH", "X", "Mixed relay")
    assert ledger.refusal(Candidate(mixed, "FRA", athlete("A1"))) is None
    assert ledger.refusal(Candidate(mixed, "FRA", athlete("W1", gender="W"))) is None


def test_one_coxswain_of_the_other_gender_may_steer_an_eight() -> None:
    ledger = Ledger(RULES)
    ledger.add(Candidate(EIGHT, "ITA", athlete("C1", "ITA", "W")))
    second = ledger.refusal(Candidate(EIGHT, "ITA", athlete("C2", "ITA", "W")))
    assert second is not None
    assert second.code is RefusalCode.GENDER_INELIGIBLE


def test_duplicate_and_other_noc_entries_are_refused() -> None:
    ledger = Ledger(RULES)
    ledger.add(Candidate(BOX51, "FRA", athlete("B1")))
    duplicate = ledger.refusal(Candidate(BOX51, "FRA", athlete("B1")))
    assert duplicate is not None
    assert duplicate.code is RefusalCode.DUPLICATE_ENTRY
    other = ledger.refusal(Candidate(BOX57, "FRA", athlete("B2", "ITA")))
    assert other is not None
    assert other.code is RefusalCode.NOT_IN_NOC


def test_withdrawing_frees_the_place() -> None:
    ledger = Ledger(RULES)
    first = Candidate(BOX51, "FRA", athlete("B1"))
    ledger.add(first)
    assert ledger.refusal(Candidate(BOX51, "FRA", athlete("B2"))) is not None
    ledger.remove(first)
    assert ledger.refusal(Candidate(BOX51, "FRA", athlete("B2"))) is None


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(2005, 12, 31), AgeCheck.ELIGIBLE),  # 19 in 2024
        (date(2006, 1, 1), AgeCheck.INELIGIBLE),  # 18 in 2024
        (date(1984, 1, 1), AgeCheck.ELIGIBLE),  # 40 in 2024
        (date(1983, 12, 31), AgeCheck.INELIGIBLE),  # 41 in 2024
        (None, AgeCheck.UNKNOWN),
    ],
)
def test_boxing_age_limits_count_the_year_of_birth(born: date | None, expected: AgeCheck) -> None:
    assert age_check(RULES.of("BOX"), 2024, born) is expected


def test_a_discipline_without_age_limits_needs_no_birth_date() -> None:
    assert age_check(RULES.of("SKB"), 2024, None) is AgeCheck.NO_LIMIT


def test_the_entry_window_closes_at_the_deadline_and_late_replacement_before_the_event() -> None:
    deadline = RULES.of("ATH").deadline
    first_unit = datetime(2024, 8, 3, 9, 0, tzinfo=UTC)
    assert entry_window(RULES, "ATH", deadline, first_unit) is EntryWindow.OPEN
    late = deadline + timedelta(minutes=1)
    assert entry_window(RULES, "ATH", late, first_unit) is EntryWindow.LATE_REPLACEMENT
    cutoff = first_unit - RULES.late_replacement
    assert entry_window(RULES, "ATH", cutoff, first_unit) is EntryWindow.LATE_REPLACEMENT
    after = cutoff + timedelta(seconds=1)
    assert entry_window(RULES, "ATH", after, first_unit) is EntryWindow.CLOSED
    assert entry_window(RULES, "ATH", late, None) is EntryWindow.CLOSED


@given(st.lists(st.tuples(st.sampled_from(["FRA", "ITA"]), st.integers(0, 30)), max_size=80))
def test_a_ledger_never_lets_a_noc_past_its_event_quota(attempts: list[tuple[str, int]]) -> None:
    ledger = Ledger(RULES)
    for noc, n in attempts:
        candidate = Candidate(M100, noc, athlete(f"{noc}{n}", noc))
        if ledger.refusal(candidate) is None:
            ledger.add(candidate)
    for noc in ("FRA", "ITA"):
        assert ledger.athletes[noc, "ATHM100M"] <= RULES.of("ATH").event_quota("ATHM100M")
