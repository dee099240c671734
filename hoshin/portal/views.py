"""Public portal pages: no login, published data only, server-rendered (JavaScript optional).

Every read goes through hoshin.plans.selectors / hoshin.portal.selectors, and evaluation
results through hoshin.evaluations.selectors.public (published sheets of published plans only);
a draft plan, its nodes and its actions answer 404 exactly like ids that do not exist. The
pages carry nothing user-specific (no messages, no session): ``public_page`` keeps them in the
page cache until public data changes and answers conditional requests with 304. The id of a
plan or action recreated by a replacing import answers 301 to its new URL (``links``).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hoshin.changes.page_cache import public_page
from hoshin.evaluations.selectors import public as results_selectors
from hoshin.org.models import Department
from hoshin.plans import links
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Action, Plan
from hoshin.portal import charts, selectors
from hoshin.voices.selectors.publication import published_voices_for_action
from hoshin.voices.selectors.ratings import ratings_public_for_action


@require_safe
@public_page
def home(request):
    plans = list(selectors.plans_public_list())
    return render(request, "portal/home.html", {"plans": plans, "nav_section": "plans"})


@require_safe
@public_page
def plan_detail(request, plan_id: int):
    try:
        plan = plan_selectors.plan_get_published(plan_id=plan_id)
    except Plan.DoesNotExist:
        moved = links.moved_redirect(kind=links.Kind.PLAN, old_id=plan_id, to="portal:plan")
        if moved is not None:
            return moved
        raise Http404(_("計画が見つかりません。")) from None
    # The outline only: each node's actions and their results are on the node's page, so the
    # page stays small at thousands of actions.
    tree, results = selectors.plan_tree_with_results(plan=plan, with_actions=False)
    plan.action_count = sum(root.action_count for root in tree)
    return render(
        request,
        "portal/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "node_count": _count_nodes(tree),
            "results": results,
            "breadcrumbs": [(plan.name, plan.get_absolute_url())],
            "nav_section": "plans",
        },
    )


def _count_nodes(tree) -> int:
    return sum(1 + _count_nodes(tree_node.children) for tree_node in tree)


@require_safe
@public_page
def node_detail(request, plan_id: int, node_id: int):
    """One node of a published plan: its fields, results, children and its own actions."""
    try:
        plan = plan_selectors.plan_get_published(plan_id=plan_id)
    except Plan.DoesNotExist:
        raise Http404(_("計画が見つかりません。")) from None
    tree, results = selectors.plan_tree_with_results(plan=plan, with_actions=False)
    path = selectors.find_node(tree, node_id)
    if not path:
        raise Http404(_("計画の項目が見つかりません。"))
    tree_node = path[-1]
    selectors.attach_node_charts(tree_node, results)
    plan.action_count = sum(root.action_count for root in tree)
    return render(
        request,
        "portal/node_detail.html",
        {
            "plan": plan,
            "node": tree_node.node,
            "tree_node": tree_node,
            "results": results,
            "actions": selectors.node_actions_public(tree_node=tree_node, results=results),
            "breadcrumbs": [
                (plan.name, plan.get_absolute_url()),
                *((step.node.label, node_url(plan, step.node)) for step in path),
            ],
            "nav_section": "plans",
        },
    )


def node_url(plan: Plan, node) -> str:
    return reverse("portal:node", args=[plan.pk, node.pk])


@require_safe
@public_page
def action_detail(request, action_id: int):
    try:
        action = plan_selectors.action_get_published(action_id=action_id)
    except Action.DoesNotExist:
        moved = links.moved_redirect(kind=links.Kind.ACTION, old_id=action_id, to="portal:action")
        if moved is not None:
            return moved
        raise Http404(_("取組が見つかりません。")) from None
    ancestors = plan_selectors.node_ancestors(node=action.node)
    nodes = [*ancestors, action.node]
    plan = action.plan
    for node in nodes:
        node.plan = plan  # level names without a query per node
    results = results_selectors.action_results_public(action=action)
    indicator_charts = [
        (series, chart)
        for number, series in enumerate(results.series, start=1)
        if (chart := charts.indicator_chart(series, chart_id=f"chart-{number}")) is not None
    ]
    return render(
        request,
        "portal/action_detail.html",
        {
            "action": action,
            "plan": plan,
            "nodes": nodes,
            "lines": list(action.responsibilities.all()),
            "results": results,
            "indicator_charts": indicator_charts,
            # The rating form under each published year, and voices linked to the action.
            "ratings": ratings_public_for_action(action=action) if results.sheets else {},
            "published_voices": published_voices_for_action(action=action),
            "breadcrumbs": [
                (plan.name, plan.get_absolute_url()),
                *((node.label, node_url(plan, node)) for node in nodes),
                (action.heading, action.get_absolute_url()),
            ],
            "nav_section": "plans",
        },
    )


@require_safe
@public_page
def department_list(request):
    return render(
        request,
        "portal/department_list.html",
        {
            "groups": selectors.departments_public_grouped(),
            "breadcrumbs": [(_("担当課一覧"), reverse("portal:departments"))],
            "nav_section": "departments",
        },
    )


@require_safe
@public_page
def department_detail(request, department_id: int):
    try:
        department = selectors.department_get_public(department_id=department_id)
    except Department.DoesNotExist:
        raise Http404(_("部署が見つかりません。")) from None
    lineage = plan_selectors.department_lineage(department=department)
    by_plan = selectors.department_actions_by_plan(department=department)
    parent = department.parent
    parent_is_public = parent is not None and bool(
        selectors.department_is_public_ids(ids={parent.pk})
    )
    breadcrumbs = [(_("担当課一覧"), reverse("portal:departments"))]
    if parent_is_public:
        breadcrumbs.append((parent.name, parent.get_absolute_url()))
    breadcrumbs.append((department.name, department.get_absolute_url()))
    return render(
        request,
        "portal/department_detail.html",
        {
            "department": department,
            "parent_is_public": parent_is_public,
            "breadcrumbs": breadcrumbs,
            "predecessors": lineage["predecessors"],
            "successors": lineage["successors"],
            "by_plan": by_plan,
            "action_count": sum(len(group.actions) for group in by_plan),
            "results": results_selectors.department_results_public(department=department),
            "nav_section": "departments",
        },
    )


@require_safe
@public_page
def feed_list(request):
    """Every Atom feed (site-wide, per plan, per department), explained for people who have
    never used a feed reader, each with its full URL to copy into one."""

    def feed(name: str, url: str, page: str) -> dict:
        return {"name": name, "url": request.build_absolute_uri(url), "page": page}

    plans = [
        feed(plan.name, reverse("portal:plan_feed", args=[plan.pk]), plan.get_absolute_url())
        for plan in selectors.plans_public_list()
    ]
    departments = [
        feed(
            department.name,
            reverse("portal:department_feed", args=[department.pk]),
            department.get_absolute_url(),
        )
        for department in selectors.departments_public().filter(valid_until_fy__isnull=True)
    ]
    return render(
        request,
        "portal/feeds.html",
        {
            "site_feed": feed(
                _("すべての計画の評価結果"), reverse("portal:feed_results"), reverse("portal:home")
            ),
            "plan_feeds": plans,
            "department_feeds": departments,
            "breadcrumbs": [(_("更新情報（フィード）"), reverse("portal:feeds"))],
        },
    )
