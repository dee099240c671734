"""Departments tell the change channel when a name citizens can see may have changed (see
``hoshin.changes.channel``). Connected from ``OrgConfig.ready``."""

from hoshin.changes.channel import announce, watch, watch_links


def _on_department(sender, instance, **kwargs):
    announce(department_ids=[instance.pk])


def _on_department_change_links(sender, instance, action, pk_set, **kwargs):
    """A reorganisation links departments (predecessors, successors) and may make one public."""
    if action in ("post_add", "post_remove") and pk_set:
        announce(department_ids=pk_set)


def connect() -> None:
    """Hook the department models to the change channel, and accounts to the audit trail."""
    from hoshin.org import audit_hooks
    from hoshin.org.models import Department, DepartmentChange

    audit_hooks.connect()
    watch(Department, _on_department)
    for through in (DepartmentChange.predecessors.through, DepartmentChange.successors.through):
        watch_links(through, _on_department_change_links)
