"""The men's 100 m final of Paris 2024 replayed through capture, described and spoken.

The descriptions are checked against the results and medals the database holds after the
replay: the winner's name and time in English and French (decimal point, decimal comma),
the change of leader between the half-time standings and the result, the medallists.
"""

from __future__ import annotations

import asyncio
import os
import wave
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from podium.accessibility import Description, SpeechEngine, SpeechUnavailableError, tv_name
from podium.cli.main import app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.feed import split_name
from podium.games import Unit
from podium.migrations import upgrade_all
from podium.results import MedalRecord
from tests.accessibility.described import FINAL, MEDAL_EVENT, describe, final_script, podium_rows
from tests.accessibility.described import replay_final as replay

NOC_EN = {"USA": "United States", "JAM": "Jamaica"}
NOC_FR = {"USA": "États-Unis", "JAM": "Jamaïque"}


def _said(name: str) -> str:
    family, given = split_name(name)
    return tv_name(family, given)


def test_the_replayed_final_is_described_from_its_real_results(live_planes: Planes) -> None:
    found = describe(live_planes, replay(live_planes, final_script()))
    assert [d.kind for d in found] == [
        "status",
        "start",
        "standings",
        "leader_change",
        "result",
        "status",
        "medal",
    ]
    first, second, third = podium_rows(live_planes)
    assert (first.competitor_name, first.result, first.noc) == ("LYLES Noah", "9.79", "USA")
    result = next(d for d in found if d.kind == "result")
    winner_en = f"{_said(first.competitor_name)}, {NOC_EN[first.noc]}"
    winner_fr = f"{_said(first.competitor_name)}, {NOC_FR[first.noc]}"
    assert result.text_en == (
        f"Provisional result, Men's 100m Final: {winner_en} wins in 9.79 seconds; "
        f"second, {_said(second.competitor_name)}, {NOC_EN[second.noc]}, 9.79 seconds; "
        f"third, {_said(third.competitor_name)}, {NOC_EN[third.noc]}, 9.81 seconds."
    )
    assert result.text_fr == (
        f"Résultat provisoire, Men's 100m Final : {winner_fr} s'impose en 9,79 secondes ; "
        f"deuxième, {_said(second.competitor_name)}, {NOC_FR[second.noc]}, 9,79 secondes ; "
        f"troisième, {_said(third.competitor_name)}, {NOC_FR[third.noc]}, 9,81 secondes."
    )
    assert "Noah Lyles, United States wins in 9.79 seconds" in result.text_en
    leader = next(d for d in found if d.kind == "leader_change")
    assert leader.text_en == f"New leader, Men's 100m Final: {winner_en}, 9.79 seconds."
    assert leader.text_fr == f"Nouveau en tête, Men's 100m Final : {winner_fr}, 9,79 secondes."
    standings = next(d for d in found if d.kind == "standings")
    # Half-way, the first half of the start list has times: Thompson (9.79) led them.
    assert standings.text_en.startswith(
        "Standings, Men's 100m Final: first, Kishane Thompson, Jamaica, 9.79 seconds; second, "
    )
    assert "Lyles" not in standings.text_en
    assert_medals(live_planes, next(d for d in found if d.kind == "medal"))
    assert_channels(live_planes, found)


def assert_medals(planes: Planes, medal: Description) -> None:
    """The medal description names the medallists of the database, gold first."""
    with planes.games_session() as session:
        rows = session.scalars(
            select(MedalRecord).where(MedalRecord.event_key == MEDAL_EVENT)
        ).all()
        by_medal = {m.medal: (m.competitor_name, m.noc) for m in rows}
    assert set(by_medal) == {"GOLD", "SILVER", "BRONZE"}
    english = "; ".join(
        f"{metal}, {_said(by_medal[key][0])}, {NOC_EN.get(by_medal[key][1], 'United States')}"
        for metal, key in (("gold", "GOLD"), ("silver", "SILVER"), ("bronze", "BRONZE"))
    )
    assert medal.text_en == f"Medals, Men's 100m: {english}."
    assert medal.text_fr.startswith("Médailles, Men's 100m : or, Noah Lyles, États-Unis ; argent")
    assert medal.unit == FINAL


def assert_channels(planes: Planes, found: list[Description]) -> None:
    """Every description is of the final, at its venue, with ids unique and in order."""
    with planes.games_session() as session:
        venue = session.scalar(select(Unit.venue_code).where(Unit.rsc == FINAL))
    assert venue
    assert {(d.unit, d.venue) for d in found} == {(FINAL, venue)}
    keys = [tuple(int(p) for p in d.id.split("-")) for d in found]
    assert keys == sorted(set(keys))


def test_each_description_is_spoken_to_a_valid_wav_in_both_languages(
    sqlite_settings: Settings, tmp_path: Path
) -> None:
    planes = open_planes(sqlite_settings)
    try:
        upgrade_all(planes.games, planes.sovereign)
        found = describe(planes, replay(planes, final_script()))
    finally:
        planes.dispose()
    engine = SpeechEngine(tmp_path / "speech")
    result = next(d for d in found if d.kind == "result")
    for lang in ("en", "fr"):
        path = asyncio.run(engine.audio(result.id, lang, result.text(lang)))
        assert path == tmp_path / "speech" / lang / f"{result.id}.wav"
        with wave.open(str(path)) as audio:
            assert audio.getnchannels() == 1
            assert audio.getframerate() == 22050
            frames = audio.getnframes()
            # The header tells the true length: about 2 bytes per frame of the file.
            assert 0 < frames * 2 <= path.stat().st_size
            assert frames / audio.getframerate() > 3  # a sentence of several seconds
    assert engine.path(result.id, "en").read_bytes() != engine.path(result.id, "fr").read_bytes()


def test_without_espeak_ng_speech_says_it_is_unavailable(tmp_path: Path) -> None:
    engine = SpeechEngine(tmp_path, program="espeak-ng-not-installed")
    with pytest.raises(SpeechUnavailableError) as raised:
        asyncio.run(engine.audio("1-0", "en", "Hello."))
    assert raised.value.code == "speech_unavailable"
    with pytest.raises(SpeechUnavailableError) as bad:
        engine.path("../../etc/passwd", "en")
    assert bad.value.code == "speech_bad_id"


def test_the_describe_command_prints_and_speaks_a_units_descriptions(
    sqlite_settings: Settings,
) -> None:
    planes = open_planes(sqlite_settings)
    try:
        upgrade_all(planes.games, planes.sovereign)
        replay(planes, final_script())
    finally:
        planes.dispose()
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PODIUM_")}
    command = ["--data-dir", str(sqlite_settings.data_dir), "accessibility", "describe"]
    result = CliRunner().invoke(app, [*command, FINAL, "--lang", "fr", "--speak"], env=unset)
    assert result.exit_code == 0, result.output
    assert "Noah Lyles, États-Unis s'impose en 9,79 secondes" in result.output
    assert "Médailles, Men's 100m : or, Noah Lyles" in result.output
    spoken = sorted((sqlite_settings.data_dir / "speech" / "fr").glob("*.wav"))
    assert len(spoken) == 7
    missing = CliRunner().invoke(app, [*command, "ATHM100M--------------HEAT000100--"], env=unset)
    assert missing.exit_code == 1
    assert "no description" in missing.output
