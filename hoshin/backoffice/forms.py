"""Forms of the back office. Field errors and help texts are tied to their inputs for screen readers."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoshin.lib.encodings import DecodeError
from hoshin.lib.forms import AccessibleFormMixin
from hoshin.plans.formats.base import ParsedPlan, PlanFormatError, registered_formats
from hoshin.plans.formats.detect import parse_plan_file


def _format_labels() -> str:
    return "、".join(plan_format.label for plan_format in registered_formats())


class PlanImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(label=_("計画ファイル"))
    plan_name = forms.CharField(
        label=_("計画名"),
        max_length=200,
        required=False,
        help_text=_("空欄なら原資料の表題を計画名にします。"),
    )
    create_departments = forms.BooleanField(
        label=_("部署マスタにない部署を新しく登録する"), required=False
    )
    replace = forms.BooleanField(label=_("同じ名前の計画があれば置き換える"), required=False)

    parsed: ParsedPlan | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The formats are plugins: list the ones installed rather than a fixed text.
        self.fields["file"].help_text = gettext(
            "対応形式: %(formats)s。テキストは UTF-8（BOM付き・なし）または Shift_JIS で保存してください。"
        ) % {"formats": _format_labels()}
        self._describe_fields()

    def clean(self):
        data = super().clean()
        uploaded = data.get("file")
        if uploaded is None:
            return data
        limit = settings.PLAN_IMPORT_MAX_BYTES
        if uploaded.size > limit:
            self.add_error(
                "file",
                gettext("ファイルが大きすぎます（上限 %(limit)d MB）。")
                % {"limit": limit // 1_000_000},
            )
            return data
        content = uploaded.read()
        uploaded.seek(0)
        try:
            self.parsed = parse_plan_file(content, uploaded.name)
        except (PlanFormatError, DecodeError) as exc:
            self.add_error("file", str(exc))
            return data
        name = (data.get("plan_name") or "").strip() or self.parsed.source_title.strip()
        if not name:
            self.add_error(
                "plan_name", gettext("原資料に表題がありません。計画名を入力してください。")
            )
        data["plan_name"] = name[:200]
        return data


class PlanImportConfirmForm(AccessibleFormMixin, forms.Form):
    create_departments = forms.BooleanField(
        label=_("部署マスタにない部署を新しく登録する"), required=False
    )
    replace = forms.BooleanField(
        label=_("同じ名前の計画があれば置き換える"),
        required=False,
        help_text=_("置き換えると、今ある計画とその取組はすべて削除されます。"),
    )


class PlanPublishForm(forms.Form):
    published = forms.BooleanField(required=False)


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    """The filters of the administrators' audit log (/staff/audit/); every field optional."""

    date_from = forms.DateField(
        label=_("期間（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("期間（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(
        label=_("操作者"),
        required=False,
        max_length=150,
        help_text=_("ユーザー名または職員ID"),
    )
    verb = forms.CharField(
        label=_("操作"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "audit-verbs"}),
        help_text=_("例: voice.personal_data_view。「voice.」のように末尾を「.」にすると前方一致"),
    )
    target_type = forms.CharField(
        label=_("対象の種類"), required=False, max_length=60, help_text=_("例: voices.citizenvoice")
    )
    target_id = forms.CharField(label=_("対象ID"), required=False, max_length=40)
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    encoding = forms.ChoiceField(
        label=_("CSVの文字コード"),
        required=False,
        choices=[("utf-8", _("UTF-8（BOM付き）")), ("cp932", _("Shift_JIS（CP932）"))],
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("期間の終わりが始まりより前です。"))
        return data
