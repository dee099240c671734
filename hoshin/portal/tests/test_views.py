"""Portal pages through Django's test client: content, drafts hidden, query counts, safety."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import shared_data
from hoshin.lib.template_filters import next_heading_level, plan_period
from hoshin.org.models import Department, DepartmentChange
from hoshin.plans.models import Plan, PlanNode
from hoshin.plans.services import plan_set_published
from hoshin.portal.tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    # WhiteNoise warns that STATIC_ROOT (var/static) is empty until collectstatic has run.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


class PageParser(HTMLParser):
    """Collects what the assertions below look at: tags with attributes, headings, text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[int, str]] = []
        self._heading: list | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self._heading[1] += data

    def find_all(self, tag: str, **attrs) -> list[dict]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


@shared_data
def sample():
    """Built once for the page tests that read it (each runs in its own transaction)."""
    return f.reform_sample()


@shared_data(sample)
def draft(sample):
    return f.draft_sample(shared_department=sample.disaster)


def portal_urls(sample) -> dict[str, str]:
    return {
        "home": reverse("portal:home"),
        "plan": sample.plan.get_absolute_url(),
        "action": sample.hazard_map.get_absolute_url(),
        "departments": reverse("portal:departments"),
        "department": sample.disaster.get_absolute_url(),
        "closed department": sample.former_disaster.get_absolute_url(),
    }


# ---- home --------------------------------------------------------------------------


def test_home_lists_published_plans_with_period_kind_count_and_update_date(client, sample):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{sample.plan.get_absolute_url()}"' in html
    assert sample.plan.name in html
    assert "行財政改革計画" in html
    assert "令和5年度（2023年度）～令和9年度（2027年度）" in html
    assert "8件" in html
    assert '<time datetime="2023-10-17">令和5年10月17日（2023年10月17日）</time>' in html


def test_home_does_not_list_draft_plans(client, draft):
    html = client.get("/").content.decode()
    assert draft.plan.name not in html
    assert draft.plan.get_absolute_url() not in html


def test_home_says_so_when_nothing_is_published(client):
    f.plan("下書きの計画", published=False)
    assert "現在、公開している計画はありません。" in client.get("/").content.decode()


def test_plan_period_shows_era_and_keeps_open_end():
    assert plan_period(Plan(start_fy=2023)) == "令和5年度（2023年度）～"
    assert plan_period(Plan(end_fy=2027)) == "～令和9年度（2027年度）"
    assert plan_period(Plan(start_fy=2018, end_fy=2019)) == (
        "平成30年度（2018年度）～令和元年度（2019年度）"
    )
    assert plan_period(Plan(start_fy=2024, end_fy=2024)) == "令和6年度（2024年度）"
    assert plan_period(Plan()) == ""


def test_heading_levels_never_go_past_h6():
    assert [next_heading_level(level) for level in range(1, 8)] == [2, 3, 4, 5, 6, 6, 6]


# ---- plan page ------------------------------------------------------------------------


def node_url(node) -> str:
    return reverse("portal:node", args=[node.plan_id, node.pk])


def node_pages(client, plan) -> str:
    """The HTML of every node page of ``plan``: where each action is listed."""
    pages = []
    for node in PlanNode.objects.filter(plan=plan):
        response = client.get(node_url(node))
        assert response.status_code == 200
        pages.append(response.content.decode())
    return "".join(pages)


def test_plan_page_outlines_every_node_and_links_its_page(client, sample):
    response = client.get(sample.plan.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    nodes = PlanNode.objects.filter(plan=sample.plan)
    for node in nodes:
        assert f'id="node-{node.pk}"' in html  # old links to plan#node-<id> still land
        assert f'href="{node_url(node)}"' in html
        assert node.title in html
    assert "<details" not in html, "everything is visible without JavaScript"
    assert '<span class="node__level">大項目</span> 1 市民参画' in html
    assert '<span class="node__level">中項目</span> (1)' in html
    # Action counts include everything below a node: pillar 1 holds 5, pillar 2 holds 3.
    assert re.search(
        r"市民参画・市民協働の一層の推進</a>\s*<p class=\"outline__line\"><span><span lang=\"ja\">実施内容</span> 5件",
        html,
    )
    assert re.search(
        r"自治体経営の基盤強化</a>\s*<p class=\"outline__line\"><span><span lang=\"ja\">実施内容</span> 3件",
        html,
    )
    # The actions themselves are on their node's page, each linking to its own page.
    actions = [*sample.disaster_actions, *sample.other_actions]
    assert not any(action.get_absolute_url() in html for action in actions)
    listed = node_pages(client, sample.plan)
    for action in actions:
        assert f'<a href="{action.get_absolute_url()}">{action.text}</a>' in listed


def test_node_page_lists_its_own_actions_under_breadcrumbs(client, sample):
    action = sample.hazard_map
    response = client.get(node_url(action.node))
    page = parse(response)
    html = response.content.decode()
    assert f'<a href="{action.get_absolute_url()}">' in html
    assert html.count('class="action"') == action.node.actions.count()
    crumbs = [a["href"] for a in page.find_all("a") if a.get("aria-current") == "page"]
    assert crumbs == [node_url(action.node)]
    assert sample.plan.get_absolute_url() in [a.get("href") for a in page.find_all("a")]


def test_node_page_of_another_or_draft_plan_is_404(client, sample, draft):
    node = PlanNode.objects.filter(plan=sample.plan).first()
    other = PlanNode.objects.filter(plan=draft.plan).first()
    assert client.get(reverse("portal:node", args=[draft.plan.pk, other.pk])).status_code == 404
    assert client.get(reverse("portal:node", args=[sample.plan.pk, other.pk])).status_code == 404
    assert client.get(reverse("portal:node", args=[draft.plan.pk, node.pk])).status_code == 404


def test_plan_and_node_pages_headings_follow_the_tree_depth(client, sample):
    page = parse(client.get(sample.plan.get_absolute_url()))
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1
    assert_headings_in_order(page)
    for node in PlanNode.objects.filter(plan=sample.plan):
        node_page = parse(client.get(node_url(node)))
        assert node_page.headings[0][0] == 1
        assert_headings_in_order(node_page)


def test_node_pages_link_departments_and_show_markers_as_text(client, sample):
    html = node_pages(client, sample.plan)
    assert f'<a href="{sample.disaster.get_absolute_url()}" lang="ja">地域防災対策室</a>' in html
    assert '<span class="marker">全庁</span>' in html
    assert '<span class="marker">関係各課など</span>' in html
    # Lead is marked only where several departments share an action.
    assert (
        f'<a href="{sample.general_affairs.get_absolute_url()}" lang="ja">総務課</a>'
        '<span class="lead-mark">主管課</span>' in html
    )
    assert html.count('class="lead-mark"') == 1


def test_node_pages_key_projects_say_new_or_continuing_in_words(client, sample):
    html = node_pages(client, sample.plan)
    assert (
        '<span aria-hidden="true">★</span>新規</span> <span lang="ja">防災メール配信事業</span>'
        in html
    )
    assert (
        '<span aria-hidden="true">○</span>継続</span> <span lang="ja">自主防災組織育成事業</span>'
        in html
    )


def test_node_pages_show_vision_challenges_purpose_and_notes(client):
    plan = f.plan("第2次総合計画", kind="comprehensive", level_names=["柱", "方策", "手法"])
    pillar = f.node(plan, "自立できる自治体経営の推進")
    policy = f.node(
        plan,
        "開かれた市政を推進します",
        parent=pillar,
        number="方策1",
        vision="市民と行政が情報を共有している。",
        challenges=["広報紙をリニューアルしました。", "若い世代への発信が課題です。"],
    )
    method = f.node(plan, "広報・広聴の充実", parent=policy, number="手法1", purpose="広く伝える。")
    f.action(
        method,
        "広報紙やホームページで分かりやすく発信します。",
        title="広報活動の推進",
        number="(1)",
        key_projects=[("SNS発信事業", True)],
    )
    from hoshin.plans.models import Note

    Note.objects.create(node=policy, term="広聴", body="市民の声を聴くこと。")
    html = node_pages(client, plan)
    for text in [
        "めざす姿",
        "市民と行政が情報を共有している。",
        "これまでの取り組みと今後の課題",
        "<li>若い世代への発信が課題です。</li>",
        "目的・概要",
        "広く伝える。",
        "広聴",
        "市民の声を聴くこと。",
        "(1) 広報活動の推進</a>",
        "広報紙やホームページで分かりやすく発信します。",
    ]:
        assert text in html


def test_plan_page_needs_no_javascript(client, sample):
    html = client.get(sample.plan.get_absolute_url()).content.decode()
    main = html[html.index('<main id="main"') :]  # the header's search box has its own button
    assert "<button" not in main
    assert "<script" not in main
    assert not (Path(settings.BASE_DIR) / "static" / "hoshin" / "portal.js").exists()


def test_plan_page_breadcrumbs_mark_current_page(client, sample):
    page = parse(client.get(sample.plan.get_absolute_url()))
    navs = page.find_all("nav", **{"aria-label": "パンくずリスト"})
    assert len(navs) == 1
    current = page.find_all("a", **{"aria-current": "page"})
    assert sample.plan.get_absolute_url() in [a["href"] for a in current]


def test_plan_page_query_count_does_not_grow_with_plan_size(client):
    departments = [f.department(f"課{i}") for i in range(5)]
    small = f.plan_of_size("小さな計画", sections=1, actions_per_section=1, departments=departments)
    large = f.plan_of_size("大きな計画", sections=6, actions_per_section=8, departments=departments)
    counts, node_counts = [], []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(plan.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
        section = PlanNode.objects.filter(plan=plan).order_by("-depth", "position").first()
        with CaptureQueriesContext(connection) as queries:
            node_response = client.get(node_url(section))
        assert node_response.status_code == 200
        node_counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts
    assert node_counts[0] == node_counts[1], node_counts
    assert node_counts[0] <= 12, node_counts
    assert node_response.content.decode().count('class="action"') == 8
    assert 'class="outline__node' in response.content.decode()


# ---- action page ----------------------------------------------------------------------


def test_action_page_breadcrumbs_run_home_plan_ancestors_action(client, sample):
    action = sample.hazard_map
    page = parse(client.get(action.get_absolute_url()))
    nav_start = next(
        i for i, (tag, attrs) in enumerate(page.tags) if attrs.get("aria-label") == "パンくずリスト"
    )
    links = [attrs for tag, attrs in page.tags[nav_start:] if tag == "a"][:6]
    plan_url = sample.plan.get_absolute_url()
    ancestors = PlanNode.objects.filter(plan=sample.plan, depth__lte=action.node.depth)
    assert [a["href"] for a in links] == [
        "/",
        plan_url,
        *(node_url(n) for n in ancestors.order_by("depth") if _is_above(n, action)),
        action.get_absolute_url(),
    ]
    assert links[-1].get("aria-current") == "page"
    assert all("aria-current" not in a for a in links[:-1])


def _is_above(node, action) -> bool:
    current = action.node
    while current is not None:
        if current.pk == node.pk:
            return True
        current = current.parent
    return False


def test_action_page_shows_text_departments_key_projects_notes_and_plan(client, sample):
    html = client.get(sample.hazard_map.get_absolute_url()).content.decode()
    assert f.HAZARD_MAP_TEXT in html
    assert (
        f'<a href="{sample.disaster.get_absolute_url()}" lang="ja">地域防災対策室</a>'
        '<span class="lead-mark">主管課</span>' in html
    )
    assert '新規</span> <span lang="ja">防災メール配信事業</span>' in html
    assert '継続</span> <span lang="ja">自主防災組織育成事業</span>' in html
    assert "住民が自主的に結成する防災活動の組織。" in html
    assert "令和5年度（2023年度）～令和9年度（2027年度）" in html
    assert "総務課 行政管理係" in html
    assert "電話番号:0244-37-2120" in html
    assert f'href="{sample.plan.get_absolute_url()}#action-{sample.hazard_map.pk}"' in html


def test_action_page_with_several_departments_marks_only_the_lead(client, sample):
    action = sample.other_actions[2]  # 総務課 / 保健福祉部 / 教育委員会
    html = client.get(action.get_absolute_url()).content.decode()
    assert html.count('class="lead-mark"') == 1
    assert '総務課</a><span class="lead-mark">主管課</span>' in html
    assert ">保健福祉部</a>" in html and ">教育委員会</a>" in html


def test_action_page_shows_period_of_a_handed_over_responsibility(client, sample):
    line = sample.hazard_map.responsibilities.get()
    line.valid_until_fy = 2024
    line.is_lead = False
    line.save()
    html = client.get(sample.hazard_map.get_absolute_url()).content.decode()
    assert "令和6年度（2024年度）までの担当" in html


def test_action_page_query_count_does_not_grow_with_depth_or_lines(client, sample):
    counts = []
    departments = [f.department(f"課{i}") for i in range(6)]
    deep_plan = f.plan("深い計画", level_names=["一", "二", "三", "四", "五", "六"])
    parent = None
    for level in range(6):
        parent = f.node(deep_plan, f"階層{level}", parent=parent)
    deep = f.action(
        parent,
        "深い取組",
        departments=[*departments, "全庁"],
        key_projects=[("A", True), ("B", False), ("C", True)],
        notes=[("注1", "説明"), ("注2", "説明")],
    )
    for action in (sample.other_actions[0], deep):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(action.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ---- departments ----------------------------------------------------------------------


def test_department_list_groups_by_parent_and_counts_published_actions(client, sample, draft):
    response = client.get(reverse("portal:departments"))
    page = parse(response)
    html = response.content.decode()
    headings = [text for level, text in page.headings if level == 2]
    assert headings == ["総務部", "その他の部署"]
    group = html[html.index(">総務部<") : html.index("その他の部署")]
    assert "総務課" in group and "地域防災対策室" in group
    assert "秘書課" not in group
    # 3 published actions; the draft plan's action is not counted.
    assert re.search(r">地域防災対策室</a> <span class=\"count\">取組 3件</span>", html)
    assert draft.draft_only_department.name not in html
    assert "防災安全課" not in html  # no published actions of its own


def test_department_list_is_in_organisation_order(client, sample):
    # The sample sets positions (総務課 1, 地域防災対策室 2): clear them to order by reading.
    somu = sample.disaster.parent.children.get(name="総務課")
    Department.objects.filter(pk=somu.pk).update(position=0, reading="そうむか")
    Department.objects.filter(pk=sample.disaster.pk).update(
        position=0, reading="ちいきぼうさいたいさくしつ"
    )

    def group_order() -> list[str]:
        html = client.get(reverse("portal:departments")).content.decode()
        group = html[html.index(">総務部<") : html.index("その他の部署")]
        return sorted(["総務課", "地域防災対策室"], key=group.index)

    assert group_order() == ["総務課", "地域防災対策室"]  # by reading: そ before ち
    disaster = Department.objects.get(pk=sample.disaster.pk)
    disaster.position = 1
    disaster.save()  # announced as a change: the cached page is refreshed
    assert group_order() == ["地域防災対策室", "総務課"]  # a position set by the admin comes first


def test_department_list_shows_a_closed_department_with_its_last_year(client, sample):
    line = sample.hazard_map.responsibilities.get()
    line.department = sample.former_disaster
    line.save()
    html = client.get(reverse("portal:departments")).content.decode()
    assert ">防災安全課</a>" in html
    assert "令和4年度（2022年度）まで" in html


def test_department_page_lists_its_actions_grouped_by_plan(client, sample):
    second = f.plan("地域防災計画", kind="sector", start_fy=2024)
    section = f.node(second, "減災のまちづくり", number="第1章")
    extra = f.action(section, "避難所の備蓄を計画的に更新する。", departments=[sample.disaster])
    f.action(section, "別の課の取組。", departments=[sample.secretary])
    response = client.get(sample.disaster.get_absolute_url())
    assert response.status_code == 200
    page = parse(response)
    html = response.content.decode()
    plan_headings = [text for level, text in page.headings if level == 3]
    assert plan_headings == ["地域防災計画", sample.plan.name]
    for action in [*sample.disaster_actions, extra]:
        assert f'<a href="{action.get_absolute_url()}">{action.text}</a>' in html
    for action in sample.other_actions:
        assert action.get_absolute_url() not in html
    assert "別の課の取組。" not in html
    assert "担当している取組（4件）" in html
    assert "令和6年度（2024年度）～" in html


def test_department_page_shows_predecessor_and_closed_department_its_successor(client, sample):
    html = client.get(sample.disaster.get_absolute_url()).content.decode()
    assert "前身の部署" in html
    assert f'<a href="{sample.former_disaster.get_absolute_url()}" lang="ja">防災安全課</a>' in html

    closed = client.get(sample.former_disaster.get_absolute_url()).content.decode()
    assert "この部署は令和4年度（2022年度）までの組織です。" in closed
    assert "～令和4年度（2022年度）" in closed
    assert f'<a href="{sample.disaster.get_absolute_url()}" lang="ja">地域防災対策室</a>' in closed
    assert "後継の部署" in closed


def test_department_page_query_count_does_not_grow_with_actions(client, sample):
    counts = []
    busy = f.department("多忙課")
    f.plan_of_size("多忙な計画", sections=4, actions_per_section=6, departments=[busy])
    for department in (sample.secretary, busy):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(department.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ---- drafts are invisible ----------------------------------------------------------------


def test_draft_plan_and_its_action_answer_404(client, draft):
    assert client.get(draft.plan.get_absolute_url()).status_code == 404
    assert client.get(draft.action.get_absolute_url()).status_code == 404


def test_guessing_ids_around_published_ones_never_reveals_a_draft(client, sample, draft):
    """An attacker walks every id near the real ones; only published rows answer 200."""
    published_actions = set(sample.plan.actions.values_list("pk", flat=True))
    # Near the ids this test created: PostgreSQL's sequences are not rolled back with the
    # earlier tests, so starting from 1 would walk thousands of ids late in the suite.
    for action_id in range(max(1, min(published_actions) - 5), draft.action.pk + 5):
        response = client.get(reverse("portal:action", args=[action_id]))
        expected = 200 if action_id in published_actions else 404
        assert response.status_code == expected, action_id
        assert f.DRAFT_ACTION_TEXT not in response.content.decode()
    for plan_id in range(max(1, sample.plan.pk - 3), draft.plan.pk + 3):
        response = client.get(reverse("portal:plan", args=[plan_id]))
        assert response.status_code == (200 if plan_id == sample.plan.pk else 404)
        assert draft.plan.name not in response.content.decode()


def test_department_only_named_by_a_draft_plan_answers_404(client, draft):
    assert client.get(draft.draft_only_department.get_absolute_url()).status_code == 404
    assert client.get(reverse("portal:department", args=[99999])).status_code == 404


def test_department_page_does_not_list_draft_actions(client, sample, draft):
    html = client.get(sample.disaster.get_absolute_url()).content.decode()
    assert f.DRAFT_ACTION_TEXT not in html
    assert draft.plan.name not in html
    assert draft.action.get_absolute_url() not in html
    assert "担当している取組（3件）" in html


def test_unpublishing_a_plan_hides_it_everywhere(client, sample):
    urls = portal_urls(sample)
    plan_set_published(plan=sample.plan, published=False)
    assert client.get(urls["plan"]).status_code == 404
    assert client.get(urls["action"]).status_code == 404
    for name in ("home", "departments", "department"):
        html = client.get(urls[name]).content.decode()
        assert sample.plan.name not in html, name
        assert f.HAZARD_MAP_TEXT not in html, name


def test_nonexistent_ids_answer_404(client):
    for name in ("portal:plan", "portal:action", "portal:department"):
        assert client.get(reverse(name, args=[424242])).status_code == 404


# ---- every page ---------------------------------------------------------------------------


def test_every_page_has_lang_skip_link_one_h1_and_ordered_headings(client, sample):
    for name, url in portal_urls(sample).items():
        # An English browser gets the English page (issue 11), and lang says so.
        response = client.get(url, headers={"accept-language": "en-US,en;q=0.9"})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert html.startswith('<!DOCTYPE html>\n<html lang="en">'), name
        page = parse(response)
        first_link = page.find_all("a")[0]
        assert first_link == {"class": "skip-link", "href": "#main"}, name
        assert page.find_all("main", id="main"), name
        assert [level for level, _ in page.headings].count(1) == 1, name
        assert_headings_in_order(page, name)
        assert page.find_all("nav", **{"aria-label": "Site menu"}), name
        assert 'href="/staff/login/"' in html


def assert_headings_in_order(page: PageParser, name: str = "") -> None:
    previous = 1
    for level, text in page.headings[1:]:
        assert level <= previous + 1, f"{name}: h{level} 「{text}」 after h{previous}"
        previous = level


def test_site_name_comes_from_settings(client, sample, settings):
    settings.HOSHIN_CITY_NAME = "相馬市"
    html = client.get("/").content.decode()
    assert '<span class="site-name__city">相馬市</span>' in html
    assert "<title>計画一覧 | 相馬市 行政経営ポータル</title>" in html


def test_pages_reference_no_external_urls(client, sample):
    for name, url in portal_urls(sample).items():
        page = parse(client.get(url))
        for tag, attrs in page.tags:
            for attribute in ("href", "src", "action", "srcset", "poster", "data"):
                value = attrs.get(attribute)
                if not value:
                    continue
                parts = urlsplit(value)
                assert not parts.netloc and parts.scheme in ("", "mailto", "tel"), (
                    f"{name}: <{tag} {attribute}={value!r}>"
                )
        html = client.get(url).content.decode()
        assert "http://" not in html and "https://" not in html, name


def test_static_assets_reference_nothing_outside_the_project():
    static = Path(settings.BASE_DIR) / "static" / "hoshin"
    for path in static.iterdir():
        text = path.read_text()
        assert "http://" not in text and "https://" not in text, path.name
        assert "@import" not in text and "@font-face" not in text, path.name
        assert not re.search(r"url\(\s*['\"]?//", text), path.name


def test_text_with_markup_is_escaped_everywhere(client):
    plan = f.plan('<script>alert("plan")</script>計画')
    node = f.node(plan, '<img src=x onerror=alert("node")>')
    department = f.department('<script>alert("dept")</script>課')
    action = f.action(
        node,
        '<script>alert("action")</script>を実施する。',
        departments=[department],
        key_projects=[('<b onclick="x()">事業</b>', True)],
        notes=[("<i>用語</i>", "<script>説明</script>")],
    )
    urls = [
        "/",
        plan.get_absolute_url(),
        action.get_absolute_url(),
        reverse("portal:departments"),
        department.get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "<b onclick" not in html, url
        assert "<script>説明" not in html, url
    html = client.get(action.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;action&quot;)&lt;/script&gt;を実施する。" in html


def test_pages_are_publicly_cacheable_and_set_no_cookies(client, sample):
    for name, url in portal_urls(sample).items():
        response = client.get(url)
        assert "public" in response["Cache-Control"], name
        assert "max-age=60" in response["Cache-Control"], name
        # Only the language varies them (its cookie or Accept-Language); no session cookie.
        vary = {part.strip() for part in response.get("Vary", "").split(",")}
        assert vary == {"Accept-Language", "Cookie"}, name
        assert not response.cookies, name


def test_portal_pages_refuse_post(client, sample):
    for url in portal_urls(sample).values():
        assert client.post(url).status_code == 405


def test_dates_in_heisei_are_shown_with_the_right_era(client):
    f.plan("旧計画", start_fy=2015, end_fy=2019, source_updated_on=datetime.date(2019, 4, 30))
    html = client.get("/").content.decode()
    assert "平成27年度（2015年度）～令和元年度（2019年度）" in html
    assert "平成31年4月30日（2019年4月30日）" in html


def test_department_reached_only_through_a_reorganisation_is_public(client, sample):
    successor = f.department("危機管理課")
    change = DepartmentChange.objects.create(kind=DepartmentChange.Kind.RENAME, effective_fy=2026)
    change.predecessors.add(sample.disaster)
    change.successors.add(successor)
    response = client.get(successor.get_absolute_url())
    assert response.status_code == 200
    assert (
        "公開している計画で、この部署が担当している取組はありません。" in response.content.decode()
    )
    assert Department.objects.filter(pk=successor.pk).exists()


def test_department_page_shows_how_to_reach_it(client, sample):
    sample.disaster.phone = "0000-00-1111"
    sample.disaster.email = "bousai@city.example.jp"
    sample.disaster.opening_hours = "平日 8時30分〜17時15分"
    sample.disaster.save()
    html = client.get(sample.disaster.get_absolute_url()).content.decode()
    assert "お問い合わせ先" in html
    assert '<a href="tel:0000001111">0000-00-1111</a>' in html
    assert "bousai@city.example.jp" in html and "平日 8時30分〜17時15分" in html
    closed = client.get(sample.former_disaster.get_absolute_url()).content.decode()
    assert "お問い合わせ先" not in closed  # an abolished office answers no telephone
