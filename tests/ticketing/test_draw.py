"""The verifiable draw: commitment, order, winners, purchase slots; pure rules too."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.ticketing import (
    DrawError,
    DrawWish,
    commitment_of,
    enter_draw,
    open_draw,
    published_draw,
    run_draw,
    verify_draw,
)
from podium.ticketing.rules import allocate_draw, draw_order, seed_commitment, wheelchair_places
from tests.ticketing.conftest import SESSION, Shop, set_sale_mode


@given(
    st.binary(min_size=16, max_size=32),
    st.lists(st.text("0123456789abcdef", min_size=16, max_size=16), max_size=40),
)
def test_draw_order_depends_only_on_seed_and_the_set_of_entries(
    seed: bytes, ids: list[str]
) -> None:
    assert draw_order(seed, ids) == draw_order(seed, list(reversed(ids)))
    assert sorted(draw_order(seed, ids)) == sorted(set(ids))


def test_a_smaller_later_entry_may_win_where_a_larger_one_did_not_fit() -> None:
    wanted = {"a": ("S", 4), "b": ("S", 3), "c": ("S", 1)}
    allocation = allocate_draw(["a", "b", "c"], wanted, {"S": 5})
    assert allocation.winners == frozenset({"a", "c"})
    assert allocation.ranks == {"a": 1, "b": 2, "c": 3}


def test_wheelchair_places_follow_the_french_rule() -> None:
    assert [wheelchair_places(n) for n in (40, 51, 1000, 1001, 15000)] == [2, 2, 20, 21, 34]


def test_draw_from_registration_to_purchase_slot_is_verifiable(shop: Shop) -> None:
    set_sale_mode(shop.planes, SESSION, "draw")
    seed = secrets.token_hex(32)
    now = shop.clock()
    with shop.planes.games_session() as games:
        draw_id = open_draw(
            games, "phase 1", (now, now + timedelta(days=7)), commitment_of(seed)
        ).id
    fans = [shop.fan(f"Fan {n}") for n in range(5)]
    with shop.planes.games_session() as games:
        for fan in fans:
            enter_draw(games, draw_id, fan, DrawWish(SESSION, 2), shop.ctx())
    row = shop.row()
    with pytest.raises(DrawError) as no_slot:
        shop.hold(fans[0], (row.id, 1))
    assert no_slot.value.code == "no_purchase_slot"
    with pytest.raises(DrawError) as still_open, shop.planes.games_session() as games:
        run_draw(games, draw_id, seed, shop.clock())
    assert still_open.value.code == "draw_open"
    shop.clock.now += timedelta(days=7)
    with pytest.raises(DrawError) as wrong_seed, shop.planes.games_session() as games:
        run_draw(games, draw_id, secrets.token_hex(32), shop.clock())
    assert wrong_seed.value.code == "seed_commitment_mismatch"
    with shop.planes.games_session() as games:
        outcome = run_draw(games, draw_id, seed, shop.clock())
    assert (outcome.entries, outcome.winners, outcome.slots) == (5, 5, 5)
    with shop.planes.games_session() as games:
        published = published_draw(games, draw_id)
    assert verify_draw(published) == draw_order(bytes.fromhex(seed), published.entries)
    with pytest.raises(DrawError) as forged:
        verify_draw(replace(published, seed=secrets.token_hex(32)))
    assert forged.value.code == "seed_commitment_mismatch"
    with pytest.raises(DrawError) as tampered:
        verify_draw(replace(published, winners=frozenset()))
    assert tampered.value.code == "draw_mismatch"
    assert shop.pay(shop.hold(fans[0], (row.id, 2)).id, fans[0]).outcome == "approved"
    with pytest.raises(DrawError):
        shop.hold(fans[1], (row.id, 3))
    shop.clock.now += shop.rules.slot
    with pytest.raises(DrawError):
        shop.hold(fans[1], (row.id, 1))


def test_registration_outside_the_window_is_refused(shop: Shop) -> None:
    now, fan = shop.clock(), shop.fan()
    with shop.planes.games_session() as games:
        draw_id = open_draw(
            games,
            "late",
            (now - timedelta(days=2), now - timedelta(days=1)),
            seed_commitment(b"x" * 32),
        ).id
    with pytest.raises(DrawError) as closed, shop.planes.games_session() as games:
        enter_draw(games, draw_id, fan, DrawWish(SESSION, 1), shop.ctx())
    assert closed.value.code == "draw_closed"
