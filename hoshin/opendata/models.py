"""When each open dataset last changed, recorded from the one "public data changed" signal.

The rows themselves carry no reliable date (nodes and actions have none, and a withdrawn plan
leaves no row behind), so the catalogue's 最終更新日 and the downloads' Last-Modified come from
here: hoshin.changes.channel announces every change to what citizens can see, inside the
writing transaction, and ``record_changes`` stamps the datasets it affects.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Which datasets a change of each kind of object can alter.
PLAN_DATASETS = (
    "plans",
    "nodes",
    "actions",
    "departments",
    "sheets",
    "indicators",
    "costs",
    "effects",
)
SHEET_DATASETS = ("sheets", "indicators", "costs", "effects")
DEPARTMENT_DATASETS = ("departments", "actions", "sheets")


class DatasetChange(models.Model):
    dataset = models.CharField(_("データセット"), max_length=30, unique=True)
    changed_at = models.DateTimeField(_("最終更新日時"))

    class Meta:
        verbose_name = _("データセットの更新")
        verbose_name_plural = _("データセットの更新")

    def __str__(self) -> str:
        return f"{self.dataset} {self.changed_at:%Y-%m-%d %H:%M}"


def affected_datasets(*, plan_ids=(), sheet_ids=(), department_ids=(), action_ids=()) -> set[str]:
    """The datasets a change of these objects may alter."""
    names: set[str] = set()
    if plan_ids or action_ids:
        names.update(PLAN_DATASETS)
    if sheet_ids:
        names.update(SHEET_DATASETS)
    if department_ids:
        names.update(DEPARTMENT_DATASETS)
    return names


def record_changes(
    sender=None, *, plan_ids=(), sheet_ids=(), department_ids=(), action_ids=(), **kwargs
):
    """Receiver of ``public_data_changing``: stamp the affected datasets with the time now.

    It runs inside the writer's transaction, so a rolled-back edit leaves no stamp. Changes of
    draft data stamp too (the signal does not say what was published): a Last-Modified that is
    a little too recent only costs a download, never shows stale data.
    """
    names = affected_datasets(
        plan_ids=plan_ids, sheet_ids=sheet_ids, department_ids=department_ids, action_ids=action_ids
    )
    if not names:
        return
    now = timezone.now()
    updated = set(DatasetChange.objects.filter(dataset__in=names).values_list("dataset", flat=True))
    DatasetChange.objects.filter(dataset__in=updated).update(changed_at=now)
    DatasetChange.objects.bulk_create(
        [DatasetChange(dataset=name, changed_at=now) for name in sorted(names - updated)],
        ignore_conflicts=True,  # a concurrent writer created it first: its stamp is as good
    )
