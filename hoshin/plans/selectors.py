"""Reads of plans. Public pages go through the ``published`` selectors only."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from hoshin.org.models import Department
from hoshin.plans.formats.base import (
    ParsedAction,
    ParsedKeyProject,
    ParsedNode,
    ParsedNote,
    ParsedPlan,
)
from hoshin.plans.models import Action, ActionDepartment, KeyProject, Note, Plan, PlanNode


def plans_published() -> QuerySet[Plan]:
    """Plans citizens may see."""
    return Plan.objects.published()


def plan_get_published(*, plan_id: int) -> Plan:
    """A published plan or Plan.DoesNotExist (a guessed id of a draft plan looks like no plan)."""
    return plans_published().get(pk=plan_id)


def actions_published() -> QuerySet[Action]:
    """Actions of published plans."""
    return Action.objects.filter(plan__is_published=True)


def action_get_published(*, action_id: int) -> Action:
    """A published action with what its page shows, or Action.DoesNotExist."""
    return (
        actions_published()
        .select_related("plan", "node")
        .prefetch_related(_responsibilities_prefetch(), "key_projects", "notes")
        .get(pk=action_id)
    )


def node_ancestors(*, node: PlanNode) -> list[PlanNode]:
    """The node's ancestors from the root down, in one query (for breadcrumbs)."""
    by_id = {n.pk: n for n in PlanNode.objects.filter(plan_id=node.plan_id, depth__lt=node.depth)}
    chain, parent_id = [], node.parent_id
    while parent_id is not None:
        parent = by_id[parent_id]
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def node_actions(*, node: PlanNode) -> list[Action]:
    """A node's own actions in order, with departments and key projects (the node page)."""
    actions = list(
        node.actions.order_by("position", "id").prefetch_related(
            _responsibilities_prefetch(), Prefetch("key_projects", KeyProject.objects.all())
        )
    )
    for action in actions:
        action.plan = node.plan
        action.node = node
    return actions


def actions_for_department(*, department: Department, published_only: bool = True):
    """Actions a department is (or was) responsible for, across plans, in plan order."""
    actions = actions_published() if published_only else Action.objects.all()
    return (
        actions.filter(responsibilities__department=department)
        .distinct()
        .select_related("plan", "node")
        .prefetch_related(_responsibilities_prefetch())
        .order_by("plan__name", "node__depth", "node__position", "position")
    )


def departments_with_published_actions() -> QuerySet[Department]:
    """Departments named by at least one published action."""
    return Department.objects.filter(responsibilities__action__plan__is_published=True).distinct()


def department_lineage(*, department: Department) -> dict[str, list[Department]]:
    """The departments this one came from and became, through recorded reorganisations."""
    return {
        "predecessors": list(
            Department.objects.filter(changes_out__successors=department).distinct()
        ),
        "successors": list(
            Department.objects.filter(changes_in__predecessors=department).distinct()
        ),
    }


def _responsibilities_prefetch() -> Prefetch:
    return Prefetch(
        "responsibilities",
        queryset=ActionDepartment.objects.select_related("department").order_by("position", "id"),
    )


def responsibilities_in(*, action: Action, fy: int | None) -> list[ActionDepartment]:
    """The action's department lines valid in ``fy`` (all lines when ``fy`` is None)."""
    lines = list(action.responsibilities.all())
    if fy is None:
        return lines
    return [
        line
        for line in lines
        if (line.valid_from_fy is None or line.valid_from_fy <= fy)
        and (line.valid_until_fy is None or fy <= line.valid_until_fy)
    ]


@dataclass
class TreeNode:
    """A node of a plan ready for display: its children, actions and the actions counted below."""

    node: PlanNode
    children: list["TreeNode"] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    action_count: int = 0


def plan_tree(*, plan: Plan, with_actions: bool = True) -> list[TreeNode]:
    """The whole tree of a plan in a fixed number of queries, whatever its size.

    Without ``with_actions`` the nodes' ``actions`` stay empty and only ``action_count`` is
    filled (one aggregate query): the outline of a plan of thousands of actions.
    """
    nodes = list(plan.nodes.order_by("depth", "position", "id"))
    own_counts: dict[int, int] = {}
    if with_actions:
        actions = list(
            plan.actions.order_by("position", "id").prefetch_related(
                _responsibilities_prefetch(), Prefetch("key_projects", KeyProject.objects.all())
            )
        )
    else:
        actions = []
        own_counts = dict(plan.actions.order_by().values_list("node_id").annotate(n=Count("id")))
    notes = list(Note.objects.filter(node__plan=plan).order_by("position", "id"))
    by_id = {node.pk: TreeNode(node=node) for node in nodes}
    roots: list[TreeNode] = []
    for node in nodes:
        tree_node = by_id[node.pk]
        node.plan = plan  # avoid a query per node for the level name
        if node.parent_id is None:
            roots.append(tree_node)
        else:
            by_id[node.parent_id].children.append(tree_node)
    for action in actions:
        action.plan = plan
        by_id[action.node_id].actions.append(action)
    for note in notes:
        by_id[note.node_id].notes.append(note)
    for node in reversed(nodes):  # deepest first, so children are counted before parents
        tree_node = by_id[node.pk]
        tree_node.action_count = (len(tree_node.actions) or own_counts.get(node.pk, 0)) + sum(
            child.action_count for child in tree_node.children
        )
    return roots


def plan_to_parsed(*, plan: Plan) -> ParsedPlan:
    """The plan as a ParsedPlan, the shape every exporter writes and every importer reads."""
    notes_by_action: dict[int, list[ParsedNote]] = defaultdict(list)
    shared_names = _shared_department_names()

    def department_label(line: ActionDepartment) -> str:
        # A name two current departments share (総務課) is written with its parents
        # (教育部総務課), so that re-importing the file matches the same department.
        if line.department_id and line.department.name in shared_names:
            return line.department.full_name
        return line.label

    for note in Note.objects.filter(node__plan=plan, action__isnull=False).order_by("position"):
        notes_by_action[note.action_id].append(ParsedNote(term=note.term, body=note.body))

    def convert(tree_node: TreeNode) -> ParsedNode:
        node = tree_node.node
        return ParsedNode(
            title=node.title,
            depth=node.depth,
            number=node.number,
            vision=node.vision,
            challenges=list(node.challenges or []),
            purpose=node.purpose,
            notes=[ParsedNote(n.term, n.body) for n in tree_node.notes if n.action_id is None],
            children=[convert(child) for child in tree_node.children],
            actions=[
                ParsedAction(
                    text=action.text,
                    title=action.title,
                    number=action.number,
                    departments=[
                        department_label(line)
                        for line in action.responsibilities.all()
                        if line.valid_until_fy is None
                    ],
                    key_projects=[
                        ParsedKeyProject(kp.title, kp.status == KeyProject.Status.NEW)
                        for kp in action.key_projects.all()
                    ],
                    notes=notes_by_action.get(action.pk, []),
                )
                for action in tree_node.actions
            ],
        )

    return ParsedPlan(
        format_name="database",
        kind=plan.kind,
        level_names=list(plan.level_names or []),
        action_level_name=plan.action_level_name,
        roots=[convert(root) for root in plan_tree(plan=plan)],
        source_title=plan.source_title,
        owner_office=plan.owner_office,
        contact=plan.contact,
        source_updated_on=plan.source_updated_on,
        start_fy=plan.start_fy,
        end_fy=plan.end_fy,
    )


def _shared_department_names() -> set[str]:
    """Names borne by more than one current department."""
    return set(
        Department.objects.current()
        .values("name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("name", flat=True)
    )
