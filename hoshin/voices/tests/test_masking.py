"""Detecting and masking personal details in a citizen's text (services/masking.py)."""

import pytest

from hoshin.voices.services.masking import (
    CONTACT_KINDS,
    Kind,
    fold,
    highlight,
    highlight_marks,
    mask,
)


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind.value, f.original) for f in mask(text, **kwargs).findings]


@pytest.mark.parametrize(
    "phone",
    [
        "03-1234-5678",
        "090-1234-5678",
        "0120-123-456",
        "(03)1234-5678",
        "03(1234)5678",
        "0312345678",
        "09012345678",
        "090 1234 5678",
        "+81-90-1234-5678",
        "０９０－１２３４－５６７８",  # full-width digits and dash
        "０９０ー１２３４ー５６７８",  # typed with the long-vowel mark
        "03‐1234‐5678",  # U+2010 hyphen
    ],
)
def test_phone_numbers_in_every_common_form(phone):
    result = mask(f"連絡先は{phone}です。")
    assert result.text == "連絡先は【電話番号】です。"
    assert [f.kind for f in result.findings] == [Kind.PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "受付番号2025-0042について",
        "2024-05-01に提出",
        "予算は1,200千円、3番目の課題",
        "令和7年6月1日（2025年6月1日）",
        "第6次行財政改革大綱",
        "電話番号をお知らせください",
    ],
)
def test_numbers_that_are_not_personal_stay(text):
    assert mask(text).text == text


def test_email_addresses_including_full_width():
    assert kinds("taro.yamada+city@example.co.jp まで") == [
        ("email", "taro.yamada+city@example.co.jp")
    ]
    result = mask("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    assert result.text == "【メールアドレス】"


def test_postal_codes_and_addresses():
    result = mask("〒123-4567 東京都千代田区千代田1-1 に住んでいます")
    assert result.text == "【郵便番号】 【住所】 に住んでいます"
    assert mask("港区芝公園4丁目2番8号の前の道路").text == "【住所】の前の道路"
    assert mask("中央町3丁目の交差点").text == "【住所】の交差点"
    assert mask("大阪府大阪市北区梅田1-2-3のビル").text == "【住所】のビル"
    assert mask("大字上野123番地の4に畑").text == "【住所】に畑"
    assert mask("郵便番号は123-4567です").text == "郵便番号は【郵便番号】です"


def test_names_next_to_honorifics_and_self_introductions():
    assert mask("市役所の田中さんと担当の鈴木様に感謝します。").text == (
        "市役所の〇〇さんと担当の〇〇様に感謝します。"
    )
    assert mask("私は山田太郎と申します。").text == "私は〇〇と申します。"
    assert mask("私は高橋です。").text == "私は〇〇です。"
    assert mask("氏名：佐藤 花子").text == "氏名：〇〇"
    assert mask("ヨーコさんと山田先生").text == "〇〇さんと〇〇先生"


@pytest.mark.parametrize(
    "text",
    [
        "皆様ありがとうございます。お客様も喜びます。",
        "市長さんにお願いします。",
        "校長先生と職員さん、バスの運転手さん、お母さんたち",
        "私は大変不満です。私は反対です。私は会社員です。",
        "私は市民です。",
        "看護師さんやヘルパーさん",
    ],
)
def test_common_words_before_honorifics_are_not_names(text):
    assert mask(text).text == text


def test_known_writer_details_are_masked_in_any_spacing():
    result = mask(
        "山田です。山田太郎の家は山田　太郎。電話は09012345678、メールはTARO@EXAMPLE.JP",
        names=("山田 太郎",),
        known=((Kind.PHONE, "090-1234-5678"), (Kind.EMAIL, "taro@example.jp")),
    )
    assert "山田" not in result.text and "太郎" not in result.text
    assert "0901" not in result.text and "EXAMPLE" not in result.text


def test_contact_kinds_keep_names_and_places_for_departments():
    text = "中央町3丁目の交差点で田中さんが転びました。090-1111-2222 まで"
    result = mask(text, kinds=CONTACT_KINDS)
    assert result.text == "中央町3丁目の交差点で田中さんが転びました。【電話番号】 まで"


def test_rare_kanji_and_emoji_survive():
    text = "髙﨑さん𠮷野家の前😀 電話03-1234-5678"
    result = mask(text)
    assert result.text == "〇〇さん𠮷野家の前😀 電話【電話番号】"


def test_fold_keeps_offsets():
    text = "ＡＢＣ－１２３　ー"
    assert len(fold(text)) == len(text)
    assert fold(text) == "ABC-123 -"


def test_highlight_escapes_html_and_marks_each_finding():
    text = '<script>alert("x")</script> 田中さん 03-1234-5678'
    result = mask(text)
    html = str(highlight(text, result.findings))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == 2
    assert "（電話番号）" in html and "（氏名）" in html
    marks = str(highlight_marks(result.text))
    assert marks.count("<mark") == 2 and "&lt;script&gt;" in marks


def test_counts_summarise_by_label():
    result = mask("田中さんと鈴木さん、03-1234-5678")
    assert result.counts() == {"氏名": 2, "電話番号": 1}
    assert result.changed
    assert not mask("何もない文章").changed
