"""Read nameplate with an LLM that reads images (the local OpenAI-compatible server): the photo
goes with a strict JSON schema; the answer is checked against the brand's serial format."""

from __future__ import annotations

import base64
import io
import json
import shutil
from typing import Any

import pytest
from PIL import Image

from crm.appliances.nameplate.services import nameplate_read
from crm.appliances.tests import nameplate_images as img
from crm.llm.models import LLMCall
from tests.fakes.llm_fixtures import llm_server  # noqa: F401
from tests.fakes.llm_server import FakeLLMServer, Reply

pytestmark = pytest.mark.django_db
LINES = ["GE Appliances", "MODEL NO. GTS18GTHBRWW", "SERIAL NO. MV123456R"]


@pytest.fixture(autouse=True)
def _model_reads_images(settings: Any) -> None:
    settings.LLM_READS_IMAGES = True


def _photo() -> bytes:
    return img.as_file(img.in_cabinet(img.nameplate(LINES, font=img.LIBERATION)))


def _answer(serial: str) -> Reply:
    return Reply(content=json.dumps({"brand": "GE", "model_number": "GTS18GTHBRWW",
                                     "serial_number": serial, "fd_number": ""}))  # fmt: skip


def test_the_llm_reads_the_photo_and_its_serial_is_checked_and_dated(
    llm_server: FakeLLMServer,  # noqa: F811
) -> None:
    # given: the model reads I for 1 where GE's serial format has a digit
    llm_server.default = _answer("MVI23456R")
    # when
    reading = nameplate_read(data=_photo())
    # then
    assert (reading.source, reading.brand, reading.serial_number) == ("llm", "GE", "MV123456R")
    assert reading.manufactured_on_rule == "GE month+year letters"
    sent = llm_server.requests[0]
    assert sent.body["response_format"]["json_schema"]["strict"] is True
    assert sent.user == "Read the nameplate in this photo."
    [image] = sent.images
    assert image.startswith("data:image/jpeg;base64,")
    photo = Image.open(io.BytesIO(base64.b64decode(image.split(",", 1)[1])))
    assert (photo.format, len(photo.getexif())) == ("JPEG", 0)  # no EXIF leaves the server
    assert LLMCall.objects.get().feature == "read-nameplate"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed.")
def test_an_llm_serial_that_breaks_the_brands_format_is_not_trusted(
    llm_server: FakeLLMServer,  # noqa: F811
) -> None:
    # given: a serial no GE plate can carry
    llm_server.default = _answer("XX9999")
    # when
    reading = nameplate_read(data=_photo())
    # then: Tesseract read the photo instead
    assert (reading.source, reading.serial_number) == ("ocr", "MV123456R")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed.")
def test_an_llm_that_fails_leaves_the_reading_to_tesseract(
    llm_server: FakeLLMServer,  # noqa: F811
) -> None:
    # given
    llm_server.default = Reply(status=500, error="boom")
    # when
    reading = nameplate_read(data=_photo())
    # then
    assert (reading.source, reading.serial_number) == ("ocr", "MV123456R")
