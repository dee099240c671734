"""Forms of a plan's evaluation template and the staff unit cost (views/template_config.py).

They only parse what staff typed; the rules live in services/templates.py.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import defaults
from hoshin.evaluations.services.templates import SCALE_FIELDS, plan_level_count, scale_label
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
from hoshin.lib.forms import AccessibleFormMixin
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
