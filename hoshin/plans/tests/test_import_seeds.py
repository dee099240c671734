"""Both seed documents, detected, parsed and written to the database by plan_import."""

import datetime

import pytest

from conftest import COMPREHENSIVE_SEED, REFORM_SEED, shared_data
from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, DepartmentKind
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import (
    Action,
    ActionDepartment,
    DepartmentMarker,
    KeyProject,
    Note,
    Plan,
    PlanKind,
    PlanNode,
)
from hoshin.plans.services import PlanImportError, plan_import

pytestmark = pytest.mark.django_db

REFORM_FILE = "001_93b4eaf820d612a8.txt"
COMPREHENSIVE_FILE = "000_78a06c49d3f23c0e.txt"


def responsibilities(action: Action) -> list[tuple[str, str | None, str, bool]]:
    return [
        (line.label, line.department.name if line.department else None, line.marker, line.is_lead)
        for line in action.responsibilities.select_related("department").order_by("position")
    ]


def action_starting(plan: Plan, start: str) -> Action:
    return Action.objects.get(plan=plan, text__startswith=start)


@shared_data
def reform_plan():
    """The reform seed imported once for the tests that read it."""
    parsed = parse_plan_file(REFORM_SEED.read_bytes(), REFORM_FILE)
    summary = plan_import(
        parsed=parsed,
        name="第6次行財政改革実施計画",
        create_departments=True,
        source_filename=REFORM_FILE,
    )
    return summary


@shared_data
def comprehensive_plan():
    """The comprehensive seed imported once for the tests that read it."""
    parsed = parse_plan_file(COMPREHENSIVE_SEED.read_bytes(), COMPREHENSIVE_FILE)
    return plan_import(parsed=parsed, name="総合計画 第5章", create_departments=True)


def test_reform_seed_plan_row(reform_plan):
    plan = Plan.objects.get()
    assert plan == reform_plan.plan
    assert plan.kind == PlanKind.REFORM
    assert plan.level_names == ["大項目", "中項目", "取組"]
    assert plan.action_level_name == "実施内容"
    assert plan.source_title == "第6次行財政改革大綱に基づく実施計画"
    assert plan.source_filename == REFORM_FILE
    assert plan.owner_office == "総務課 行政管理係"
    assert plan.contact.splitlines() == [
        "〒976-8601",
        "福島県相馬市中村字北町63-3 市役所庁舎3階",
        "電話番号:0244-37-2120",
    ]
    assert plan.source_updated_on == datetime.date(2023, 10, 17)
    assert not plan.is_published
    assert AuditEntry.objects.filter(verb="plan.import").count() == 1


def test_reform_seed_nodes(reform_plan):
    plan = reform_plan.plan
    pillars = PlanNode.objects.filter(plan=plan, parent=None).order_by("position")
    assert [(n.depth, n.number, n.title) for n in pillars] == [
        (0, "1", "市民参画・市民協働の一層の推進"),
        (0, "2", "自治体経営の基盤強化"),
        (0, "3", "行政サービス・事務事業の質的向上、効率化"),
    ]
    third = pillars[2]
    sections = third.children.order_by("position")
    assert [(n.depth, n.number, n.title) for n in sections] == [
        (1, "(1)", "市民のニーズに対応した行政サービスの提供"),
        (1, "(2)", "事務事業の継続的改善"),
        (1, "(3)", "公共施設の効率的管理運営"),
        (1, "(4)", "災害時の行政サービスの継続"),
    ]
    measures = sections[2].children.order_by("position")
    assert [(n.depth, n.number, n.title) for n in measures] == [
        (2, "", "公共施設使用料などの適正化"),
        (2, "", "老朽公共施設などの見直し"),
        (2, "", "指定管理者制度の積極的な活用"),
    ]
    assert PlanNode.objects.filter(plan=plan).count() == 3 + 9 + 20
    assert PlanNode.objects.filter(plan=plan, depth=2).count() == 20
    assert reform_plan.nodes == 32


def test_reform_seed_actions_and_departments(reform_plan):
    plan = reform_plan.plan
    assert Action.objects.filter(plan=plan).count() == 50
    assert reform_plan.actions == 50
    assert all(a.node.depth == 2 for a in Action.objects.filter(plan=plan))

    hazard = action_starting(plan, "市民一人一人が水害の危険箇所を認識し")
    assert hazard.text.endswith("自主防災組織の訓練を通して広く周知する。")
    assert hazard.title == ""
    assert hazard.node.title == "市民が市政に関心を寄せる情報発信の推進"
    assert hazard.position == 0
    assert responsibilities(hazard) == [("地域防災対策室", "地域防災対策室", "", True)]

    children = action_starting(plan, "市民の行政手続きなどにおけるサービス向上")
    assert responsibilities(children) == [
        ("総務課", "総務課", "", True),
        ("保健福祉部", "保健福祉部", "", False),
        ("教育委員会", "教育委員会", "", False),
    ]
    kominkan = action_starting(plan, "公民館の各講座の受講者に")
    assert responsibilities(kominkan) == [
        ("中央公民館", "中央公民館", "", True),
        ("各地区公民館", "各地区公民館", "", False),
    ]
    facilities = action_starting(plan, "社会教育施設などの適正な維持管理")
    assert responsibilities(facilities) == [
        ("生涯学習課", "生涯学習課", "", True),
        ("市民会館", "市民会館", "", False),
    ]
    playground = action_starting(plan, "児童生徒数の将来予測を踏まえ")
    assert responsibilities(playground) == [("教育部総務課", "教育部総務課", "", True)]


def test_reform_seed_markers_have_no_department(reform_plan):
    plan = reform_plan.plan
    everyone = action_starting(plan, "市民の利便性向上を図るため、各種申請やニーズ調査")
    assert responsibilities(everyone) == [("全庁", None, DepartmentMarker.ALL, False)]
    concerned = action_starting(plan, "民間のノウハウを活かした手法を積極的に活用し")
    assert responsibilities(concerned) == [
        ("関係各課など", None, DepartmentMarker.CONCERNED, False)
    ]
    markers = ActionDepartment.objects.filter(action__plan=plan).exclude(marker="")
    assert markers.count() == 4
    assert not markers.filter(department__isnull=False).exists()
    assert not markers.filter(is_lead=True).exists()
    assert not Department.objects.filter(name__in=["全庁", "関係各課など"]).exists()


def test_reform_seed_every_action_has_exactly_one_lead_unless_marker_only(reform_plan):
    plan = reform_plan.plan
    for action in Action.objects.filter(plan=plan):
        lines = list(action.responsibilities.order_by("position"))
        leads = [line for line in lines if line.is_lead]
        if any(line.department_id for line in lines):
            assert leads == [next(line for line in lines if line.department_id)]
        else:
            assert leads == []
    assert ActionDepartment.objects.filter(action__plan=plan).count() == 54
    assert reform_plan.responsibilities == 54


def test_reform_seed_creates_departments_once_with_guessed_kinds(reform_plan):
    assert len(reform_plan.created_departments) == 27
    assert Department.objects.count() == 27
    assert Department.objects.get(name="総務課").kind == DepartmentKind.KA
    assert Department.objects.get(name="保健福祉部").kind == DepartmentKind.BU
    assert Department.objects.get(name="教育委員会").kind == DepartmentKind.IINKAI
    assert Department.objects.get(name="議会事務局").kind == DepartmentKind.JIMUKYOKU
    assert Department.objects.get(name="市民会館").kind == DepartmentKind.KAN
    assert Department.objects.get(name="地域防災対策室").kind == DepartmentKind.SHITSU
    # 11 rows of the document end in " 総務課"; 教育部総務課 is a different department.
    assert Action.objects.filter(departments__name="総務課").count() == 11


def test_contact_block_is_not_stored_as_content(reform_plan):
    plan = reform_plan.plan
    stored = list(PlanNode.objects.filter(plan=plan).values_list("title", flat=True))
    stored += list(Action.objects.filter(plan=plan).values_list("text", flat=True))
    stored += list(Department.objects.values_list("name", flat=True))
    for fragment in ("問い合わせ", "行政管理係", "〒", "電話番号", "あなたの評価", "更新日"):
        assert not any(fragment in text for text in stored), fragment


def test_comprehensive_seed_nodes(comprehensive_plan):
    plan = comprehensive_plan.plan
    assert plan.kind == PlanKind.COMPREHENSIVE
    assert plan.level_names == ["柱", "方策", "手法"]
    assert plan.action_level_name == "主な取組事項"
    assert comprehensive_plan.created_departments == []
    assert Department.objects.count() == 0

    pillar = PlanNode.objects.get(plan=plan, parent=None)
    assert (pillar.depth, pillar.number, pillar.title) == (0, "", "自立できる 自治体経営の推進")
    policies = list(pillar.children.order_by("position"))
    assert [(n.depth, n.number, n.title) for n in policies] == [
        (1, "方策1", "開かれた市政を推進します"),
        (1, "方策2", "効率的な行財政の運営を推進します"),
    ]
    assert policies[0].vision.startswith("市政に関する情報が広くわかりやすく広報され")
    assert policies[1].vision.endswith("健全な財政運営が維持されています。")
    assert len(policies[0].challenges) == 2
    assert len(policies[1].challenges) == 2
    assert (
        policies[1]
        .challenges[1]
        .endswith(
            "\nこのため限られた経営資源を最大限活用し、最小の経費で最大の効果をあげるべく、"
            "不断の行財政改革に取り組んでいく必要があります。"
        )
    )
    methods = list(policies[1].children.order_by("position"))
    assert [(n.depth, n.number, n.title) for n in methods] == [
        (2, "手法1", "効率的・効果的な行政運営"),
        (2, "手法2", "健全な財政運営の推進"),
        (2, "手法3", "市政改革の推進"),
    ]
    assert methods[0].purpose == (
        "限られた財源の中で最大の効果を得られるよう、より効率的・効果的な行政運営を図ります。"
    )
    assert PlanNode.objects.filter(plan=plan).count() == 9
    assert PlanNode.objects.filter(plan=plan, depth=2).exclude(purpose="").count() == 6


def test_comprehensive_seed_actions_key_projects_and_note(comprehensive_plan):
    plan = comprehensive_plan.plan
    actions = Action.objects.filter(plan=plan)
    assert actions.count() == 15
    assert not ActionDepartment.objects.exists()
    assert all(a.node.depth == 2 for a in actions)

    counter = actions.get(title="窓口サービスの充実")
    assert (counter.number, counter.node.number, counter.node.parent.number) == (
        "(1)",
        "手法1",
        "方策2",
    )
    assert [(k.title, k.status, str(k)) for k in counter.key_projects.order_by("position")] == [
        ("日曜窓口サービス", KeyProject.Status.CONTINUING, "○日曜窓口サービス"),
        ("諸証明等のコンビニ交付の導入", KeyProject.Status.NEW, "★諸証明等のコンビニ交付の導入"),
    ]
    assert KeyProject.objects.count() == 2

    planning = actions.get(title="計画行政の推進")
    assert "PDCA マネジメントサイクル[※]" in planning.text
    note = Note.objects.get()
    assert note.action == planning
    assert note.node == planning.node
    assert note.term == "PDCA マネジメントサイクル"
    assert note.body.startswith("Plan（計画）→ Do（実行）→ Check（評価）→ Act（改善）")

    broadcast = actions.get(title="広報活動の推進")
    assert broadcast.node.title == "広報・広聴の充実"
    assert broadcast.text.startswith("見やすく親しみやすい広報紙を目指す")
    # No second copy from the summary table, no photo captions.
    assert actions.filter(title="窓口サービスの充実").count() == 1
    assert not PlanNode.objects.filter(
        title__in=["市民懇談会", "窓口サービス", "職員研修"]
    ).exists()


def test_both_seeds_side_by_side(reform_plan, comprehensive_plan):
    assert Plan.objects.count() == 2
    assert Action.objects.count() == 65


def test_unknown_departments_without_create_changes_nothing(reform_seed_bytes):
    parsed = parse_plan_file(reform_seed_bytes, REFORM_FILE)
    with pytest.raises(PlanImportError) as info:
        plan_import(parsed=parsed, name="第6次行財政改革実施計画")
    error = info.value
    assert "データベースは変更していません" in error.message
    [problem] = error.details
    for name in ("地域防災対策室", "保健福祉部", "各地区公民館", "市民会館", "教育部総務課"):
        assert name in problem
    assert "全庁" not in problem
    assert "関係各課など" not in problem
    assert Plan.objects.count() == 0
    assert Department.objects.count() == 0
    assert PlanNode.objects.count() == 0
    assert Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_comprehensive_seed_needs_no_departments(comprehensive_seed_bytes):
    parsed = parse_plan_file(comprehensive_seed_bytes, COMPREHENSIVE_FILE)
    summary = plan_import(parsed=parsed, name="総合計画 第5章")
    assert summary.actions == 15
    assert summary.key_projects == 2
    assert summary.notes == 1
    assert Department.objects.count() == 0
