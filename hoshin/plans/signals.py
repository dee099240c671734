"""Plans tell the change channel when something citizens can see has changed (see
``hoshin.changes.channel``). Connected from ``PlansConfig.ready``."""

from hoshin.changes.channel import announce, cascaded, watch


def _on_plan(sender, instance, **kwargs):
    announce(plan_ids=[instance.pk])


def _on_node(sender, instance, **kwargs):
    """A node: its title is in the path of everything below it, so the whole plan changes."""
    if not cascaded(instance, kwargs):
        announce(plan_ids=[instance.plan_id])


def _on_action(sender, instance, **kwargs):
    if not cascaded(instance, kwargs):
        announce(action_ids=[instance.pk])


def _on_action_part(sender, instance, **kwargs):
    """A responsibility line, key project or note: its action (or, for a node's note, the plan)."""
    if cascaded(instance, kwargs):
        return
    if getattr(instance, "action_id", None) is not None:
        # The action covers its lines: announcing the line's department too would make the
        # search re-read every action of that department (department_ids mean "renamed").
        announce(action_ids=[instance.action_id])
        return
    from hoshin.plans.models import PlanNode

    plan_id = PlanNode.objects.filter(pk=instance.node_id).values_list("plan_id", flat=True)
    announce(plan_ids=[plan_id.first()])


def connect() -> None:
    """Hook the plan models to the change channel."""
    from hoshin.plans.models import Action, ActionDepartment, KeyProject, Note, Plan, PlanNode

    watch(Plan, _on_plan)
    watch(PlanNode, _on_node)
    watch(Action, _on_action)
    for model in (Note, ActionDepartment, KeyProject):
        watch(model, _on_action_part)
