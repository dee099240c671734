"""Decoding text files staff bring from Excel and Windows: UTF-8 (with or without BOM) or CP932."""

import codecs

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text in an encoding hoshin accepts; the message says why."""


ACCEPTED = "UTF-8（BOM付き・なし）、Shift_JIS（CP932）"


def looks_binary(data: bytes) -> bool:
    """NUL bytes never occur in UTF-8/CP932 text; their presence means a binary file."""
    sample = data[:8192]
    return b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def decode_text(data: bytes) -> str:
    """Decode a text file, accepting UTF-8 with or without BOM, CP932 and UTF-16 with a BOM.

    Raises DecodeError for empty, binary or otherwise-encoded files (EUC-JP, for instance,
    often decodes as CP932 without an error, so charset-normalizer is asked to tell them apart).
    """
    if not data:
        raise DecodeError("ファイルが空です。")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DecodeError("UTF-16のファイルが途中で切れているか壊れています。") from None
    if looks_binary(data):
        raise DecodeError("テキストファイルではありません（バイナリデータが含まれています）。")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Not UTF-8. EUC-JP often decodes as CP932 without an error (and CP932 decoding of EUC-JP
    # may fail anywhere), so ask charset-normalizer first to name the encoding correctly.
    best = from_bytes(data[:65536], cp_isolation=["cp932", "euc_jp"]).best()
    if best is not None and best.encoding == "euc_jp":
        raise DecodeError(f"EUC-JPのファイルには対応していません。{ACCEPTED}で保存してください。")
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(
            f"{line}行目: 文字コードを判別できません。{ACCEPTED}で保存してください。"
        ) from None
