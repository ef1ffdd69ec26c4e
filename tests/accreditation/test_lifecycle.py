"""The Paris 2024 population through the accreditation lifecycle, and its refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from podium.accreditation import (
    Accreditation,
    AccreditationStep,
    AppealOutcome,
    Desk,
    ManualVetting,
    Opinion,
    TransitionError,
    VettingCase,
    accredit_participants,
    appeal,
    check_zone,
    device_package,
    expire_overdue_vetting,
    print_cards,
    publish_revocations,
    record_vetting,
    refuse,
    reinstate,
    revoke,
    submit,
    suspend,
    validate,
)
from podium.gates import OfflineGate
from podium.people import Participant
from podium.privacy.audit import AuditRecord
from tests.accreditation.conftest import APPLIED_AT, Clock

IN_GAMES = datetime(2024, 7, 30, 10, 0, tzinfo=UTC)
STEPS = ("applied", "in_vetting", "approved", "printed", "validated")


def _ids(desk: Desk, **where: str) -> list[int]:
    with desk.planes.games_session() as games:
        query = select(Accreditation.id).order_by(Accreditation.id)
        for name, value in where.items():
            query = query.where(getattr(Accreditation, name) == value)
        return list(games.scalars(query))


def _approve(desk: Desk, ids: list[int]) -> None:
    vetting = ManualVetting()
    for number in ids:
        vetting.decide(number, Opinion.FAVOURABLE)
    record_vetting(desk, None, vetting)


def _card(desk: Desk, number: int) -> str:
    with desk.planes.games_session() as games:
        card = games.scalar(select(Accreditation.credential).where(Accreditation.id == number))
    assert card is not None
    return card


def _check(desk: Desk, card: str, venue: str, zone: str, at: datetime = IN_GAMES) -> str:
    keys = desk.keyring.public_key_set()
    with desk.planes.games_session() as games:
        return check_zone(games, card, venue, zone, at, keys=keys).reason


def test_paris2024_people_are_accredited_through_the_lifecycle(desk: Desk, clock: Clock) -> None:
    report = accredit_participants(desk)
    with desk.planes.games_session() as games:
        people = games.scalar(select(func.count()).select_from(Participant)) or 0
    assert report.applications == people > 11_000
    assert accredit_participants(desk).applications == 0  # idempotent
    ids = _ids(desk)
    submit(desk, None, ids)
    clock.now += timedelta(days=20)
    _approve(desk, ids)
    clock.now += timedelta(days=30)
    print_cards(desk, None, ids)
    clock.now = IN_GAMES - timedelta(days=10)
    validate(desk, None, ids)
    with desk.planes.games_session() as games:
        statuses = dict(
            games.execute(
                select(Accreditation.status, func.count()).group_by(Accreditation.status)
            ).all()
        )
        steps = games.scalar(select(func.count()).select_from(AccreditationStep))
    assert statuses == {"validated": people}
    assert steps == people * len(STEPS)
    with desk.planes.sovereign_session() as sovereign:
        audited = dict(
            sovereign.execute(
                select(AuditRecord.action, func.count())
                .where(AuditRecord.action.like("accreditation.application.%"))
                .group_by(AuditRecord.action)
            ).all()
        )
        cases = sovereign.scalar(select(func.count()).where(VettingCase.state == "answered"))
    assert audited == {
        f"accreditation.application.{a}": people
        for a in ("apply", "submit", "vet_favourable", "print", "validate")
    }
    assert cases == people


def test_revoked_card_is_refused_online_at_once_and_offline_after_the_next_list(
    desk: Desk, clock: Clock
) -> None:
    accredit_participants(desk)
    athletes = _ids(desk, category="A")[:3]
    submit(desk, None, athletes)
    _approve(desk, athletes)
    print_cards(desk, None, athletes)
    validate(desk, None, athletes)
    first = publish_revocations(desk)
    gate = OfflineGate.load(device_package(desk, "STA"), desk.keyring.public_key_set(), IN_GAMES)
    card = _card(desk, athletes[0])
    assert _check(desk, card, "STA", "1") == "admitted"
    assert gate.check(card, "1", IN_GAMES).reason == "admitted"
    clock.now = IN_GAMES
    revoke(desk, None, [athletes[0]], "doping violation")
    assert _check(desk, card, "STA", "1") == "revoked"
    assert gate.check(card, "1", IN_GAMES).reason == "admitted"  # not told yet
    published = publish_revocations(desk)
    assert (published.serial, published.added) == (first.serial + 1, 1)
    gate.apply_revocations(published.delta, IN_GAMES)
    assert gate.check(card, "1", IN_GAMES).reason == "revoked"
    other = _card(desk, athletes[1])
    assert gate.check(other, "1", IN_GAMES).reason == "admitted"


def test_gate_refusals_suspended_expired_wrong_venue_zone_and_reprint(
    desk: Desk, clock: Clock
) -> None:
    accredit_participants(desk)
    athlete, official = _ids(desk, category="A")[0], _ids(desk, category="J")[0]
    both = [athlete, official]
    submit(desk, None, both)
    _approve(desk, both)
    print_cards(desk, None, both)
    card = _card(desk, athlete)
    assert _check(desk, card, "STA", "4") == "zone_not_granted"
    assert _check(desk, card, "TAH", "3") == "zone_not_granted"  # Teahupo'o override
    assert _check(desk, card, "STA", "1", datetime(2024, 9, 1, tzinfo=UTC)) == "expired"
    assert _check(desk, card, "STA", "1", datetime(2024, 6, 1, tzinfo=UTC)) == "not_yet_valid"
    suspend(desk, None, [athlete], "under investigation")
    assert _check(desk, card, "STA", "1") == "suspended"
    assert reinstate(desk, None, [athlete]) == 1
    assert _check(desk, card, "STA", "1") == "admitted"
    print_cards(desk, None, [athlete], reason="card lost")
    assert _check(desk, card, "STA", "1") == "revoked"  # the old serial
    assert _check(desk, _card(desk, athlete), "STA", "1") == "admitted"
    assert _check(desk, "NOT-A-CARD", "STA", "1") == "malformed"
    del clock


def test_statutory_timer_turns_an_unanswered_vetting_into_a_refusal(
    desk: Desk, clock: Clock
) -> None:
    accredit_participants(desk)
    first, second = _ids(desk)[:2]
    submit(desk, None, [first, second])
    with desk.planes.games_session() as games:
        due = games.scalar(select(Accreditation.vetting_due_at).where(Accreditation.id == first))
    assert due == APPLIED_AT.replace(month=7)  # two calendar months
    _approve(desk, [second])
    assert expire_overdue_vetting(desk, due - timedelta(seconds=1)) == 0
    assert expire_overdue_vetting(desk, due) == 1
    with desk.planes.games_session() as games:
        row = games.get(Accreditation, first)
        assert row is not None
        assert (row.status, row.reason) == ("refused", "vetting_timeout")
    with desk.planes.sovereign_session() as sovereign:
        states = set(sovereign.scalars(select(VettingCase.state)))
    assert states == {"timeout", "answered"}
    assert appeal(desk, None, first, AppealOutcome.REVET, "authority answered late") == "in_vetting"
    refuse(desk, None, [first], "ineligible")
    with pytest.raises(TransitionError) as caught:
        appeal(desk, None, first, AppealOutcome.GRANT, "second appeal")
    assert caught.value.code == "appeal_used"
    del clock


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        (("validate",), "accreditation_transition"),
        (("submit", "print"), "accreditation_transition"),
        (("submit", "submit"), "accreditation_transition"),
        (("refuse-empty",), "reason_required"),
        (("submit", "approve", "revoke", "print"), "accreditation_transition"),
    ],
)
def test_illegal_steps_are_refused_with_their_code(
    sqlite_desk: Desk, steps: tuple[str, ...], code: str
) -> None:
    desk = sqlite_desk
    accredit_participants(desk)
    number = _ids(desk)[0]
    actions = {
        "submit": lambda: submit(desk, None, [number]),
        "approve": lambda: _approve(desk, [number]),
        "print": lambda: print_cards(desk, None, [number]),
        "validate": lambda: validate(desk, None, [number]),
        "revoke": lambda: revoke(desk, None, [number], "fraud"),
        "refuse-empty": lambda: refuse(desk, None, [number], "  "),
    }
    for step in steps[:-1]:
        actions[step]()
    with pytest.raises(TransitionError) as caught:
        actions[steps[-1]]()
    assert caught.value.code == code


def test_a_subject_export_shows_the_accreditation_and_the_vetting_opinion(
    sqlite_desk: Desk,
) -> None:
    from podium.subjects import export_subject  # noqa: PLC0415

    desk = sqlite_desk
    accredit_participants(desk)
    number = _ids(desk, category="J")[0]
    submit(desk, None, [number])
    vetting = ManualVetting()
    vetting.decide(number, Opinion.FAVOURABLE, "no record")
    record_vetting(desk, None, vetting)
    with desk.planes.games_session() as games:
        code = games.scalar(
            select(Accreditation.participant_code).where(Accreditation.id == number)
        )
    assert code is not None
    export = export_subject(desk.planes, desk.spine, code)
    tables = {t.table: t for t in export.tables}
    assert tables["accreditation"].rows[0]["status"] == "approved"
    assert tables["vetting_case"].rows[0]["opinion"] == "favourable: no record"
    assert any(a["action"] == "accreditation.application.vet_favourable" for a in export.accesses)
