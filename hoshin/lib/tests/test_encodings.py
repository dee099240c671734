"""Decoding files staff bring from Excel and Windows (hoshin.lib.encodings)."""

import codecs

import pytest

from hoshin.lib.encodings import DecodeError, decode_text, looks_binary

# Characters that break naive round trips: circled digits, ㈱, 髙/﨑 (IBM extensions in CP932),
# and the full-width tilde and minus that CP932 maps where Shift_JIS has the wave dash.
HARD = "①㈱ 髙橋 山﨑 ～ －"
TEXT = f"実施内容 担当課\n市民協働を推進する。 総務課\n{HARD}\n"


def test_utf8_without_bom():
    assert decode_text(TEXT.encode("utf-8")) == TEXT


def test_utf8_with_bom_drops_the_bom():
    assert decode_text(codecs.BOM_UTF8 + TEXT.encode("utf-8")) == TEXT


def test_cp932_keeps_the_hard_characters():
    assert decode_text(TEXT.encode("cp932")) == TEXT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    data = TEXT.encode(encoding)
    if encoding != "utf-16":  # the explicit-endian codecs write no BOM
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    assert decode_text(data) == TEXT


def test_truncated_utf16_is_a_decode_error():
    with pytest.raises(DecodeError, match="UTF-16"):
        decode_text(codecs.BOM_UTF16_LE + "総務".encode("utf-16-le")[:-1])


def test_empty_file():
    with pytest.raises(DecodeError, match="空"):
        decode_text(b"")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # .xlsx / .docx (zip)
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00",
        TEXT.encode("utf-16-le"),  # UTF-16 without a BOM looks binary too
    ],
    ids=["png", "zip", "pdf-with-nul", "utf16-no-bom"],
)
def test_binary_files_are_refused(data):
    assert looks_binary(data)
    with pytest.raises(DecodeError, match="バイナリ"):
        decode_text(data)


def test_text_is_not_binary():
    assert not looks_binary(TEXT.encode("utf-8"))
    assert not looks_binary(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))


def test_cp932_wave_dash_reads_back_as_fullwidth_tilde():
    """A known CP932 property, not a hoshin choice: 〜 (U+301C) is written as 81 60, read as ～."""
    assert decode_text("9時〜17時".encode("cp932")) == "9時～17時"


@pytest.mark.parametrize(
    "text",
    [
        "実施内容 担当課\n市民協働を推進する。 総務課\n",
        "市民が市政に関心を寄せる情報発信の推進\n",
        "総務課\n",  # short enough to decode as CP932 without an error
    ],
)
def test_euc_jp_is_refused(text):
    with pytest.raises(DecodeError, match=r"EUC-JP|文字コードを判別できません"):
        decode_text(text.encode("euc_jp"))


def test_euc_jp_that_decodes_as_cp932_is_named():
    with pytest.raises(DecodeError, match="EUC-JPのファイルには対応していません"):
        decode_text("総務課\n".encode("euc_jp"))


def test_undecodable_bytes_name_the_line():
    data = "一行目\n二行目\n".encode("cp932") + b"\x81\x20broken\n"
    with pytest.raises(DecodeError, match="3行目"):
        decode_text(data)


@pytest.mark.parametrize(
    "word",
    ["総務課", "地域防災対策室", "教育委員会", "髙橋", "山﨑", "①", "㈱", "ｱｲｳｴｵ", "令和8年度"],
)
def test_short_cp932_words(word):
    """One-cell CSVs and department names: short inputs give the detector little to go on."""
    assert decode_text(word.encode("cp932")) == word


@pytest.mark.xfail(
    strict=True,
    reason="bug: CP932 bytes that happen to be valid UTF-8 (﨑 = ED 95, then 8E …) decode as UTF-8",
)
def test_short_cp932_that_is_also_valid_utf8():
    assert decode_text("﨑山".encode("cp932")) == "﨑山"


def test_seed_documents_round_trip_in_both_encodings(reform_seed_bytes, comprehensive_seed_bytes):
    for data in (reform_seed_bytes, comprehensive_seed_bytes):
        text = data.decode("utf-8")
        assert decode_text(data) == text
        assert decode_text(codecs.BOM_UTF8 + data) == text
        as_cp932 = text.encode("cp932", errors="replace")
        assert decode_text(as_cp932) == as_cp932.decode("cp932")
