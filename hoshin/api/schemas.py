"""Shapes shared by the API's operations: safe parameter types, pages, errors."""

import unicodedata
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

# Ids are 64-bit in both databases; a larger number is a wrong id, not a missing row, and must
# be refused before it reaches SQL (SQLite raises OverflowError on it).
MAX_ID = 2**63 - 1
MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000_000


def _printable(value: str) -> str:
    """Refuse control characters (NUL breaks PostgreSQL text; the rest is never meaningful)."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("制御文字は使えません。")
    return value


def text_param(max_length: int, description: str):
    """An optional text parameter of at most ``max_length`` characters, without control codes."""
    return Annotated[
        str | None,
        Field(None, max_length=max_length, description=description),
        AfterValidator(lambda v: v if v is None else _printable(v)),
    ]


def id_param(description: str):
    return Annotated[int | None, Field(None, ge=1, le=MAX_ID, description=description)]


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="ID（1以上の整数）")]


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"1ページの件数（1〜{MAX_LIMIT}、既定{DEFAULT_LIMIT}）",
    )
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description=f"先頭から読み飛ばす件数（0〜{MAX_OFFSET:,}）"
    )


class Page(Schema):
    count: int = Field(description="条件に合う全件数")
    next: str | None = Field(description="次のページのURL（最後のページではnull）")
    previous: str | None = Field(description="前のページのURL（最初のページではnull）")
    limit: int
    offset: int
    results: list[Any]


class ErrorItem(Schema):
    param: str = Field(description="問題のあるパラメータ名・項目名（例: limit, changes）")
    message: str
    in_: str = Field(alias="in", description="query / path / body")


class ErrorOut(Schema):
    detail: str = Field(description="問題の説明（日本語）")
    errors: list[ErrorItem] | None = None
