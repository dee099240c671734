"""Search on the real database engine (SQLite FTS5 here, PostgreSQL tsvector in CI).

The index is kept by the ``public_data_changed`` signal after each commit; tests run inside a
transaction, so they run the commit callbacks with ``django_capture_on_commit_callbacks``
exactly where a real request would have committed.
"""

import pytest
from django.db import connection

from hoshin.changes import channel
from hoshin.evaluations.models import EvaluationCycle, Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.plans.services import plan_set_published
from hoshin.portal.tests import factories
from hoshin.search.backends import All, Expression, backend
from hoshin.search.models import EntryKind, Scope, SearchEntry
from hoshin.search.selectors import SearchFilters, search_public, search_staff
from hoshin.search.services import search_rebuild
from hoshin.search.text import parse_query

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.entry.title for hit in results.hits]


def public(query: str, **filters) -> list[str]:
    return titles(search_public(query=query, filters=SearchFilters(**filters)))


@pytest.fixture
def library():
    """A published plan whose texts exercise short words, widths and kana."""
    plan = factories.plan("総合計画テスト")
    node = factories.node(plan, "安全・安心なまちづくり")
    library = factories.department("中央図書館")
    factories.action(
        node, "図書館の開館時間を延長する。", title="図書館サービス", departments=[library]
    )
    factories.action(node, "ＩＣＴを活用した窓口の案内を行う。", title="窓口のデジタル化")
    factories.action(node, "ｶﾀｶﾅで書かれたﾊﾟﾝﾌﾚｯﾄを配る。", title="広報")
    factories.action(node, "家庭ごみの分別を進める。", title="ごみ減量")
    factories.action(
        node, "防災訓練を実施し、防災意識を高める。防災無線を更新する。", title="地域防災"
    )
    factories.action(node, "避難所の備蓄を確認する。防災倉庫も点検する。", title="避難所の運営")
    factories.action(node, "防災に関する出前講座を開く。", title="防災出前講座")
    search_rebuild()
    return plan


def test_one_and_two_character_queries_find_what_contains_them(library):
    assert public("防災")  # two characters
    assert set(public("図書")) == {"図書館サービス"}
    assert set(public("ごみ")) == {"ごみ減量"}
    assert "ごみ減量" in public("み")  # one character: prefix of the bigram tokens
    assert "地域防災" in public("災")  # the second character of a bigram is still found
    assert "避難所の運営" in public("庫")  # the last character of a run


def test_width_and_kana_variants_match_each_other(library):
    for query in ("ICT", "ＩＣＴ", "ict", "ｉｃｔ"):
        assert public(query) == ["窓口のデジタル化"], query
    for query in ("カタカナ", "ｶﾀｶﾅ", "かたかな"):
        assert public(query) == ["広報"], query
    assert public("パンフレット") == ["広報"]
    assert public("ゴミ") == public("ごみ") == ["ごみ減量"]


def test_a_longer_query_matches_the_string_not_its_scattered_parts(library):
    assert public("防災訓練") == ["地域防災"]
    assert public("防災倉庫") == ["避難所の運営"]
    results = search_public(query="訓練倉庫")  # both halves exist, never together
    assert results.loose and "防災訓練" not in [hit.entry.body for hit in results.hits]


def test_best_matches_come_first(library):
    ranked = public("防災")
    # The title match and three mentions beat a single mention in the body.
    assert ranked.index("地域防災") < ranked.index("避難所の運営")
    assert ranked.index("防災出前講座") < ranked.index("避難所の運営")


def test_several_words_must_all_appear(library):
    assert public("防災 無線") == ["地域防災"]
    assert public("防災　講座") == ["防災出前講座"]


def test_nothing_as_typed_falls_back_to_the_closest_entries(library):
    results = search_public(query="防災意識訓練")
    assert results.loose
    assert titles(results)[0] == "地域防災"  # shares 防災, 意識 and 訓練


def test_results_show_the_matching_passage_highlighted(library):
    hit = search_public(query="ict").hits[0]
    assert "<mark>ＩＣＴ</mark>を活用" in str(hit.snippet_html)
    hit = search_public(query="図書").hits[0]
    assert str(hit.title_html) == "<mark>図書</mark>館サービス"


def test_metacharacters_are_words_or_separators_never_syntax(library):
    for query in (
        '防災" OR "x',
        "防災*",
        "防災 AND NOT",
        "防災'; DROP TABLE x; --",
        "(防災)",
        "防災^",
    ):
        assert "地域防災" in public(query) or search_public(query=query).total == 0, query


def test_pages_of_results(library):
    first = search_public(query="防災", per_page=2)
    second = search_public(query="防災", page=2, per_page=2)
    assert first.total == second.total >= 3
    assert not set(titles(first)) & set(titles(second))


@pytest.fixture
def world():
    world = make_world()
    return world


def published_sheet(world, action, *, fy=2025, raw=None):
    cycle = EvaluationCycle.objects.filter(plan=world.plan, fy=fy).first() or open_year(world, fy)
    sheet = sheet_of(cycle, action)
    fill(world, sheet, raw)
    return advance(world, sheet, Stage.PUBLISHED)


def test_unpublished_things_are_never_found_publicly(world, django_capture_on_commit_callbacks):
    draft_plan = factories.plan("下書き計画", published=False)
    factories.action(factories.node(draft_plan, "節"), "カナリア下書き取組")
    cycle = open_year(world)
    draft = sheet_of(cycle, world.bousai_action)
    fill(world, draft, {"activities": "カナリア評価下書き"})
    search_rebuild()
    assert public("カナリア") == []
    assert SearchEntry.objects.filter(scope=Scope.STAFF).exists()
    # the planning office finds both; the other department's editor not the draft sheet
    assert len(search_staff(user=world.planner, query="カナリア").hits) == 2
    assert titles(search_staff(user=world.other_editor, query="カナリア")) == ["カナリア下書き取組"]
    own = titles(search_staff(user=world.editor, query="カナリア"))
    assert len(own) == 2


def test_the_index_follows_publishing_and_unpublishing(world, django_capture_on_commit_callbacks):
    search_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        sheet = published_sheet(world, world.bousai_action, raw={"activities": "避難訓練を実施"})
    assert public("避難訓練", kind="sheet")
    with django_capture_on_commit_callbacks(execute=True):
        plan_set_published(plan=world.plan, published=False, by=world.planner)
    assert public("避難訓練") == []
    assert public("ハザードマップ") == []
    with django_capture_on_commit_callbacks(execute=True):
        plan_set_published(plan=world.plan, published=True, by=world.planner)
    assert public("避難訓練", kind="sheet")
    assert SearchEntry.objects.get(kind=EntryKind.SHEET, object_id=sheet.pk).scope == Scope.PUBLIC


def test_the_index_follows_edits(world, django_capture_on_commit_callbacks):
    # The fixture's writes never committed (the test's transaction), so their ids are still
    # pending and would ride along with the first commit below: send them now.
    with django_capture_on_commit_callbacks(execute=True):
        channel._flush()
    assert public("ハザードマップ")
    untouched = SearchEntry.objects.get(kind=EntryKind.ACTION, object_id=world.zaisei_action.pk)
    with django_capture_on_commit_callbacks(execute=True):
        action = world.bousai_action
        action.text = "土砂災害警戒区域を周知する。"
        action.save()
    assert public("ハザードマップ") == []
    assert public("土砂災害")
    # One action edited: that action is re-read, not the whole plan.
    assert SearchEntry.objects.filter(pk=untouched.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        world.zaisei.name = "財務課"
        world.zaisei.save()  # a renamed department: the actions it is responsible for follow
    assert "長期財政計画を策定する。" in [
        hit.entry.body.split("\n")[0] for hit in search_public(query="財務課").hits
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sheet = published_sheet(world, world.shared_action, raw={"activities": "旧い記述"})
    with django_capture_on_commit_callbacks(execute=True):
        # the planning office sends the published sheet back: it leaves the public index
        from hoshin.evaluations.services.workflow import sheet_transition

        sheet_transition(sheet=sheet, by=world.planner, name="send_back", comment="再確認")
    assert public("旧い記述") == []


def test_a_rolled_back_edit_leaves_the_index_alone(world):
    from django.db import transaction

    search_rebuild()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.bousai_action.text = "ロールバックされる文"
        world.bousai_action.save()
        raise RuntimeError
    assert public("ロールバック") == []
    assert public("ハザードマップ")


def test_filters_by_plan_year_department_grade_direction_kind(world):
    published_sheet(world, world.bousai_action, raw={"activities": "共通語句"})
    raw = {"activities": "共通語句", "overall_grade": "B", "future_direction": "improve"}
    published_sheet(world, world.zaisei_action, raw=raw)
    other = factories.plan("別の計画")
    factories.action(factories.node(other, "節"), "共通語句を含む別計画の取組")
    search_rebuild()
    assert len(public("共通語句")) == 3
    assert len(public("共通語句", plan=world.plan.pk)) == 2
    assert len(public("共通語句", fy=2025)) == 2
    assert len(public("共通語句", fy=2024)) == 0
    assert len(public("共通語句", department=world.zaisei.pk)) == 1
    assert len(public("共通語句", grade="A")) == 1
    assert len(public("共通語句", grade="B", direction="improve")) == 1
    assert len(public("共通語句", kind="action")) == 1


def test_published_voices_are_found_and_withdrawn_ones_are_not(django_capture_on_commit_callbacks):
    from hoshin.voices.services import publication as voice_publication
    from hoshin.voices.tests.handling_helpers import make_staff, sent

    staff = make_staff()
    reply = sent(staff)
    proposal = voice_publication.publication_propose(voice=reply.voice, by=staff.office)
    with django_capture_on_commit_callbacks(execute=True):
        publication = voice_publication.publication_publish(
            publication=proposal.publication, by=staff.office
        )
    word = publication.summary[:4]
    assert [hit.entry.kind for hit in search_public(query=word).hits] == ["voice"]
    with django_capture_on_commit_callbacks(execute=True):
        voice_publication.voice_withdraw_consent(voice=reply.voice, by=staff.office)
    assert search_public(query=word).total == 0


def test_the_full_text_index_answers_the_query_not_a_table_scan(library):
    engine = backend()
    expression = Expression(parse_query("防災"), All(["xpub"]))
    if connection.vendor == "sqlite":
        sql = "EXPLAIN QUERY PLAN SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [engine.match(expression)])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in plan
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL enable_seqscan = off"
            )  # tiny tables: show the index is usable
            cursor.execute(
                "EXPLAIN SELECT entry_id FROM search_document "
                "WHERE document @@ CAST(%s AS tsquery)",
                [engine.match(expression)],
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "search_document_gin" in plan


def test_sheet_entries_carry_only_what_the_public_page_shows(world):
    sheet = published_sheet(world, world.bousai_action, raw={"activities": "公開する取組内容"})
    search_rebuild()
    entry = SearchEntry.objects.get(kind=EntryKind.SHEET, object_id=sheet.pk)
    assert "公開する取組内容" in entry.body
    assert entry.url.endswith("#result-2025")
    assert entry.grade == "A" and entry.fy == 2025
