"""Organisations, quotas and the access configuration."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from podium.accreditation import (
    AccessConfigError,
    Accreditation,
    QuotaExceededError,
    UnknownCategoryError,
    check_quota,
    default_access,
    load_access,
    quota_allows,
    save_organisation,
    set_quotas,
)
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all

NOW = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.fixture
def games(tmp_path: Path) -> Iterator[Session]:
    """A games-plane session on a fresh, migrated SQLite node."""
    planes: Planes = open_planes(Settings(data_dir=tmp_path))
    upgrade_all(planes.games, planes.sovereign)
    with Session(planes.games) as session:
        yield session
    planes.dispose()


def _apply(session: Session, subject: str, org: str, category: str, status: str) -> None:
    session.add(
        Accreditation(
            subject_id=subject,
            organisation_code=org,
            category=category,
            status=status,
            applied_at=NOW,
            updated_at=NOW,
            card_serial=0,
        )
    )
    session.flush()


def test_quota_rule_allows_up_to_the_quota() -> None:
    assert quota_allows(None, 10_000)
    assert quota_allows(3, 2)
    assert not quota_allows(3, 3)
    assert not quota_allows(3, 2, adding=2)


def test_quota_exceeded_names_organisation_category_quota_and_held(games: Session) -> None:
    save_organisation(games, "FRA", "France", "noc")
    set_quotas(games, "FRA", {"Aa": 2})
    _apply(games, "s1", "FRA", "Aa", "approved")
    _apply(games, "s2", "FRA", "Aa", "refused")
    _apply(games, "s3", "FRA", "Aa", "revoked")
    check_quota(games, "FRA", "Aa")
    _apply(games, "s4", "FRA", "Aa", "applied")
    with pytest.raises(QuotaExceededError) as caught:
        check_quota(games, "FRA", "Aa")
    assert caught.value.code == "quota_exceeded"
    assert all(part in str(caught.value) for part in ("FRA", "Aa", "quota is 2", "holds 2"))
    check_quota(games, "FRA", "A", adding=500)


def test_quota_of_unknown_category_is_refused(games: Session) -> None:
    save_organisation(games, "FIBA", "International Basketball Federation", "if")
    with pytest.raises(UnknownCategoryError) as caught:
        set_quotas(games, "FIBA", {"ZZ": 3})
    assert caught.value.code == "category_unknown"


def test_bundled_access_configuration_resolves_overrides() -> None:
    config = default_access()
    assert config.grant("A", "STA").zones == {"1", "2", "3"}
    assert config.grant("A", "TAH").zones == {"1", "2"}
    assert config.grant("EP", "STA").zones == {"1", "4"}
    assert config.grant("ENR", "STA").zones == frozenset()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('zones = ["1", "2", "3"]', 'zones = ["1", "9"]'), "category[0].zones"),
        (('{ venue = "TAH"', '{ venue = "XXX"'), "category[0].overrides[0].venue"),
        (('code = "Aa"', 'code = "A"'), "category[1].code"),
    ],
)
def test_bad_access_configuration_names_file_and_key(
    tmp_path: Path, change: tuple[str, str], where: str
) -> None:
    source = Path(__file__).parents[2] / "src/podium/accreditation/access.toml"
    bad = tmp_path / "access.toml"
    bad.write_text(source.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    with pytest.raises(AccessConfigError) as caught:
        load_access(bad)
    assert str(bad) in str(caught.value)
    assert where in str(caught.value)
