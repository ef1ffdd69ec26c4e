"""Checks of an accreditation portrait: real format, size in bytes, dimensions, aspect.

The rules are Podium's choice, after the portrait guidance of ISO/IEC 19794-5 (face image
data) and ICAO Doc 9303 part 3 (machine readable travel documents): a portrait is taller
than wide (aspect width:height between 0.70 and 0.85, around ICAO's 35x45 mm, i.e. 0.78),
at least 420x525 pixels (enough for a 300 dpi 35x45 mm card print), at most 4,000 pixels
on its longer side, JPEG or PNG only, at most 5 MB. The format is the one Pillow decodes
from the bytes, never the file name's extension, and decompression bombs (a small file
that expands to a huge bitmap) are refused before any pixel is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from podium.core.errors import InvalidInputError

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_SIDE",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "CheckedPhoto",
    "PhotoError",
    "check_photo",
]

MAX_PHOTO_BYTES = 5 * 1024 * 1024
"""Largest accepted file, 5 MB."""
MIN_WIDTH, MIN_HEIGHT = 420, 525
"""Smallest accepted portrait, pixels (35x45 mm at 300 dpi)."""
MAX_SIDE = 4000
"""Longest accepted side, pixels."""
_ASPECT = (0.70, 0.85)
_MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
_MAX_PIXELS = MAX_SIDE * MAX_SIDE


class PhotoError(InvalidInputError):
    """A portrait fails a check; `code` says which.

    Codes: `photo_unreadable` (not an image, or truncated), `photo_format` (not JPEG or
    PNG), `photo_too_large` (over `MAX_PHOTO_BYTES`, or a decompression bomb),
    `photo_dimensions` (too small, too large or not portrait-shaped).
    """

    code = "photo_unreadable"


@dataclass(frozen=True, slots=True)
class CheckedPhoto:
    """A portrait that passed every check.

    Attributes:
        data: the file's bytes, stored as sent.
        media_type: `image/jpeg` or `image/png`, from the decoded format.
        width: pixels.
        height: pixels.

    """

    data: bytes
    media_type: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.verify()  # checks the structure without decoding every pixel
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(
            f"photo is a decompression bomb ({error})", code="photo_too_large"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError(f"photo cannot be decoded as an image ({error})") from error
    return image


def check_photo(data: bytes) -> CheckedPhoto:
    """Check a portrait's real format, byte size, dimensions and portrait aspect.

    Args:
        data: the uploaded file's bytes.

    Returns:
        The checked photo with its media type and dimensions.

    Raises:
        PhotoError: `photo_too_large`, `photo_unreadable`, `photo_format` or
            `photo_dimensions`; the message gives the values found and the limits.
            Rules: module docstring (ISO/IEC 19794-5, ICAO Doc 9303-3, our choice).

    """
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(
            f"photo has {len(data):,} bytes, at most {MAX_PHOTO_BYTES:,} are accepted",
            code="photo_too_large",
        )
    image = _open(data)
    media_type = _MEDIA_TYPES.get(image.format or "")
    if media_type is None:
        raise PhotoError(
            f"photo is {image.format or 'an unknown format'}; JPEG or PNG only",
            code="photo_format",
        )
    width, height = image.size
    if width * height > _MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise PhotoError(
            f"photo is {width}x{height} pixels; the longer side may be at most {MAX_SIDE}",
            code="photo_dimensions",
        )
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise PhotoError(
            f"photo is {width}x{height} pixels; at least {MIN_WIDTH}x{MIN_HEIGHT} is needed",
            code="photo_dimensions",
        )
    aspect = width / height
    if not _ASPECT[0] <= aspect <= _ASPECT[1]:
        raise PhotoError(
            f"photo is {width}x{height} pixels (width/height {aspect:.2f}); a portrait "
            f"between {_ASPECT[0]} and {_ASPECT[1]} is needed (ICAO 35x45 mm)",
            code="photo_dimensions",
        )
    return CheckedPhoto(data, media_type, width, height)
