"""Nameplate photos rendered for the tests (and bench/): labels in real fonts, then the faults of
a phone photo in a dark cabinet: rotation, noise, glare, blur, perspective, JPEG artefacts and
the bend of a curved door."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = "/usr/share/fonts/truetype"
DEJAVU_BOLD = f"{FONTS}/dejavu/DejaVuSans-Bold.ttf"
DEJAVU_MONO = f"{FONTS}/dejavu/DejaVuSansMono-Bold.ttf"
LIBERATION = f"{FONTS}/liberation/LiberationSans-Bold.ttf"
LIBERATION_SERIF = f"{FONTS}/liberation/LiberationSerif-Bold.ttf"


def nameplate(lines: list[str], *, font: str = DEJAVU_BOLD, size: int = 44) -> Image.Image:
    """A clean silver label with dark print, one line per entry."""
    face = ImageFont.truetype(font, size)
    width = max(int(face.getlength(line)) for line in lines) + 2 * size
    height = len(lines) * int(size * 1.6) + 2 * size
    image = Image.new("RGB", (width, height), (205, 208, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, width - 7, height - 7), outline=(60, 60, 60), width=4)
    for index, line in enumerate(lines):
        draw.text((size, size + index * int(size * 1.6)), line, font=face, fill=(25, 25, 30))
    return image


def in_cabinet(label: Image.Image, *, margin: int = 80, shade: int = 70) -> Image.Image:
    """The label on a dark panel, as a photo taken inside a cabinet shows it."""
    panel = Image.new("RGB", (label.width + 2 * margin, label.height + 2 * margin), (shade,) * 3)
    panel.paste(label, (margin, margin))
    return panel


def rotated(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(
        degrees, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=(70,) * 3
    )


def noisy(image: Image.Image, amount: int = 40, seed: int = 15) -> Image.Image:
    """Speckle: random pixels pushed lighter or darker."""
    rng = random.Random(seed)
    noise = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    mixed = Image.blend(image, noise.convert("RGB"), amount / 160)
    pixels = mixed.load()
    assert pixels is not None
    for _ in range(image.width * image.height // 200):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = (0, 0, 0) if rng.random() < 0.5 else (255, 255, 255)
    return mixed


def glare(image: Image.Image, strength: float = 0.55) -> Image.Image:
    """A bright flash spot across a corner of the label."""
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    cx, cy, r = image.width * 0.7, image.height * 0.3, max(image.size) * 0.35
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=int(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(r / 3))
    return Image.composite(Image.new("RGB", image.size, (255, 255, 250)), image, mask)


def blurred(image: Image.Image, radius: float = 1.6) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(radius))


def perspective(image: Image.Image, squeeze: float = 0.12) -> Image.Image:
    """Seen from below and to the side: the far edge shorter than the near one."""
    w, h = image.size
    d = squeeze * h
    quad = (0, -d, 0, h + d, w, h, w, 0)  # corners the output's corners are taken from
    return image.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                           fillcolor=(70,) * 3)  # fmt: skip


def curved(image: Image.Image, depth: float = 0.02) -> Image.Image:
    """A label on a curved door: columns pushed down along an arc."""
    w, h = image.size
    bend = depth * h * 3
    out = Image.new("RGB", (w, h + int(bend) + 2), (70,) * 3)
    for x in range(0, w, 2):
        shift = round(bend * math.sin(math.pi * x / w))
        out.paste(image.crop((x, 0, min(x + 2, w), h)), (x, shift))
    return out


def as_file(image: Image.Image, fmt: str = "JPEG", quality: int = 70) -> bytes:
    """The image encoded as a phone would send it (JPEG quality 70 by default)."""
    out = io.BytesIO()
    options = {"quality": quality} if fmt in {"JPEG", "WEBP"} else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()
