"""The comprehensive-plan text format, checked against seeds/000_…txt."""

import codecs

import pytest

from hoshin.plans.formats.base import ParsedKeyProject, ParsedNote, PlanFormatError
from hoshin.plans.formats.comprehensive_text import ComprehensiveTextFormat
from hoshin.plans.formats.detect import detect_format, parse_plan_file
from hoshin.plans.formats.reform_text import ReformTextFormat
from hoshin.plans.models import PlanKind

FILENAME = "000_78a06c49d3f23c0e.txt"
CAPTIONS = ["市民懇談会", "東北自動車道二本松バスストップ花植え活動", "窓口サービス", "職員研修"]

# 方策 → 手法 → 主な取組事項 (number, title), as printed in the body of the chapter.
EXPECTED_TREE = [
    ("方策1", "開かれた市政を推進します", [
        ("手法1", "広報・広聴の充実", [("(1)", "広報活動の推進"), ("(2)", "広聴活動の充実")]),
        ("手法2", "市政情報の提供・情報公開の推進",
         [("(1)", "情報共有化の推進"), ("(2)", "情報公開制度の適切な運用")]),
        ("手法3", "民間との連携、民間への移行",
         [("(1)", "協働型事業の推進"), ("(2)", "指定管理者制度の活用・外部委託の推進")]),
    ]),
    ("方策2", "効率的な行財政の運営を推進します", [
        ("手法1", "効率的・効果的な行政運営",
         [("(1)", "窓口サービスの充実"), ("(2)", "計画行政の推進"),
          ("(3)", "行政の簡素化・効率化の推進")]),
        ("手法2", "健全な財政運営の推進", [("(1)", "財源の安定確保"), ("(2)", "計画的な財政運営")]),
        ("手法3", "市政改革の推進",
         [("(1)", "職員の能力開発"), ("(2)", "事務事業の整理・再編"), ("(3)", "コスト意識の徹底"),
          ("(4)", "適正な定員管理")]),
    ]),
]  # fmt: skip


def tree_shape(parsed):
    [pillar] = parsed.roots
    return [
        (
            policy.number,
            policy.title,
            [
                (method.number, method.title, [(a.number, a.title) for a in method.actions])
                for method in policy.children
            ],
        )
        for policy in pillar.children
    ]


def all_strings(parsed):
    """Every piece of content text the plan would store."""
    for node in parsed.walk():
        yield from (node.number, node.title, node.vision, node.purpose, *node.challenges)
        for note in node.notes:
            yield from (note.term, note.body)
        for action in node.actions:
            yield from (action.number, action.title, action.text, *action.departments)
            for project in action.key_projects:
                yield project.title
            for note in action.notes:
                yield from (note.term, note.body)


def node(parsed, *numbers):
    current = parsed.roots[0]
    for number in numbers:
        current = next(child for child in current.children if child.number == number)
    return current


def action(parsed, policy, method, number):
    return next(a for a in node(parsed, policy, method).actions if a.number == number)


@pytest.fixture
def parsed(comprehensive_seed_bytes):
    return parse_plan_file(comprehensive_seed_bytes, FILENAME)


@pytest.fixture
def seed_lines(comprehensive_seed_bytes):
    return comprehensive_seed_bytes.decode("utf-8").split("\n")


def test_seed_is_detected_as_comprehensive_text(comprehensive_seed_bytes):
    assert detect_format(comprehensive_seed_bytes, FILENAME).name == "comprehensive-text"
    assert ComprehensiveTextFormat().sniff(comprehensive_seed_bytes, FILENAME)
    assert not ReformTextFormat().sniff(comprehensive_seed_bytes, FILENAME)


def test_seed_plan_metadata(parsed):
    assert parsed.format_name == "comprehensive-text"
    assert parsed.kind == PlanKind.COMPREHENSIVE
    assert parsed.level_names == ["柱", "方策", "手法"]
    assert parsed.action_level_name == "主な取組事項"
    assert parsed.warnings == []
    assert parsed.department_labels() == []


def test_seed_tree_matches_document(parsed):
    [pillar] = parsed.roots
    assert (pillar.depth, pillar.number, pillar.title) == (0, "", "自立できる 自治体経営の推進")
    assert pillar.actions == []
    assert tree_shape(parsed) == EXPECTED_TREE
    assert [n.depth for n in parsed.walk()] == [0, 1, 2, 2, 2, 1, 2, 2, 2]
    assert len(parsed.all_actions()) == 15


def test_policies_have_visions(parsed):
    assert node(parsed, "方策1").vision == (
        "市政に関する情報が広くわかりやすく広報され、幅広い年齢層から多くの意見を聴くことができます。"
        "また、市民や民間との連携により協働事業が推進されています。"
    )
    assert node(parsed, "方策2").vision == (
        "成果重視の行政経営の仕組みが整い、限られた経営資源（ヒト・モノ・カネ）を効率的かつ効果的に"
        "活用し、質の高い行政サービスが提供され、健全な財政運営が維持されています。"
    )


def test_challenges_are_bullets_with_wrapped_lines_joined(parsed, seed_lines):
    first = node(parsed, "方策1").challenges
    assert first == [seed_lines[22].removeprefix("- "), seed_lines[23].removeprefix("- ")]
    assert first[0].startswith("市民をはじめ多様な担い手と行政との情報共有を目指して")
    second = node(parsed, "方策2").challenges
    assert len(second) == 2
    assert second[0] == (
        "行財政を取り巻く厳しい社会状況を踏まえ、市政改革集中プランに基づく行財政改革を推進しています。"
    )
    assert second[1].startswith("財政運営については、財源の確保と事業の効率化による歳出の抑制")
    assert second[1].endswith(
        "これまで以上の厳しさが予想されます。\n"
        "このため限られた経営資源を最大限活用し、最小の経費で最大の効果をあげるべく、"
        "不断の行財政改革に取り組んでいく必要があります。"
    )
    for method in node(parsed, "方策1").children + node(parsed, "方策2").children:
        assert method.challenges == []


def test_methods_have_purposes_and_actions_have_their_paragraph(parsed, seed_lines):
    for policy in parsed.roots[0].children:
        for method in policy.children:
            # Printed as: heading, blank line, purpose paragraph.
            assert method.purpose == seed_lines[method.line + 1]
            assert method.purpose.endswith("。")
            for item in method.actions:
                assert item.text == seed_lines[item.line + 1]
                assert item.departments == []
    assert node(parsed, "方策1", "手法1").purpose == (
        "市民に分かりやすく伝わりやすい広報に努めることにより、市政への関心を高めます。"
        "また、広聴活動を充実することにより、市民の声を市政へ反映していきます。"
    )
    assert action(parsed, "方策1", "手法1", "(1)").text == (
        "見やすく親しみやすい広報紙を目指すとともに、市ウェブサイトの充実などにより、"
        "まちづくりに関する情報が適切な時期に、適切な方法で届くよう広報活動を推進します。"
    )
    assert action(parsed, "方策2", "手法3", "(4)").text == (
        "業務量に応じた適正な職員数を常に把握するとともに、施策の重点化に応じた柔軟な人員配置を図ります。"
    )


def test_key_projects_belong_to_counter_service_action(parsed):
    counter = action(parsed, "方策2", "手法1", "(1)")
    assert counter.title == "窓口サービスの充実"
    assert counter.key_projects == [
        ParsedKeyProject(title="日曜窓口サービス", is_new=False),
        ParsedKeyProject(title="諸証明等のコンビニ交付の導入", is_new=True),
    ]
    assert counter.text == (
        "窓口サービスの向上を図るとともに、諸証明等のコンビニ交付による市民の利便性向上に努めます。"
    )
    others = [a for a in parsed.all_actions() if a is not counter]
    assert all(a.key_projects == [] for a in others)


def test_pdca_note_is_attached_to_planning_action(parsed):
    planning = action(parsed, "方策2", "手法1", "(2)")
    assert planning.title == "計画行政の推進"
    assert "PDCA マネジメントサイクル[※]の評価システム" in planning.text
    assert planning.notes == [
        ParsedNote(
            term="PDCA マネジメントサイクル",
            body="Plan（計画）→ Do（実行）→ Check（評価）→ Act（改善）の4段階を繰り返すことによって、"
            "業務を継続的に改善していくこと。",
        )
    ]
    assert [a for a in parsed.all_actions() if a.notes] == [planning]
    assert all(n.notes == [] for n in parsed.walk())
    # The note is not folded into the following action.
    assert action(parsed, "方策2", "手法1", "(3)").text == (
        "財政の硬直化や財源不足が見込まれる中で、より一層簡素で効率的な組織体制と事務事業の見直しを図ります。"
    )


def test_photo_captions_are_never_content(parsed):
    strings = [s for s in all_strings(parsed) if s]
    for caption in CAPTIONS:
        assert caption not in strings
        assert not any(caption in s.split("\n") for s in strings)
    for unique in ("市民懇談会", "花植え活動", "職員研修"):
        assert not any(unique in s for s in strings)
    captions = [(s.line, s.text) for s in parsed.skipped if s.reason == "写真の説明"]
    assert captions == [
        (28, "市民懇談会"),
        (32, "東北自動車道二本松バスストップ花植え活動"),
        (116, "窓口サービス"),
        (120, "職員研修"),
    ]


def test_summary_table_and_overview_are_skipped_not_duplicated(parsed):
    table = [s.line for s in parsed.skipped if s.reason == "要約表"]
    assert table == [82, 84, 86, 88, 90, 92, 93, 94, 96, 98, 99, 101, 103, 104, 105, 106]
    overview = [s.line for s in parsed.skipped if s.reason == "方策の展開（一覧）"]
    assert overview == [8, 10, 11]
    titles = [a.title for a in parsed.all_actions()]
    assert len(titles) == len(set(titles))
    assert titles.count("窓口サービスの充実") == 1
    method_titles = [n.title for n in parsed.walk() if n.depth == 2]
    assert method_titles.count("効率的・効果的な行政運営") == 1
    assert "1 効率的・効果的な行政運営" not in list(all_strings(parsed))


def test_cp932_and_utf8_bom_copies_parse_identically(comprehensive_seed_bytes, parsed):
    text = comprehensive_seed_bytes.decode("utf-8")
    for data in (text.encode("cp932"), codecs.BOM_UTF8 + comprehensive_seed_bytes):
        assert parse_plan_file(data, FILENAME) == parsed


def test_full_width_digits(comprehensive_seed_bytes, parsed):
    text = comprehensive_seed_bytes.decode("utf-8")
    for digit in "1234":
        wide = chr(ord(digit) + 0xFEE0)
        text = (
            text.replace(f"方策{digit} ", f"方策{wide}\u3000")
            .replace(f"手法{digit} ", f"手法{wide} ")
            .replace(f"({digit}) ", f"（{wide}）")
        )
    again = parse_plan_file(text.encode("cp932"), FILENAME)
    assert tree_shape(again) == tree_shape(parsed)
    assert again.warnings == []


def test_summary_table_mismatch_is_a_warning(comprehensive_seed_bytes):
    text = comprehensive_seed_bytes.decode("utf-8")
    text = text.replace("- (2) 計画的な財政運営", "- (2) 計画的な財政運用")
    text = text.replace("\n3 市政改革の推進\n", "\n3 市政改革の断行\n")
    text = text.replace("- 効率的な行財政の運営を推進します", "- 効率的な行政を推進します")
    parsed = parse_plan_file(text.encode(), FILENAME)
    assert len(parsed.warnings) == 3
    assert parsed.warnings[0].startswith("11行目: 方策の展開の「効率的な行政を推進します」")
    assert parsed.warnings[1].startswith("99行目: 要約表の取組「(2) 計画的な財政運用」")
    assert parsed.warnings[2].startswith("101行目: 要約表の「手法3 市政改革の断行」")
    assert tree_shape(parsed) == EXPECTED_TREE


HEAD = (
    "方策の柱\n"  # 1
    "\n"
    "自治体経営の推進\n"  # 3
    "\n"
    "方策1 開かれた市政を推進します\n"  # 5
    "\n"
)


def parse_text(text: str):
    return ComprehensiveTextFormat().parse(text.encode(), "chapter.txt")


def error_of(text: str) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as info:
        parse_text(text)
    return info.value


def test_minimal_chapter_with_node_note_and_two_paragraph_action():
    parsed = parse_text(
        HEAD + "手法１ 広報の充実\n\n広報に努めます。\n\n※広聴\n\n市民の声を聴くこと。\n\n"
        "主な取組事項\n\n（１） 広報活動の推進\n\n広報紙を充実します。\n\n"
        "ウェブサイトも充実します。\n"
    )
    method = parsed.roots[0].children[0].children[0]
    assert (method.number, method.title, method.purpose) == (
        "手法1",
        "広報の充実",
        "広報に努めます。",
    )
    assert method.notes == [ParsedNote(term="広聴", body="市民の声を聴くこと。")]
    [item] = method.actions
    assert (item.number, item.title) == ("(1)", "広報活動の推進")
    assert item.text == "広報紙を充実します。\nウェブサイトも充実します。"


def test_error_method_before_any_policy():
    error = error_of("方策の柱\n\n自治体経営の推進\n\n手法1 広報の充実\n\n広報に努めます。\n")
    assert error.where == "5行目"
    assert "方策" in error.message


def test_error_policy_before_pillar():
    error = error_of("\n方策1 開かれた市政を推進します\n\n手法1 広報\n")
    assert error.where == "2行目"
    assert "方策の柱" in error.message


def test_error_action_outside_a_method():
    error = error_of(HEAD + "主な取組事項\n")
    assert error.where == "7行目"
    error = error_of(HEAD + "(1) 広報活動の推進\n\n広報紙を充実します。\n")
    assert error.where == "7行目"
    assert "手法" in error.message


def test_error_key_project_outside_an_action():
    error = error_of(HEAD + "手法1 広報の充実\n\n広報に努めます。\n\n主要事業\n\n○広報紙の発行\n")
    assert error.where == "11行目"
    assert "主要事業" in error.message
    error = error_of(HEAD + "手法1 広報の充実\n\n広報に努めます。\n\n★広報アプリの導入\n")
    assert error.where == "11行目"
    assert "取組" in error.message


def test_error_paragraph_that_belongs_nowhere():
    error = error_of(
        HEAD + "《 これまでの取り組みと今後の課題 》\n\n- 取り組んでいます。\n\n"
        "これは長い文章で、写真の説明ではなく本文のように見えますが、どの項目にも属していません。\n"
    )
    assert error.where == "11行目"
    assert "どの項目に属するか" in error.message


def test_error_pillar_without_title():
    error = error_of("方策の柱\n\n方策1 開かれた市政を推進します\n")
    assert error.where == "1行目"


def test_error_unknown_heading():
    error = error_of(HEAD + "《 参考資料 》\n")
    assert error.where == "7行目"


def test_error_no_structure():
    error = error_of("\nはじめに\n\n本章では行政経営について述べます。\n")
    assert error.where == "2行目"
    assert "方策の柱" in error.message


def test_sniff():
    fmt = ComprehensiveTextFormat()
    assert fmt.sniff("方策１\u3000開かれた市政\n手法１ 広報\n".encode("cp932"), "a.txt")
    assert fmt.sniff("方策の柱\n手法2 x\n".encode(), "a.txt")
    assert not fmt.sniff("方策の柱\n".encode(), "a.txt")
    assert not fmt.sniff("手法1 広報\n".encode(), "a.txt")
    assert not fmt.sniff(b"\x00\x00binary", "a.bin")


def test_summary_table_method_missing_from_body_is_a_warning(comprehensive_seed_bytes):
    text = comprehensive_seed_bytes.decode("utf-8")
    text = text.replace("- (4) 適正な定員管理\n", "- (4) 適正な定員管理\n\n4 公共施設の最適化\n")
    parsed = parse_plan_file(text.encode(), FILENAME)
    assert parsed.warnings == [
        "108行目: 要約表の「手法4 公共施設の最適化」が本文の方策2にありません。"
    ]
    text = comprehensive_seed_bytes.decode("utf-8").replace(
        "\n3 市政改革の推進\n\n- (1) 職員の能力開発\n- (2) 事務事業の整理・再編\n"
        "- (3) コスト意識の徹底\n- (4) 適正な定員管理\n",
        "\n",
    )
    parsed = parse_plan_file(text.encode(), FILENAME)
    assert len(parsed.warnings) == 1
    assert "「手法3 市政改革の推進」が" in parsed.warnings[0]
    assert "要約表にありません" in parsed.warnings[0]
