"""The access configuration: categories, zones and privileges as data.

Each accreditation category maps to the venues it opens, the venue zones (Olympic zone
numbers 1–7), village zones, a transport privilege (T1/T2/T3/TA/TM/TF) and seating
privileges (tribune codes), with per-venue overrides where a venue differs. The bundled
`access.toml` is our model of the IOC accreditation and entries-by-number manual's scheme
(Olympic Charter rule 52), honestly stated as a model, not an official copy.

The file is validated by pydantic at load: an unknown zone, venue, village zone,
transport or seating code, or a duplicate category, is an `AccessConfigError` naming the
file and the key (`category[3].overrides[0].venue`).
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

from podium.accreditation.errors import AccessConfigError, UnknownCategoryError

__all__ = [
    "DEFAULT_ACCESS_FILE",
    "AccessConfig",
    "CategoryAccess",
    "Grant",
    "Label",
    "Validity",
    "VenueOverride",
    "default_access",
    "load_access",
]

DEFAULT_ACCESS_FILE = Path(__file__).with_name("access.toml")
"""The bundled access configuration (Paris 2024)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A name in English and French (the Olympic Games' two official languages)."""

    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)


class VenueOverride(_Strict):
    """What a category gets at one venue where it differs from its default."""

    venue: str
    zones: tuple[str, ...] | None = None
    seating: tuple[str, ...] | None = None


class CategoryAccess(_Strict):
    """One accreditation category and its privileges.

    Attributes:
        code: category code (`A`, `Aa`, `E`, `RT`, ...).
        en, fr: the category's name.
        venues: `*` (every competition venue) or the venue codes it opens.
        zones: venue zone codes granted at those venues.
        village: Olympic Village zone codes.
        transport: transport privilege code, or None.
        seating: tribune codes.
        overrides: per-venue differences.

    """

    code: str = Field(pattern=r"^[A-Za-z]{1,8}$")
    en: str
    fr: str
    venues: Literal["*"] | tuple[str, ...]
    zones: tuple[str, ...]
    village: tuple[str, ...] = ()
    transport: str | None = None
    seating: tuple[str, ...] = ()
    overrides: tuple[VenueOverride, ...] = ()


class _Venues(_Strict):
    codes: tuple[str, ...]


class Validity(_Strict):
    """When printed cards admit: first and last instant (aware UTC)."""

    valid_from: AwareDatetime
    valid_until: AwareDatetime


class Grant(_Strict):
    """What one category grants at one venue (the resolved configuration)."""

    category: str
    venue: str
    zones: frozenset[str]
    seating: tuple[str, ...]
    village: tuple[str, ...]
    transport: str | None


def _unknown(kind: str, values: tuple[str, ...] | None, known: object, where: str) -> None:
    for value in values or ():
        if value not in known:  # type: ignore[operator]
            msg = f"{where}: unknown {kind} {value!r}"
            raise ValueError(msg)


class AccessConfig(_Strict):
    """The whole access configuration, checked for consistency."""

    zones: dict[str, Label]
    village_zones: dict[str, Label]
    transport: dict[str, Label]
    seating: dict[str, Label]
    venues: _Venues
    validity: Validity
    category: tuple[CategoryAccess, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: set[str] = set()
        for index, cat in enumerate(self.category):
            where = f"category[{index}]"
            if cat.code in seen:
                msg = f"{where}.code: duplicate category {cat.code!r}"
                raise ValueError(msg)
            seen.add(cat.code)
            if cat.venues != "*":
                _unknown("venue", cat.venues, self.venues.codes, f"{where}.venues")
            _unknown("zone", cat.zones, self.zones, f"{where}.zones")
            _unknown("village zone", cat.village, self.village_zones, f"{where}.village")
            if cat.transport is not None:
                _unknown("transport", (cat.transport,), self.transport, f"{where}.transport")
            _unknown("seating", cat.seating, self.seating, f"{where}.seating")
            for o_index, override in enumerate(cat.overrides):
                there = f"{where}.overrides[{o_index}]"
                _unknown("venue", (override.venue,), self.venues.codes, f"{there}.venue")
                _unknown("zone", override.zones, self.zones, f"{there}.zones")
                _unknown("seating", override.seating, self.seating, f"{there}.seating")
        return self

    @property
    def category_codes(self) -> frozenset[str]:
        """Every category code of the configuration."""
        return frozenset(cat.code for cat in self.category)

    def category_of(self, code: str) -> CategoryAccess:
        """Return one category.

        Raises:
            UnknownCategoryError: no such category (code `category_unknown`).
        """
        for cat in self.category:
            if cat.code == code:
                return cat
        raise UnknownCategoryError(
            f"accreditation category {code!r} is not in the access configuration "
            f"(known: {', '.join(sorted(self.category_codes))})"
        )

    def grant(self, category: str, venue: str) -> Grant:
        """Resolve what `category` grants at `venue` (no zones when it does not open it).

        Raises:
            UnknownCategoryError: unknown category.
        """
        cat = self.category_of(category)
        opens = (cat.venues == "*" and venue in self.venues.codes) or venue in cat.venues
        zones, seating = (cat.zones, cat.seating) if opens else ((), ())
        for override in cat.overrides:
            if override.venue == venue:
                zones = override.zones if override.zones is not None else zones
                seating = override.seating if override.seating is not None else seating
        return Grant(
            category=category,
            venue=venue,
            zones=frozenset(zones),
            seating=tuple(seating),
            village=cat.village,
            transport=cat.transport,
        )


def _location(error: dict[str, object]) -> str:
    parts = [str(p) for p in error.get("loc", ())]  # type: ignore[attr-defined]
    text = ""
    for part in parts:
        text += f"[{part}]" if part.isdigit() else f".{part}" if text else part
    return text or "(top level)"


def load_access(path: Path = DEFAULT_ACCESS_FILE) -> AccessConfig:
    """Load and validate an access configuration file (TOML).

    Args:
        path: the TOML file; defaults to the bundled Paris 2024 configuration.

    Raises:
        AccessConfigError: the file is missing, is not TOML, or breaks a rule; the
            message names the file and the key (code `access_config_invalid`).
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccessConfigError(f"{path}: {exc}") from exc
    try:
        return AccessConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        where = _location(dict(first))
        prefix = "" if where == "(top level)" else f"{where}: "
        raise AccessConfigError(f"{path}: {prefix}{message}") from exc


@cache
def default_access() -> AccessConfig:
    """Return the bundled access configuration, loaded once per process."""
    return load_access(DEFAULT_ACCESS_FILE)
