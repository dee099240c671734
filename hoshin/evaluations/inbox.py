"""Evaluation sheets in the staff inbox (マイタスク): registered with ``hoshin.org.inbox``.

The sheets come from ``selectors.tasks.tasks_for``, which already asks the role predicates which
step of which department's sheets is this user's; this module only words them for the inbox.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.evaluations.models import Stage
from hoshin.evaluations.selectors.tasks import tasks_for
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.inbox import InboxItem

KIND = "sheets"
LABEL = gettext_lazy("評価シート")


def _reason(stage: str) -> str:
    """Why the sheet waits for this user: the step of the workflow that is theirs."""
    return {
        Stage.DRAFT: _("担当者として入力し、提出してください"),
        Stage.RETURNED: _("差し戻されました。修正して再提出してください"),
        Stage.SUBMITTED: _("所属長として確認し、承認してください（一次評価）"),
        Stage.APPROVED: _("企画担当として審査してください（二次評価）"),
        Stage.FINAL: _("企画担当として公表してください"),
    }.get(stage, "")


def sheet_inbox_items(*, user, today: datetime.date) -> list[InboxItem]:
    """The sheets whose next step is ``user``'s, with the due date of that step."""
    items = []
    for group in tasks_for(user=user, today=today):
        for task in group.tasks:
            sheet = task.sheet
            department = sheet.department.name if sheet.department else _("全庁（企画担当）")
            items.append(
                InboxItem(
                    kind=KIND,
                    title=str(sheet.subject),
                    reason=_reason(sheet.stage),
                    url=reverse("evaluations:sheet", args=[sheet.pk]),
                    due=task.due,
                    since=timezone.localdate(sheet.updated_at),
                    context=f"{sheet.cycle.plan.name} {format_fiscal_year(sheet.cycle.fy)}"
                    f" ・ {department}",
                    state=sheet.get_stage_display(),
                )
            )
    return items
