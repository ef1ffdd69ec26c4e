"""The reference push consumer (`podium receive`): key, body and storage checks."""

from __future__ import annotations

import gzip
from pathlib import Path

from fastapi.testclient import TestClient

from podium.api.receiver import receiver_app

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "odf-samples"


def _sample() -> bytes:
    return next(iter(sorted(SAMPLES.glob("*DT_SCHEDULE*.xml")))).read_bytes()


def test_it_stores_each_message_once_under_its_odf_file_name(tmp_path: Path) -> None:
    client = TestClient(receiver_app(tmp_path, "secret-key"))
    xml = _sample()
    headers = {"X-API-KEY": "secret-key", "Content-Encoding": "gzip"}
    first = client.post("/feed", content=gzip.compress(xml), headers=headers)
    again = client.post("/feed", content=gzip.compress(xml), headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    [stored] = list(tmp_path.iterdir())
    assert stored.read_bytes() == xml
    assert stored.name.startswith(("2022", "2023", "2024"))
    assert "DT_SCHEDULE" in stored.name
    assert client.get("/").json() == {"messages": 1, "duplicates": 1}


def test_a_wrong_key_or_a_bad_body_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    client = TestClient(receiver_app(tmp_path, "secret-key"))
    xml = gzip.compress(_sample())
    wrong = client.post("/feed", content=xml, headers={"X-API-KEY": "guess"})
    assert wrong.status_code == 401
    bad = client.post("/feed", content=gzip.compress(b"<nope"), headers={"X-API-KEY": "secret-key"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "bad_message"
    assert list(tmp_path.iterdir()) == []
