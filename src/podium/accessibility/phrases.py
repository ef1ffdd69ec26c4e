"""The sentences of the live descriptions, one template per kind, in English and French.

Short spoken sentences, the unit named first so that a listener following several units
knows which one is meant. Each function returns `(english, french)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from podium.accessibility.nocs import NocNames
from podium.accessibility.spoken import (
    SPEECH_LANGS,
    SpeechLang,
    ordinal,
    spoken_decimal,
    spoken_result,
    tv_name,
)
from podium.odf import Competitor, MedalAward, RecordMark, ResultLine

__all__ = [
    "RECORD_NAMES",
    "Texts",
    "Voice",
    "leader_text",
    "medals_text",
    "official_text",
    "record_text",
    "result_text",
    "standings_text",
    "start_list_text",
    "start_text",
]

Texts = tuple[str, str]
"""A sentence in English and in French."""

RECORD_NAMES: dict[str, Texts] = {
    "WR": ("world record", "record du monde"),
    "OR": ("Olympic record", "record olympique"),
    "PR": ("Paralympic record", "record paralympique"),
    "AR": ("continental record", "record continental"),
}
"""The record marks a description announces (ODF `RecordType`), most important first;
personal and season bests are left to the result lists: announced, they would be noise."""

_MEDALS: dict[str, Texts] = {
    "ME_GOLD": ("gold", "or"),
    "ME_SILVER": ("silver", "argent"),
    "ME_BRONZE": ("bronze", "bronze"),
}
_SEP: dict[SpeechLang, str] = {"en": "; ", "fr": " ; "}
_COLON: dict[SpeechLang, str] = {"en": ": ", "fr": " : "}
_SCORE_SEP: dict[SpeechLang, str] = {"en": ", ", "fr": ", "}


@dataclass(frozen=True, slots=True)
class Voice:
    """What the sentences need to name things: the unit and the NOCs.

    Args:
        unit: the unit's name as the data set gives it ("Men's 100m Final").
        event: the event's name ("Men's 100m"), or the unit's when unknown.
        nocs: the spoken NOC names.

    """

    unit: str
    event: str
    nocs: NocNames

    def who(self, competitor: Competitor, lang: SpeechLang) -> str:
        """Name a competitor: "Noah Lyles, United States"; a team by its NOC."""
        noc = self.nocs.name(competitor.organisation, lang)
        if competitor.type == "T" or len(competitor.athletes) != 1:
            return noc
        athlete = competitor.athletes[0]
        return f"{tv_name(athlete.family_name, athlete.given_name)}, {noc}"

    def line(self, line: ResultLine, lang: SpeechLang) -> str:
        """Name a competitor with their result: "Noah Lyles, United States, 9.79 seconds"."""
        who = self.who(line.competitor, lang)
        if not line.result:
            return who
        return f"{who}, {spoken_result(line.result, line.result_type, lang)}"


def _feminine(competitor: Competitor) -> bool:
    return bool(competitor.athletes) and all(a.gender == "F" for a in competitor.athletes)


def _both(make: dict[SpeechLang, str]) -> Texts:
    return make["en"], make["fr"]


def start_list_text(voice: Voice, count: int) -> Texts:
    """Say that the start list is out, and how many compete."""
    return (
        f"{voice.unit}: start list published, {count} competitors.",
        f"{voice.unit} : liste de départ publiée, {count} concurrents.",
    )


def start_text(voice: Voice) -> Texts:
    """Say that the unit has started."""
    return (f"{voice.unit} has started.", f"{voice.unit} : c'est parti.")


def _placed(voice: Voice, lines: Sequence[ResultLine], lang: SpeechLang, first: int) -> str:
    return _SEP[lang].join(
        f"{ordinal(first + i, lang, feminine=_feminine(line.competitor))}, {voice.line(line, lang)}"
        for i, line in enumerate(lines)
    )


def standings_text(voice: Voice, lines: Sequence[ResultLine]) -> Texts:
    """Say the top of the standings ("first, ...; second, ...")."""
    heads: dict[SpeechLang, str] = {"en": "Standings", "fr": "Classement provisoire"}
    return _both(
        {
            lang: f"{heads[lang]}, {voice.unit}{_COLON[lang]}{_placed(voice, lines, lang, 1)}."
            for lang in SPEECH_LANGS
        }
    )


def score_text(voice: Voice, sides: Sequence[ResultLine]) -> Texts:
    """Say a match's score, the side ahead first ("Score, ...: France 1, Spain 0").

    A drawn match says its sides in the order of the lines. Scores are said as numbers
    ("2"), not as points: in a match the unit of the score is the sport's own (goals,
    points, sets).
    """
    heads: dict[SpeechLang, str] = {"en": "Score", "fr": "Score"}

    def side(line: ResultLine, lang: SpeechLang) -> str:
        result = line.result or ""
        said = spoken_decimal(result, lang) if result.isdigit() else result
        return f"{voice.who(line.competitor, lang)} {said}"

    return _both(
        {
            lang: f"{heads[lang]}, {voice.unit}{_COLON[lang]}"
            + _SCORE_SEP[lang].join(side(line, lang) for line in sides)
            + "."
            for lang in SPEECH_LANGS
        }
    )


def leader_text(voice: Voice, leader: ResultLine) -> Texts:
    """Say who now leads the unit."""
    return (
        f"New leader, {voice.unit}: {voice.line(leader, 'en')}.",
        f"Nouveau en tête, {voice.unit} : {voice.line(leader, 'fr')}.",
    )


def _wins(voice: Voice, winner: ResultLine, lang: SpeechLang) -> str:
    who = voice.who(winner.competitor, lang)
    if not winner.result:
        return f"{who} wins" if lang == "en" else f"{who} s'impose"
    said = spoken_result(winner.result, winner.result_type, lang)
    timed = (winner.result_type or "").upper() == "TIME" or ":" in winner.result
    if lang == "en":
        return f"{who} wins {'in' if timed else 'with'} {said}"
    return f"{who} s'impose {'en' if timed else 'avec'} {said}"


def result_text(voice: Voice, podium: Sequence[ResultLine], *, official: bool) -> Texts:
    """Say the result at the end of the unit: the winner, then the next places.

    Args:
        voice: names.
        podium: the first lines in rank order (the winner first), at most three.
        official: True for an OFFICIAL result, False for UNOFFICIAL or UNCONFIRMED.

    """
    heads: dict[SpeechLang, str] = {
        "en": "Result" if official else "Provisional result",
        "fr": "Résultat officiel" if official else "Résultat provisoire",
    }
    texts: dict[SpeechLang, str] = {}
    for lang in SPEECH_LANGS:
        sentence = f"{heads[lang]}, {voice.unit}{_COLON[lang]}{_wins(voice, podium[0], lang)}"
        if len(podium) > 1:
            sentence += _SEP[lang] + _placed(voice, podium[1:], lang, 2)
        texts[lang] = sentence + "."
    return _both(texts)


def official_text(voice: Voice) -> Texts:
    """Say that the provisional result became official."""
    return (
        f"The result of {voice.unit} is now official.",
        f"{voice.unit} : le résultat est désormais officiel.",
    )


def record_text(voice: Voice, line: ResultLine, mark: RecordMark) -> Texts:
    """Say a record broken or equalled ("new world record for Noah Lyles, ...")."""
    name_en, name_fr = RECORD_NAMES[mark.record_type]
    en, fr = voice.line(line, "en"), voice.line(line, "fr")
    if mark.equalled:
        return (
            f"{voice.unit}: {en}, equals the {name_en}.",
            f"{voice.unit} : {fr}, égale le {name_fr}.",
        )
    return (
        f"{voice.unit}: new {name_en} for {en}.",
        f"{voice.unit} : nouveau {name_fr} pour {fr}.",
    )


def medals_text(voice: Voice, awards: Sequence[MedalAward]) -> Texts:
    """Say the medals of an event: gold, silver, bronze and who won them."""
    texts: dict[SpeechLang, str] = {}
    heads: dict[SpeechLang, str] = {"en": "Medals", "fr": "Médailles"}
    for lang in SPEECH_LANGS:
        parts = []
        for award in awards:
            metal = _MEDALS[award.medal][0 if lang == "en" else 1]
            winners = (" and " if lang == "en" else " et ").join(
                voice.who(c, lang) for c in award.competitors
            )
            parts.append(f"{metal}, {winners}")
        texts[lang] = f"{heads[lang]}, {voice.event}{_COLON[lang]}{_SEP[lang].join(parts)}."
    return _both(texts)
