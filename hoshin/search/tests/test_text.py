import pytest

from hoshin.search.snippets import highlight, snippet
from hoshin.search.text import QueryError, Term, normalize, normalize_with_map, parse_query, tokens


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("ＩＣＴ", "ict"),
        ("ICT", "ict"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("かたかな", "カタカナ"),
        ("ｶﾞｲﾄﾞﾌﾞｯｸ", "ガイドブック"),  # voiced marks join the half-width kana before them
        ("ﾊﾟﾌﾞﾘｯｸｺﾒﾝﾄ", "パブリックコメント"),
        ("ごみ", "ゴミ"),
        ("２０２５年度", "2025年度"),
        ("防災・減災", "防災 減災"),  # symbols separate runs
        ("（仮称）市民会館", "仮称 市民会館"),
        ("地域防災対策室", "地域防災対策室"),
    ],
)
def test_width_and_kana_variants_normalize_the_same(written, searched):
    assert normalize(written) == searched


def test_the_map_points_each_normalized_character_at_its_original():
    text = "（ＩＣＴ）の活用"
    normalized, origins = normalize_with_map(text)
    assert normalized == "ict ノ活用"
    assert [text[i] for i in origins[:3]] == ["Ｉ", "Ｃ", "Ｔ"]
    assert text[origins[normalized.index("活")]] == "活"


def test_tokens_are_bigrams_per_run_and_every_character_starts_one():
    assert tokens("防災対策") == ["防災", "災対", "対策", "策"]
    assert tokens("防災・ごみ") == ["防災", "災", "ゴミ", "ミ"]
    assert tokens("") == []


def test_query_terms_are_the_runs_in_search_form():
    assert parse_query("防災　ＩＣＴ") == [Term("防災"), Term("ict")]
    assert parse_query("防災 防災") == [Term("防災")]  # a repeated word counts once
    assert Term("防").is_prefix and Term("防").phrase == ["防"]
    assert Term("防災対策").phrase == ["防災", "災対", "対策"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("!!!", "文字か数字"),
        ("😀😀", "文字か数字"),
        ("' -- ;", "文字か数字"),
        ("防\x00災", "制御文字"),
        ("防\n災", "制御文字"),
        ("あ" * 101, "100文字以内"),
        (" ".join("あいうえおかきくけこさ"), "10語まで"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(query, message):
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_highlight_marks_the_original_characters_and_escapes_the_rest():
    terms = parse_query("ict")
    assert str(highlight("<b>ＩＣＴ</b>の活用", terms)) == (
        "&lt;b&gt;<mark>ＩＣＴ</mark>&lt;/b&gt;の活用"
    )


def test_snippet_is_a_window_around_the_first_match():
    text = "あ" * 300 + "防災訓練" + "い" * 300
    result = str(snippet(text, parse_query("防災")))
    assert "<mark>防災</mark>訓練" in result
    assert result.startswith("…") and result.endswith("…")
    assert len(result) < 160


def test_snippet_without_a_match_in_the_body_shows_its_start():
    assert str(snippet("本文の冒頭です。", parse_query("防災"))) == "本文の冒頭です。"


def test_the_fast_normalisation_agrees_with_the_mapped_one_on_the_seeds():
    from conftest import COMPREHENSIVE_SEED, REFORM_SEED

    for seed in (REFORM_SEED, COMPREHENSIVE_SEED):
        for line in seed.read_text(encoding="utf-8").splitlines():
            assert normalize(line) == normalize_with_map(line)[0], line
    for sample in ("ＩＣＴ化（ｶﾞｲﾄﾞ）ー々〇①㈱髙﨑𠮷", "ごみ・ゴミ_gomi", "Ⅲ期 ½ ㎡"):
        assert normalize(sample) == normalize_with_map(sample)[0], sample
