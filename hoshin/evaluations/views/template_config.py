"""The planning office's pages for a plan's evaluation template and the staff unit cost.

    /staff/plans/<plan_id>/evaluation-template/         edit the template (GET, POST)
    /staff/plans/<plan_id>/evaluation-template/reset/   back to the defaults (POST)
    /staff/unit-costs/                                  人件費単価 per fiscal year (GET, POST)

Planning office and administrators only; other staff get 403, anonymous visitors the login
page. The forms only parse what staff typed; the rules live in services/templates.py.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hoshin.evaluations import defaults
from hoshin.evaluations.models import EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.services.cycle import template_for
from hoshin.evaluations.services.templates import (
    SCALE_FIELDS,
    TemplateSaved,
    plan_level_count,
    scale_label,
    sheets_following_template,
    staff_unit_cost_set,
    template_reset_to_defaults,
    template_update,
)
from hoshin.lib.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from hoshin.lib.forms import AccessibleFormMixin
from hoshin.org.roles import planning_office_required
from hoshin.plans.models import Plan

SCALE_HELP = {
    "viewpoints": _("例: necessity|必要性|市が関与し続ける必要があるか"),
    "viewpoint_scale": _("例: 4|4|高い"),
    "grades": _("例: A|A|順調に成果が上がっている"),
    "directions": _("例: expand|拡充"),
    "progress_statuses": _("例: in_progress|取組中"),
    "progress_grades": _("例: S|S|特に良好"),
}


def scale_to_text(items: list[dict]) -> str:
    """``code|label|meaning`` per line, the way the form shows a scale."""
    lines = []
    for item in items:
        parts = [item.get("code", ""), item.get("label", "")]
        if item.get("meaning"):
            parts.append(item["meaning"])
        lines.append("|".join(parts))
    return "\n".join(lines)


def text_to_scale(text: str) -> list[dict]:
    """Parse the textarea: one item per line, ``code|label|meaning``; ``label`` alone is both.

    Blank lines are skipped; the services report problems as "N件目" (N-th non-blank line).
    """
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.replace("｜", "|").split("|")]
        if len(parts) == 1:
            parts = [parts[0], parts[0]]
        items.append({"code": parts[0], "label": parts[1], "meaning": "|".join(parts[2:]).strip()})
    return items


class TemplateForm(AccessibleFormMixin, forms.Form):
    viewpoints = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    viewpoint_scale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    grades = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    directions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    progress_statuses = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    progress_grades = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    blocks = forms.MultipleChoiceField(
        label=_("シートの構成"),
        required=False,
        choices=list(defaults.ALL_BLOCKS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("評価シートに含める欄を選びます。"),
    )
    node_depths = forms.TypedMultipleChoiceField(
        label=_("施策評価を行う階層"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "選んだ階層の節ごとにも評価シートを作ります（次に年度を開始したときから）。"
            "取組（実施内容）ごとのシートは常に作られます。"
        ),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SCALE_FIELDS:
            field = self.fields[name]
            field.label = scale_label(name)
            field.help_text = gettext("1行に1件、「コード|名称|説明」の形で入力します。") + str(
                SCALE_HELP[name]
            )
        self.fields["node_depths"].choices = [
            (depth, f"{plan.level_name(depth)}（{depth + 1}段目）")
            for depth in range(plan_level_count(plan=plan))
        ]
        self._describe_fields()

    def values(self) -> dict:
        """The cleaned values as template_update takes them."""
        data = self.cleaned_data
        values = {name: text_to_scale(data.get(name, "")) for name in SCALE_FIELDS}
        values["blocks"] = list(data.get("blocks") or [])
        values["node_depths"] = list(data.get("node_depths") or [])
        return values


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


class UnitCostForm(AccessibleFormMixin, forms.Form):
    fy = forms.CharField(label=_("年度"), max_length=20, help_text=_("例: 2026、令和8年度、R8"))
    amount = forms.CharField(
        label=_("人件費単価（千円／人）"),
        max_length=20,
        help_text=_("職員1人が1年間従事した場合の人件費（千円）。例: 8,000"),
    )

    def clean_fy(self) -> int:
        try:
            return parse_fiscal_year(self.cleaned_data["fy"])
        except FiscalYearError as exc:
            raise ValidationError(str(exc)) from None


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
