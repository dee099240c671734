"""Charts of the plan page: the SVG and its table state the same numbers for a known data set.

FY2025 of the reform sample is published with chosen grades, future directions, progress
statuses and indicators; an unpublished sheet carries canary values that must appear nowhere.
"""

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoshin.evaluations.models import EvaluationSheet, Indicator, Stage
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.tests.factories import TODAY, make_user
from hoshin.org.models import Role
from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

# (grade, direction, status, [(baseline, target, actual)]) per action, in the sample's order:
# pillar 1 has five actions, pillar 2 three.
PILLAR_1 = [
    ("A", "expand", "in_progress", [(0, 10, 5)]),  # 50%
    ("A", "continue", "in_progress", [(0, 10, 10)]),  # 100%
    ("B", "continue", "in_progress", []),
    ("C", "improve", "done", []),
    ("", "continue", "in_progress", [(5, 5, 6)]),  # target = baseline: no rate
]
PILLAR_2 = [
    ("B", "continue", "not_started", [(0, 10, 12)]),  # 120%
    ("B", "reduce", "in_progress", []),
    ("D", "suspend", "in_progress", []),
]
CANARY = "カナリア方向性ZQX"

EXPECTED = {
    "総合評価": {"A": 2, "B": 3, "C": 1, "D": 1, "未記入": 1},
    "今後の方向性": {
        "拡充": 1,
        "継続": 4,
        "改善": 1,
        "縮小": 1,
        "休止・廃止": 1,
        "完了": 0,
        "統合": 0,
    },
    "進捗状況": {"未着手": 1, "取組中": 6, "完了": 1},
}


@pytest.fixture
def published():
    sample = f.reform_sample()
    planner = make_user("planner", role=Role.PLANNING_OFFICE)
    cycle = fiscal_year_start(plan=sample.plan, fy=2025, by=planner, today=TODAY).cycle
    actions = [
        *sample.disaster_actions[:1],
        *sample.other_actions[:1],
        *sample.disaster_actions[1:],
    ]
    actions += sample.other_actions[1:]
    by_action = {sheet.action_id: sheet for sheet in cycle.sheets.all()}
    assert len(actions) == len(PILLAR_1 + PILLAR_2) == len(by_action)
    for action, (grade, direction, status, indicators) in zip(
        actions, PILLAR_1 + PILLAR_2, strict=True
    ):
        sheet = by_action[action.pk]
        for number, (baseline, target, actual) in enumerate(indicators):
            Indicator.objects.create(
                sheet=sheet,
                position=number,
                kind="outcome",
                name=f"指標{number}",
                baseline=baseline,
                target=target,
                actual=actual,
            )
        EvaluationSheet.objects.filter(pk=sheet.pk).update(
            stage=Stage.PUBLISHED,
            overall_grade=grade,
            future_direction=direction,
            progress_status=status,
        )
    # Next year's sheet of the first action is still a draft: its canary must not show.
    draft = fiscal_year_start(plan=sample.plan, fy=2026, by=planner, today=TODAY).cycle
    EvaluationSheet.objects.filter(cycle=draft).update(
        stage=Stage.FINAL, overall_grade="D", future_direction=CANARY, progress_status=CANARY
    )
    return sample


def _text(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _svg(page: str, chart_id: str) -> str:
    start = page.index(f'aria-labelledby="{chart_id}-title {chart_id}-desc"')
    return page[start : page.index("</svg>", start)]


def _table_after(page: str, chart_id: str) -> str:
    start = page.index(f'aria-labelledby="{chart_id}-title')
    start = page.index("<table", start)
    return page[start : page.index("</table>", start)]


def _desc_counts(svg: str) -> dict[str, dict[str, int]]:
    desc = _text(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    counts = {}
    for sentence in filter(None, desc.split("。")):
        name, _sep, items = sentence.partition("：")
        counts[name] = {
            label: int(n.replace(",", ""))
            for label, n in (
                re.match(r"(.+) ([\d,]+)件$", item).groups() for item in items.split("、")
            )
        }
    return counts


def _legend_counts(svg: str) -> dict[str, int]:
    texts = [_text(t) for t in re.findall(r'<text x="[\d.]+" y="[\d.]+">(.*?)</text>', svg)]
    return {label: int(n) for label, n in (re.match(r"(.+) (\d+)件$", t).groups() for t in texts)}


def _table_counts(table: str) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    group = ""
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        if 'scope="rowgroup"' in row:
            group = _text(re.search(r'<th scope="rowgroup"[^>]*>(.*?)</th>', row).group(1))
        label_html = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if label_html is None:
            continue
        label = _text(re.sub(r'<span class="cell-note">.*?</span>', "", label_html.group(1)))
        count = _text(re.findall(r'<td class="number">(.*?)</td>', row)[0])
        counts.setdefault(group, {})[label] = int(count)
    return counts


def test_plan_distribution_chart_and_table_state_the_same_numbers(client, published):
    page = client.get(published.plan.get_absolute_url()).content.decode()
    svg = _svg(page, "plan-chart-distribution")
    assert 'role="img"' in page[page.rindex("<svg", 0, page.index(svg)) :][:400]
    assert _desc_counts(svg) == EXPECTED
    assert _table_counts(_table_after(page, "plan-chart-distribution")) == EXPECTED
    # The legend names every drawn (non-zero) segment with its count: not colour alone.
    legend = _legend_counts(svg)
    assert legend["継続"] == 4 and legend["取組中"] == 6 and legend["未記入"] == 1
    assert "統合" not in legend  # zero: in the table, not drawn
    # Segment widths are proportional to the counts: 継続 is 4/8 of the bar.
    widths = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="30"', svg)
    assert len(widths) == 5 + 5 + 3  # grades, directions, statuses drawn
    assert float(widths[5 + 1]) == pytest.approx(344 * 4 / 8, abs=0.2)
    assert "<script" not in svg


def test_each_node_has_its_own_distribution_and_the_plan_its_progress_by_pillar(client, published):
    page = client.get(published.plan.get_absolute_url()).content.decode()
    pillars = published.plan.nodes.filter(depth=0).order_by("position")
    first, second = (pillar.pk for pillar in pillars)
    assert _desc_counts(_svg(page, f"node-{second}-chart-distribution")) == {
        "総合評価": {"A": 0, "B": 2, "C": 0, "D": 1},
        "今後の方向性": {
            "拡充": 0,
            "継続": 1,
            "改善": 0,
            "縮小": 1,
            "休止・廃止": 1,
            "完了": 0,
            "統合": 0,
        },
        "進捗状況": {"未着手": 1, "取組中": 2, "完了": 0},
    }
    # Mean progress rate per pillar: (50% + 100%) ÷ 2 and 120%; the same in the SVG and table.
    svg = _svg(page, "plan-chart-progress")
    desc = _text(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    assert "1 市民参画・市民協働の一層の推進 75.0%" in desc
    assert "2 自治体経営の基盤強化 120.0%" in desc
    table = _table_after(page, "plan-chart-progress")
    rows = {
        _text(th): _text(rate)
        for th, rate in re.findall(
            r'<th scope="row"[^>]*>(.*?)</th><td class="number">.*?</td><td class="number">(.*?)</td>',
            table,
        )
    }
    assert rows == {
        "1 市民参画・市民協働の一層の推進": "75.0%",
        "2 自治体経営の基盤強化": "120.0%",
    }
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert float(bars[0][1]) / float(bars[1][1]) == pytest.approx(75 / 120, abs=0.01)
    assert f"node-{first}-chart-distribution-title" in page


def test_unpublished_sheets_count_nowhere_and_leave_no_trace(client, published):
    page = client.get(published.plan.get_absolute_url()).content.decode()
    assert CANARY not in page
    assert _desc_counts(_svg(page, "plan-chart-distribution"))["総合評価"]["D"] == 1


def test_charts_cost_no_query_beyond_the_two_aggregates(published):
    from hoshin.portal.selectors import plan_tree_public, plan_tree_with_results

    with CaptureQueriesContext(connection) as tree_only:
        plan_tree_public(plan=published.plan)
    with CaptureQueriesContext(connection) as with_charts:
        tree, results = plan_tree_with_results(plan=published.plan)
    assert results.distribution_chart and tree[0].distribution_chart and results.progress_chart
    assert len(with_charts) == len(tree_only) + 2


def test_the_mean_progress_rate_ignores_indicators_without_a_rate(published):
    from hoshin.portal.selectors import plan_tree_with_results

    _tree, results = plan_tree_with_results(plan=published.plan)
    assert results.total.mean_progress_rate == Decimal(str((0.5 + 1.0 + 1.2) / 3))
    assert results.total.directions["continue"] == 4
