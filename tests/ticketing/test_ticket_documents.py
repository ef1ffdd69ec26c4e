"""The ticket PDF and the Apple Wallet pass: pure rendering from a signed test ticket."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pypdf import PdfReader

from podium.gates import Credential, TicketBody, open_issuer_keyring, sign
from podium.ticketing.rotating import CodeState, TicketView
from podium.ticketing.ticket_pdf import TicketPrint, render_ticket
from podium.ticketing.wallet_pass import PassSigner, build_pass, load_pass_signer

STARTS = datetime(2024, 7, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def credential(tmp_path: Path) -> str:
    """A ticket signed by a fresh ticketing keyring."""
    keyring = open_issuer_keyring(tmp_path / "tickets")
    body = TicketBody("SWM01", "LDA", area="LOWER-N", seat="LOWER-N-0042")
    window = Credential(7, 1, STARTS - timedelta(hours=4), STARTS + timedelta(hours=12), body)
    return sign(window, keyring.active).text


def _view() -> TicketView:
    return TicketView(
        ticket_id="tkt_0123456789abcdef",
        number=7,
        serial=1,
        session_code="SWM01",
        starts_at=STARTS,
        venue_code="LDA",
        venue_name="Paris La Défense Arena",
        area_code="LOWER-N",
        area_name="Lower tier, north",
        seat="LOWER-N-0042",
        kind="seat",
        price_cents=8500,
        status="valid",
        holder_name="Zoé Łukasiewicz",
        listing_id=None,
        code=CodeState("not_yet", STARTS - timedelta(hours=3)),
    )


def test_ticket_pdf_parses_and_shows_seat_holder_and_the_rotating_code_note(
    credential: str,
) -> None:
    view = _view()
    pdf = render_ticket(
        TicketPrint(
            view.ticket_id, 7, 1, "SWM01", "Paris La Défense Arena", STARTS, view.area_name,
            view.seat, view.holder_name, 8500, credential,
        )
    )  # fmt: skip
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "LOWER-N-0042" in text
    assert "Zoé Łukasiewicz" in text
    assert "85,00 EUR" in text
    assert "rotating code" in text
    assert "code tournant" in text
    assert reader.pages[0].images  # the QR code


def _certificate(
    name: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Certificate | None,
    issuer_key: ec.EllipticCurvePrivateKey | None,
) -> x509.Certificate:  # fmt: skip
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(STARTS - timedelta(days=400))
        .not_valid_after(datetime.now(UTC) + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def signer(tmp_path: Path) -> tuple[PassSigner, Path]:
    """A TEST pass signer: a self-signed CA and a pass certificate it issued."""
    ca_key, pass_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _certificate("Podium test CA", ca_key, None, None)
    cert = _certificate("Pass Type ID: pass.org.example.podium", pass_key, ca, ca_key)
    folder = tmp_path / "wallet"
    folder.mkdir()
    (folder / "pass-certificate.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "pass-key.pem").write_bytes(
        pass_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (folder / "pass-type.json").write_text(
        json.dumps({"pass_type_id": "pass.org.example.podium", "team_id": "TEST123456"})
    )
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    loaded = load_pass_signer(folder)
    assert loaded is not None
    return loaded, ca_file


def test_pkpass_holds_pass_manifest_and_a_signature_that_verifies(
    credential: str, signer: tuple[PassSigner, Path], tmp_path: Path
) -> None:
    pass_signer, ca_file = signer
    archive = zipfile.ZipFile(io.BytesIO(build_pass(_view(), credential, pass_signer)))
    names = set(archive.namelist())
    assert {"pass.json", "manifest.json", "signature", "icon.png"} <= names
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest) == names - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert hashlib.sha1(archive.read(name)).hexdigest() == digest  # noqa: S324
    content = json.loads(archive.read("pass.json"))
    assert content["barcodes"][0]["message"] == credential
    assert content["eventTicket"]["secondaryFields"][1]["value"] == "LOWER-N-0042"
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json"))
    (tmp_path / "signature").write_bytes(archive.read("signature"))
    verify = [
        "openssl", "smime", "-verify", "-inform", "DER", "-binary", "-purpose", "any",
        "-in", str(tmp_path / "signature"), "-content", str(tmp_path / "manifest.json"),
        "-CAfile", str(ca_file), "-out", "/dev/null",
    ]  # fmt: skip
    assert subprocess.run(verify, capture_output=True, check=False).returncode == 0
    (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json") + b" ")
    assert subprocess.run(verify, capture_output=True, check=False).returncode != 0


def test_no_pass_certificate_configured_means_no_signer(tmp_path: Path) -> None:
    assert load_pass_signer(tmp_path) is None
