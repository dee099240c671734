"""The public-hearing office's form for voices that arrive by post, box, fax, phone, e-mail…"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hoshin.voices.forms.public import VoiceFormBase
from hoshin.voices.models import Channel

STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]


class StaffVoiceForm(VoiceFormBase):
    """A voice typed in by staff: how and when it arrived, then the same fields as the web form."""

    channel = forms.ChoiceField(
        label=_("受付経路"),
        choices=[("", _("選んでください")), *STAFF_CHANNELS],
        error_messages={"required": _("受付経路を選んでください。")},
    )
    received_on = forms.DateField(
        label=_("受付日"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("受付日を入力してください。"),
            "invalid": _("受付日は 2026-04-01 の形で入力してください。"),
        },
        help_text=_("手紙・投書が市に届いた日。回答期限はこの日から数えます。"),
    )

    FIELDSETS = [
        (_("受付"), ["channel", "received_on"]),
        (_("内容"), ["kind", "subject", "body", "category", "attachments"]),
        (_("投稿者（わかる範囲で）"), ["name", "age_band", "district"]),
        (_("投稿者の連絡先"), ["email", "phone", "postal_address"]),
        (_("投稿者の希望"), ["wants_reply", "notify_results", "publish_consent"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
        self.fields["email"].help_text = _(
            "入力すると、受付番号と照会キーを投稿者にメールでお知らせします。"
        )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("受付日に未来の日付は指定できません。"))
        return day

    def voice_fields(self) -> dict:
        return {
            **super().voice_fields(),
            "channel": self.cleaned_data["channel"],
            "received_on": self.cleaned_data["received_on"],
        }
