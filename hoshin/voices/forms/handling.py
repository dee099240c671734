"""Forms of the staff pages for handling voices (routing, replies, publication, privacy)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.forms import EmptyChoiceMixin
from hoshin.org.models import TEXT_LIMIT, Department
from hoshin.org.widgets import DepartmentMultipleChoiceField
from hoshin.voices.models import Channel, CitizenVoice, VoiceCategory, VoiceReply, VoiceStatus
from hoshin.voices.services.replies import TRANSITIONS

NOTE_LIMIT = 2000


def _text(label, *, required=False, rows=3, limit=NOTE_LIMIT, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class VoiceFilterForm(EmptyChoiceMixin, forms.Form):
    empty_choice_is_filter = True
    status = forms.ChoiceField(label=_("状況"), required=False)
    department = forms.ModelChoiceField(
        label=_("担当課（主管・関係）"), queryset=Department.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=_("受付経路"), required=False, choices=[("", _("すべて")), *Channel.choices]
    )
    fy = forms.TypedChoiceField(label=_("受付年度"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("件名・内容に含む語"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("回答期限を過ぎたものだけ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("すべて")),
            ("open", _("対応中（受付・担当課決定・回答作成中）")),
            *VoiceStatus.choices,
        ]
        self.fields["department"].queryset = Department.objects.current()
        self.fields["department"].empty_label = _("すべて")
        years = sorted(set(CitizenVoice.objects.values_list("fy", flat=True)), reverse=True)
        self.fields["fy"].choices = [("", _("すべて"))] + [
            (fy, format_fiscal_year(fy)) for fy in years
        ]


class RouteForm(EmptyChoiceMixin, forms.Form):
    prefix = "route"
    category = forms.ModelChoiceField(
        label=_("分類"), queryset=VoiceCategory.objects.none(), required=False
    )
    lead_department = forms.ModelChoiceField(
        label=_("主管課"), queryset=Department.objects.none(), required=False, empty_label=_("未定")
    )
    co_departments = DepartmentMultipleChoiceField(
        label=_("関係課"),
        required=False,
        help_text=_("主管課のほかに対応する課をすべて選びます。"),
    )
    mayor_flag = forms.BooleanField(label=_("市長決裁が必要"), required=False)
    note = _text(_("職員用メモ"))
    public_note = _text(
        _("本人に表示する説明（任意）"), help_text=_("状況照会のページで投稿者に表示されます。")
    )

    def __init__(self, *args, voice: CitizenVoice, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "category": voice.category_id,
                "lead_department": voice.lead_department_id,
                "co_departments": list(voice.co_departments.values_list("pk", flat=True)),
                "mayor_flag": voice.mayor_flag,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = VoiceCategory.objects.filter(is_active=True) | (
            VoiceCategory.objects.filter(pk=voice.category_id)
        )
        departments = Department.objects.current()
        self.fields["lead_department"].queryset = departments
        self.fields["co_departments"].queryset = departments.select_related("parent")


class CloseForm(forms.Form):
    prefix = "close"
    reason = _text(
        _("回答なしで終了する理由（本人に表示）"),
        required=True,
        help_text=_("例: 回答を希望されていないため、ご意見として承りました。"),
    )
    note = _text(_("職員用メモ"), rows=2)


class ForwardForm(forms.Form):
    prefix = "forward"
    to = forms.CharField(
        label=_("回送先（本人に表示）"),
        max_length=200,
        help_text=_("例: ○○県 道路整備課、○○警察署"),
    )
    note = _text(_("職員用メモ"), rows=2)


class ReopenForm(forms.Form):
    prefix = "reopen"
    reason = _text(_("再開する理由"), required=True, rows=2)


class NoteForm(forms.Form):
    prefix = "note"
    note = _text(_("職員用メモ"), rows=2)
    public_note = _text(
        _("本人に表示する説明（任意）"),
        rows=2,
        help_text=_("例: 関係機関と調整しているため、回答が遅れています。"),
    )


class ActionSearchForm(forms.Form):
    q = forms.CharField(label=_("取組を検索（取組名・内容・番号）"), max_length=100)


class ActionLinkForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)


class ReplyForm(forms.Form):
    prefix = "reply"
    body = _text(
        _("回答"),
        rows=14,
        limit=TEXT_LIMIT,
        help_text=_(
            "宛名・あいさつ文・担当課は送付時に自動で付きます。投稿者の氏名や連絡先は書かないでください。"
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReplyTransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(name, t.label) for name, t in TRANSITIONS.items()])
    comment = _text(_("コメント"), rows=2)


class SendForm(forms.Form):
    prefix = "send"
    method = forms.ChoiceField(
        label=_("送付方法"), choices=VoiceReply.Method.choices, widget=forms.RadioSelect
    )


PURPOSES = [
    ("reply", _("回答の送付・連絡のため")),
    ("inquiry", _("投稿者からの問い合わせに対応するため")),
    ("confirm", _("内容を投稿者に確認するため")),
    ("intake", _("受付内容（氏名・連絡先）の確認・訂正のため")),
]


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=_("閲覧の目的"), choices=PURPOSES, widget=forms.RadioSelect)


class PublicationForm(forms.Form):
    prefix = "publication"
    title = forms.CharField(label=_("件名（公表用）"), max_length=200)
    summary = _text(_("要旨（公表用）"), required=True, rows=10, limit=TEXT_LIMIT)
    reply_text = _text(_("回答（公表用）"), required=True, rows=10, limit=TEXT_LIMIT)


class ProposeForm(forms.Form):
    prefix = "propose"
    summary = _text(
        _("要旨の元にする文章（任意）"),
        rows=6,
        limit=TEXT_LIMIT,
        help_text=_("空欄なら投稿の本文を元にします。要約を書いた場合もマスキングを行います。"),
    )


class PublishForm(forms.Form):
    prefix = "publish"
    confirmed_not_personal = forms.BooleanField(
        label=_("検出された語句は個人情報ではないことを確認しました"), required=False
    )


class UnpublishForm(forms.Form):
    prefix = "unpublish"
    reason = _text(_("取り下げる理由"), required=True, rows=2)
