"""The planning office's pages for evaluation years: open a year, set due dates, publish.

Thin views: each validates a form and calls ``services.cycle`` or ``services.workflow``, the
same functions ``start_fiscal_year`` and the admin use. Publishing is deliberate: a first
page says how many sheets will become public, and the POST must confirm that number.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoshin.evaluations.forms.cycles import (
    CycleStartForm,
    DueDatesForm,
    PublishConfirmForm,
    PublishForm,
)
from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.selectors.dashboard import STAGES
from hoshin.evaluations.services.cycle import cycle_set_due_dates, fiscal_year_start
from hoshin.evaluations.services.workflow import sheets_publish
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department, department_order
from hoshin.org.roles import planning_office_required
from hoshin.plans.models import Plan

# --- pages -----------------------------------------------------------------------------------


def _stage_counts(cycles) -> dict[int, dict]:
    """Sheets per stage of each cycle, in one aggregate query."""
    aggregates = {s.value: Count("pk", filter=Q(stage=s)) for s in STAGES}
    rows = (
        EvaluationSheet.objects.filter(cycle__in=cycles)
        .values("cycle")
        .annotate(total=Count("pk"), **aggregates)
    )
    return {row.pop("cycle"): row for row in rows}


def _crumbs(cycle: EvaluationCycle | None = None, *extra) -> list[tuple[str, str]]:
    crumbs = [(_("評価年度の管理"), reverse("evaluations:cycles"))]
    if cycle is not None:
        crumbs.append((str(cycle), reverse("evaluations:cycle", args=[cycle.pk])))
    return crumbs + list(extra)


def _render_list(request: HttpRequest, form: CycleStartForm, status: int = 200) -> HttpResponse:
    plans = list(Plan.objects.order_by("-start_fy", "name").prefetch_related("evaluation_cycles"))
    cycles = [cycle for plan in plans for cycle in plan.evaluation_cycles.all()]
    counts = _stage_counts(cycles)
    rows = [
        {
            "plan": plan,
            "cycles": [
                {
                    "cycle": cycle,
                    "total": counts.get(cycle.pk, {}).get("total", 0),
                    "stages": [counts.get(cycle.pk, {}).get(s.value, 0) for s in STAGES],
                }
                for cycle in sorted(plan.evaluation_cycles.all(), key=lambda c: -c.fy)
            ],
        }
        for plan in plans
    ]
    context = {
        "nav_section": "cycles",
        "crumbs": _crumbs(),
        "rows": rows,
        "stages": [Stage(s).label for s in STAGES],
        "form": form,
    }
    return render(request, "evaluations/cycles/list.html", context, status=status)


@planning_office_required
def cycles(request: HttpRequest) -> HttpResponse:
    """Every plan with its evaluation years and how far each has come; open a new year."""
    initial = {}
    if request.GET.get("plan"):
        initial["plan"] = request.GET["plan"]
    return _render_list(request, CycleStartForm(initial=initial))


@planning_office_required
@require_POST
def cycle_start(request: HttpRequest) -> HttpResponse:
    """Open a year for a plan: a sheet for every action, carried over from last year."""
    form = CycleStartForm(request.POST)
    if form.is_valid():
        plan, fy = form.cleaned_data["plan"], form.cleaned_data["fy"]
        try:
            opened = fiscal_year_start(plan=plan, fy=fy, by=request.user)
        except ValidationError as exc:
            form.add_error("fy", exc.messages)
        else:
            messages.success(
                request,
                _(
                    "%(plan)s の%(fy)sを開始しました（シート %(sheets)d 件、うち前年度から"
                    "引き継ぎ %(carried)d 件）。期限を設定してください。"
                )
                % {
                    "plan": plan.name,
                    "fy": format_fiscal_year(fy),
                    "sheets": opened.sheets,
                    "carried": opened.carried_over,
                },
            )
            return redirect("evaluations:cycle", cycle_id=opened.cycle.pk)
    return _render_list(request, form, status=400)


def _department_counts(cycle: EvaluationCycle) -> list[dict]:
    """Final (publishable) and published sheets per department, in one aggregate query."""
    return list(
        cycle.sheets.values("department", "department__name")
        .annotate(
            final=Count("pk", filter=Q(stage=Stage.FINAL)),
            published=Count("pk", filter=Q(stage=Stage.PUBLISHED)),
            total=Count("pk"),
        )
        .order_by(*department_order("department__"))
    )


def _render_cycle(
    request: HttpRequest, cycle: EvaluationCycle, due_form: DueDatesForm, status: int = 200
) -> HttpResponse:
    counts = _stage_counts([cycle]).get(cycle.pk, {})
    unit_cost = StaffUnitCost.objects.filter(fy=cycle.fy).first()
    context = {
        "nav_section": "cycles",
        "crumbs": _crumbs(cycle),
        "cycle": cycle,
        "fy_label": format_fiscal_year(cycle.fy),
        "total": counts.get("total", 0),
        "stages": [(Stage(s).label, counts.get(s.value, 0)) for s in STAGES],
        "final_count": counts.get(Stage.FINAL.value, 0),
        "departments": _department_counts(cycle),
        "due_form": due_form,
        "publish_form": PublishForm(cycle=cycle),
        "unit_cost": unit_cost,
    }
    return render(request, "evaluations/cycles/detail.html", context, status=status)


def _cycle(cycle_id: int) -> EvaluationCycle:
    return get_object_or_404(EvaluationCycle.objects.select_related("plan"), pk=cycle_id)


@planning_office_required
def cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """One plan's year: sheets per stage and department, due dates, publishing."""
    year = _cycle(cycle_id)
    form = DueDatesForm(
        initial={
            "submit_due": year.submit_due,
            "approve_due": year.approve_due,
            "review_due": year.review_due,
        }
    )
    return _render_cycle(request, year, form)


@planning_office_required
@require_POST
def cycle_due_dates(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Set the due date of each stage (reminders are sent from them)."""
    year = _cycle(cycle_id)
    form = DueDatesForm(request.POST)
    if form.is_valid():
        try:
            cycle_set_due_dates(cycle=year, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("期限を保存しました。"))
            return redirect("evaluations:cycle", cycle_id=year.pk)
    return _render_cycle(request, year, form, status=400)


def _publishable(cycle: EvaluationCycle, department: Department | None) -> int:
    sheets = cycle.sheets.filter(stage=Stage.FINAL)
    if department is not None:
        sheets = sheets.filter(department=department)
    return sheets.count()


@planning_office_required
def cycle_publish(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """GET: how many final sheets would become public; POST: publish exactly that many."""
    year = _cycle(cycle_id)
    status = 200
    if request.method == "POST":
        form = PublishConfirmForm(request.POST, cycle=year)
        if not form.is_valid():
            return _render_publish(request, year, form, None, status=400)
        department = form.cleaned_data["department"]
        expected, count = form.cleaned_data["count"], _publishable(year, department)
        if count == expected and count:
            published = sheets_publish(cycle=year, by=request.user, department=department)
            messages.success(
                request, _("%(count)d件のシートを公表しました。") % {"count": published}
            )
            return redirect("evaluations:cycle", cycle_id=year.pk)
        if count == expected:  # nothing to publish, nothing changed
            return redirect("evaluations:cycle", cycle_id=year.pk)
        messages.warning(
            request,
            _(
                "確認した後に確定済みのシートの件数が変わりました（%(before)d件 → %(now)d件）。"
                "もう一度確認してください。"
            )
            % {"before": expected, "now": count},
        )
        return _render_publish(request, year, PublishForm(cycle=year), department, status=409)
    form = PublishForm(request.GET or None, cycle=year)
    department = None
    if form.is_bound:
        if form.is_valid():
            department = form.cleaned_data["department"]
        else:
            status = 400
    return _render_publish(request, year, form, department, status=status)


def _render_publish(
    request: HttpRequest,
    cycle: EvaluationCycle,
    form: PublishForm,
    department: Department | None,
    *,
    status: int,
) -> HttpResponse:
    count = _publishable(cycle, department)
    confirm = PublishConfirmForm(
        initial={"department": department, "count": count}, cycle=cycle, auto_id="confirm_%s"
    )
    context = {
        "nav_section": "cycles",
        "crumbs": _crumbs(
            cycle, (_("公表の確認"), reverse("evaluations:cycle_publish", args=[cycle.pk]))
        ),
        "cycle": cycle,
        "fy_label": format_fiscal_year(cycle.fy),
        "department": department,
        "count": count,
        "form": form,
        "confirm": confirm,
    }
    return render(request, "evaluations/cycles/publish.html", context, status=status)
