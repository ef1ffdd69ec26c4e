"""Portrait checks on real images: decoded format, bytes, dimensions, aspect, bombs."""

from __future__ import annotations

import pytest

from podium.people import MAX_PHOTO_BYTES, PhotoError, check_photo
from tests.people.images import PORTRAIT_JPEG, PORTRAIT_PNG, image_bytes


def test_a_jpeg_portrait_is_accepted_with_its_media_type_and_size() -> None:
    photo = check_photo(PORTRAIT_JPEG)
    assert (photo.media_type, photo.width, photo.height) == ("image/jpeg", 600, 800)
    assert photo.data == PORTRAIT_JPEG


def test_a_png_renamed_jpg_is_taken_for_what_it_is_a_png() -> None:
    # The check never sees a file name: the format is the decoded one.
    assert check_photo(PORTRAIT_PNG).media_type == "image/png"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_image_formats_are_refused(fmt: str) -> None:
    with pytest.raises(PhotoError) as caught:
        check_photo(image_bytes(600, 800, fmt))
    assert caught.value.code == "photo_format"
    assert fmt in str(caught.value)


@pytest.mark.parametrize(
    ("width", "height"),
    [(300, 400), (419, 600), (800, 800), (800, 600), (450, 1000), (3200, 4100)],
)
def test_too_small_too_big_or_not_portrait_shaped_is_refused(width: int, height: int) -> None:
    with pytest.raises(PhotoError) as caught:
        check_photo(image_bytes(width, height))
    assert caught.value.code == "photo_dimensions"
    assert f"{width}x{height}" in str(caught.value)


def test_a_file_over_five_megabytes_is_refused_before_decoding() -> None:
    with pytest.raises(PhotoError) as caught:
        check_photo(PORTRAIT_JPEG + b"\0" * MAX_PHOTO_BYTES)
    assert caught.value.code == "photo_too_large"


@pytest.mark.parametrize("data", [b"", b"not an image at all", PORTRAIT_JPEG[:200]])
def test_bytes_that_are_not_an_image_are_unreadable(data: bytes) -> None:
    with pytest.raises(PhotoError) as caught:
        check_photo(data)
    assert caught.value.code == "photo_unreadable"


def test_a_decompression_bomb_is_refused_without_decoding_it() -> None:
    bomb = image_bytes(10_000, 10_000, "PNG", mode="1")  # 100 Mpixels in a few kB
    assert len(bomb) < 100_000
    with pytest.raises(PhotoError) as caught:
        check_photo(bomb)
    assert caught.value.code == "photo_too_large"
