"""Rectification (Art. 16) and restriction (Art. 18), through the policy enforcement point."""

from __future__ import annotations

import pytest

from podium.people import Person, personal_record
from podium.privacy.operators import Principal
from podium.privacy.policy import Effect
from podium.privacy.regions import Region
from podium.subjects import RectificationError, lift_restriction, rectify, resolve, restrict
from tests.subjects.conftest import Node, medallist


def principal(role: str, purpose: str) -> Principal:
    return Principal(
        operator_id="op_0123456789ab",
        username="tester",
        display_name="Tester",
        roles=frozenset({role}),
        purposes=frozenset({purpose}),
        region=Region.EU_EEA,
        scopes=None,
        purpose=purpose,
    )


def test_rectification_reseals_the_new_values(node: Node) -> None:
    code = medallist(node.planes)
    fields = rectify(
        node.planes,
        node.spine,
        code,
        {"full_name": "  Jane DOE ", "birth_date": "1999-02-28"},
        "system",
        request_id="DSR-000001",
    )
    assert fields == ["birth_date", "full_name"]
    sid = resolve(node.planes, code)
    with node.planes.sovereign_session() as sov:
        person = sov.get(Person, sid)
        assert person is not None
        assert node.spine.cipher.open(sid, "identity", "full_name", person.full_name) == "Jane DOE"
        assert (
            node.spine.cipher.open(sid, "birth-date", "birth_date", person.birth_date)
            == "1999-02-28"
        )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"birth_date": "31/12/1999"}, "birth_date_invalid"),
        ({"birth_date": "1999-02-30"}, "birth_date_invalid"),
        ({"full_name": "   "}, "full_name_invalid"),
        ({"nationality": "FRA"}, "rectification_invalid"),
    ],
)
def test_a_bad_rectification_names_the_field(
    node: Node, changes: dict[str, str], code: str
) -> None:
    with pytest.raises(RectificationError) as caught:
        rectify(node.planes, node.spine, medallist(node.planes), changes, "system")
    assert caught.value.code == code
    assert next(iter(changes)) in str(caught.value)


def test_restriction_denies_every_purpose_but_the_exempt_ones(node: Node) -> None:
    code = medallist(node.planes)
    sid = restrict(node.planes, node.spine, code, "accuracy-contested", "system")
    officer = principal("accreditation-officer", "accreditation")
    dpo = principal("dpo", "data-subject-rights")
    with node.planes.sovereign_session() as sov:
        denied = personal_record(node.spine, sov, officer, sid)
        allowed = personal_record(node.spine, sov, dpo, sid)
    assert {v.effect for v in denied.values()} == {Effect.DENY}
    assert {v.reason for v in denied.values()} == {"subject-restricted"}
    assert {v.effect for v in allowed.values()} == {Effect.ALLOW}
    assert lift_restriction(node.planes, node.spine, code, "system")
    assert not lift_restriction(node.planes, node.spine, code, "system")
    with node.planes.sovereign_session() as sov:
        lifted = personal_record(node.spine, sov, officer, sid)
    assert {v.effect for v in lifted.values()} == {Effect.ALLOW}
