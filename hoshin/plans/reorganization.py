"""What a reorganisation of departments does to plans (registered with ``hoshin.org``).

See ``hoshin.org.reorganization.department_reorganize`` for the rules: open responsibility lines
of running plans are closed and reopened for the successor (or re-pointed when they were never
in force before), and running plans owned by a predecessor pass to the heir.
"""

from django.db.models import Q

from hoshin.org.reorganization import Reorganization
from hoshin.plans.models import ActionDepartment, Plan


def plans_handover(reorganization: Reorganization) -> int:
    """Hand over the predecessors' open responsibilities and running plans; return how many
    plans changed owner (the line counts go to ``reorganization.result``)."""
    effective_fy = reorganization.effective_fy
    predecessor_ids = reorganization.predecessor_ids
    handover = reorganization.handover
    by_name = reorganization.by_name
    heir = reorganization.heir
    result = reorganization.result
    last_fy = effective_fy - 1
    running = Q(action__plan__end_fy__isnull=True) | Q(action__plan__end_fy__gte=effective_fy)
    lines = list(
        ActionDepartment.objects.select_for_update()
        .filter(running, department__in=predecessor_ids, valid_until_fy__isnull=True)
        .select_related("action__plan")
        .order_by("action_id", "position", "id")
    )
    # Successor lines opened for each action in this run: a merge must not add one twice.
    opened: dict[tuple[int, int], ActionDepartment] = {}
    orphaned: set[int] = set()
    for line in lines:
        target = by_name[handover[line.action_id]] if line.action_id in handover else heir
        plan_start = line.action.plan.start_fy
        never_in_force_before = (
            line.valid_from_fy is not None and line.valid_from_fy >= effective_fy
        ) or (line.valid_from_fy is None and plan_start is not None and plan_start >= effective_fy)
        if target is None:
            # Abolished without successor: the line ends, the action has to be given a new one.
            if never_in_force_before:
                line.delete()
            else:
                line.valid_until_fy = last_fy
                line.save(update_fields=["valid_until_fy"])
            orphaned.add(line.action_id)
            continue
        key = (line.action_id, target.pk)
        existing = opened.get(key)
        if never_in_force_before:
            if existing is not None:
                was_lead = line.is_lead
                line.delete()
                _keep_lead(existing, was_lead)
            else:
                line.department = target
                line.save(update_fields=["department"])
                opened[key] = line
                result.repointed += 1
            continue
        # Close first: the old line may be the current lead, and only one may be open.
        line.valid_until_fy = last_fy
        line.save(update_fields=["valid_until_fy"])
        result.handed_over += 1
        if existing is not None:
            _keep_lead(existing, line.is_lead)
            continue
        opened[key] = ActionDepartment.objects.create(
            action_id=line.action_id,
            position=line.position,
            department=target,
            is_lead=line.is_lead,
            valid_from_fy=effective_fy,
        )
    result.orphaned_actions = sorted(orphaned)

    if heir is None:
        return 0
    return (
        Plan.objects.filter(owner_department__in=predecessor_ids)
        .filter(Q(end_fy__isnull=True) | Q(end_fy__gte=effective_fy))
        .update(owner_department=heir)
    )


def _keep_lead(line, was_lead: bool) -> None:
    """Two merged lines become one (the earlier in order); it leads if either line did."""
    if was_lead and not line.is_lead:
        line.is_lead = True
        line.save(update_fields=["is_lead"])
