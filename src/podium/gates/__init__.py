"""Gates: signed credentials and one scan decision engine for tickets and accreditations.

Pure: no database. A credential is a compact Ed25519-signed payload that a gate verifies
offline against published public keys and a signed revocation list; the same decision
engine answers online from the current state.

    Credential, AccreditationBody, VenueGrant   the card's content (payload.py)
    encode / sign / decode / to_text / from_text  bytes, signature, Base45 text (RFC 9285)
    qr_svg / qr_png                            the QR code (segno)
    open_issuer_keyring(folder) -> IssuerKeyring  .active, .rotate(), .retire(), .public_key_set()
                                               (re-read when its manifest changes on disk)
    PublicKeySet                               what devices verify with (JSON kid -> key)
    KeyringKeys(*keyrings)                     a server's live key source over keyrings
    RevocationList, RevocationEntry, RevocationIndex, sign_/open_revocation_list
    decide(card, Scan, keys, GateState) -> Decision(admitted, Reason)   rules.py, pure
    StaticGateState                            revocations, suspensions, current serials
    DevicePackage, sign_/load_device_package, OfflineGate.check(card, zone, at)

Tickets (kind 2) ride the same engine:

    TicketBody                                 session, venue, gates, code key, seat
    ticket_secret / rotating_code / check_rotating   the 15 s rotating code (codes.py)
    screen_text / split_screen_text            rotating code and ticket text as one text
    open_ticket_code_keys(folder) -> TicketCodeKeys  the code keys by generation
    Scan(gate, direction, sessions, rotating_code, nonce)  what a ticket scan adds
    TicketGateState, LocalGateState            state with code keys, inside set, nonces
    OfflineGate.scan(text, GateScan) -> Decision, .log   ScanRecord for the upload
    merge_scans(records) -> [DoubleEntry]      tickets entered through two devices

Errors (stable `code`): CredentialFormatError, SignedDocumentError, KeyringError.
"""

from podium.gates.base45 import b45decode, b45encode
from podium.gates.codekeys import TICKET_CODE_KEYS_FILE, TicketCodeKeys, open_ticket_code_keys
from podium.gates.codes import (
    CODE_DIGITS,
    CODE_STEP,
    DRIFT_STEPS,
    check_rotating,
    rotating_code,
    screen_text,
    split_screen_text,
    ticket_secret,
)
from podium.gates.device import (
    DEVICE_PACKAGE_TYPE,
    DevicePackage,
    GateScan,
    OfflineGate,
    load_device_package,
    sign_device_package,
)
from podium.gates.errors import CredentialFormatError, KeyringError, SignedDocumentError
from podium.gates.keys import (
    KEYRING_FOLDER,
    IssuerKey,
    IssuerKeyring,
    KeyringKeys,
    PublicKeyEntry,
    PublicKeySet,
    key_id_of,
    open_issuer_keyring,
)
from podium.gates.local import (
    DoubleEntry,
    LocalGateState,
    ScanRecord,
    SessionWindow,
    merge_scans,
)
from podium.gates.payload import (
    FORMAT_VERSION,
    AccreditationBody,
    Credential,
    Kind,
    SignedCredential,
    Signer,
    TicketBody,
    VenueGrant,
    decode,
    decode_message,
    encode,
    from_text,
    sign,
    to_text,
)
from podium.gates.qr import qr_png, qr_svg
from podium.gates.revocation import (
    REVOCATION_LIST_TYPE,
    RevocationEntry,
    RevocationIndex,
    RevocationList,
    open_revocation_list,
    sign_revocation_list,
)
from podium.gates.rules import (
    CHECK_ORDER,
    MESSAGES,
    REPRINTED,
    Decision,
    Direction,
    GateState,
    KeySource,
    Reason,
    Scan,
    StaticGateState,
    decide,
    judge,
    verify_card,
)
from podium.gates.ticket_rules import (
    TICKET_CHECK_ORDER,
    TRANSFERRED,
    TicketGateState,
    judge_ticket,
)

__all__ = [
    "CHECK_ORDER",
    "CODE_DIGITS",
    "CODE_STEP",
    "DEVICE_PACKAGE_TYPE",
    "DRIFT_STEPS",
    "FORMAT_VERSION",
    "KEYRING_FOLDER",
    "MESSAGES",
    "REPRINTED",
    "REVOCATION_LIST_TYPE",
    "TICKET_CHECK_ORDER",
    "TICKET_CODE_KEYS_FILE",
    "TRANSFERRED",
    "AccreditationBody",
    "Credential",
    "CredentialFormatError",
    "Decision",
    "DevicePackage",
    "Direction",
    "DoubleEntry",
    "GateScan",
    "GateState",
    "IssuerKey",
    "IssuerKeyring",
    "KeySource",
    "KeyringError",
    "KeyringKeys",
    "Kind",
    "LocalGateState",
    "OfflineGate",
    "PublicKeyEntry",
    "PublicKeySet",
    "Reason",
    "RevocationEntry",
    "RevocationIndex",
    "RevocationList",
    "Scan",
    "ScanRecord",
    "SessionWindow",
    "SignedCredential",
    "SignedDocumentError",
    "Signer",
    "StaticGateState",
    "TicketBody",
    "TicketCodeKeys",
    "TicketGateState",
    "VenueGrant",
    "b45decode",
    "b45encode",
    "check_rotating",
    "decide",
    "decode",
    "decode_message",
    "encode",
    "from_text",
    "judge",
    "judge_ticket",
    "key_id_of",
    "load_device_package",
    "merge_scans",
    "open_issuer_keyring",
    "open_revocation_list",
    "open_ticket_code_keys",
    "qr_png",
    "qr_svg",
    "rotating_code",
    "screen_text",
    "sign",
    "sign_device_package",
    "sign_revocation_list",
    "split_screen_text",
    "ticket_secret",
    "to_text",
    "verify_card",
]
