"""The reform-plan text format, checked against seeds/001_…txt line by line."""

import codecs
import datetime

import pytest

from hoshin.plans.formats.base import PlanFormatError
from hoshin.plans.formats.comprehensive_text import ComprehensiveTextFormat
from hoshin.plans.formats.detect import detect_format, parse_plan_file
from hoshin.plans.formats.reform_text import ReformTextFormat
from hoshin.plans.models import PlanKind

FILENAME = "001_93b4eaf820d612a8.txt"

# The whole tree as printed: 大項目 → 中項目 → 取組 → one department list per 実施内容 row.
EXPECTED_TREE = [
    ("1", "市民参画・市民協働の一層の推進", [
        ("(1)", "行政情報の積極的開示、市民との共有化", [
            ("市民が市政に関心を寄せる情報発信の推進",
             [["地域防災対策室"], ["秘書課"], ["生活環境課"], ["議会事務局"]]),
            ("自治体経営情報の適正な発信", [["総務課"], ["財政課"]]),
        ]),
        ("(2)", "市民参画・連携・協働の推進と適正化", [
            ("市民参画・市民協働の促進", [["総務課"], ["企画政策課"]]),
            ("NPO法人や地域団体との連携強化",
             [["地域防災対策室"], ["地域防災対策室"], ["生活環境課"], ["社会福祉課"], ["図書館"]]),
        ]),
    ]),
    ("2", "自治体経営の基盤強化", [
        ("(1)", "財政の健全性維持", [
            ("長期財政計画の策定と見直し", [["財政課"]]),
            ("自主財源の確保および内部留保の維持", [["税務課"], ["商工観光課"]]),
            ("事業目的などを見極めた歳出の見直し", [["財政課"]]),
            ("地方債発行額の適正化", [["財政課"]]),
        ]),
        ("(2)", "組織の効率的運営", [
            ("組織機構の積極的な見直しと部門間連携の強化", [["総務課", "保健福祉部", "教育委員会"]]),
            ("職員の定員管理の適正化", [["総務課"]]),
        ]),
        ("(3)", "職員の意識・能力向上", [
            ("状況の変化に対応できる職員の育成", [["総務課"], ["情報政策課"], ["高齢福祉課"]]),
            ("さらなる接遇の向上", [["総務課"]]),
            ("人事評価制度の適切な運用", [["総務課"]]),
        ]),
    ]),
    ("3", "行政サービス・事務事業の質的向上、効率化", [
        ("(1)", "市民のニーズに対応した行政サービスの提供", [
            ("市民のニーズの積極的な把握と、行政サービスへの反映",
             [["総務課"], ["情報政策課"], ["保険年金課"], ["社会福祉課"], ["こども家庭課"],
              ["高齢福祉課"], ["中央公民館", "各地区公民館"]]),
            ("利便性向上に向けたICT技術利活用の促進", [["全庁"], ["総務課"], ["情報政策課"]]),
        ]),
        ("(2)", "事務事業の継続的改善", [
            ("業務プロセスの見直しと効率化",
             [["全庁"], ["全庁"], ["総務課"], ["市民課"], ["高齢福祉課"], ["学校教育課"]]),
        ]),
        ("(3)", "公共施設の効率的管理運営", [
            ("公共施設使用料などの適正化", [["生涯学習課", "市民会館"]]),
            ("老朽公共施設などの見直し",
             [["建築課"], ["土木課"], ["下水道課"], ["教育部総務課"]]),
            ("指定管理者制度の積極的な活用", [["関係各課など"]]),
        ]),
        ("(4)", "災害時の行政サービスの継続", [
            ("BCP(業務継続計画)などに基づく業務の継続",
             [["総務課"], ["下水道課"], ["議会事務局"]]),
        ]),
    ]),
]  # fmt: skip


def tree_shape(parsed):
    return [
        (
            pillar.number,
            pillar.title,
            [
                (
                    section.number,
                    section.title,
                    [
                        (measure.title, [action.departments for action in measure.actions])
                        for measure in section.children
                    ],
                )
                for section in pillar.children
            ],
        )
        for pillar in parsed.roots
    ]


def parse_text(text: str, encoding: str = "utf-8"):
    return ReformTextFormat().parse(text.encode(encoding), "plan.txt")


def find_action(parsed, start: str):
    matches = [a for a in parsed.all_actions() if a.text.startswith(start)]
    assert len(matches) == 1, start
    return matches[0]


@pytest.fixture
def parsed(reform_seed_bytes):
    return parse_plan_file(reform_seed_bytes, FILENAME)


@pytest.fixture
def seed_lines(reform_seed_bytes):
    return reform_seed_bytes.decode("utf-8").split("\n")


def test_seed_is_detected_as_reform_text(reform_seed_bytes):
    assert detect_format(reform_seed_bytes, FILENAME).name == "reform-text"
    assert ReformTextFormat().sniff(reform_seed_bytes, FILENAME)
    assert not ComprehensiveTextFormat().sniff(reform_seed_bytes, FILENAME)


def test_seed_tree_matches_document(parsed):
    assert tree_shape(parsed) == EXPECTED_TREE


def test_seed_counts_three_pillars_twenty_measures_fifty_rows(parsed, seed_lines):
    assert [(n.number, n.title) for n in parsed.roots] == [
        ("1", "市民参画・市民協働の一層の推進"),
        ("2", "自治体経営の基盤強化"),
        ("3", "行政サービス・事務事業の質的向上、効率化"),
    ]
    assert [len(pillar.children) for pillar in parsed.roots] == [2, 3, 4]
    measures = [node for node in parsed.walk() if node.depth == 2]
    assert len(measures) == seed_lines.count("実施内容 担当課") == 20
    assert len(parsed.all_actions()) == 50


def test_seed_plan_metadata(parsed):
    assert parsed.format_name == "reform-text"
    assert parsed.kind == PlanKind.REFORM
    assert parsed.level_names == ["大項目", "中項目", "取組"]
    assert parsed.action_level_name == "実施内容"
    assert parsed.source_title == "第6次行財政改革大綱に基づく実施計画"
    assert parsed.warnings == []


def test_every_action_is_its_source_line_split_at_the_last_space(parsed, seed_lines):
    for action in parsed.all_actions():
        source = seed_lines[action.line - 1]
        assert source == f"{action.text} {action.departments[0]}"
        # Further departments are the lines right below, in order.
        following = seed_lines[action.line : action.line + len(action.departments) - 1]
        assert following == action.departments[1:]
    for node in parsed.walk():
        assert seed_lines[node.line - 1].endswith(node.title)


def test_hazard_map_action(parsed):
    action = find_action(parsed, "市民一人一人が水害の危険箇所を認識し")
    assert action.text == (
        "市民一人一人が水害の危険箇所を認識し、常日頃より防災意識を持つよう、"
        "津波ハザードマップおよび洪水ハザードマップを広報紙や防災メール、"
        "自主防災組織の訓練を通して広く周知する。"
    )
    assert action.departments == ["地域防災対策室"]
    assert action.line == 9
    assert action.number == ""
    assert action.title == ""


def test_action_with_departments_on_following_lines(parsed):
    children = find_action(parsed, "市民の行政手続きなどにおけるサービス向上")
    assert children.text == (
        "市民の行政手続きなどにおけるサービス向上につなげるため、"
        "こどもに関する業務を集約するとともに部門間の連携を図る。"
    )
    assert children.departments == ["総務課", "保健福祉部", "教育委員会"]
    kominkan = find_action(parsed, "公民館の各講座の受講者に")
    assert kominkan.departments == ["中央公民館", "各地区公民館"]
    facilities = find_action(parsed, "社会教育施設などの適正な維持管理")
    assert facilities.departments == ["生涯学習課", "市民会館"]
    # The line after a continuation is a new measure heading, not a third department.
    measure = next(n for n in parsed.walk() if n.title == "老朽公共施設などの見直し")
    assert measure.depth == 2


def test_markers_and_full_department_names_are_kept_as_printed(parsed):
    all_departments = [a for a in parsed.all_actions() if a.departments == ["全庁"]]
    assert len(all_departments) == 3
    concerned = find_action(parsed, "民間のノウハウを活かした手法")
    assert concerned.departments == ["関係各課など"]
    playground = find_action(parsed, "児童生徒数の将来予測を踏まえ")
    assert playground.departments == ["教育部総務課"]
    labels = parsed.department_labels()
    assert "全庁" not in labels
    assert "関係各課など" not in labels
    assert labels[:3] == ["地域防災対策室", "秘書課", "生活環境課"]
    assert "教育部総務課" in labels
    assert len(labels) == 27


def test_contact_block_is_metadata_not_content(parsed):
    assert parsed.owner_office == "総務課 行政管理係"
    assert parsed.contact == (
        "〒976-8601\n福島県相馬市中村字北町63-3 市役所庁舎3階\n電話番号:0244-37-2120"
    )
    assert parsed.source_updated_on == datetime.date(2023, 10, 17)
    assert [(s.line, s.text) for s in parsed.skipped] == [
        (135, "あなたの評価でページをより良くします!"),
        (136, "このページの内容は分かりやすかったですか"),
        (137, "このページは見つけやすかったですか"),
    ]
    content = []
    for node in parsed.walk():
        content.append(node.title)
        for action in node.actions:
            content.extend([action.text, *action.departments])
    for fragment in ("お問い合わせ", "行政管理係", "〒", "電話番号", "あなたの評価", "更新日"):
        assert not any(fragment in text for text in content), fragment
    last = parsed.all_actions()[-1]
    assert last.departments == ["議会事務局"]


def test_cp932_and_utf8_bom_copies_parse_identically(reform_seed_bytes, parsed):
    text = reform_seed_bytes.decode("utf-8")
    for data in (text.encode("cp932"), codecs.BOM_UTF8 + reform_seed_bytes):
        again = parse_plan_file(data, FILENAME)
        assert again == parsed


def test_windows_line_endings_keep_line_numbers(reform_seed_bytes, parsed):
    again = parse_plan_file(reform_seed_bytes.replace(b"\n", b"\r\n"), FILENAME)
    assert again == parsed


def test_full_width_numbers_and_spaces():
    parsed = parse_text(
        "実施計画\n"
        "１　市民参画の推進\n"
        "（１）情報の開示\n"
        "情報発信の推進\n"
        "実施内容　担当課\n"
        "広報紙で発信する。　秘書課\n"
        "ウェブサイトを充実する。\t情報政策課\n"
        "教育委員会 学校教育課\n"
        "更新日：令和５年１０月１７日\n"
    )
    pillar = parsed.roots[0]
    assert (pillar.number, pillar.title) == ("1", "市民参画の推進")
    section = pillar.children[0]
    assert (section.number, section.title) == ("(1)", "情報の開示")
    actions = section.children[0].actions
    assert [(a.text, a.departments) for a in actions] == [
        ("広報紙で発信する。", ["秘書課"]),
        ("ウェブサイトを充実する。", ["情報政策課", "教育委員会 学校教育課"]),
    ]
    assert parsed.source_updated_on == datetime.date(2023, 10, 17)


def test_sniff_needs_the_header_row():
    fmt = ReformTextFormat()
    assert fmt.sniff("1 柱\n(1)節\n見出し\n実施内容\u3000担当課\n".encode(), "a.txt")
    assert fmt.sniff("実施内容\t担当課\n".encode("cp932"), "a.txt")
    assert not fmt.sniff("実施内容と担当課の一覧\n".encode(), "a.txt")
    assert not fmt.sniff(b"\x00\x01\x02binary", "a.bin")
    assert not fmt.sniff(b"\xff\xfe\xfa\xfb", "a.txt")


VALID = (
    "実施計画\n"  # 1
    "1 柱\n"  # 2
    "(1)節\n"  # 3
    "取組の見出し\n"  # 4
    "実施内容 担当課\n"  # 5
)


def error_of(text: str, encoding: str = "utf-8") -> PlanFormatError:
    with pytest.raises(PlanFormatError) as info:
        parse_text(text, encoding)
    return info.value


def test_error_row_without_department():
    error = error_of(VALID + "広報紙で発信する。 秘書課\n市のウェブサイトを充実する。\n")
    assert error.where == "7行目"
    assert "担当課がありません" in error.message


def test_error_row_ending_in_a_sentence_not_a_department():
    error = error_of(VALID + "広報紙で 発信する。\n")
    assert error.where == "6行目"
    assert "担当課に見えません" in error.message


def test_error_department_line_before_any_action():
    error = error_of(VALID + "総務課\n広報紙で発信する。 秘書課\n")
    assert error.where == "6行目"
    assert error.message.startswith("担当課だけの行があります")


def test_error_department_line_before_any_header():
    error = error_of("実施計画\n1 柱\n(1)節\n保健福祉部\n")
    assert error.where == "4行目"
    assert error.message.startswith("担当課だけの行があります")


def test_error_header_without_rows():
    error = error_of(VALID + "\n(2)次の節\n見出し\n実施内容 担当課\n内容。 総務課\n")
    assert error.where == "5行目"
    assert "実施内容の行がありません" in error.message
    # …also when the next measure follows straight away.
    error = error_of(VALID + "次の見出し\n実施内容 担当課\n内容。 総務課\n")
    assert error.where == "5行目"


def test_error_header_at_end_of_file_without_rows():
    error = error_of(VALID)
    assert error.where == "5行目"


def test_error_header_without_measure_heading():
    error = error_of("実施計画\n1 柱\n(1)節\n\n実施内容 担当課\n内容。 総務課\n")
    assert error.where == "5行目"
    assert "見出し" in error.message


def test_error_section_before_any_pillar():
    error = error_of("実施計画\n(1)節\n見出し\n実施内容 担当課\n内容。 総務課\n")
    assert error.where == "2行目"
    assert "大項目" in error.message


def test_error_measure_before_any_section():
    error = error_of("実施計画\n1 柱\n見出し\n実施内容 担当課\n内容。 総務課\n")
    assert error.where == "3行目"
    assert "中項目" in error.message


def test_error_row_before_any_header():
    error = error_of("実施計画\n1 柱\n(1)節\n広報紙で発信する。 秘書課\n")
    assert error.where == "4行目"


def test_error_text_with_no_structure():
    error = error_of("お知らせ\n今日は市役所の窓口が混み合っています。\n")
    assert error.where == "2行目"
    assert "読み取れません" in error.message
    error = error_of("お知らせ\n")
    assert error.where == "1行目"
    assert "大項目" in error.message


def test_error_bad_update_date():
    error = error_of(
        VALID + "内容。 総務課\nこの記事に関するお問い合わせ先\n総務課\n更新日:2023年13月1日\n"
    )
    assert error.where == "9行目"
    assert "更新日" in error.message


def test_error_undecodable_file_names_a_line():
    data = "1 柱\n".encode() + b"\x82\xff\n"
    with pytest.raises(PlanFormatError) as info:
        ReformTextFormat().parse(data, "plan.txt")
    assert info.value.where == "2行目"
    assert "文字コード" in info.value.message


def test_error_message_names_file_and_line_through_parse_plan_file():
    data = (VALID + "総務課\n").encode()
    with pytest.raises(PlanFormatError) as info:
        parse_plan_file(data, "plan.txt", format_name="reform-text")
    assert str(info.value).startswith("plan.txt:6行目: 担当課だけの行があります")


def test_out_of_order_numbers_are_a_warning():
    parsed = parse_text(
        VALID + "内容。 総務課\n3 次の柱\n(2)節\n見出し\n実施内容 担当課\n内容。 財政課\n"
    )
    assert [n.number for n in parsed.roots] == ["1", "3"]
    assert any("7行目" in w and "順番" in w for w in parsed.warnings)
    assert any("8行目" in w and "順番" in w for w in parsed.warnings)


def test_contact_block_without_office_line_keeps_owner_empty():
    parsed = parse_text(
        VALID + "内容。 総務課\nお問い合わせ先\n〒100-0001\n電話番号:03-0000-0000\n"
    )
    assert parsed.owner_office == ""
    assert parsed.contact == "〒100-0001\n電話番号:03-0000-0000"
    assert parsed.source_updated_on is None


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"", "1行目"),
        (b"\n \n\xe3\x80\x80\n", "1行目"),
        (b"\xff\xfea\x00b", "1行目"),
        ("1 柱\n(1)節\n見出し\n実施内容 担当課\n内容です。 総務課\n".encode("euc_jp"), "1行目"),
    ],
)
def test_empty_or_unsupported_files_are_errors_not_tracebacks(data, where):
    for fmt in (ReformTextFormat(), ComprehensiveTextFormat()):
        with pytest.raises(PlanFormatError) as info:
            fmt.parse(data, "plan.txt")
        assert info.value.where == where


def test_structured_files_are_left_to_their_formats():
    data = "方策1 開かれた市政\n手法1 広報\n実施内容 担当課\n".encode()
    assert ReformTextFormat().sniff(data, "plan.txt")
    assert ComprehensiveTextFormat().sniff(data, "plan.txt")
    for filename in ("plan.csv", "PLAN.JSON", "plan.xlsx"):
        assert not ReformTextFormat().sniff(data, filename)
        assert not ComprehensiveTextFormat().sniff(data, filename)
    assert not ReformTextFormat().sniff(b'\xef\xbb\xbf{"text": "\n' + data, "plan.txt")


def test_error_unrecognised_department_name_after_a_row():
    error = error_of(VALID + "広報紙で発信する。 秘書課\n会計管理者\n")
    assert error.where == "7行目"
    assert error.message.startswith("「会計管理者」が担当課なのか実施内容なのか分かりません")
