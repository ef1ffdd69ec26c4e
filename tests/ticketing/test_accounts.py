"""Fan accounts: sealed personal data, sign-in by blind index, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from podium.core.errors import InvalidInputError
from podium.ticketing import (
    FanAuthenticationError,
    FanPersonal,
    NewFan,
    authenticate_fan,
    close_fan_session,
    create_fan_account,
    fan_profile,
    fan_session,
    open_fan_session,
)
from tests.ticketing.conftest import Shop

FAN = NewFan("Lea.Dupont@Example.org", "a long enough password", "Léa Dupont")


def test_sign_up_seals_name_and_email_and_signs_in_by_address(shop: Shop) -> None:
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        account = create_fan_account(games, sov, shop.spine, FAN, shop.clock())
    with shop.planes.sovereign_session() as sov:
        stored = sov.scalars(select(FanPersonal).where(FanPersonal.account_id == account)).one()
        assert b"Dupont" not in (stored.full_name or b"")
        assert b"example" not in (stored.email or b"")
        assert (
            authenticate_fan(sov, shop.spine, " lea.dupont@example.ORG ", FAN.password) == account
        )
        profile = fan_profile(sov, shop.spine, account)
    assert (profile.full_name, profile.email) == ("Léa Dupont", "lea.dupont@example.org")


def test_wrong_password_unknown_address_and_taken_address_are_refused(shop: Shop) -> None:
    with shop.planes.games_session() as games, shop.planes.sovereign_session() as sov:
        create_fan_account(games, sov, shop.spine, FAN, shop.clock())
    with shop.planes.sovereign_session() as sov:
        for email, password in (
            (FAN.email, "wrong password!"),
            ("nobody@example.org", FAN.password),
        ):
            with pytest.raises(FanAuthenticationError) as refused:
                authenticate_fan(sov, shop.spine, email, password)
            assert refused.value.code == "fan_credentials_invalid"
    with (
        pytest.raises(InvalidInputError) as taken,
        shop.planes.games_session() as games,
        shop.planes.sovereign_session() as sov,
    ):
        create_fan_account(games, sov, shop.spine, FAN, shop.clock())
    assert taken.value.code == "email_taken"


def test_fan_session_opens_expires_and_closes(shop: Shop) -> None:
    account = shop.fan()
    with shop.planes.sovereign_session() as sov:
        token = open_fan_session(sov, account, shop.clock())
    with shop.planes.sovereign_session() as sov:
        assert fan_session(sov, token, shop.clock()).account_id == account
        with pytest.raises(FanAuthenticationError):
            fan_session(sov, token, shop.clock() + timedelta(days=8))
        close_fan_session(sov, token)
    with shop.planes.sovereign_session() as sov, pytest.raises(FanAuthenticationError):
        fan_session(sov, token, shop.clock())
