"""Stable public URLs: when a plan is imported again with --replace, its old URLs follow it.

Public URLs carry ids, so renaming a plan, a node or an action keeps its URL. Replacing a plan
(``plan_import(..., replace=True)``) deletes it and writes everything anew with new ids; to keep
bookmarks and links from other sites working, the import takes a :func:`plan_snapshot` before
deleting and calls :func:`moves_record` after writing. The portal answers an id that no longer
exists with 301 to the object it became (:func:`moved_to`).

Matching old to new, most certain first (each object is matched at most once):

1. nodes: the same path of (number, title) from the root; then, under matched parents, the same
   number, the same title, the same position among those left over;
2. actions under matched nodes: the same number and text; the same number; the same title or
   text; the same position among those left over; finally, anywhere in the plan, a unique title
   or text (an action moved to another node).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Action, MovedObject, Plan, PlanNode

Kind = MovedObject.Kind


@dataclass(frozen=True)
class _NodeRow:
    pk: int
    parent_id: int | None
    position: int
    number: str
    title: str


@dataclass(frozen=True)
class _ActionRow:
    pk: int
    node_id: int
    position: int
    number: str
    title: str
    text: str


@dataclass
class PlanSnapshot:
    """The ids and identifying fields of a plan's nodes and actions, taken before a delete."""

    plan_id: int
    nodes: list[_NodeRow] = field(default_factory=list)
    actions: list[_ActionRow] = field(default_factory=list)


def plan_snapshot(*, plan: Plan) -> PlanSnapshot:
    """Remember what identifies the plan's nodes and actions (two queries, no text of nodes)."""
    return PlanSnapshot(
        plan_id=plan.pk,
        nodes=[
            _NodeRow(*row)
            for row in PlanNode.objects.filter(plan=plan)
            .order_by("depth", "position", "pk")
            .values_list("pk", "parent_id", "position", "number", "title")
        ],
        actions=[
            _ActionRow(*row)
            for row in Action.objects.filter(plan=plan)
            .order_by("pk")
            .values_list("pk", "node_id", "position", "number", "title", "text")
        ],
    )


def _match(old: Iterable, new: Iterable, old_key: Callable, new_key: Callable, found: dict) -> None:
    """Pair still-unmatched rows whose keys are equal and unique on both sides.

    A key function returns None for a row that cannot be matched that way.
    """
    taken = set(found.values())
    old_by_key, new_by_key = defaultdict(list), defaultdict(list)
    for row in old:
        if row.pk not in found and (k := old_key(row)) is not None:
            old_by_key[k].append(row)
    for row in new:
        if row.pk not in taken and (k := new_key(row)) is not None:
            new_by_key[k].append(row)
    for k, olds in old_by_key.items():
        news = new_by_key.get(k, [])
        if len(olds) == 1 and len(news) == 1:
            found[olds[0].pk] = news[0].pk


def _paths(nodes: list[_NodeRow]) -> dict[int, tuple]:
    """Each node's (number, title) pairs from its root down to itself."""
    by_id = {n.pk: n for n in nodes}
    paths: dict[int, tuple] = {}
    for node in nodes:  # ordered by depth: a parent's path is known before its children's
        parent = paths.get(node.parent_id, ()) if node.parent_id in by_id else ()
        paths[node.pk] = (*parent, (node.number, node.title))
    return paths


def _match_nodes(old: list[_NodeRow], new: list[_NodeRow]) -> dict[int, int]:
    found: dict[int, int] = {}
    old_paths, new_paths = _paths(old), _paths(new)
    _match(old, new, lambda n: old_paths[n.pk], lambda n: new_paths[n.pk], found)

    def sibling_key(field_name: str, *, is_old: bool) -> Callable:
        def key(n):
            value = getattr(n, field_name)
            if n.parent_id is None:
                parent = "root"
            else:  # an old node's parent must have been matched already
                parent = found.get(n.parent_id) if is_old else n.parent_id
            return None if parent is None or value == "" else (parent, value)

        return key

    for field_name in ("number", "title", "position"):
        # Once per level, so that children see the parents matched in the same pass.
        for _level in range(max((len(p) for p in old_paths.values()), default=0)):
            _match(
                old,
                new,
                sibling_key(field_name, is_old=True),
                sibling_key(field_name, is_old=False),
                found,
            )
    return found


def _match_actions(
    old: list[_ActionRow], new: list[_ActionRow], nodes: dict[int, int]
) -> dict[int, int]:
    found: dict[int, int] = {}

    def within_node(*fields: str, is_old: bool) -> Callable:
        def key(a):
            node = nodes.get(a.node_id) if is_old else a.node_id
            values = tuple(getattr(a, f) for f in fields)
            return None if node is None or "" in values else (node, *values)

        return key

    for fields in (("number", "title", "text"), ("number", "text"), ("number",), ("title",)):
        _match(
            old, new, within_node(*fields, is_old=True), within_node(*fields, is_old=False), found
        )
    for fields in (("text",), ("position",)):
        _match(
            old, new, within_node(*fields, is_old=True), within_node(*fields, is_old=False), found
        )
    # Moved to another node: a title or text that is unique in the whole plan.
    for name in ("title", "text"):
        key = lambda a, name=name: getattr(a, name) or None  # noqa: E731
        _match(old, new, key, key, found)
    return found


@transaction.atomic
def moves_record(*, snapshot: PlanSnapshot, plan: Plan) -> dict[str, int]:
    """Record where the snapshot's plan, nodes and actions went in ``plan`` (returns counts).

    Earlier moves that pointed at an old id are re-pointed, so a URL from two imports ago
    still needs only one redirect.
    """
    new = plan_snapshot(plan=plan)
    node_moves = _match_nodes(snapshot.nodes, new.nodes)
    moves = {
        Kind.PLAN: {snapshot.plan_id: plan.pk},
        Kind.NODE: node_moves,
        Kind.ACTION: _match_actions(snapshot.actions, new.actions, node_moves),
    }
    for kind, pairs in moves.items():
        earlier = list(MovedObject.objects.filter(kind=kind, new_id__in=list(pairs)))
        for row in earlier:
            row.new_id = pairs[row.new_id]
        MovedObject.objects.bulk_update(earlier, ["new_id"], batch_size=1000)
        MovedObject.objects.bulk_create(
            [MovedObject(kind=kind, old_id=old, new_id=new_id) for old, new_id in pairs.items()],
            batch_size=2000,
        )
    return {str(kind): len(pairs) for kind, pairs in moves.items()}


def moved_to(*, kind: str, old_id: int) -> int | None:
    """The id an object that no longer exists became, or None."""
    return (
        MovedObject.objects.filter(kind=kind, old_id=old_id)
        .values_list("new_id", flat=True)
        .first()
    )


# Where a moved object must now be visible to be redirected to: the same doors as its page.
_PUBLISHED = {
    Kind.PLAN: plan_selectors.plans_published,
    Kind.ACTION: plan_selectors.actions_published,
}


def moved_redirect(*, kind: str, old_id: int, to: str) -> HttpResponsePermanentRedirect | None:
    """301 to URL ``to`` (a URL name taking the id) of what ``old_id`` became, if it is public.

    Call it only for an id that does not answer: ids are never reused, so an id with a move
    recorded has no object of its own. A move to an unpublished object answers None (404).
    """
    new_id = moved_to(kind=kind, old_id=old_id)
    if new_id is None or not _PUBLISHED[kind]().filter(pk=new_id).exists():
        return None
    return HttpResponsePermanentRedirect(reverse(to, args=[new_id]))
