"""Atom feeds of newly published evaluation results: site-wide, per plan and per department.

Entries are published sheets of published plans only (``sheets_published()``), newest
publication first, the latest 50. An entry links to the result's year on the action page (or
to the node in the plan tree for a 施策評価) and has a stable tag URI as its id. The feeds are
public pages like any other: ``public_page`` caches them and answers 304.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hoshin.changes.page_cache import public_page
from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.selectors import public as results_selectors
from hoshin.lib.city import portal_name
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.plans import links
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import Plan
from hoshin.portal import selectors

FEED_SIZE = 50
# The date in the ids of feeds that have no creation date of their own (RFC 4151 only asks
# for a day on which the city held its domain).
TAG_DATE = datetime.date(2024, 4, 1)


def _tag_authority() -> str:
    """The domain in tag URIs: the city's own address, so ids do not change with the host asked."""
    return urlsplit(settings.HOSHIN_BASE_URL).hostname or "localhost"


def tag_uri(*, day, specific: str) -> str:
    """A tag URI (RFC 4151), e.g. ``tag:city.example.jp,2025-06-01:results/12``."""
    return f"tag:{_tag_authority()},{day:%Y-%m-%d}:{specific}"


def _label(sheet: EvaluationSheet, scale: str, code: str) -> str:
    """The label of a grade or direction in the sheet's own (frozen) scale."""
    return sheet.scale_label(scale, code) if code else _("なし")


class ResultsFeed(Feed):
    """Newly published results of every published plan."""

    feed_type = Atom1Feed

    def site_name(self) -> str:
        return portal_name()

    def title(self, obj=None) -> str:
        return _("評価結果の公表 | %(site)s") % {"site": self.site_name()}

    def subtitle(self, obj=None) -> str:
        return _("公表された評価結果（新しい順、最新%(count)d件）") % {"count": FEED_SIZE}

    def link(self, obj=None) -> str:
        return reverse("portal:home")

    def feed_guid(self, obj=None) -> str:
        return tag_uri(day=TAG_DATE, specific="results")

    def sheets(self, obj=None):
        return results_selectors.sheets_published()

    def items(self, obj=None) -> list[EvaluationSheet]:
        return list(
            self.sheets(obj)
            .select_related("cycle__plan", "action", "node", "department")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, sheet: EvaluationSheet) -> str:
        subject = sheet.action.heading if sheet.action_id else sheet.node.label
        return _("%(subject)s — %(year)s 総合評価：%(grade)s") % {
            "subject": subject,
            "year": format_fiscal_year(sheet.cycle.fy),
            "grade": _label(sheet, "grades", sheet.overall_grade),
        }

    def item_description(self, sheet: EvaluationSheet) -> str:
        # Atom1Feed writes the description as <summary type="html">: a reader parses it as HTML
        # after undoing the XML escaping, so plan and department names must be HTML-escaped
        # here (a name with "<script>" or "&" is text, not markup).
        parts = [
            _("計画：%(plan)s") % {"plan": sheet.cycle.plan.name},
            _("今後の方向性：%(direction)s")
            % {"direction": _label(sheet, "directions", sheet.future_direction)},
        ]
        if sheet.department_id:
            parts.append(_("担当課：%(department)s") % {"department": sheet.department.name})
        return escape(" / ".join(parts))

    def item_link(self, sheet: EvaluationSheet) -> str:
        if sheet.action_id:
            return f"{sheet.action.get_absolute_url()}#result-{sheet.cycle.fy}"
        return f"{sheet.cycle.plan.get_absolute_url()}#node-{sheet.node_id}"

    def item_guid(self, sheet: EvaluationSheet) -> str:
        # The sheet's creation day, not its publication: withdrawing and publishing again, or
        # correcting the sheet, keeps the entry's identity.
        return tag_uri(day=timezone.localdate(sheet.created_at), specific=f"results/{sheet.pk}")

    item_guid_is_permalink = False

    def item_updateddate(self, sheet: EvaluationSheet):
        return sheet.published_at

    def item_pubdate(self, sheet: EvaluationSheet):
        return sheet.published_at

    def item_categories(self, sheet: EvaluationSheet) -> list[str]:
        return [sheet.cycle.plan.name]


class PlanResultsFeed(ResultsFeed):
    """Newly published results of one published plan."""

    def get_object(self, request, plan_id: int) -> Plan:
        try:
            return plan_selectors.plan_get_published(plan_id=plan_id)
        except Plan.DoesNotExist:
            raise Http404(_("計画が見つかりません。")) from None

    def title(self, obj: Plan) -> str:
        return _("%(plan)sの評価結果 | %(site)s") % {"plan": obj.name, "site": self.site_name()}

    def link(self, obj: Plan) -> str:
        return obj.get_absolute_url()

    def feed_guid(self, obj: Plan) -> str:
        return tag_uri(day=timezone.localdate(obj.created_at), specific=f"plans/{obj.pk}/results")

    def sheets(self, obj: Plan):
        return results_selectors.sheets_published().filter(cycle__plan=obj)


class DepartmentResultsFeed(ResultsFeed):
    """Newly published results a public department was responsible for that year."""

    def get_object(self, request, department_id: int) -> Department:
        try:
            return selectors.department_get_public(department_id=department_id)
        except Department.DoesNotExist:
            raise Http404(_("部署が見つかりません。")) from None

    def title(self, obj: Department) -> str:
        return _("%(department)sの評価結果 | %(site)s") % {
            "department": obj.name,
            "site": self.site_name(),
        }

    def link(self, obj: Department) -> str:
        return obj.get_absolute_url()

    def feed_guid(self, obj: Department) -> str:
        return tag_uri(day=TAG_DATE, specific=f"departments/{obj.pk}/results")

    def sheets(self, obj: Department):
        return results_selectors.sheets_published().filter(department=obj)


_results_feed = ResultsFeed()
_plan_feed = PlanResultsFeed()
_department_feed = DepartmentResultsFeed()


@require_safe
@public_page
def results_feed(request):
    return _results_feed(request)


@require_safe
@public_page
def plan_feed(request, plan_id: int):
    try:
        return _plan_feed(request, plan_id=plan_id)
    except Http404:
        moved = links.moved_redirect(kind=links.Kind.PLAN, old_id=plan_id, to="portal:plan_feed")
        if moved is None:
            raise
        return moved


@require_safe
@public_page
def department_feed(request, department_id: int):
    return _department_feed(request, department_id=department_id)
