"""The vocabulary of the scan decision engine: reason codes, their messages, a decision.

Codes are stable (tests, logs, devices and the scans table rely on them); each has an
English and a French message for gate staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from podium.gates.payload import Kind

__all__ = ["MESSAGES", "Decision", "Direction", "Reason"]


class Reason(StrEnum):
    """Stable codes of a scan decision (tests, logs and devices rely on them).

    `DUPLICATE_SCAN` is not a refusal: a scan whose nonce the gate already decided (a
    device retrying after a lost answer) gets the first decision back, with this code,
    `admitted` as the first time, and the first code in `detail`; nothing is recorded twice.
    """

    ADMITTED = "admitted"
    MALFORMED = "malformed"
    UNKNOWN_VERSION = "unknown_version"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WRONG_VENUE = "wrong_venue"
    ZONE_NOT_GRANTED = "zone_not_granted"
    TRANSFERRED = "transferred"
    CODE_MISSING = "code_missing"
    CODE_STALE = "code_stale"
    WRONG_SESSION = "wrong_session"
    WRONG_GATE = "wrong_gate"
    ALREADY_INSIDE = "already_inside"
    NOT_INSIDE = "not_inside"
    DUPLICATE_SCAN = "duplicate_scan"

    def message(self, language: str = "en") -> str:
        """Return the message for gate staff in `language` (`en` or `fr`; default English)."""
        texts = MESSAGES[self]
        return texts.get(language, texts["en"])


class Direction(StrEnum):
    """Which way a gate lets people through (anti-passback counts entries and exits)."""

    ENTRY = "entry"
    EXIT = "exit"


MESSAGES: dict[Reason, dict[str, str]] = {
    Reason.ADMITTED: {"en": "Admitted.", "fr": "Accès autorisé."},
    Reason.MALFORMED: {
        "en": "Unreadable code: not a Podium credential.",
        "fr": "Code illisible : ce n'est pas une accréditation Podium.",
    },
    Reason.UNKNOWN_VERSION: {
        "en": "Credential format not supported by this device: update it.",
        "fr": "Format d'accréditation non pris en charge par cet appareil : mettez-le à jour.",
    },
    Reason.UNKNOWN_KEY: {
        "en": "Unknown or retired signing key: refuse and call the accreditation centre.",
        "fr": "Clé de signature inconnue ou retirée : refusez et appelez "
        "le centre d'accréditation.",
    },
    Reason.BAD_SIGNATURE: {
        "en": "Invalid signature: the card may be forged.",
        "fr": "Signature invalide : la carte est peut-être falsifiée.",
    },
    Reason.REVOKED: {
        "en": "Card revoked: keep it and call the accreditation centre.",
        "fr": "Carte révoquée : retenez-la et appelez le centre d'accréditation.",
    },
    Reason.SUSPENDED: {
        "en": "Accreditation suspended: refer to the accreditation centre.",
        "fr": "Accréditation suspendue : orientez vers le centre d'accréditation.",
    },
    Reason.NOT_YET_VALID: {
        "en": "Card not valid yet.",
        "fr": "Carte pas encore valide.",
    },
    Reason.EXPIRED: {"en": "Card expired.", "fr": "Carte expirée."},
    Reason.WRONG_VENUE: {
        "en": "This card does not give access to this venue.",
        "fr": "Cette carte ne donne pas accès à ce site.",
    },
    Reason.ZONE_NOT_GRANTED: {
        "en": "This card does not give access to this zone.",
        "fr": "Cette carte ne donne pas accès à cette zone.",
    },
    Reason.TRANSFERRED: {
        "en": "Ticket transferred: this is an old copy. Send the fan to the ticket office.",
        "fr": "Billet transféré : c'est une ancienne copie. Orientez vers la billetterie.",
    },
    Reason.CODE_MISSING: {
        "en": "No rotating code: ask for the ticket on the phone screen.",
        "fr": "Code tournant absent : demandez le billet sur l'écran du téléphone.",
    },
    Reason.CODE_STALE: {
        "en": "Rotating code out of date: a screenshot or copy. Ask for the live ticket.",
        "fr": "Code tournant périmé : capture d'écran ou copie. Demandez le billet en direct.",
    },
    Reason.WRONG_SESSION: {
        "en": "This ticket is for another session.",
        "fr": "Ce billet est pour une autre session.",
    },
    Reason.WRONG_GATE: {
        "en": "Wrong gate: direct the fan to the gate on the ticket.",
        "fr": "Mauvaise porte : orientez vers la porte indiquée sur le billet.",
    },
    Reason.ALREADY_INSIDE: {
        "en": "Already entered and not exited: second entry refused.",
        "fr": "Déjà entré et pas ressorti : deuxième entrée refusée.",
    },
    Reason.NOT_INSIDE: {
        "en": "Exit refused: this ticket has not entered.",
        "fr": "Sortie refusée : ce billet n'est pas entré.",
    },
    Reason.DUPLICATE_SCAN: {
        "en": "Same scan received again; the first decision stands:",
        "fr": "Même scan reçu à nouveau ; la première décision s'applique :",
    },
}


_REASONS = {reason.value: reason for reason in Reason}


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to one scan.

    Attributes:
        admitted: True for `Reason.ADMITTED`, and for the `DUPLICATE_SCAN` of an
            admitted scan.
        reason: the stable code.
        credential_id: the card's credential id, when the signature verified.
        card_serial: the card's serial, when the signature verified.
        kind: the credential's kind, when the signature verified.
        detail: more for logs: the revocation reason, what is malformed, or for a
            `DUPLICATE_SCAN` the first decision's code.

    """

    admitted: bool
    reason: Reason
    credential_id: int | None = None
    card_serial: int | None = None
    kind: Kind | None = None
    detail: str | None = None

    def message(self, language: str = "en") -> str:
        """Return the reason's message for gate staff (`en` or `fr`)."""
        text = self.reason.message(language)
        first = _REASONS.get(self.detail or "")
        if self.reason is Reason.DUPLICATE_SCAN and first is not None:
            text = f"{text} {first.message(language)}"
        return text

    def replayed(self) -> Decision:
        """Return this decision as the answer to the same nonce scanned again."""
        if self.reason is Reason.DUPLICATE_SCAN:
            return self
        return Decision(
            self.admitted,
            Reason.DUPLICATE_SCAN,
            self.credential_id,
            self.card_serial,
            self.kind,
            self.reason.value,
        )
