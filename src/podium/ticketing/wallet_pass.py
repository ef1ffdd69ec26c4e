"""An Apple Wallet pass (`.pkpass`) of a ticket: pass.json, manifest.json, signature.

A `.pkpass` is a ZIP archive (Apple, "Wallet Developer Guide", "Building a Pass"):

- `pass.json`: the pass (format version 1, an `eventTicket` style, a QR barcode);
- `icon.png`, `icon@2x.png`: the icons Wallet requires (drawn here, one colour);
- `manifest.json`: every other file's name -> SHA-1 hex digest of its bytes;
- `signature`: a detached PKCS #7 (CMS) signature of `manifest.json`, DER, made with the
  pass type certificate's key and carrying the certificate chain.

Certificates: Wallet accepts only a pass signed with a Pass Type ID certificate that Apple
issued, chained to Apple's WWDR intermediate certificate. Neither is available to this
project, so the tests sign with a TEST certificate made on the spot (a self-signed CA and a
pass certificate it signs). Such a pass is structurally valid and its signature verifies
against the test CA, but Wallet will refuse it until it is signed with Apple-issued
certificates (`PassSigner` takes them unchanged: certificate, key, WWDR as `chain`).

The barcode holds the ticket's static signed text only. A pass cannot show a code that
changes every 15 seconds, so at the gate the Podium app's rotating code is still needed;
the pass says so on its back.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, load_pem_private_key, pkcs7
from PIL import Image

from podium.core.errors import InvalidInputError
from podium.ticketing.models import Ticket
from podium.ticketing.rotating import TicketView, ticket_view
from podium.ticketing.ticket_pdf import NOTE_EN, NOTE_FR
from podium.ticketing.tickets import TicketDesk

__all__ = [
    "PASS_MEDIA_TYPE",
    "WALLET_FOLDER",
    "PassSigner",
    "build_pass",
    "load_pass_signer",
    "pass_json",
    "ticket_pass",
]

PASS_MEDIA_TYPE = "application/vnd.apple.pkpass"  # noqa: S105 - a media type
"""The media type of a `.pkpass` (IANA registration by Apple)."""
_BAND = (0, 45, 98)


@dataclass(frozen=True)
class PassSigner:
    """Who signs passes: the Pass Type ID certificate, its key, the chain, the ids.

    Attributes:
        certificate: the pass type certificate (Apple-issued in production; a test one here).
        key: its private key (RSA or EC).
        pass_type_id: the Pass Type ID (`pass.org.example.podium`).
        team_id: the Apple team identifier.
        organisation: the organisation's name shown by Wallet.
        chain: intermediate certificates carried in the signature (Apple WWDR).

    """

    certificate: x509.Certificate
    key: RSAPrivateKey | EllipticCurvePrivateKey
    pass_type_id: str
    team_id: str
    organisation: str = "Paris 2024"
    chain: Sequence[x509.Certificate] = field(default_factory=tuple)


def pass_json(view: TicketView, credential: str, signer: PassSigner) -> dict[str, object]:
    """Return the content of `pass.json` for a ticket (an `eventTicket` pass)."""
    return {
        "formatVersion": 1,
        "passTypeIdentifier": signer.pass_type_id,
        "teamIdentifier": signer.team_id,
        "serialNumber": f"{view.ticket_id}-{view.serial}",
        "organizationName": signer.organisation,
        "description": f"Ticket {view.session_code}",
        "relevantDate": view.starts_at.isoformat(),
        "backgroundColor": "rgb(0, 45, 98)",
        "foregroundColor": "rgb(255, 255, 255)",
        "barcodes": [
            {
                "format": "PKBarcodeFormatQR",
                "message": credential,
                "messageEncoding": "iso-8859-1",
                "altText": f"No. {view.number}",
            }
        ],
        "eventTicket": {
            "primaryFields": [{"key": "session", "label": "Session", "value": view.session_code}],
            "secondaryFields": [
                {"key": "area", "label": "Area", "value": view.area_name},
                {"key": "seat", "label": "Seat", "value": view.seat},
            ],
            "auxiliaryFields": [
                {"key": "venue", "label": "Venue", "value": view.venue_name or ""},
                {"key": "holder", "label": "Holder", "value": view.holder_name or ""},
            ],
            "backFields": [
                {"key": "note", "label": "Entry", "value": NOTE_EN},
                {"key": "note_fr", "label": "Entrée", "value": NOTE_FR},
            ],
        },
    }


def _icon(size: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), _BAND).save(out, format="PNG")
    return out.getvalue()


def _signature(manifest: bytes, signer: PassSigner) -> bytes:
    builder = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest)
        .add_signer(signer.certificate, signer.key, hashes.SHA256())
    )
    for certificate in signer.chain:
        builder = builder.add_certificate(certificate)
    return builder.sign(
        Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
    )


def build_pass(view: TicketView, credential: str, signer: PassSigner) -> bytes:
    """Build a signed `.pkpass` archive of a ticket (see the module docstring).

    Args:
        view: the ticket page's data (`podium.ticketing.rotating.ticket_view`).
        credential: the ticket's static signed text (the barcode).
        signer: certificate, key and identifiers.

    Returns:
        The ZIP archive's bytes (media type `PASS_MEDIA_TYPE`).
    """
    files = {
        "pass.json": json.dumps(pass_json(view, credential, signer), indent=2).encode("utf-8"),
        "icon.png": _icon(29),
        "icon@2x.png": _icon(58),
    }
    manifest = json.dumps(
        {name: hashlib.sha1(data).hexdigest() for name, data in files.items()},  # noqa: S324 - Apple's manifest format
        indent=2,
        sort_keys=True,
    ).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", manifest)
        archive.writestr("signature", _signature(manifest, signer))
    return out.getvalue()


WALLET_FOLDER = "wallet"
"""Folder of the pass certificate inside the ticketing key folder (`<keys>/tickets/wallet`)."""


def load_pass_signer(folder: Path) -> PassSigner | None:
    """Read the pass signer of a node, or None when none is configured.

    The folder holds `pass-certificate.pem`, `pass-key.pem` (unencrypted PKCS #8),
    optionally `wwdr.pem` (the chain), and `pass-type.json`
    (`{"pass_type_id": ..., "team_id": ..., "organisation": ...}`).

    Raises:
        InvalidInputError: `pass_signer_invalid`, a file is unreadable (names it).
    """
    certificate, key_file = folder / "pass-certificate.pem", folder / "pass-key.pem"
    if not certificate.is_file() or not key_file.is_file():
        return None
    try:
        cert = x509.load_pem_x509_certificate(certificate.read_bytes())
        key = load_pem_private_key(key_file.read_bytes(), password=None)
        ids = json.loads((folder / "pass-type.json").read_text(encoding="utf-8"))
        chain_file = folder / "wwdr.pem"
        chain = (
            x509.load_pem_x509_certificates(chain_file.read_bytes()) if chain_file.is_file() else []
        )
    except (OSError, ValueError) as error:
        raise InvalidInputError(f"{folder}: {error}", code="pass_signer_invalid") from error
    if not isinstance(key, RSAPrivateKey | EllipticCurvePrivateKey):
        raise InvalidInputError(f"{key_file}: not an RSA or EC key", code="pass_signer_invalid")
    return PassSigner(
        cert,
        key,
        str(ids["pass_type_id"]),
        str(ids["team_id"]),
        str(ids.get("organisation", "Paris 2024")),
        tuple(chain),
    )


def ticket_pass(desk: TicketDesk, ticket_id: str, account_id: str, signer: PassSigner) -> bytes:
    """Return the `.pkpass` of a fan's own ticket.

    Raises:
        TicketingNotFoundError: `ticket_not_found` (also another account's ticket).
        InvalidInputError: `credential_missing`, the ticket is not valid any more.
    """
    view = ticket_view(desk, ticket_id, account_id=account_id)
    credential = desk.games.get_one(Ticket, ticket_id).credential
    if credential is None or view.code.state == "void":
        raise InvalidInputError(
            f"ticket {ticket_id} has no valid credential", code="credential_missing"
        )
    return build_pass(view, credential, signer)
