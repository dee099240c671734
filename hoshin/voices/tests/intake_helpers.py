"""Builders for the intake tests: form data, small real files, streamed multipart uploads."""

import io
import re
import uuid
from collections.abc import Iterable

from django.urls import reverse

from hoshin.org.models import District
from hoshin.voices.models import VoiceCategory, VoiceKind

RECEIPT_RE = re.compile(r'id="receipt-number">(\d{4}-\d{4,})<')
SECRET_RE = re.compile(r'id="receipt-secret">([A-Za-z0-9_-]+)<')


def make_lists() -> tuple[VoiceCategory, District]:
    category = VoiceCategory.objects.create(name="道路・交通", position=1)
    VoiceCategory.objects.create(name="使われていない分類", is_active=False)
    district = District.objects.create(name="中央地区", position=1)
    return category, district


def voice_data(**overrides) -> dict:
    """A valid public form submission (no attachments) with a fresh submission key."""
    data = {
        "kind": VoiceKind.MAYOR_LETTER,
        "subject": "通学路の歩道について",
        "body": "駅前の通学路に歩道がなく危険です。\n整備をお願いします。",
        "name": "",
        "age_band": "",
        "email": "",
        "phone": "",
        "postal_address": "",
        "homepage": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def receipt_and_secret(html: str) -> tuple[str, str]:
    receipt = RECEIPT_RE.search(html)
    secret = SECRET_RE.search(html)
    return (receipt.group(1) if receipt else ""), (secret.group(1) if secret else "")


def submit(client, url: str | None = None, **overrides):
    """POST the public form (following the redirect to the thanks page)."""
    return client.post(url or reverse("voices:new"), voice_data(**overrides), follow=True)


# ---- files ------------------------------------------------------------------------------


def png_bytes(size=(4, 3)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(4, 3)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def exe_bytes() -> bytes:
    """The start of a Windows program (an "MZ" header), whatever it is named."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240


class ChainReader:
    """A read-only stream over bytes and open files, read lazily part after part."""

    def __init__(self, parts: Iterable):
        self.parts = [io.BytesIO(part) if isinstance(part, bytes) else part for part in parts]

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while self.parts and (size is None or size < 0 or len(out) < size):
            want = -1 if size is None or size < 0 else size - len(out)
            chunk = self.parts[0].read(want)
            if not chunk:
                self.parts.pop(0)
                continue
            out += chunk
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # not used by Django's parser, for safety
        return self.read(size)


def streamed_multipart(fields: dict, files: list[tuple[str, str, str, object, int]]):
    """(stream, length, content type) of a multipart body whose files are read lazily.

    ``files`` are (field, file name, content type, open binary file, size): a 50 MB file is
    never held in memory, neither by the test nor by the test client.
    """
    boundary = f"----hoshin{uuid.uuid4().hex}"
    parts: list = []
    length = 0
    for name, value in fields.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
        parts.append(head)
        length += len(head)
    for field, filename, content_type, handle, size in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        parts += [head, handle, b"\r\n"]
        length += len(head) + size + 2
    tail = f"--{boundary}--\r\n".encode()
    parts.append(tail)
    length += len(tail)
    return ChainReader(parts), length, f"multipart/form-data; boundary={boundary}"


def post_streamed(client, url: str, fields: dict, files: list):
    stream, length, content_type = streamed_multipart(fields, files)
    return client.generic(
        "POST",
        url,
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(length), "CONTENT_TYPE": content_type},
    )
