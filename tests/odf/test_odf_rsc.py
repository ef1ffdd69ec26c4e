# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.odf import InvalidRscError, Rsc, RscLevel
from tests.odf.odf_strategies import CODE_CHARS, rscs, unit_rscs

HUNDRED_METRES_FINAL = "ATHM100M--------------FNL-000100--"


def test_real_unit_code_is_accepted_and_split_into_parts() -> None:
    rsc = Rsc(HUNDRED_METRES_FINAL)
    assert rsc == HUNDRED_METRES_FINAL
    assert (rsc.discipline_part, rsc.gender_part) == ("ATH", "M")
    assert rsc.event_part == "100M--------------"
    assert (rsc.phase_part, rsc.unit_part) == ("FNL-", "000100--")
    assert rsc.is_unit_level


def test_levels_are_derived_by_truncating_and_padding() -> None:
    rsc = Rsc(HUNDRED_METRES_FINAL)
    assert rsc.discipline == "ATH" + "-" * 31
    assert rsc.gender == "ATHM" + "-" * 30
    assert rsc.event == "ATHM100M" + "-" * 26
    assert rsc.phase == "ATHM100M--------------FNL-" + "-" * 8
    assert rsc.unit == rsc
    assert rsc.event.is_event_level
    assert rsc.phase.is_phase_level
    assert rsc.gender.is_gender_level
    assert rsc.discipline.is_discipline_level


def test_rsc_of_32_characters_is_refused_with_reason() -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc("ATHM100M------------FNL-000100--")
    assert caught.value.code == "rsc_wrong_length"
    assert str(caught.value) == (
        "RSC must be 34 characters, got 32: 'ATHM100M------------FNL-000100--'"
    )


def test_rsc_with_lowercase_letter_is_refused_naming_the_position() -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc("ATHm100M--------------FNL-000100--")
    assert caught.value.code == "rsc_bad_character"
    assert "position 4" in str(caught.value)


@pytest.mark.parametrize(
    "bad", ["ATH M100M-------------FNL-000100--", "ATHM100M_-------------FNL-000100--"]
)
def test_rsc_with_space_or_underscore_is_refused(bad: str) -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc(bad)
    assert caught.value.code == "rsc_bad_character"


def test_rsc_that_is_not_text_is_refused() -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc(34)  # type: ignore[arg-type]
    assert caught.value.code == "rsc_not_a_string"


def test_build_pads_each_part_with_dashes() -> None:
    assert Rsc.build("ATH", "M", "100M", "FNL", "000100") == HUNDRED_METRES_FINAL
    assert Rsc.build("BMX") == "BMX" + "-" * 31


def test_build_refuses_a_part_that_is_too_long() -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc.build("ATH", "M", "100M", "FINAL")
    assert caught.value.code == "rsc_part_too_long"
    assert "phase" in str(caught.value)


def test_code_with_phase_but_no_event_is_at_unit_level() -> None:
    rsc = Rsc("BMF-------------------MEET000100--")
    assert rsc.level is RscLevel.UNIT
    assert rsc.event == rsc.gender == rsc.discipline


def test_all_dashes_is_the_games_level() -> None:
    assert Rsc("-" * 34).level is RscLevel.GAMES


@given(rscs)
def test_derivations_are_idempotent(rsc: Rsc) -> None:
    for level in ("discipline", "gender", "event", "phase", "unit"):
        once = getattr(rsc, level)
        assert getattr(once, level) == once


@given(rscs)
def test_each_level_is_a_prefix_of_the_code_padded_with_dashes(rsc: Rsc) -> None:
    for level, end in (("discipline", 3), ("gender", 4), ("event", 22), ("phase", 26)):
        derived = getattr(rsc, level)
        assert len(derived) == 34
        assert derived[:end] == rsc[:end]
        assert set(derived[end:]) <= {"-"}


@given(unit_rscs())
def test_level_of_each_derivation_never_goes_deeper_than_asked(rsc: Rsc) -> None:
    assert rsc.discipline.level <= RscLevel.DISCIPLINE
    assert rsc.event.level <= RscLevel.EVENT
    assert rsc.phase.level <= RscLevel.PHASE
    assert rsc.is_unit_level


@given(st.text(CODE_CHARS, max_size=40).filter(lambda text: len(text) != 34))
def test_any_length_but_34_is_refused(text: str) -> None:
    with pytest.raises(InvalidRscError) as caught:
        Rsc(text)
    assert caught.value.code == "rsc_wrong_length"
