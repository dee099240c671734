"""Writes to plans: importing a parsed plan, publishing. Every write is atomic and audited."""

import functools
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.changes.channel import batched
from hoshin.org.models import Department, DepartmentKind
from hoshin.org.roles import is_planning_office
from hoshin.org.selectors import departments_match
from hoshin.plans import links
from hoshin.plans.formats.base import MARKER_LABELS, ParsedAction, ParsedNode, ParsedPlan
from hoshin.plans.models import (
    Action,
    ActionDepartment,
    KeyProject,
    Note,
    Plan,
    PlanNode,
)


def _check_planning_office(by, what: str) -> None:
    """Plans are the planning office's; ``by`` None is a management command (the operator)."""
    if by is not None and not is_planning_office(user=by):
        raise PermissionDenied(f"{what}は企画担当だけが行えます。")


class PlanImportError(Exception):
    """The parsed plan cannot be written; nothing was changed."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        self.message = message
        self.details = details or []
        super().__init__("\n".join([message, *self.details]))


@dataclass
class ImportSummary:
    plan: Plan | None
    nodes: int = 0
    actions: int = 0
    key_projects: int = 0
    notes: int = 0
    responsibilities: int = 0
    created_departments: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    """What an import would do, computed without writing: used by --dry-run and the preview."""

    unknown_departments: list[str]
    ambiguous_departments: dict[str, list[str]]
    existing_plan: Plan | None
    nodes: int
    actions: int
    too_long: list[str] = field(default_factory=list)

    def problems(self, *, create_departments: bool, replace: bool) -> list[str]:
        found = []
        if self.existing_plan is not None and not replace:
            found.append(
                f"計画「{self.existing_plan.name}」は既にあります（置き換えるには --replace）。"
            )
        if self.unknown_departments and not create_departments:
            found.append(
                "部署マスタにない部署: "
                + "、".join(self.unknown_departments)
                + "（作成するには --create-departments）"
            )
        for label, names in self.ambiguous_departments.items():
            found.append(f"部署名「{label}」が複数の部署に一致します: {'、'.join(names)}")
        return found + self.too_long


def plan_import_check(*, parsed: ParsedPlan, name: str) -> ImportCheck:
    """Check a parsed plan against the database: unknown or ambiguous departments, name clash."""
    match = departments_match(labels=parsed.department_labels())
    return ImportCheck(
        unknown_departments=match.unknown,
        ambiguous_departments={
            label: [d.full_name for d in departments]
            for label, departments in match.ambiguous.items()
        },
        existing_plan=Plan.objects.filter(name=name).first(),
        nodes=sum(1 for _ in parsed.walk()),
        actions=len(parsed.all_actions()),
        too_long=_too_long(parsed),
    )


def _too_long(parsed: ParsedPlan) -> list[str]:
    """Values longer than their database column, reported by source line before any write."""

    @functools.cache
    def limit(model, field_name: str) -> int:  # cached: called per row of 10,000-action plans
        return model._meta.get_field(field_name).max_length

    checks = []
    for node in parsed.walk():
        checks += [(node.line, "名称", node.title, limit(PlanNode, "title"))]
        checks += [(node.line, "番号", node.number, limit(PlanNode, "number"))]
        for action in node.actions:
            checks += [(action.line, "取組名", action.title, limit(Action, "title"))]
            checks += [(action.line, "番号", action.number, limit(Action, "number"))]
            checks += [
                (action.line, "主要事業", kp.title, limit(KeyProject, "title"))
                for kp in action.key_projects
            ]
            checks += [
                (action.line, "部署名", label, limit(Department, "name"))
                for label in action.departments
            ]
            checks += [(action.line, "注記", n.term, limit(Note, "term")) for n in action.notes]
        checks += [(node.line, "注記", n.term, limit(Note, "term")) for n in node.notes]
    return [
        f"{line}行目: {what}が長すぎます（{len(value)}文字、上限{maximum}文字）"
        if line
        else f"{what}が長すぎます（{len(value)}文字、上限{maximum}文字）: {value[:20]}…"
        for line, what, value, maximum in checks
        if len(value) > maximum
    ]


@transaction.atomic
@batched()  # one change notice for the whole import (after the commit), not one per row
def plan_import(
    *,
    parsed: ParsedPlan,
    name: str,
    by=None,
    create_departments: bool = False,
    replace: bool = False,
    publish: bool = False,
    source_filename: str = "",
) -> ImportSummary:
    """Write a parsed plan as a new Plan (or replace the one of that name), all or nothing.

    The rows' change notices are gathered into one (``changes.channel.batched``): the search
    index and open data re-read the plan once after the commit (on the queue for a large plan).
    """
    _check_planning_office(by, "計画の取込")
    name = name.strip()
    if not name:
        raise PlanImportError("計画名を指定してください。")
    check = plan_import_check(parsed=parsed, name=name)
    problems = check.problems(create_departments=create_departments, replace=replace)
    if problems:
        raise PlanImportError("取り込めません。データベースは変更していません。", details=problems)

    summary = ImportSummary(plan=None)
    replaced = None
    if check.existing_plan is not None:
        # Remember the old ids so that their public URLs redirect to the new objects.
        replaced = links.plan_snapshot(plan=check.existing_plan)
        check.existing_plan.delete()
    departments = departments_match(labels=parsed.department_labels()).found
    for label in check.unknown_departments:
        departments[label] = Department.objects.create(name=label, kind=DepartmentKind.guess(label))
        summary.created_departments.append(label)

    plan = Plan.objects.create(
        name=name,
        kind=parsed.kind,
        start_fy=parsed.start_fy,
        end_fy=parsed.end_fy,
        level_names=parsed.level_names,
        action_level_name=parsed.action_level_name,
        owner_office=parsed.owner_office,
        contact=parsed.contact,
        source_title=parsed.source_title,
        source_filename=source_filename,
        source_updated_on=parsed.source_updated_on,
        is_published=publish,
    )
    summary.plan = plan
    writer = _TreeWriter(plan=plan, departments=departments, summary=summary)
    writer.write_tree(parsed.roots)
    writer.flush()
    if replaced is not None:
        links.moves_record(snapshot=replaced, plan=plan)

    audit_record(
        actor=by,
        verb="plan.import",
        target=plan,
        summary=f"計画「{plan.name}」を取り込み（取組 {summary.actions} 件）",
        data={
            "source": source_filename,
            "format": parsed.format_name,
            "replaced": check.existing_plan is not None,
            "created_departments": summary.created_departments,
        },
    )
    return summary


class _TreeWriter:
    """Writes nodes one level at a time (children need their parent's id) and leaves in bulk:
    a query per level of the tree and per thousands of rows, never one per node."""

    def __init__(self, *, plan: Plan, departments: dict[str, Department], summary: ImportSummary):
        self.plan = plan
        self.departments = departments
        self.summary = summary
        self.pending: list[tuple[Action, ParsedAction, PlanNode]] = []
        self.node_notes: list[Note] = []

    def write_tree(self, roots: list[ParsedNode]) -> None:
        created: dict[int, PlanNode] = {}  # id(parsed node) → its row
        level = [(root, None, position) for position, root in enumerate(roots)]
        while level:
            nodes = PlanNode.objects.bulk_create(
                PlanNode(
                    plan=self.plan,
                    parent=parent,
                    depth=parsed.depth,
                    position=position,
                    number=parsed.number,
                    title=parsed.title,
                    vision=parsed.vision,
                    challenges=parsed.challenges,
                    purpose=parsed.purpose,
                )
                for parsed, parent, position in level
            )
            for node, (parsed, _parent, _position) in zip(nodes, level, strict=True):
                created[id(parsed)] = node
            level = [
                (child, created[id(parsed)], index)
                for parsed, _parent, _position in level
                for index, child in enumerate(parsed.children)
            ]
        self.summary.nodes += len(created)
        for root in roots:  # depth first, as the document reads: actions keep that order
            self._collect(root, created)
        Note.objects.bulk_create(self.node_notes, batch_size=2000)
        self.summary.notes += len(self.node_notes)

    def _collect(self, parsed: ParsedNode, created: dict[int, PlanNode]) -> None:
        node = created[id(parsed)]
        self.node_notes.extend(
            Note(node=node, position=i, term=n.term, body=n.body)
            for i, n in enumerate(parsed.notes)
        )
        for index, parsed_action in enumerate(parsed.actions):
            action = Action(
                plan=self.plan,
                node=node,
                position=index,
                number=parsed_action.number,
                title=parsed_action.title,
                text=parsed_action.text,
            )
            self.pending.append((action, parsed_action, node))
        for child in parsed.children:
            self._collect(child, created)

    def flush(self) -> None:
        actions = Action.objects.bulk_create(
            [action for action, _, _ in self.pending], batch_size=2000
        )
        lines, key_projects, notes = [], [], []
        for action, (_, parsed, node) in zip(actions, self.pending, strict=True):
            lead_taken = False
            for position, label in enumerate(parsed.departments):
                marker = MARKER_LABELS.get(label, "")
                department = None if marker else self.departments[label]
                is_lead = department is not None and not lead_taken
                lead_taken = lead_taken or is_lead
                lines.append(
                    ActionDepartment(
                        action=action,
                        position=position,
                        department=department,
                        marker=marker,
                        is_lead=is_lead,
                    )
                )
            key_projects.extend(
                KeyProject(
                    action=action,
                    position=position,
                    title=kp.title,
                    status=KeyProject.Status.NEW if kp.is_new else KeyProject.Status.CONTINUING,
                )
                for position, kp in enumerate(parsed.key_projects)
            )
            notes.extend(
                Note(node=node, action=action, position=position, term=n.term, body=n.body)
                for position, n in enumerate(parsed.notes)
            )
        ActionDepartment.objects.bulk_create(lines, batch_size=2000)
        KeyProject.objects.bulk_create(key_projects, batch_size=2000)
        Note.objects.bulk_create(notes, batch_size=2000)
        self.summary.actions = len(actions)
        self.summary.responsibilities = len(lines)
        self.summary.key_projects = len(key_projects)
        self.summary.notes += len(notes)


@transaction.atomic
def plan_set_published(*, plan: Plan, published: bool, by=None) -> Plan:
    """Publish a plan to the portal or withdraw it."""
    _check_planning_office(by, "計画の公開・非公開の切り替え")
    plan.is_published = published
    plan.save(update_fields=["is_published", "updated_at"])
    audit_record(
        actor=by,
        verb="plan.publish" if published else "plan.unpublish",
        target=plan,
        summary=f"計画「{plan.name}」を{'公開' if published else '非公開に'}",
    )
    return plan
