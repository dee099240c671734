"""The planning office's pages for a plan's evaluation template and the staff unit cost.

    /staff/plans/<plan_id>/evaluation-template/         edit the template (GET, POST)
    /staff/plans/<plan_id>/evaluation-template/reset/   back to the defaults (POST)
    /staff/unit-costs/                                  人件費単価 per fiscal year (GET, POST)

Planning office and administrators only; other staff get 403, anonymous visitors the login
page. The forms only parse what staff typed; the rules live in services/templates.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hoshin.evaluations.forms.template_config import (
    TemplateForm,
    UnitCostForm,
    scale_to_text,
)
from hoshin.evaluations.models import EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.services.cycle import template_for
from hoshin.evaluations.services.templates import (
    SCALE_FIELDS,
    TemplateSaved,
    sheets_following_template,
    staff_unit_cost_set,
    template_reset_to_defaults,
    template_update,
)
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.roles import planning_office_required
from hoshin.plans.models import Plan


def _initial(template) -> dict:
    initial = {name: scale_to_text(getattr(template, name)) for name in SCALE_FIELDS}
    initial["blocks"] = list(template.blocks)
    initial["node_depths"] = list(template.node_depths or [])
    return initial


def _saved_messages(request: HttpRequest, saved: TemplateSaved) -> None:
    if not saved.changed:
        messages.info(request, gettext("変更はありませんでした。"))
        return
    messages.success(
        request,
        gettext("様式を保存しました。作成中・差し戻しのシート %(n)d 件に反映しました。")
        % {"n": saved.sheets_refreshed},
    )
    if saved.values_cleared:
        messages.warning(
            request,
            gettext(
                "なくなった区分が入力されていた %(n)d 項目を空欄にしました"
                "（各シートの変更履歴に残っています）。"
            )
            % {"n": saved.values_cleared},
        )


def _page(request: HttpRequest, template: str, context: dict, crumbs) -> HttpResponse:
    return render(
        request,
        template,
        {"can_manage": True, "crumbs": crumbs, "nav_section": "", **context},
    )


@planning_office_required
def template_config(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Edit one plan's template; changes reach draft and returned sheets only."""
    plan = get_object_or_404(Plan, pk=plan_id)
    template = template_for(plan=plan)
    if request.method == "POST":
        form = TemplateForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                saved = template_update(plan=plan, by=request.user, **form.values())
            except ValidationError as exc:
                form.add_error(None, exc)
                form._describe_fields()
            else:
                _saved_messages(request, saved)
                return redirect("evaluations:template_config", plan_id=plan.pk)
    else:
        form = TemplateForm(initial=_initial(template), plan=plan)
    url = reverse("evaluations:template_config", args=[plan.pk])
    return _page(
        request,
        "evaluations/template_config/edit.html",
        {
            "plan": plan,
            "template": template,
            "form": form,
            "scale_fields": [form[name] for name in SCALE_FIELDS],
            "counts": sheets_following_template(plan=plan),
            "unit_costs": StaffUnitCost.objects.order_by("-fy")[:5],
        },
        [(gettext("評価シートの様式（%(plan)s）") % {"plan": plan.name}, url)],
    )


@planning_office_required
@require_POST
def template_reset(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Put the plan's template back to the defaults."""
    plan = get_object_or_404(Plan, pk=plan_id)
    saved = template_reset_to_defaults(plan=plan, by=request.user)
    _saved_messages(request, saved)
    return redirect("evaluations:template_config", plan_id=plan.pk)


@planning_office_required
def unit_costs(request: HttpRequest) -> HttpResponse:
    """The staff unit cost of each fiscal year; a published year's cost can no longer change."""
    if request.method == "POST":
        form = UnitCostForm(request.POST)
        if form.is_valid():
            try:
                saved = staff_unit_cost_set(
                    fy=form.cleaned_data["fy"], amount=form.cleaned_data["amount"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                form._describe_fields()
            else:
                messages.success(
                    request,
                    gettext("%(fy)sの人件費単価を%(amount)s千円にしました。")
                    % {"fy": format_fiscal_year(saved.fy), "amount": f"{saved.amount:,}"},
                )
                return redirect("evaluations:unit_costs")
    else:
        form = UnitCostForm()
    published = set(
        EvaluationSheet.objects.filter(stage=Stage.PUBLISHED)
        .values_list("cycle__fy", flat=True)
        .distinct()
    )
    rows = [
        {"unit_cost": unit_cost, "locked": unit_cost.fy in published}
        for unit_cost in StaffUnitCost.objects.order_by("-fy")
    ]
    return _page(
        request,
        "evaluations/template_config/unit_costs.html",
        {"form": form, "rows": rows},
        [(gettext("人件費単価"), reverse("evaluations:unit_costs"))],
    )
