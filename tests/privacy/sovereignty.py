"""The sovereignty check shared by the SQLite and PostgreSQL tests.

Every route of the application is enumerated from the app itself (so a route added
later is covered, or the test fails because it cannot fill the route's parameters),
called as the public, as operators whose home is outside the EU/EEA (holding every role
and every purpose, by token and by sign-in cookie, declaring each purpose in turn), and
the bodies are searched for a data subject's protected values. Those values are
sentinels written into the sovereign plane first, so a match can only be a leak.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select

from podium.core.db import Planes
from podium.people import Participant, Person
from podium.privacy.operators import find_operator
from podium.privacy.sessions import open_web_session
from podium.privacy.spine import Spine
from podium.results import MedalRecord
from tests.operators import TestOperator

SENTINEL_NAME = "Zyxwvsentinel Qortzhausen"
SENTINEL_BIRTH = "1911-11-11"
# Every way a page or feed could print the name or the birth date.
LEAK_PATTERNS = [
    re.escape(SENTINEL_NAME),
    "Zyxwvsentinel",
    "Qortzhausen",
    "QORTZHAUSEN",
    "1911-11-11",
    r"11[/.]11[/.]1911",
    "11 November 1911",
    "11 novembre 1911",
    "19111111",
]
_LEAK = re.compile("|".join(LEAK_PATTERNS), re.IGNORECASE)


@dataclass(frozen=True)
class Sentinel:
    """The subject whose protected fields hold the sentinel values."""

    code: str
    subject_id: str
    noc: str
    unit: str | None
    event: str | None


def plant_sentinel(planes: Planes, spine: Spine) -> Sentinel:
    """Seal the sentinel name and birth date into a real medallist's personal record."""
    with planes.games_session() as games:
        row = games.execute(
            select(MedalRecord, Participant)
            .join(Participant, Participant.code == MedalRecord.competitor_code)
            .where(MedalRecord.unit_rsc.is_not(None))
            .order_by(MedalRecord.key)
        ).first()
        assert row is not None
        medal, participant = row
        sentinel = Sentinel(
            code=participant.code,
            subject_id=participant.subject_id,
            noc=participant.noc or "FRA",
            unit=medal.unit_rsc,
            event=medal.event_key,
        )
    with planes.sovereign_session() as sovereign:
        person = sovereign.get(Person, sentinel.subject_id)
        assert person is not None
        sid = sentinel.subject_id
        person.full_name = spine.cipher.seal(sid, "identity", "full_name", SENTINEL_NAME)
        person.birth_date = spine.cipher.seal(sid, "birth-date", "birth_date", SENTINEL_BIRTH)
    return sentinel


def _samples(app: FastAPI, sentinel: Sentinel, planes: Planes) -> dict[str, list[str]]:
    with planes.games_session() as games:
        event_rsc = games.scalar(
            select(MedalRecord.event_key).where(MedalRecord.event_key.is_not(None))
        )
    return {
        "code": [sentinel.code, sentinel.noc, "ATH", *([event_rsc] if event_rsc else [])],
        "rsc": [r for r in (sentinel.unit, sentinel.event, event_rsc) if r],
        "username": ["eu-accreditation"],
        "subject": [sentinel.code, sentinel.subject_id],
        "name": ["podium.css"],
        "rest": ["nothing-here"],
        "document_type": ["DT_PARTIC", "DT_RESULT", "DT_MEDALLISTS", "DT_SCHEDULE"],
        "document_code": [sentinel.unit or "", "OG2024" + "-" * 28, sentinel.code],
        "lang": ["en", "fr"],
        "seq": ["1", "999999"],
        "device": ["gdv_0000000000000000"],
        "ticket": ["tkt_0000000000000000"],
    }


_PARAM = re.compile(r"{([a-z_]+)(?::[a-z_]+)?}")


def concrete_paths(app: FastAPI, samples: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """Yield (method, path) for every route, with each path parameter filled from samples.

    Raises:
        AssertionError: a route has a parameter with no sample values: extend the samples.
    """
    for route in iter_route_contexts(app.routes):
        if route.path is None:
            continue
        names = _PARAM.findall(route.path)
        missing = [n for n in names if n not in samples]
        assert not missing, f"{route.path}: no sample values for {missing}; add them to the test"
        for method in sorted(route.methods or {"GET"}):
            if method == "HEAD":
                continue
            for values in itertools.product(*(samples[n] for n in names)):
                path = route.path
                for name, value in zip(names, values, strict=True):
                    path = re.sub(r"{" + name + r"(?::[a-z_]+)?}", value, path, count=1)
                yield method, path


def leaks(body: str) -> list[str]:
    """Return the sentinel values found in a response body."""
    return sorted({m.group(0) for m in _LEAK.finditer(body)})


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    if method == "GET":
        response = client.get(path, headers=headers)
    else:
        response = client.request(method, path, headers=headers, json={})
    return response.status_code, response.text


def run_sovereignty_check(
    app: FastAPI,
    planes: Planes,
    spine: Spine,
    operators: dict[str, TestOperator],
    sentinel: Sentinel,
) -> tuple[int, list[str]]:
    """Call every route as the public and as every non-EU operator; return calls and leaks."""
    samples = _samples(app, sentinel, planes)
    paths = list(concrete_paths(app, samples))
    outsiders = [o for o in operators.values() if o.country not in {"FR", "DE"}]
    found: list[str] = []
    calls = 0
    guarded: set[tuple[str, str]] = set()
    with TestClient(app, follow_redirects=False) as client:
        for method, path in paths:
            response = client.request(method, path, json={} if method != "GET" else None)
            calls += 1
            found += [f"anonymous {method} {path}: {v}" for v in leaks(response.text)]
            location = response.headers.get("location", "")
            if response.status_code == 401 or location.startswith("/staff/login"):
                guarded.add((method, path))
        assert guarded, "no route needs an operator: the auth wiring is gone"
        for operator in outsiders:
            with planes.sovereign_session() as session:
                account = find_operator(session, operator.username)
                purposes = account.purposes.split()
                cookies = {p: open_web_session(session, account, p) for p in purposes}
            for index, purpose in enumerate(purposes):
                token_headers = {
                    "Authorization": f"Bearer {operator.token}",
                    "X-Podium-Purpose": purpose,
                }
                # Public routes answer the same whatever the purpose: once per operator;
                # routes behind the sign-in: once per purpose, by token and by cookie.
                for method, path in paths:
                    if index and (method, path) not in guarded:
                        continue
                    for headers, cookie in ((token_headers, None), ({}, cookies[purpose])):
                        client.cookies.clear()
                        if cookie is not None:
                            client.cookies.set("podium_session", cookie)
                        status, body = _call(client, method, path, headers)
                        calls += 1
                        via = "token" if cookie is None else "cookie"
                        found += [
                            f"{operator.username} ({purpose}, {via}) {method} {path}"
                            f" ({status}): {v}"
                            for v in leaks(body)
                        ]
        client.cookies.clear()
    return calls, found
