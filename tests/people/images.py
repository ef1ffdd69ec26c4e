"""Real images made with Pillow for the portrait checks."""

from __future__ import annotations

import io

from PIL import Image


def image_bytes(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    """Encode a plain image of that size in that format."""
    out = io.BytesIO()
    Image.new(mode, (width, height), color=0 if mode == "1" else (200, 180, 160)).save(out, fmt)
    return out.getvalue()


PORTRAIT_JPEG = image_bytes(600, 800)
PORTRAIT_PNG = image_bytes(600, 800, "PNG")
