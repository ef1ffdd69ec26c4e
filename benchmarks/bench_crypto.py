"""Benchmark: field encryption (seal/open) and bulk data key creation for an import.

Run: `uv run python benchmarks/bench_crypto.py [--repeats N] [--quick]`

Field encryption: `FieldCipher.seal` and `FieldCipher.open` of a 30-character name, one
subject, the data key cached (the steady state of an import or a page render). Baselines,
measured in the same run: bare `AESGCM.encrypt` / `AESGCM.decrypt` with one prebuilt key,
a fresh `os.urandom(12)` nonce and the same associated-data length. The ratio says what
Podium's layer costs on top of the AEAD: the key look-up in the cache, the associated
data, the token framing.

Bulk keys: `SubjectKeys.create_many` of 12,000 subjects × 3 categories (36,000 random data
keys, each wrapped with RFC 3394, one transaction) into a fresh key store; baseline, the
same number of 40-byte random blobs inserted with plain `sqlite3` `executemany` in one
transaction. Then `rewrap_all` of the 36,000 keys after a master key rotation.

Figures are medians over the repeats; temporary folders are removed at the end.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from _common import base_parser, median
from podium.privacy.fields import FieldCipher
from podium.privacy.keys import open_subject_keys, rotate_master_key

NAME = "Marie-José Pérec-Delacroix Abc"  # 30 characters
SUBJECT, CATEGORY, FIELD = "P000123456", "identity", "person.given_name"
CATEGORIES = ("identity", "contact", "birth-date")


def _rate(count: int, run: Callable[[], object], repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - start))
    return median(rates)


def _field_rates(root: Path, count: int, repeats: int) -> dict[str, float]:
    keys = open_subject_keys(root / "fields", environ={})
    cipher = FieldCipher(keys)
    token = cipher.seal(SUBJECT, CATEGORY, FIELD, NAME)  # creates and caches the key
    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    clear, aad = NAME.encode(), b"x" * (15 + 8 + len(SUBJECT) + len(FIELD))
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, clear, aad)

    def seal_all() -> None:
        for _ in range(count):
            cipher.seal(SUBJECT, CATEGORY, FIELD, NAME)

    def open_all() -> None:
        for _ in range(count):
            cipher.open(SUBJECT, CATEGORY, FIELD, token)

    def encrypt_all() -> None:
        for _ in range(count):
            aead.encrypt(os.urandom(12), clear, aad)

    def decrypt_all() -> None:
        for _ in range(count):
            aead.decrypt(nonce, sealed, aad)

    rates = {
        "seal": _rate(count, seal_all, repeats),
        "encrypt": _rate(count, encrypt_all, repeats),
        "open": _rate(count, open_all, repeats),
        "decrypt": _rate(count, decrypt_all, repeats),
    }
    keys.close()
    return rates


def _plain_sqlite(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE k (key_id TEXT PRIMARY KEY, blob BLOB) WITHOUT ROWID")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO k VALUES (?, ?)", ((f"s{n}", os.urandom(40)) for n in range(rows))
    )
    conn.execute("COMMIT")
    conn.close()


def _bulk_times(root: Path, subjects: int, repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"create_many": [], "baseline": [], "rewrap_all": []}
    pairs = [(f"P{n:09d}", category) for n in range(subjects) for category in CATEGORIES]
    for repeat in range(repeats):
        key_dir = root / f"bulk{repeat}"
        keys = open_subject_keys(key_dir, environ={})
        start = time.perf_counter()
        keys.create_many(pairs)
        times["create_many"].append(time.perf_counter() - start)

        rotated = rotate_master_key(key_dir)
        start = time.perf_counter()
        rewrapped = keys.rewrap_all(rotated)
        times["rewrap_all"].append(time.perf_counter() - start)
        if rewrapped != len(pairs):
            raise RuntimeError(f"rewrap_all rewrapped {rewrapped} keys, not {len(pairs)}")
        keys.close()

        start = time.perf_counter()
        _plain_sqlite(root / f"plain{repeat}.sqlite", len(pairs))
        times["baseline"].append(time.perf_counter() - start)
    return times


def main() -> int:
    """Run the benchmark and print medians with their ratios to the same-run baselines."""
    parser = base_parser(__doc__.splitlines()[0], repeats=5)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    count = 20_000 if args.quick else 200_000
    subjects = 12_000
    with tempfile.TemporaryDirectory(prefix="podium-bench-crypto-") as tmp:
        root = Path(tmp)
        rates = _field_rates(root, count, repeats)
        bulk = _bulk_times(root, subjects, repeats)

    print(f"Field encryption, {len(NAME)}-character name, key cached; N={count:,}")
    print(f"median of {repeats} (operations per second; ratio = Podium / baseline)")
    for name, base in (("seal", "encrypt"), ("open", "decrypt")):
        podium, bare = rates[name], rates[base]
        print(f"  FieldCipher.{name:<5}          {podium:>12,.0f} /s")
        print(f"  baseline AESGCM.{base:<8}   {bare:>12,.0f} /s   ratio {podium / bare:5.2f}")
    pairs = subjects * len(CATEGORIES)
    create, plain = median(bulk["create_many"]), median(bulk["baseline"])
    print(f"\nData keys, {subjects:,} subjects x {len(CATEGORIES)} categories = {pairs:,} keys")
    print(f"median of {repeats} (seconds; ratio = Podium / baseline)")
    print(f"  SubjectKeys.create_many         {create:8.3f} s  ({pairs / create:,.0f} keys/s)")
    print(f"  baseline sqlite3 executemany    {plain:8.3f} s   ratio {create / plain:5.2f}")
    print(f"  rewrap_all after rotation       {median(bulk['rewrap_all']):8.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
