"""Nameplate reading benchmark (issue 15): the time to read one photo, offline.

    .venv/bin/python bench/nameplate_read.py [--runs 7]

Renders the tests' nameplate photos (crm/appliances/tests/nameplate_images.py) and times
`nameplate_read` end to end on each: decode, EXIF turn, clean-up (grey, median, glare flattened,
deskew), Tesseract (eng+spa, LSTM) and field extraction with the serial-date rules. Prints the
median and worst of --runs runs per photo, after one warm-up. Target: under 3 s a photo.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from crm.appliances.nameplate.services import nameplate_read  # noqa: E402
from crm.appliances.tests import nameplate_images as img  # noqa: E402

LABEL = ["SAMSUNG", "MODEL: RF28R7351SR/AA", "SERIAL NO: 0BWH5AKM800123F", "115V 60Hz 12A"]
PLATE = img.in_cabinet(img.nameplate(LABEL))
PHOTOS = {
    "phone photo (4 degrees, noise, JPEG 70)": img.noisy(img.rotated(PLATE, 4)),
    "glare + blur": img.blurred(img.glare(PLATE)),
    "taken sideways (90 degrees)": img.rotated(PLATE, 90),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for name, photo in PHOTOS.items():
        data = img.as_file(photo)
        reading = nameplate_read(data=data)  # warm-up, and a check that it reads
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            nameplate_read(data=data)
            times.append(time.perf_counter() - start)
        print(
            f"{name}: median {statistics.median(times):.2f} s, worst {max(times):.2f} s "
            f"({photo.width}x{photo.height}, {len(data) // 1024} KB) -> "
            f"{reading.model_number} / {reading.serial_number}"
        )


if __name__ == "__main__":
    main()
