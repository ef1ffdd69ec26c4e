from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.results.rules import (
    Direction,
    Performance,
    RankingRuleError,
    competition_ranks,
    outcomes_from_scores,
    rank_head_to_head,
    rank_performances,
    ranking_rule,
)
from podium.results.values import Outcome

TIME = ranking_rule("ATH", "TIME")
POINTS = ranking_rule("DIV", "POINTS")


def test_lower_time_is_better_and_higher_points_are_better():
    assert TIME.direction is Direction.LOWER_IS_BETTER
    assert POINTS.direction is Direction.HIGHER_IS_BETTER


def test_golf_sailing_and_jumping_count_lower_as_better():
    assert ranking_rule("GLF", "STROKES").direction is Direction.LOWER_IS_BETTER
    assert ranking_rule("SAL", "POINTS").direction is Direction.LOWER_IS_BETTER
    assert ranking_rule("EQU", "POINTS").direction is Direction.LOWER_IS_BETTER
    assert ranking_rule("EQU", "PERCENT").direction is Direction.HIGHER_IS_BETTER


def test_a_missing_rule_is_refused_with_a_stable_code():
    with pytest.raises(RankingRuleError) as caught:
        ranking_rule("ATH", "FAULT")
    assert caught.value.code == "ranking_rule_missing"


def test_equal_values_share_a_rank_and_the_next_rank_is_skipped():
    assert competition_ranks(
        [Decimal(10), Decimal(9), Decimal(9), Decimal(8)], POINTS.direction
    ) == [
        1,
        2,
        2,
        4,
    ]


def test_irm_rows_come_after_ranked_rows_in_irm_order():
    placings = rank_performances(
        [
            Performance("dns", None, "DNS"),
            Performance("b", Decimal("10.2")),
            Performance("dq", None, "DQ"),
            Performance("dnf", None, "DNF"),
            Performance("a", Decimal("10.1")),
        ],
        TIME,
    )
    assert [(p.key, p.rank) for p in placings] == [
        ("a", 1),
        ("b", 2),
        ("dnf", None),
        ("dq", None),
        ("dns", None),
    ]


def test_a_sailing_penalty_keeps_the_boat_ranked():
    placings = rank_performances(
        [Performance("a", Decimal(3)), Performance("b", Decimal("2.1"), "SCP")],
        ranking_rule("SAL", "POINTS"),
    )
    assert [(p.key, p.rank) for p in placings] == [("b", 1), ("a", 2)]


def test_win_ranks_before_loss_and_a_draw_is_shared():
    assert rank_head_to_head({"a": Outcome.LOSS, "b": Outcome.WIN}) == {"a": 2, "b": 1}
    assert outcomes_from_scores({"a": Decimal(2), "b": Decimal(2)}) == {
        "a": Outcome.TIE,
        "b": Outcome.TIE,
    }
    assert outcomes_from_scores({"a": Decimal("4.98"), "b": Decimal("5.13")}, TIME.direction) == {
        "a": Outcome.WIN,
        "b": Outcome.LOSS,
    }


values = st.lists(st.integers(min_value=-50, max_value=50).map(Decimal), min_size=1, max_size=30)


@given(values, st.sampled_from(list(Direction)))
def test_ranks_are_standard_competition_ranks(listed, direction):
    ranks = competition_ranks(listed, direction)
    for value, rank in zip(listed, ranks, strict=True):
        better = sum(
            1
            for other in listed
            if (other < value if direction is Direction.LOWER_IS_BETTER else other > value)
        )
        assert rank == better + 1


@given(values, st.randoms())
def test_ranking_does_not_depend_on_input_order(listed, random):
    performances = [Performance(f"p{index}", value) for index, value in enumerate(listed)]
    shuffled = performances[:]
    random.shuffle(shuffled)
    assert rank_performances(performances, POINTS) == rank_performances(shuffled, POINTS)


@given(values)
def test_ties_share_a_rank_and_ranks_start_at_one(listed):
    placings = rank_performances(
        [Performance(f"p{index}", value) for index, value in enumerate(listed)], TIME
    )
    by_key = {p.key: p.rank for p in placings}
    assert min(r for r in by_key.values() if r is not None) == 1
    for i, a in enumerate(listed):
        for j, b in enumerate(listed):
            if a == b:
                assert by_key[f"p{i}"] == by_key[f"p{j}"]
