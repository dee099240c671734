"""The JSON plan format: its shape, and a message with the JSON path for each bad input."""

import datetime
import json

import pytest

from hoshin.plans.exporters import export_json
from hoshin.plans.formats.base import PlanFormatError
from hoshin.plans.formats.detect import detect_format, parse_plan_file
from hoshin.plans.formats.json_tree import JsonFormat
from hoshin.plans.tests.sample_plans import full_plan, without_lines


def minimal(**plan) -> dict:
    return {
        "plan": {"kind": "reform", "level_names": ["大項目", "中項目"], **plan},
        "nodes": [
            {
                "title": "市民参画・市民協働の一層の推進",
                "number": "1",
                "children": [
                    {
                        "title": "行政情報の積極的開示",
                        "number": "(1)",
                        "actions": [{"text": "情報発信を行う。", "departments": ["秘書課"]}],
                    }
                ],
            }
        ],
    }


def parse(document, filename="plan.json"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return parse_plan_file(data, filename)


def error_of(document) -> PlanFormatError:
    with pytest.raises(PlanFormatError) as info:
        parse(document)
    return info.value


def test_minimal_document_builds_the_tree():
    parsed = parse(minimal())
    assert parsed.format_name == "json"
    assert parsed.kind == "reform"
    assert parsed.level_names == ["大項目", "中項目"]
    root = parsed.roots[0]
    assert (root.depth, root.number, root.title) == (0, "1", "市民参画・市民協働の一層の推進")
    child = root.children[0]
    assert (child.depth, child.number) == (1, "(1)")
    assert child.actions[0].departments == ["秘書課"]
    assert child.actions[0].title == ""


def test_export_then_parse_gives_the_same_plan():
    parsed = parse_plan_file(export_json(full_plan()), "plan.json")
    assert without_lines(parsed) == without_lines(full_plan())


def test_export_shape_is_the_documented_contract():
    document = json.loads(export_json(full_plan()))
    assert set(document) == {"plan", "nodes"}
    assert set(document["plan"]) == {
        "kind",
        "level_names",
        "action_level_name",
        "source_title",
        "owner_office",
        "contact",
        "source_updated_on",
        "start_fy",
        "end_fy",
    }
    assert document["plan"]["source_updated_on"] == "2024-03-01"
    node = document["nodes"][0]["children"][0]
    assert node["level"] == "方策"
    assert set(node) == {
        "title",
        "level",
        "number",
        "vision",
        "challenges",
        "purpose",
        "notes",
        "children",
        "actions",
    }
    action = node["children"][0]["actions"][0]
    assert set(action) == {"title", "number", "text", "departments", "key_projects", "notes"}
    assert action["departments"] == ["秘書課", "①㈱髙﨑課", "全庁"]
    assert action["key_projects"][1] == {"title": "㈱との協働による配信①", "status": "new"}
    assert action["notes"][0]["term"] == "PDCA マネジメントサイクル"


def test_export_is_readable_utf8_with_indentation():
    data = export_json(full_plan())
    assert "髙﨑".encode() in data  # ensure_ascii=False
    assert b'\n  "plan": {' in data


def test_missing_action_text_names_the_json_path():
    document = minimal()
    document["nodes"][0]["children"][0]["actions"].append({"title": "題だけ"})
    error = error_of(document)
    assert error.where == "nodes[0].children[0].actions[1].text"
    assert "必須" in error.message
    assert str(error) == "plan.json:nodes[0].children[0].actions[1].text: 必須です。"


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda d: d["nodes"][0].update(title=""), "nodes[0].title", "必須"),
        (lambda d: d["nodes"][0].update(children={}), "nodes[0].children", "配列"),
        (lambda d: d["nodes"][0].update(chidren=[]), "nodes[0].chidren", "不明なキー"),
        (lambda d: d["plan"].update(kind="city"), "plan.kind", "reform"),
        (lambda d: d["plan"].update(start_fy="2023"), "plan.start_fy", "数値"),
        (lambda d: d["plan"].update(start_fy=2027, end_fy=2023), "plan.end_fy", "開始年度"),
        (
            lambda d: d["plan"].update(source_updated_on="2024/3/1"),
            "plan.source_updated_on",
            "YYYY",
        ),
        (lambda d: d["plan"].update(level_names="大項目"), "plan.level_names", "配列"),
        (
            lambda d: d["nodes"][0]["children"][0]["actions"][0].update(departments=["秘書課", 3]),
            "nodes[0].children[0].actions[0].departments[1]",
            "文字列",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["actions"][0].update(
                key_projects=[{"title": "日曜窓口", "status": "old"}]
            ),
            "nodes[0].children[0].actions[0].key_projects[0].status",
            "continuing",
        ),
        (
            lambda d: d["nodes"][0].update(notes=[{"body": "説明だけ"}]),
            "nodes[0].notes[0].term",
            "必須",
        ),
        (lambda d: d["nodes"][0].update(number="1" * 31), "nodes[0].number", "上限30文字"),
        (lambda d: d.pop("nodes"), "nodes", "必須"),
    ],
)
def test_bad_values_are_reported_with_their_path(change, where, words):
    document = minimal()
    change(document)
    error = error_of(document)
    assert error.where == where
    assert words in error.message


def test_level_that_does_not_match_the_nesting_is_an_error():
    document = minimal()
    document["nodes"][0]["children"][0]["level"] = "大項目"
    error = error_of(document)
    assert error.where == "nodes[0].children[0].level"
    assert "中項目" in error.message


def test_level_names_come_from_the_nodes_when_the_plan_omits_them():
    document = minimal()
    del document["plan"]["level_names"]
    document["nodes"][0]["level"] = "柱"
    document["nodes"][0]["children"][0]["level"] = "方策"
    assert parse(document).level_names == ["柱", "方策"]


def test_nodes_of_one_depth_must_agree_on_their_level_name():
    document = minimal()
    del document["plan"]["level_names"]
    document["nodes"].append(dict(document["nodes"][0], level="柱"))
    document["nodes"][0]["level"] = "大項目"
    error = error_of(document)
    assert error.where == "nodes[1].level"


def test_plan_object_is_optional_and_dates_parse():
    document = minimal(source_updated_on="2024-03-01", start_fy=2023, end_fy=2027)
    parsed = parse(document)
    assert parsed.source_updated_on == datetime.date(2024, 3, 1)
    assert (parsed.start_fy, parsed.end_fy) == (2023, 2027)
    del document["plan"]
    assert parse(document).kind == "other"


def test_syntax_error_names_line_and_column():
    with pytest.raises(PlanFormatError) as info:
        parse(b'{\n  "nodes": [\n    {"title": "a",}\n  ]\n}')
    assert info.value.where == "3行目 19列目"
    assert "JSON として読めません" in info.value.message


def test_json_must_be_utf8():
    data = json.dumps(minimal(), ensure_ascii=False).encode("cp932")
    with pytest.raises(PlanFormatError) as info:
        parse(data)
    assert "UTF-8" in info.value.message


def test_top_level_must_be_an_object():
    with pytest.raises(PlanFormatError) as info:
        parse(b"[]")
    assert "オブジェクト" in info.value.message


def test_sniff_recognises_the_name_or_a_brace_after_bom_and_spaces():
    data = b"\xef\xbb\xbf \n " + json.dumps(minimal()).encode()
    assert isinstance(detect_format(data, "upload"), JsonFormat)
    assert isinstance(detect_format(b"[]", "plan.json"), JsonFormat)
    assert parse(data, "upload").roots[0].number == "1"
