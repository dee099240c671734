"""Forms of the bulk round trip (views/bulk.py): what to download, the file to upload."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations.bulk.errors import BulkFormatError
from hoshin.evaluations.bulk.readers import check_upload_size
from hoshin.evaluations.models import EvaluationCycle
from hoshin.evaluations.selectors.access import own_department_ids, user_sees_all_sheets
from hoshin.lib.forms import AccessibleFormMixin
from hoshin.org.models import Department

ALL_DEPARTMENTS = "all"
FORMATS = (("xlsx", _("Excel ブック（.xlsx）")), ("json", _("JSON")))


def bulk_cycles():
    """Evaluation years offered on the page: by plan, newest first."""
    return EvaluationCycle.objects.select_related("plan").order_by("plan__name", "-fy")


def bulk_departments(user) -> list[Department]:
    """Departments whose sheets ``user`` may download, in the master's order."""
    departments = Department.objects.select_related("parent__parent")
    if not user_sees_all_sheets(user=user):
        departments = departments.filter(pk__in=own_department_ids(user=user))
    return list(departments.in_org_order())


class CycleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EvaluationCycle) -> str:
        return str(obj)


class BulkDownloadForm(AccessibleFormMixin, forms.Form):
    cycle = CycleField(label=_("計画と年度"), queryset=EvaluationCycle.objects.none())
    department = forms.ChoiceField(label=_("部署"))
    file_format = forms.ChoiceField(
        label=_("形式"),
        choices=FORMATS,
        initial="xlsx",
        help_text=_("JSON は他のシステムとの連携用です。Excel で入力するときは .xlsx を選びます。"),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "download_%s")  # both forms share a page: distinct ids
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = bulk_cycles()
        self.departments = {str(d.pk): d for d in bulk_departments(user)}
        choices = [(pk, d.name) for pk, d in self.departments.items()]
        if user_sees_all_sheets(user=user):
            choices.insert(0, (ALL_DEPARTMENTS, gettext("全部署")))
        self.fields["department"].choices = choices
        if getattr(user, "department_id", None) and str(user.department_id) in self.departments:
            self.fields["department"].initial = str(user.department_id)


class BulkUploadForm(AccessibleFormMixin, forms.Form):
    cycle = CycleField(
        label=_("計画と年度"),
        queryset=EvaluationCycle.objects.none(),
        help_text=_("ファイルに書かれた計画・年度と照合します。違うファイルは取り込みません。"),
    )
    file = forms.FileField(
        label=_("入力したファイル"),
        help_text=_("この画面で書き出した Excel ブック（.xlsx）または JSON ファイル。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "upload_%s")
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = bulk_cycles()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload_size(uploaded.size)  # before the file is read
        except BulkFormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        return uploaded
