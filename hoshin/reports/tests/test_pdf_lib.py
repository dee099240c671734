"""hoshin.lib.pdf: the Japanese font subset, Japanese line breaking, and no leaked fonts."""

import io

import pytest
from fontTools.ttLib import TTFont
from reportlab.lib.fonts import _ps2tt_map
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from hoshin.lib import pdf


def test_subset_holds_the_characters_including_ones_outside_jis_level_2():
    text = "髙﨑①㈱ハザードマップ"
    font = TTFont(pdf.font_subset(text, path=pdf.font_path(), tag="test"))
    cmap = font.getBestCmap()
    assert all(ord(char) in cmap for char in text)
    assert "glyf" in font and "CFF " not in font  # TrueType outlines, which reportlab embeds
    assert font["name"].getDebugName(6).startswith("NotoSansCJKjp") and font["name"].getDebugName(
        6
    ).endswith("-test")


def test_fonts_are_forgotten_after_the_document():
    with pdf.JapaneseDocument() as document:
        paragraph = document.para("防災\nハザードマップ")
        with document.font() as name:
            assert name in pdfmetrics.getRegisteredFontNames()
            SimpleDocTemplate(io.BytesIO()).build([paragraph])
    assert name not in pdfmetrics.getRegisteredFontNames()
    assert name.lower() not in _ps2tt_map


def test_missing_font_names_the_package(tmp_path):
    with pytest.raises(pdf.JapaneseFontMissing, match="fonts-noto-cjk"):
        pdf.font_path((tmp_path / "none.ttc",))


def test_japanese_lines_never_start_with_closing_punctuation():
    with pdf.japanese_font("あ。、」") as font:
        width = pdfmetrics.stringWidth("あ" * 5, font, 10)
        lines = pdf.wrap_lines("あああああ。あああああ、あああ", font, 10, width)
    assert lines[0] == "あああああ。"  # the 。 hangs on the line instead of opening the next
    assert not any(line[:1] in "。、」" for line in lines)


def test_paragraphs_use_cjk_line_breaking_and_escape_markup():
    with pdf.JapaneseDocument() as document:
        paragraph = document.para("<b>市民</b> & 職員\n次の行")
        assert document.styles["body"].wordWrap == "CJK"
        assert paragraph.getPlainText() == "<b>市民</b> & 職員次の行"
        assert set("市民職員") <= set(document.characters)
