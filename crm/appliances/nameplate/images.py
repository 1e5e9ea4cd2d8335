"""Checking an uploaded photo and cleaning it up for OCR (Pillow only).

A photo is refused with a clear message when it is empty, too large, not an image or of a kind
we do not take. What is kept is re-encoded as JPEG without its EXIF (no location).
"""

from __future__ import annotations

import base64
import io

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError
from pillow_heif import register_heif_opener

from crm.core.errors import ValidationFailed

register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
MAX_PIXELS = 40_000_000  # a 10 MB photo from a phone is at most about 8000 x 5000
KEPT_LONG_SIDE = 2000
OCR_LONG_SIDE = 1600
OCR_MIN_LONG_SIDE = 1200
DESKEW_ANGLES = (-8, -6, -4, -2, 0, 2, 4, 6, 8)


def photo_open(data: bytes) -> Image.Image:
    """The photo, upright (EXIF orientation applied), or ValidationFailed saying what is wrong."""
    if not data:
        raise ValidationFailed("The photo is empty (0 bytes).", field="image")
    if len(data) > MAX_BYTES:
        raise ValidationFailed("The photo is larger than 10 MB.", field="image")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise ValidationFailed("Send a JPEG, PNG, WebP or HEIC photo.", field="image")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationFailed("The photo has too many pixels.", field="image")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationFailed("The file is not a photo we can read.", field="image") from error
    return ImageOps.exif_transpose(image).convert("RGB")


def upload_read(upload: UploadedFile) -> bytes:  # type: ignore[type-arg]
    """An uploaded photo's bytes, refused before reading when over 10 MB."""
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationFailed("The photo is larger than 10 MB.", field="image")
    data: bytes = upload.read()
    return data


def photo_to_keep(image: Image.Image) -> bytes:
    """The photo as a JPEG of at most KEPT_LONG_SIDE pixels, with no EXIF (no GPS location)."""
    kept = image.copy()
    kept.thumbnail((KEPT_LONG_SIDE, KEPT_LONG_SIDE))
    out = io.BytesIO()
    kept.save(out, format="JPEG", quality=85)  # no exif= argument: nothing of the original EXIF
    return out.getvalue()


def photo_preview(data: bytes) -> str:
    """A small JPEG of the photo as a data: URL, to show beside what was read (not stored)."""
    preview = photo_open(data)
    preview.thumbnail((480, 480))
    out = io.BytesIO()
    preview.save(out, format="JPEG", quality=75)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _scaled(grey: Image.Image) -> Image.Image:
    long_side = max(grey.size)
    target = min(max(long_side, OCR_MIN_LONG_SIDE), OCR_LONG_SIDE)
    if long_side == target:
        return grey
    factor = target / long_side
    size = (round(grey.width * factor), round(grey.height * factor))
    return grey.resize(size, Image.Resampling.LANCZOS)


def flattened(grey: Image.Image) -> Image.Image:
    """Dark print on an even background: the local background (a wide blur) minus the image
    takes out glare and shadow, then contrast is stretched."""
    background = grey.filter(ImageFilter.GaussianBlur(radius=max(grey.size) // 40 + 5))
    ink = ImageChops.subtract(background, grey)
    return ImageOps.autocontrast(ImageOps.invert(ink), cutoff=1)


def _row_contrast(grey: Image.Image) -> float:
    """How sharply the rows differ (text lines level with the rows differ most)."""
    rows = grey.resize((1, grey.height), Image.Resampling.BOX)
    return float(ImageStat.Stat(rows).stddev[0])


def deskewed(grey: Image.Image) -> Image.Image:
    """The image turned by the small angle that lines its text up with the rows."""
    small = grey.copy()
    small.thumbnail((600, 600))
    inverted = ImageOps.invert(small)
    best = max(
        DESKEW_ANGLES,
        key=lambda angle: _row_contrast(inverted.rotate(angle, expand=True, fillcolor=0)),
    )
    if best == 0:
        return grey
    return grey.rotate(best, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=255)


def cleaned(image: Image.Image) -> Image.Image:
    """Grey, at a size Tesseract reads well, speckles taken out, glare and shadow flattened."""
    return flattened(_scaled(ImageOps.grayscale(image)).filter(ImageFilter.MedianFilter(3)))


def contrast_only(image: Image.Image) -> Image.Image:
    """The second try when flattening lost strokes: grey, stretched contrast, deskewed."""
    grey = _scaled(ImageOps.grayscale(image)).filter(ImageFilter.MedianFilter(3))
    return deskewed(ImageOps.autocontrast(grey, cutoff=1))


def turned(clean: Image.Image, degrees_clockwise: int) -> Image.Image:
    """A photo taken sideways or upside down, turned upright and deskewed."""
    return deskewed(clean.rotate(-degrees_clockwise, expand=True, fillcolor=255))
