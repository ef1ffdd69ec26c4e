"""Gates: signed credentials and one scan decision engine for tickets and accreditations.

Pure: no database. A credential is a compact Ed25519-signed payload that a gate verifies
offline against published public keys and a signed revocation list; the same decision
engine answers online from the current state.

    Credential, AccreditationBody, VenueGrant   the card's content (payload.py)
    encode / sign / decode / to_text / from_text  bytes, signature, Base45 text (RFC 9285)
    qr_svg / qr_png                            the QR code (segno)
    open_issuer_keyring(folder) -> IssuerKeyring  .active, .rotate(), .retire(), .public_key_set()
    PublicKeySet                               what devices verify with (JSON kid -> key)
    RevocationList, RevocationEntry, RevocationIndex, sign_/open_revocation_list
    decide(card, Scan, keys, GateState) -> Decision(admitted, Reason)   rules.py, pure
    StaticGateState                            revocations, suspensions, current serials
    DevicePackage, sign_/load_device_package, OfflineGate.check(card, zone, at)

Errors (stable `code`): CredentialFormatError, SignedDocumentError, KeyringError.
"""

from podium.gates.base45 import b45decode, b45encode
from podium.gates.device import (
    DEVICE_PACKAGE_TYPE,
    DevicePackage,
    OfflineGate,
    load_device_package,
    sign_device_package,
)
from podium.gates.errors import CredentialFormatError, KeyringError, SignedDocumentError
from podium.gates.keys import (
    KEYRING_FOLDER,
    IssuerKey,
    IssuerKeyring,
    PublicKeyEntry,
    PublicKeySet,
    key_id_of,
    open_issuer_keyring,
)
from podium.gates.payload import (
    FORMAT_VERSION,
    AccreditationBody,
    Credential,
    Kind,
    SignedCredential,
    Signer,
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
    GateState,
    KeySource,
    Reason,
    Scan,
    StaticGateState,
    decide,
    judge,
    verify_card,
)

__all__ = [
    "CHECK_ORDER",
    "DEVICE_PACKAGE_TYPE",
    "FORMAT_VERSION",
    "KEYRING_FOLDER",
    "MESSAGES",
    "REPRINTED",
    "REVOCATION_LIST_TYPE",
    "AccreditationBody",
    "Credential",
    "CredentialFormatError",
    "Decision",
    "DevicePackage",
    "GateState",
    "IssuerKey",
    "IssuerKeyring",
    "KeySource",
    "KeyringError",
    "Kind",
    "OfflineGate",
    "PublicKeyEntry",
    "PublicKeySet",
    "Reason",
    "RevocationEntry",
    "RevocationIndex",
    "RevocationList",
    "Scan",
    "SignedCredential",
    "SignedDocumentError",
    "Signer",
    "StaticGateState",
    "VenueGrant",
    "b45decode",
    "b45encode",
    "decide",
    "decode",
    "decode_message",
    "encode",
    "from_text",
    "judge",
    "key_id_of",
    "load_device_package",
    "open_issuer_keyring",
    "open_revocation_list",
    "qr_png",
    "qr_svg",
    "sign",
    "sign_device_package",
    "sign_revocation_list",
    "to_text",
    "verify_card",
]
