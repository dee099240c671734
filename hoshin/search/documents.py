"""What each kind of object contributes to the search index.

The texts are those the object's public page shows, and no more: a sheet contributes the fields
of ``PublicSheet`` (hoshin.evaluations.selectors.public), a voice its masked publication. The
scope says who may find the entry; services.py decides it from the publication state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.selectors.public import scale_value
from hoshin.lib.fiscal import fiscal_year_of, format_fiscal_year
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanNode
from hoshin.search import text
from hoshin.search.backends import Document
from hoshin.search.models import EntryKind, Scope, SearchEntry
from hoshin.voices.models import VoicePublication


@dataclass
class Draft:
    """An entry before it is saved, with the facts its facets are made of."""

    entry: SearchEntry
    departments: set[int] = field(default_factory=set)

    def document(self) -> Document:
        entry = self.entry
        facets = [scope_token(entry.scope), f"xk{entry.kind}"]
        if entry.plan_id:
            facets.append(f"xp{entry.plan_id}")
        if entry.fy:
            facets.append(f"xy{entry.fy}")
        facets += [f"xd{pk}" for pk in sorted(self.departments)]
        if entry.grade:
            facets.append(code_token("xg", entry.grade))
        if entry.direction:
            facets.append(code_token("xr", entry.direction))
        return Document(
            entry_id=entry.pk,
            title=text.tokens(entry.title),
            body=text.tokens(entry.body),
            facets=facets,
        )


def scope_token(scope: str) -> str:
    return {"public": "xpub", "staff": "xstaff", "draft": "xdraft"}[scope]


def code_token(prefix: str, code: str) -> str:
    """Grade and direction codes may be Japanese (拡充): hex keeps the token one ASCII word."""
    return prefix + code.encode().hex()


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _entry(**values) -> SearchEntry:
    values["title"] = values["title"][:600]
    values["context"] = values.get("context", "")[:600]
    return SearchEntry(**values)


def plan_drafts(plan: Plan) -> Iterator[Draft]:
    """The plan, its nodes and its actions."""
    scope = Scope.PUBLIC if plan.is_published else Scope.STAFF
    plan_url = plan.get_absolute_url()
    yield Draft(
        _entry(
            kind=EntryKind.PLAN,
            object_id=plan.pk,
            scope=scope,
            plan_id=plan.pk,
            title=plan.name,
            context=plan.get_kind_display(),
            body=_join(plan.description, plan.source_title, plan.owner_office),
            url=plan_url,
        )
    )
    paths = _NodePaths(plan)
    for node in paths.nodes.values():
        notes = [f"{note.term} {note.body}" for note in node.notes.all() if note.action_id is None]
        yield Draft(
            _entry(
                kind=EntryKind.NODE,
                object_id=node.pk,
                scope=scope,
                plan_id=plan.pk,
                title=node.label,
                context=paths.path(node.parent_id),
                body=_join(node.vision, *node.challenges, node.purpose, *notes),
                url=f"{plan_url}#node-{node.pk}",
            )
        )
    yield from action_drafts(plan, Action.objects.filter(plan=plan), paths=paths)


class _NodePaths:
    """The plan's nodes, to write "plan › 大項目 › 中項目" without a query per entry."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.nodes = {
            node.pk: node for node in PlanNode.objects.filter(plan=plan).prefetch_related("notes")
        }

    def path(self, node_id: int | None) -> str:
        labels = []
        node = self.nodes.get(node_id)
        while node is not None:
            labels.append(node.label)
            node = self.nodes.get(node.parent_id)
        return " › ".join([self.plan.name, *reversed(labels)])


def action_drafts(plan: Plan, actions, *, paths: _NodePaths | None = None) -> Iterator[Draft]:
    """Some of the plan's actions (a queryset), with their departments, projects and notes."""
    scope = Scope.PUBLIC if plan.is_published else Scope.STAFF
    paths = paths or _NodePaths(plan)
    actions = actions.prefetch_related(
        Prefetch(
            "responsibilities", queryset=ActionDepartment.objects.select_related("department")
        ),
        "key_projects",
        "notes",
    )
    for action in actions.iterator(chunk_size=1000):
        lines = list(action.responsibilities.all())
        yield Draft(
            _entry(
                kind=EntryKind.ACTION,
                object_id=action.pk,
                scope=scope,
                plan_id=plan.pk,
                title=action.heading,
                context=paths.path(action.node_id),
                body=_join(
                    action.text,
                    *(project.title for project in action.key_projects.all()),
                    *(f"{note.term} {note.body}" for note in action.notes.all()),
                    " ".join(line.label for line in lines),
                ),
                url=action.get_absolute_url(),
            ),
            departments={line.department_id for line in lines if line.department_id},
        )


def _scale_text(sheet: EvaluationSheet, scale: str, code: str) -> str:
    """What the action page prints for a grade or direction (B 概ね順調, 継続): never the code
    (continue, expand …), which is no word a citizen reads or types."""
    value = scale_value(sheet, scale, code)
    return value.text if value else ""


def sheet_draft(sheet: EvaluationSheet, *, public: bool) -> Draft:
    """One year of an action (or node), with the fields the public action page shows."""
    fy = sheet.cycle.fy
    if sheet.action_id:
        heading, url = sheet.action.heading, f"{sheet.action.get_absolute_url()}#result-{fy}"
    else:  # a node's (施策) sheet: shown in the plan page's summary of that node
        heading = sheet.node.label
        url = f"{sheet.cycle.plan.get_absolute_url()}#node-{sheet.node_id}"
    departments = {sheet.department_id} if sheet.department_id else set()
    if sheet.action_id:
        departments |= {
            line.department_id for line in sheet.action.responsibilities.all() if line.department_id
        }
    return Draft(
        _entry(
            kind=EntryKind.SHEET,
            object_id=sheet.pk,
            scope=Scope.PUBLIC if public else Scope.DRAFT_SHEET,
            plan_id=sheet.cycle.plan_id,
            fy=fy,
            grade=sheet.overall_grade,
            direction=sheet.future_direction,
            title=f"{heading}（{format_fiscal_year(fy)}の評価結果）",
            context=_join(
                sheet.cycle.plan.name, sheet.department.name if sheet.department_id else ""
            ),
            body=_join(
                sheet.purpose_target,
                sheet.purpose_intent,
                sheet.purpose_means,
                sheet.legal_basis,
                sheet.activities,
                *(indicator.name for indicator in sheet.indicators.all()),
                _scale_text(sheet, "grades", sheet.overall_grade),
                _scale_text(sheet, "directions", sheet.future_direction),
                sheet.department_comment,
                sheet.improvement_plan,
                sheet.review_comment,
            ),
            url=url,
        ),
        departments=departments,
    )


def sheets_for_index(ids: Iterable[int] | None = None):
    """Sheets with everything sheet_draft reads, in id order."""
    sheets = EvaluationSheet.objects.select_related(
        "cycle__plan", "action", "node", "department"
    ).prefetch_related("indicators", "action__responsibilities")
    if ids is not None:
        sheets = sheets.filter(pk__in=list(ids))
    return sheets.order_by("pk")


def voice_draft(publication: VoicePublication) -> Draft:
    """A published citizens' voice: only its masked summary and reply."""
    department = publication.answering_department
    return Draft(
        _entry(
            kind=EntryKind.VOICE,
            object_id=publication.pk,
            scope=Scope.PUBLIC,
            fy=fiscal_year_of(timezone.localdate(publication.published_at))
            if publication.published_at
            else None,
            title=publication.title or publication.summary[:60],
            context=department.name if department else "",
            body=_join(publication.summary, publication.reply_text),
            url=reverse("voices:published_detail", args=[publication.pk]),
        ),
        departments={department.pk} if department else set(),
    )
