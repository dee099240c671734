"""Public results: what citizens see of evaluations, and the attacker's test that nothing else leaks.

The attacker fills every text field of sheets in every unpublished stage (and of a published
sheet of an unpublished plan) with marker strings, adds staff comments and transition comments,
then reads every public page; no marker may appear anywhere until the sheet is published, and
staff comments never do.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations.models import (
    EvaluationSheet,
    Indicator,
    SheetTransition,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.selectors import public, public_plan
from hoshin.evaluations.services.comments import sheet_comment_add
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add, sheet_update
from hoshin.evaluations.services.workflow import sheet_transition, sheets_publish
from hoshin.evaluations.tests.factories import TODAY, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill, people
from hoshin.org.models import Department
from hoshin.plans.models import Action, Plan, PlanNode
from hoshin.plans.services import plan_set_published
from hoshin.portal import urls as portal_urls

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

TEXT_FIELDS = (
    "purpose_target",
    "purpose_intent",
    "purpose_means",
    "legal_basis",
    "activities",
    "department_comment",
    "improvement_plan",
)
# Fields no sheet form writes before the planning office's review: set directly, as a leak
# through them would be just as bad.
DIRECT_FIELDS = ("review_comment",)
PORTAL_PAGES = {
    "home",
    "plan",
    "node",
    "action",
    "departments",
    "department",
    "feeds",
    "feed_results",
    "plan_feed",
    "department_feed",
}


def marker(tag: str, field: str) -> str:
    return f"漏洩チェック{tag}{field}ZQX"


def plant(world, sheet: EvaluationSheet, tag: str) -> EvaluationSheet:
    """Marker strings in every text field, an indicator's name and unit, a staff comment and a
    transition comment; distinctive numbers in costs and effect amounts."""
    editor, _ = people(world, sheet)
    sheet.refresh_from_db()
    indicator = indicator_add(
        sheet=sheet,
        by=editor,
        name=marker(tag, "indicator"),
        unit=marker(tag, "unit")[:30],
        expected_version=sheet.version,
    )
    fill(
        world,
        sheet,
        {
            **{name: marker(tag, name) for name in TEXT_FIELDS},
            f"indicator.{indicator.pk}.baseline": "10",
            f"indicator.{indicator.pk}.target": "24680",
            f"indicator.{indicator.pk}.actual": "13579",
            "cost.actual.general": "97531",
            "effect_savings": "86420",
        },
    )
    EvaluationSheet.objects.filter(pk=sheet.pk).update(
        **{name: marker(tag, name) for name in DIRECT_FIELDS}
    )
    sheet_comment_add(sheet=sheet, by=world.planner, body=marker(tag, "staff-comment"))
    sheet.refresh_from_db()
    return sheet


def transition_comment(world, sheet: EvaluationSheet, tag: str) -> None:
    SheetTransition.objects.create(
        sheet=sheet,
        from_stage=sheet.stage,
        to_stage=sheet.stage,
        by=world.planner,
        comment=marker(tag, "transition"),
    )


def every_public_page(client: Client) -> dict[str, str]:
    """Every portal URL for every id that exists (published or not), with its body."""
    names = {pattern.name for pattern in portal_urls.urlpatterns}
    assert names == PORTAL_PAGES, "a new portal page: add it to this attacker's list"
    urls = [
        reverse("portal:home"),
        reverse("portal:departments"),
        reverse("portal:feeds"),
        reverse("portal:feed_results"),
    ]
    for pk in Plan.objects.values_list("pk", flat=True):
        urls += [reverse("portal:plan", args=[pk]), reverse("portal:plan_feed", args=[pk])]
    urls += [
        reverse("portal:node", args=[plan_id, pk])
        for pk, plan_id in PlanNode.objects.values_list("pk", "plan_id")
    ]
    urls += [
        reverse("portal:action", args=[pk]) for pk in Action.objects.values_list("pk", flat=True)
    ]
    for pk in Department.objects.values_list("pk", flat=True):
        urls += [
            reverse("portal:department", args=[pk]),
            reverse("portal:department_feed", args=[pk]),
        ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        pages[url] = response.content.decode()
    return pages


def leaks(pages: dict[str, str], needles: list[str]) -> list[str]:
    return [
        f"{needle} in {url}" for url, html in pages.items() for needle in needles if needle in html
    ]


STAGES = [Stage.DRAFT, Stage.RETURNED, Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL]


@shared_data
def attacked():
    """Sheets in every unpublished stage, a control sheet published, and a published sheet of
    a draft plan; each planted with markers. Built once for the tests that read it."""
    world = make_world()
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    node = world.bousai_action.node
    for number in range(2):
        action = Action.objects.create(
            plan=world.plan, node=node, position=10 + number, text=f"追加の取組{number}。"
        )
        action.responsibilities.create(department=world.bousai, is_lead=True)
    cycle = open_year(world)
    sheets = list(cycle.sheets.order_by("id"))
    assert len(sheets) == 6
    by_stage = {}
    for stage, sheet in zip([*STAGES, Stage.PUBLISHED], sheets, strict=True):
        sheet = plant(world, sheet, stage.upper())
        sheet = advance(world, sheet, stage, comment=marker(stage.upper(), "return"))
        transition_comment(world, sheet, stage.upper())
        by_stage[stage] = sheet

    draft_plan = Plan.objects.create(
        name="非公開の計画", kind="reform", level_names=["大項目"], is_published=False
    )
    draft_node = PlanNode.objects.create(plan=draft_plan, title="非公開の節", depth=0)
    hidden_action = Action.objects.create(plan=draft_plan, node=draft_node, text="非公開の取組。")
    hidden_action.responsibilities.create(department=world.bousai, is_lead=True)
    hidden_cycle = fiscal_year_start(plan=draft_plan, fy=2025, by=world.planner, today=TODAY).cycle
    hidden = plant(world, sheet_of(hidden_cycle, hidden_action), "HIDDENPLAN")
    hidden = advance(world, hidden, Stage.PUBLISHED)
    transition_comment(world, hidden, "HIDDENPLAN")
    return world, by_stage, hidden


def markers_of(tag: str) -> list[str]:
    return [
        marker(tag, name)
        for name in (*TEXT_FIELDS, *DIRECT_FIELDS, "indicator", "staff-comment", "transition")
    ]


STAFF_ONLY = ("staff-comment", "transition", "return")


def test_no_unpublished_content_reaches_any_public_page(client, attacked):
    _world, by_stage, hidden = attacked
    assert hidden.stage == Stage.PUBLISHED and not hidden.cycle.plan.is_published
    pages = every_public_page(client)
    needles = [m for stage in STAGES for m in markers_of(stage.upper())]
    needles += markers_of("HIDDENPLAN") + [marker(s.upper(), "return") for s in STAGES]
    found = leaks(pages, needles)
    assert not found, found
    # …while the published sheet of the published plan is there, official fields only.
    action_page = pages[by_stage[Stage.PUBLISHED].action.get_absolute_url()]
    for name in (*TEXT_FIELDS, *DIRECT_FIELDS, "indicator"):
        assert marker("PUBLISHED", name) in action_page, name
    for name in STAFF_ONLY:
        assert not leaks(pages, [marker("PUBLISHED", name)]), name


def test_numbers_of_unpublished_sheets_do_not_leak(client, attacked):
    world, by_stage, _hidden = attacked
    control = by_stage[Stage.PUBLISHED]
    # Give the control sheet other numbers so that the planted ones belong to hidden sheets.
    sheet_transition(sheet=control, by=world.planner, name="send_back", comment="数値を直す")
    control.refresh_from_db()
    editor, _ = people(world, control)
    indicator = control.indicators.get(name=marker("PUBLISHED", "indicator"))
    sheet_update(
        sheet=control,
        by=editor,
        raw={
            f"indicator.{indicator.pk}.target": "200",
            f"indicator.{indicator.pk}.actual": "150",
            "cost.actual.general": "1200",
            "effect_savings": "300",
        },
        expected_version=control.version,
        today=TODAY,
    )
    advance(world, EvaluationSheet.objects.get(pk=control.pk), Stage.PUBLISHED)
    pages = every_public_page(client)
    assert not leaks(pages, ["24,680", "13,579", "97,531", "86,420"])
    assert "1,200" in pages[control.action.get_absolute_url()]


def test_publishing_shows_official_fields_but_never_staff_comments(client, attacked):
    world, by_stage, _hidden = attacked
    sheet = sheet_transition(sheet=by_stage[Stage.FINAL], by=world.planner, name="publish")
    url = sheet.action.get_absolute_url()
    html = client.get(url).content.decode()  # the very next request: nothing stale
    for name in (*TEXT_FIELDS, *DIRECT_FIELDS, "indicator"):
        assert marker("FINAL", name) in html, name
    pages = every_public_page(client)
    for name in STAFF_ONLY:
        assert not leaks(pages, [marker("FINAL", name)]), name

    # Withdrawn again (unpublish), it disappears from the next response.
    sheet_transition(sheet=sheet, by=world.planner, name="unpublish", comment="誤りがあったため")
    pages = every_public_page(client)
    assert not leaks(pages, markers_of("FINAL"))

    # Published again and then sent back to the department: gone as well.
    sheet = sheet_transition(sheet=sheet, by=world.planner, name="publish")
    assert marker("FINAL", "activities") in client.get(url).content.decode()
    sheet_transition(sheet=sheet, by=world.planner, name="send_back", comment="再確認")
    assert not leaks(every_public_page(client), markers_of("FINAL"))


def test_publishing_the_plan_reveals_its_published_sheets_but_not_staff_comments(client, attacked):
    world, _by_stage, hidden = attacked
    plan_set_published(plan=hidden.cycle.plan, published=True, by=world.planner)
    html = client.get(hidden.action.get_absolute_url()).content.decode()
    assert marker("HIDDENPLAN", "activities") in html
    pages = every_public_page(client)
    for name in STAFF_ONLY:
        assert not leaks(pages, [marker("HIDDENPLAN", name)]), name
    plan_set_published(plan=hidden.cycle.plan, published=False, by=world.planner)
    assert not leaks(every_public_page(client), markers_of("HIDDENPLAN"))


def test_bulk_publishing_a_year_shows_only_final_sheets(client, attacked):
    world, by_stage, _hidden = attacked
    sheets_publish(cycle=by_stage[Stage.FINAL].cycle, by=world.planner)
    pages = every_public_page(client)
    assert not leaks(pages, [m for s in STAGES if s != Stage.FINAL for m in markers_of(s.upper())])
    assert (
        marker("FINAL", "purpose_means") in pages[by_stage[Stage.FINAL].action.get_absolute_url()]
    )


def test_public_pages_are_the_same_for_staff_and_citizens_and_cacheable(client, attacked):
    """Safe to cache publicly: a signed-in planning officer gets exactly the citizens' page."""
    world, by_stage, _hidden = attacked
    url = by_stage[Stage.PUBLISHED].action.get_absolute_url()
    anonymous = client.get(url)
    staff = Client()
    staff.force_login(world.planner)
    signed_in = staff.get(url)
    assert anonymous.content == signed_in.content
    assert "public" in anonymous["Cache-Control"]
    # Only the language (its cookie or Accept-Language) varies the page, never a session.
    assert {v.strip() for v in anonymous["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    assert not anonymous.cookies


def test_selectors_only_ever_start_from_published(attacked):
    world, by_stage, hidden = attacked
    published = by_stage[Stage.PUBLISHED]
    assert list(public.sheets_published()) == [published]
    for stage, sheet in by_stage.items():
        results = public.action_results_public(action=sheet.action)
        assert len(results.sheets) == (1 if stage == Stage.PUBLISHED else 0), stage
    assert public.action_results_public(action=hidden.action).sheets == []
    rows = public.department_results_public(department=world.bousai)
    assert [row.subject for row in rows] == [published.action.heading]


# ---- what a citizen sees ---------------------------------------------------------------------------


@shared_data
def two_years():
    """The bousai action evaluated and published in FY2024 and FY2025 (carried over); built
    once for the tests that read it."""
    world = make_world()
    StaffUnitCost.objects.create(fy=2024, amount=7900)
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    first = fiscal_year_start(plan=world.plan, fy=2024, by=world.planner, today=TODAY).cycle
    sheet = sheet_of(first, world.bousai_action)
    count = indicator_add(
        sheet=sheet, by=world.editor, name="説明会の開催回数", unit="回", expected_version=1
    )
    share = indicator_add(
        sheet=sheet, by=world.editor, name="避難場所の認知度", unit="%", expected_version=2
    )
    rate = indicator_add(
        sheet=sheet, by=world.editor, name="市税収納率", unit="%", expected_version=3
    )
    fill(
        world,
        sheet,
        {
            f"indicator.{count.pk}.kind": "活動指標",
            f"indicator.{count.pk}.baseline": "4",
            f"indicator.{count.pk}.target": "10",
            f"indicator.{count.pk}.actual": "7",
            f"indicator.{share.pk}.baseline": "45",
            f"indicator.{share.pk}.target": "55",
            f"indicator.{share.pk}.actual": "51.2",
            f"indicator.{rate.pk}.baseline": "99.1",
            f"indicator.{rate.pk}.target": "99.1",
            f"indicator.{rate.pk}.actual": "99.3",
            "cost.actual.national": "500",
            "cost.actual.general": "1,234",
            "cost.actual.person_years": "0.5",
            "cost.next_budget.general": "1500",
            "activities": "説明会を7回開催した。",
            "department_comment": "概ね順調である。",
            "improvement_plan": "若い世代への周知を強化する。",
            "effect_savings": "△120",
            "effect_revenue": "300",
        },
    )
    advance(world, EvaluationSheet.objects.get(pk=sheet.pk), Stage.FINAL)
    sheet_transition(
        sheet=sheet, by=world.planner, name="send_back", comment="所見を追記してください"
    )
    fill(world, EvaluationSheet.objects.get(pk=sheet.pk))
    sheet = advance(world, EvaluationSheet.objects.get(pk=sheet.pk), Stage.APPROVED)
    sheet_transition(
        sheet=sheet, by=world.planner, name="finalize", review_comment="一次評価のとおり。"
    )
    sheets_publish(cycle=first, by=world.planner)

    second = fiscal_year_start(plan=world.plan, fy=2025, by=world.planner, today=TODAY).cycle
    sheet2 = sheet_of(second, world.bousai_action)
    by_name = {i.name: i for i in sheet2.indicators.all()}
    fill(
        world,
        sheet2,
        {
            f"indicator.{by_name['説明会の開催回数'].pk}.target": "12",
            f"indicator.{by_name['説明会の開催回数'].pk}.actual": "14",
            f"indicator.{by_name['避難場所の認知度'].pk}.target": "60",
            "overall_grade": "B",
        },
    )
    advance(world, EvaluationSheet.objects.get(pk=sheet2.pk), Stage.PUBLISHED)
    return world


def test_action_page_shows_each_published_year_with_its_official_fields(client, two_years):
    world = two_years
    html = client.get(world.bousai_action.get_absolute_url()).content.decode()
    assert html.index("令和7年度（2025年度）の評価結果") < html.index(
        "令和6年度（2024年度）の評価結果"
    )
    for text in (
        "順調に成果が上がっている",  # grade A's meaning (FY2024)
        "概ね順調",  # grade B's meaning (FY2025)
        "継続",
        "説明会を7回開催した。",
        "概ね順調である。",
        "若い世代への周知を強化する。",
        "一次評価のとおり。",
        "二次評価の所見",
        "担当課の所見",
        "必要性",
        "やや高い",
        "取組中",
        "良好",
        "地域防災対策室",
        "災害時に安全に避難できる",
    ):
        assert text in html, text
    assert "所見を追記してください" not in html, "a send-back comment is staff-only"


def test_indicators_show_rates_and_an_honest_note_when_undefined(client, two_years):
    html = client.get(two_years.bousai_action.get_absolute_url()).content.decode()
    fy2024 = html[html.index('id="result-2024"') :]
    assert "50.0%" in fy2024  # (7 − 4) ÷ (10 − 4)
    assert "70.0%" in fy2024  # 7 ÷ 10
    assert "目標値が基準値と同じため進捗率は算出できません（維持目標）" in fy2024
    fy2025 = html[html.index('id="result-2025"') : html.index('id="result-2024"')]
    assert "実績値がありません" in fy2025  # 避難場所の認知度 has no actual in FY2025
    assert "令和7年度（2025年度）は目標値60%、実績値なし" in html  # its chart says so too
    assert "未入力" not in html, "staff wording"
    assert "125.0%" in fy2025  # (14 − 4) ÷ (12 − 4)
    assert "目標達成" in fy2025


def test_cost_table_in_thousands_of_yen_with_staff_cost_and_minus_sign(client, two_years):
    html = client.get(two_years.bousai_action.get_absolute_url()).content.decode()
    fy2024 = html[html.index('id="result-2024"') :]
    table = fy2024[fy2024.index("のコスト（単位：千円）") :]
    table = table[: table.index("</table>")]
    assert "1,234" in table and "1,734" in table  # general; project cost 500 + 1,234
    assert "3,950" in table  # staff cost 0.5 × 7,900
    assert "5,684" in table  # total
    assert "令和7年度 予算（見込）" in table
    effects = fy2024[fy2024.index("効果額") :]
    assert re.search(
        r'<span aria-hidden="true">△</span><span class="visually-hidden">マイナス</span>120千円',
        effects,
    )
    assert "300千円" in effects and "180千円" in effects
    # FY2025's table starts with last year's actual column (its sheet is published too).
    fy2025 = html[html.index('id="result-2025"') : html.index('id="result-2024"')]
    assert "令和6年度 決算" in fy2025


def test_each_indicator_has_a_server_side_chart_with_the_same_numbers_in_a_table(client, two_years):
    response = client.get(two_years.bousai_action.get_absolute_url())
    html = response.content.decode()
    charts = re.findall(r'<svg class="chart__svg"[^>]*>', html)
    assert len(charts) == 3
    for number in (1, 2, 3):
        svg = f'role="img" aria-labelledby="chart-{number}-title chart-{number}-desc"'
        assert svg in html
        assert f'<title id="chart-{number}-title">' in html
        assert f'<desc id="chart-{number}-desc">' in html
    desc = re.search(r'<desc id="chart-1-desc">(.*?)</desc>', html).group(1)
    assert "令和6年度（2024年度）は目標値10回、実績値7回" in desc
    assert "令和7年度（2025年度）は目標値12回、実績値14回" in desc
    table = html[html.index("説明会の開催回数の目標値と実績値") :]
    table = table[: table.index("</table>")]
    assert "令和6年度（2024年度）" in table and "令和7年度（2025年度）" in table
    assert ">10<" in table and ">7<" in table and ">12<" in table and ">14<" in table
    assert "<script" not in html[html.index("指標の推移") :]


def test_plan_page_shows_each_nodes_progress_and_grade_distribution(client, two_years):
    world = two_years
    # A second published sheet in FY2025 under the same node: zaisei's, grade C, progress 100%.
    cycle = world.plan.evaluation_cycles.get(fy=2025)
    sheet = sheet_of(cycle, world.zaisei_action)
    indicator = indicator_add(
        sheet=sheet, by=world.other_editor, name="見直し件数", unit="件", expected_version=1
    )
    fill(
        world,
        sheet,
        {
            f"indicator.{indicator.pk}.baseline": "0",
            f"indicator.{indicator.pk}.target": "10",
            f"indicator.{indicator.pk}.actual": "10",
            "overall_grade": "C",
        },
    )
    advance(world, EvaluationSheet.objects.get(pk=sheet.pk), Stage.PUBLISHED)
    results = public_plan.plan_results_public(plan=world.plan)
    assert results.fy == 2025
    node_result = results.by_node[world.bousai_action.node_id]
    assert node_result.sheets == 2 and node_result.grades == {"B": 1, "C": 1}
    # Rates defined in FY2025: 125% (説明会) and 100% (見直し件数); 認知度 has no actual.
    assert node_result.mean_progress_rate == Decimal("1.125")
    html = client.get(world.plan.get_absolute_url()).content.decode()
    assert "評価結果の概要（令和7年度（2025年度））" in html
    assert "112.5%" in html
    counts = re.findall(r'<span class="grade-mark">([A-D])</span> (\d+)件', html)
    assert ("B", "1") in counts and ("C", "1") in counts
    assert ("A", "0") not in counts  # the one-line summaries name only the grades given


def test_department_page_lists_its_published_results(client, two_years):
    world = two_years
    html = client.get(world.bousai.get_absolute_url()).content.decode()
    section = html[html.index("評価結果（公表済み）") :]
    assert "令和7年度（2025年度）" in section and "令和6年度（2024年度）" in section
    assert f'href="{world.bousai_action.get_absolute_url()}#result-2025"' in section
    assert world.zaisei_action.text not in section


def test_page_query_counts_do_not_grow_with_years_indicators_or_sheets(client, two_years):
    world = two_years
    other = world.shared_action
    cycle = world.plan.evaluation_cycles.get(fy=2025)
    sheet = fill(world, sheet_of(cycle, other))
    advance(world, sheet, Stage.PUBLISHED)
    counts = {}
    for name, url in (
        ("many years", world.bousai_action.get_absolute_url()),
        ("one year", other.get_absolute_url()),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    assert counts["many years"] == counts["one year"], counts

    plan_counts = []
    for extra in (0, 3):
        for number in range(extra):
            node = PlanNode.objects.create(plan=world.plan, title=f"節{number}", depth=0)
            action = Action.objects.create(plan=world.plan, node=node, text=f"取組{number}")
            created = EvaluationSheet.objects.create(
                cycle=cycle, action=action, department=world.bousai, scales=sheet.scales
            )
            Indicator.objects.create(
                sheet=created, kind="outcome", name="x", target=1, baseline=0, actual=1
            )
            EvaluationSheet.objects.filter(pk=created.pk).update(
                stage=Stage.PUBLISHED, overall_grade="A"
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(world.plan.get_absolute_url()).status_code == 200
        plan_counts.append(len(queries))
    assert plan_counts[0] == plan_counts[1] <= 9, plan_counts  # 9: + the page cache's version

    department_counts = []
    for department in (world.zaisei, world.bousai):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(department.get_absolute_url()).status_code == 200
        department_counts.append(len(queries))
    assert department_counts[0] == department_counts[1], department_counts


def test_an_action_without_published_results_says_so(client):
    world = make_world()
    open_year(world)
    html = client.get(world.bousai_action.get_absolute_url()).content.decode()
    assert "この取組の評価結果は、まだ公表されていません。" in html
    assert "評価結果の概要" not in client.get(world.plan.get_absolute_url()).content.decode()
