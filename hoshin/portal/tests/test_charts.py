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
from django.urls import reverse

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
    # The table lists what was counted: no "0 / 0.0%" rows for unused values.
    assert _table_counts(_table_after(page, "plan-chart-distribution")) == {
        row: {label: n for label, n in counts.items() if n} for row, counts in EXPECTED.items()
    }
    # The legend names every drawn (non-zero) segment with its count: not colour alone.
    legend = _legend_counts(svg)
    assert legend["継続"] == 4 and legend["取組中"] == 6 and legend["未記入"] == 1
    assert "統合" not in legend  # zero: in the table, not drawn
    # Segment widths are proportional to the counts: 継続 is 4/8 of the bar.
    widths = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="30"', svg)
    assert len(widths) == 5 + 5 + 3  # grades, directions, statuses drawn
    assert float(widths[5 + 1]) == pytest.approx(344 * 4 / 8, abs=0.2)
    assert "<script" not in svg


def test_each_node_page_has_its_own_distribution_and_the_plan_its_progress_by_pillar(
    client, published
):
    page = client.get(published.plan.get_absolute_url()).content.decode()
    pillars = published.plan.nodes.filter(depth=0).order_by("position")
    first, second = (pillar.pk for pillar in pillars)
    # The plan page summarises: one distribution (the plan's), none per node.
    assert "node-" not in "".join(re.findall(r'aria-labelledby="([^"]+)"', page))
    node_page = client.get(reverse("portal:node", args=[published.plan.pk, second]))
    assert _desc_counts(_svg(node_page.content.decode(), f"node-{second}-chart-distribution")) == {
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
    first_page = client.get(reverse("portal:node", args=[published.plan.pk, first]))
    assert f"node-{first}-chart-distribution-title" in first_page.content.decode()


def test_unpublished_sheets_count_nowhere_and_leave_no_trace(client, published):
    page = client.get(published.plan.get_absolute_url()).content.decode()
    assert CANARY not in page
    assert _desc_counts(_svg(page, "plan-chart-distribution"))["総合評価"]["D"] == 1


def test_charts_cost_no_query_beyond_the_aggregates(published):
    from hoshin.portal.selectors import attach_node_charts, plan_tree_public, plan_tree_with_results

    with CaptureQueriesContext(connection) as tree_only:
        plan_tree_public(plan=published.plan, with_actions=False)
    with CaptureQueriesContext(connection) as with_charts:
        tree, results = plan_tree_with_results(plan=published.plan, with_actions=False)
        attach_node_charts(tree[0], results)
    assert results.distribution_chart and tree[0].distribution_chart and results.progress_chart
    assert tree[0].mini_bar and results.changes is not None
    # The two aggregates of the latest year, and the grades of it and the year before.
    assert len(with_charts) == len(tree_only) + 3


def test_the_mean_progress_rate_ignores_indicators_without_a_rate(published):
    from hoshin.portal.selectors import plan_tree_with_results

    _tree, results = plan_tree_with_results(plan=published.plan)
    assert results.total.mean_progress_rate == Decimal(str((0.5 + 1.0 + 1.2) / 3))
    assert results.total.directions["continue"] == 4


def _legend_fills(svg: str) -> dict[str, str]:
    """Each legend entry's label and its swatch's fill, in the legend's order."""
    swatches = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="14" height="14" fill="([^"]+)"', svg)
    return dict(zip(_legend_counts(svg), swatches, strict=True))


def test_a_category_looks_the_same_in_every_chart_and_legends_follow_the_scale(client, published):
    """Issue 11: charts coloured by position, so D took another grade's look where C was 0."""
    plan_page = client.get(published.plan.get_absolute_url()).content.decode()
    second = published.plan.nodes.filter(depth=0).order_by("position")[1].pk
    node_page = client.get(reverse("portal:node", args=[published.plan.pk, second]))
    whole = _legend_fills(_svg(plan_page, "plan-chart-distribution"))
    pillar = _legend_fills(_svg(node_page.content.decode(), f"node-{second}-chart-distribution"))
    assert list(pillar) == ["B", "D", "継続", "縮小", "休止・廃止", "未着手", "取組中"]
    for label in pillar:  # pillar 2 has no A or C: its B and D keep the plan's look
        assert pillar[label] == whole[label], label
    # Legends follow each scale's order (A→D, then the directions' and statuses' own order).
    assert list(whole) == [
        *("A", "B", "C", "D", "未記入"),
        *("拡充", "継続", "改善", "縮小", "休止・廃止"),
        *("未着手", "取組中", "完了"),
    ]
    # Every category differs in look from the others of its row (colour, and pattern on light).
    grades = [whole[g] for g in ("A", "B", "C", "D")]
    assert len(set(grades)) == 4
    assert whole["B"].startswith("url(#palette-") and whole["A"].startswith("#")
    # The outline's one-line bar of pillar 2 uses the same fills, in the scale's order.
    line = plan_page[plan_page.index(f'id="node-{second}"') :]
    line = line[: line.index("</svg>")]
    assert re.findall(r'fill="([^"]+)"', line) == [whole["B"], whole["D"]]
    # Every pattern used is defined once on the page.
    for page in (plan_page, node_page.content.decode()):
        for paint in set(re.findall(r'fill="url\(#([^)]+)\)"', page)):
            assert page.count(f'<pattern id="{paint}"') == 1, paint
