"""QR codes of credentials (ISO/IEC 18004) with segno: SVG and PNG bytes.

The Base45 text uses only the QR alphanumeric set, so segno encodes it in alphanumeric
mode (5.5 bits a character) rather than byte mode (8 bits).
"""

from __future__ import annotations

import io

import segno

from podium.gates.payload import SignedCredential, to_text

__all__ = ["qr_png", "qr_svg"]

_ERROR_LEVEL = "m"  # 15 % recovery: survives a scuffed lanyard card, keeps the code small


def _qr(card: SignedCredential | str) -> segno.QRCode:
    text = card if isinstance(card, str) else to_text(card)
    return segno.make_qr(text, error=_ERROR_LEVEL, mode="alphanumeric", boost_error=False)


def qr_svg(card: SignedCredential | str, *, scale: int = 4, border: int = 4) -> bytes:
    """Return an SVG of the card's QR code.

    Args:
        card: a signed credential, or its Base45 text.
        scale: size of a module in SVG units.
        border: quiet zone in modules (ISO/IEC 18004 asks for 4).

    """
    out = io.BytesIO()
    _qr(card).save(out, kind="svg", scale=scale, border=border, xmldecl=False)
    return out.getvalue()


def qr_png(card: SignedCredential | str, *, scale: int = 8, border: int = 4) -> bytes:
    """Return a PNG of the card's QR code.

    Args:
        card: a signed credential, or its Base45 text.
        scale: size of a module in pixels.
        border: quiet zone in modules (ISO/IEC 18004 asks for 4).

    """
    out = io.BytesIO()
    _qr(card).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()
