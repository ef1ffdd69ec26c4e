"""Settings for a Podium node, read from `PODIUM_*` environment variables."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of one Podium node.

    Every field is read from the environment with the `PODIUM_` prefix
    (`PODIUM_DATA_DIR`, `PODIUM_GAMES_DB_URL`, ...). The two database URLs default
    to one SQLite file per plane inside `data_dir`, so that a fresh machine needs
    no server.

    Attributes:
        data_dir: folder holding the SQLite files and import reports.
        games_db_url: SQLAlchemy URL of the games plane (any cloud).
        sovereign_db_url: SQLAlchemy URL of the sovereign plane (EU host only).
        source: the ODF `Source` of messages this node emits (ODF Foundation Principles §6.1).
        games_code: the ODF `CompetitionCode` of the Games this node serves.
        key_dir: the key store folder (pseudonymisation key, master key, subject keys,
            audit signing key), apart from both databases; default `<data_dir>/keys`.
        policy_file: the access policy (TOML); default the bundled `privacy/policy.toml`.
        audit_checkpoint_every: sign an audit checkpoint every this many records.
        retention_days: per data category, a retention period (days after the Games)
            that overrides the catalog's, e.g. `{"health": 14}`.
        games_end: the last day of the Games, from which retention periods run.
        secure_cookies: mark the sign-in cookie `Secure` (off only for plain-HTTP tests).
        controller: the controller's name, as the records of processing and subject
            exports state it (GDPR Art. 30(1)(a), Art. 13(1)(a)).
        dpo_contact: how to reach the data protection officer (Art. 30(1)(a), 37(7)).
        accessibility_contact: the accessibility statement's feedback contact (an e-mail
            address or a web address, RGAA 4.1 "retour d'information et contact"); None
            keeps the bundled `accessibility/data/statement.toml` default.
        feed_role: `primary` builds the feed from the outbox and pushes it (one primary
            per feed); `edge` only serves live subscribers from NATS JetStream.
        feed_window_ms: the burst window of ODF Foundation Principles §4.4, milliseconds.
        push_retry_seconds: how long HTTP push waits before retrying an unacknowledged
            message (ODF Foundation Principles §8: 5 s).
        push_timeout_seconds: how long HTTP push waits for a consumer's answer.
        nats_url: the NATS server (`nats://127.0.0.1:4222`) carrying the feed to other
            diffusion nodes, or None for in-process fan-out only.
        nats_stream: the JetStream stream name of the feed.
        vetting_period_months: how long the vetting authority may take to answer an
            accreditation's screening request; no answer by then counts as a refusal (the
            French rule for Paris 2024: a binding opinion within two months).

    """

    model_config = SettingsConfigDict(env_prefix="PODIUM_", extra="ignore")

    data_dir: Path = Field(default=Path("var"))
    games_db_url: str | None = None
    sovereign_db_url: str | None = None
    source: str = "PODIUM"
    games_code: str = "OG2024"
    key_dir: Path | None = None
    policy_file: Path | None = None
    audit_checkpoint_every: int = Field(default=100, ge=1)
    retention_days: dict[str, int] = Field(default_factory=dict)
    games_end: date = date(2024, 9, 8)
    secure_cookies: bool = True
    controller: str = "the organising committee"
    dpo_contact: str = "the data protection officer of the organising committee"
    accessibility_contact: str | None = None
    feed_role: Literal["primary", "edge"] = "primary"
    feed_window_ms: int = Field(default=250, ge=0)
    push_retry_seconds: float = Field(default=5.0, gt=0)
    push_timeout_seconds: float = Field(default=10.0, gt=0)
    nats_url: str | None = None
    nats_stream: str = "PODIUM_FEED"
    vetting_period_months: int = Field(default=2, ge=1)

    def key_store(self) -> Path:
        """Return the key store folder, defaulting to `<data_dir>/keys`."""
        return self.key_dir or self.data_dir / "keys"

    def games_url(self) -> str:
        """Return the games plane URL, defaulting to `<data_dir>/games.sqlite`."""
        return self.games_db_url or f"sqlite:///{(self.data_dir / 'games.sqlite').resolve()}"

    def sovereign_url(self) -> str:
        """Return the sovereign plane URL, defaulting to `<data_dir>/sovereign.sqlite`."""
        return (
            self.sovereign_db_url or f"sqlite:///{(self.data_dir / 'sovereign.sqlite').resolve()}"
        )
