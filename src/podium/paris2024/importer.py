"""`podium import paris2024`: the real Games into both planes, idempotently.

One run reads every file, collects the rows of every table, then writes each plane in
one transaction: either the whole import lands or nothing does. Bad rows are never
dropped silently: `--strict` stops on the first, the default quarantines them into a
report (file, line, column, reason) that is printed and saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.core.db import GamesBase, Planes, SovereignBase
from podium.core.errors import ConfigurationError
from podium.core.settings import Settings
from podium.core.sync import SyncCount, sync_table
from podium.paris2024.csvsource import BadRowError, Quarantine, SourceFileError
from podium.paris2024.medals import link_medal_units, load_medal_rows
from podium.paris2024.people import PeopleData, load_nocs, load_people
from podium.paris2024.preliminary import load_preliminary_slots
from podium.paris2024.results import load_results
from podium.paris2024.schedule import load_master_data
from podium.people import Person, PseudonymKey
from podium.privacy.audit import AuditEntry
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.pseudonyms import key_fingerprint, pseudonym_key
from podium.privacy.register import erased_subjects
from podium.privacy.spine import Spine, open_spine

__all__ = [
    "ImportOptions",
    "ImportReport",
    "PseudonymKeyMismatchError",
    "import_paris2024",
    "key_fingerprint",
    "pseudonym_key",
]
# `key_fingerprint` and `pseudonym_key` live in `podium.privacy.pseudonyms`; re-exported
# here for the callers that knew them from the importer.

Step = Callable[[str], None]


@dataclass(frozen=True)
class ImportOptions:
    """How to run the import.

    Attributes:
        source: the Paris 2024 data folder (the bundled `data/paris2024` by default).
        data_dir: the node's data folder, where the reports are saved.
        strict: fail the whole import on the first bad row.
        key_dir: the key store folder holding the pseudonymisation key; by default
            `<data_dir>/keys`. In production it is a separate, access-controlled volume
            of the sovereign host, not the games plane's machine.

    """

    source: Path
    data_dir: Path
    strict: bool = False
    key_dir: Path | None = None

    @property
    def key_store(self) -> Path:
        """Return the key store folder."""
        return self.key_dir or self.data_dir / "keys"


@dataclass
class ImportReport:
    """What an import did: table counts, quarantined rows and repair notices."""

    started_at: str
    source: str
    tables: list[SyncCount] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Return the number of rows written across all tables."""
        return sum(t.changed for t in self.tables)

    def to_json(self) -> str:
        """Return the report as indented JSON."""
        body = asdict(self)
        body["changed"] = self.changed
        return json.dumps(body, indent=2, default=str)


class PseudonymKeyMismatchError(ConfigurationError):
    """The pseudonymisation key is not the one that made the stored subject IDs."""

    code = "pseudonym_key_mismatch"


def _check_key(sovereign: Session, fingerprint: str, key_dir: Path) -> None:
    stored = set(sovereign.scalars(select(PseudonymKey.fingerprint)))
    if stored and stored != {fingerprint}:
        msg = (
            f"the pseudonymisation key in {key_dir} is not the key that made the"
            " subject IDs of the sovereign plane: an import now would re-key every data"
            " subject. Restore that key, or use the data folder that holds it."
        )
        raise PseudonymKeyMismatchError(msg)


def _fault_dict(fault: BadRowError) -> dict[str, Any]:
    return {
        "file": fault.file,
        "line": fault.line,
        "column": fault.column,
        "code": fault.code,
        "reason": fault.reason,
    }


@dataclass
class _Collected:
    games: dict[str, list[dict[str, Any]]]
    sovereign: dict[str, list[dict[str, Any]]]
    fingerprint: str


def _collect(options: ImportOptions, quarantine: Quarantine, step: Step) -> _Collected:
    root = options.source
    if not root.is_dir():
        raise SourceFileError(str(root), "no such folder of Paris 2024 files", "missing_source")
    people = PeopleData()
    step("NOCs")
    load_nocs(root, people, quarantine)
    step("results")
    results = load_results(root, quarantine, set(people.nocs))
    step("schedule")
    master = load_master_data(root, quarantine, results.units)
    step("preliminary schedule")
    slots = load_preliminary_slots(root, quarantine, master.units)
    step("people")
    load_people(root, people, quarantine, pseudonym_key(options.key_store))
    step("medals")
    medals = load_medal_rows(root, quarantine, people.nocs)
    link_medal_units(medals, master.events, master.disciplines, master.units)
    games = {
        "discipline": list(master.disciplines.values()),
        "noc": list(people.nocs.values()),
        "venue": list(master.venues.values()),
        "location": list(master.locations.values()),
        "event": list(master.events.values()),
        "phase": list(master.phases.values()),
        "competition_session": list(master.sessions.values()),
        "unit": list(master.units.values()),
        "preliminary_slot": slots,
        "participant": list(people.participants.values()),
        "team": list(people.teams.values()),
        "team_member": list(people.members.values()),
        "unit_result": list(results.results.values()),
        "medal": medals,
    }
    fingerprint = key_fingerprint(pseudonym_key(options.key_store))
    sovereign = {
        "pseudonym_key": [{"fingerprint": fingerprint}],
        "person": list(people.persons.values()),
    }
    return _Collected(games=games, sovereign=sovereign, fingerprint=fingerprint)


@contextmanager
def _both_planes(planes: Planes) -> Iterator[tuple[Any, Any]]:
    # The sovereign transaction commits only after the games one has written all its
    # rows without error, so a failure in either leaves both planes as they were.
    with planes.sovereign_session() as sovereign, planes.games_session() as games:
        yield games, sovereign


def import_paris2024(
    planes: Planes,
    options: ImportOptions,
    step: Step | None = None,
    clock: Clock = system_clock,
    spine: Spine | None = None,
) -> ImportReport:
    """Import the Paris 2024 files into both planes.

    Args:
        planes: the open database planes (migrated).
        options: source folder, data folder and strictness.
        step: called with the name of each stage, for progress display.
        clock: gives the report's start time.
        spine: the node's privacy services (keys, cipher, audit log); opened from the
            options' key folder when None.

    Returns:
        The report; it is also saved under `<data_dir>/reports/`.

    Raises:
        BadRowError: in strict mode, on the first bad row; nothing is written then.
        SourceFileError: a file or folder is missing, or a file lacks a column.
        PseudonymKeyMismatchError: the key store holds another key than the one that made
            the stored subject IDs; nothing is written then.

    """
    started: datetime = clock()
    tick: Step = step or (lambda _name: None)
    quarantine = Quarantine(strict=options.strict)
    collected = _collect(options, quarantine, tick)
    report = ImportReport(started_at=started.isoformat(), source=str(options.source))
    tick("writing")
    owned = spine is None
    spine = spine or open_spine(Settings(data_dir=options.data_dir, key_dir=options.key_store))
    try:
        with _both_planes(planes) as (games, sovereign):
            _check_key(sovereign, collected.fingerprint, options.key_store)
            for name, rows in collected.games.items():
                report.tables.append(sync_table(games, GamesBase.metadata.tables[name], rows))
            games.flush()
            collected.sovereign["person"] = _seal_persons(
                sovereign, spine, collected.sovereign["person"]
            )
            for name, rows in collected.sovereign.items():
                table = SovereignBase.metadata.tables[name]
                report.tables.append(sync_table(sovereign, table, rows))
    finally:
        if owned:
            spine.close()
    report.quarantined = [_fault_dict(f) for f in quarantine.rows]
    report.notices = [_fault_dict(f) for f in quarantine.notices]
    _save(report, options.data_dir, started)
    return report


_SEALED_FIELDS = {"full_name": "identity", "birth_date": "birth-date"}


def _seal_persons(
    sovereign: Session, spine: Spine, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Seal the protected fields of the person rows, reusing unchanged ciphertexts.

    AES-GCM takes a fresh nonce each time, so sealing an unchanged value again would
    rewrite every row on every import; opening the stored token and comparing keeps a
    second import at zero writes. Erased subjects are left out (never re-created,
    Art. 17), and a field whose key a retention run shredded stays empty. Each subject
    written gets one audit record.
    """
    existing = {p.subject_id: p for p in sovereign.scalars(select(Person))}
    erased = erased_subjects(sovereign)
    fresh = [r["subject_id"] for r in rows if r["subject_id"] not in existing]
    spine.keys.create_many(
        (sid, category)
        for sid in fresh
        if sid not in erased
        for category in _SEALED_FIELDS.values()
    )
    sealed_rows: list[dict[str, Any]] = []
    audit: list[AuditEntry] = []
    per_chunk = max(1, spine.keys.cache_size // (2 * len(_SEALED_FIELDS)))
    for index, row in enumerate(rows):
        if index % per_chunk == 0:  # one key-store query per 500 keys, not one per key
            spine.keys.warm(
                (r["subject_id"], category)
                for r in rows[index : index + per_chunk]
                if r["subject_id"] in existing
                for category in _SEALED_FIELDS.values()
            )
        sid = row["subject_id"]
        if sid in erased:
            continue
        old = existing.get(sid)
        out = dict(row)
        written: list[str] = []
        for field_name, category in _SEALED_FIELDS.items():
            value = row[field_name]
            plain = value.isoformat() if hasattr(value, "isoformat") else value
            stored = getattr(old, field_name) if old is not None else None
            try:
                if (
                    old is not None
                    and spine.cipher.open(sid, category, field_name, stored) == plain
                ):
                    out[field_name] = stored
                    continue
                out[field_name] = spine.cipher.seal(sid, category, field_name, plain)
            except KeyDestroyedError:
                out[field_name] = None  # shredded by retention: stays gone
                continue
            written.append(field_name)
        if (
            written
            or old is None
            or old.organisation != row["organisation"]
            or old.function != row["function"]
        ):
            audit.append(
                AuditEntry(
                    operator="system",
                    action="people.person.import",
                    subject=sid,
                    fields=tuple(sorted(written)) or ("function", "organisation"),
                    purpose="accreditation",
                    decision="write",
                )
            )
        sealed_rows.append(out)
    spine.audit.append(sovereign, audit)  # one chained batch: one head lock, bulk inserts
    return sealed_rows


def _save(report: ImportReport, data_dir: Path, started: datetime) -> Path:
    folder = data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-paris2024-{started:%Y%m%dT%H%M%S}.json"
    path.write_text(report.to_json(), encoding="utf-8")
    (folder / "import-paris2024-latest.json").write_text(report.to_json(), encoding="utf-8")
    return path
