"""Forms citizens fill in: a voice (letter, opinion, proposal) and the status-page look-up.

Length limits are checked here with a message that says how long the text is and how long
it may be; the inputs carry no ``maxlength``, because browsers silently cut pasted text at
that length. Full-width characters that IMEs produce in e-mail addresses, phone numbers and
receipt numbers (``ｔａｒｏ＠…``, ``０３－…``) are normalised (NFKC) before they are checked.
"""

import re
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from hoshin.lib.forms import EmptyChoiceMixin
from hoshin.org.models import TEXT_LIMIT, AgeBand, District
from hoshin.voices import abuse
from hoshin.voices.models import CitizenVoice, VoiceCategory, VoiceKind, VoiceWriter
from hoshin.voices.services.attachments import attachment_check, megabytes
from hoshin.voices.services.intake import WriterDetails

_DASHES = str.maketrans({"ー": "-", "‐": "-", "−": "-", "―": "-", "–": "-", "—": "-"})


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").translate(_DASHES).strip()


def length_error(label: str, text: str, limit: int) -> forms.ValidationError | None:
    """A clear message when ``text`` is longer than ``limit`` characters (newlines count once)."""
    length = len(text)
    if length <= limit:
        return None
    return forms.ValidationError(
        gettext(
            "%(label)sが%(length)s文字あります。%(limit)s文字以内にしてください（%(over)s文字多い）。"
        )
        % {
            "label": label,
            "length": f"{length:,}",
            "limit": f"{limit:,}",
            "over": f"{length - limit:,}",
        }
    )


class LimitedCharField(forms.CharField):
    """A text field whose length is checked with a clear message instead of ``maxlength``."""

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def validate(self, value):
        super().validate(value)
        error = length_error(str(self.label), value or "", self.limit)
        if error is not None:
            raise error


class NormalizedEmailField(forms.EmailField):
    """An e-mail address; full-width characters typed with an IME are made half-width."""

    limit = VoiceWriter._meta.get_field("email").max_length

    def __init__(self, **kwargs):
        super().__init__(max_length=None, **kwargs)  # no maxlength: checked in validate()

    def to_python(self, value):
        return super().to_python(_nfkc(value) if isinstance(value, str) else value)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(gettext("メールアドレスが長すぎます。"))


class PhoneField(forms.CharField):
    """A phone number: digits, hyphens, brackets, spaces and a leading + (full width accepted)."""

    limit = VoiceWriter._meta.get_field("phone").max_length
    default_validators = [
        RegexValidator(
            r"^\+?[0-9(][0-9() -]{4,}$",
            _("電話番号は数字とハイフンで入力してください（例：03-1234-5678）。"),
        )
    ]

    def to_python(self, value):
        return super().to_python(_nfkc(value) if isinstance(value, str) else value)

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise forms.ValidationError(gettext("電話番号が長すぎます。"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class VoiceFormBase(EmptyChoiceMixin, forms.Form):
    """The fields a voice has, whoever types it in (the writer or the public-hearing office)."""

    kind = forms.ChoiceField(
        label=_("種別"),
        choices=VoiceKind.choices,
        initial=VoiceKind.MAYOR_LETTER,
        widget=forms.RadioSelect,
        error_messages={"required": _("種別を選んでください。")},
    )
    subject = LimitedCharField(
        label=_("件名"),
        limit=_max_length(CitizenVoice, "subject"),
        error_messages={"required": _("件名を入力してください。")},
        help_text=_("内容がひと目でわかる短い題名（200文字以内）。"),
    )
    body = LimitedCharField(
        label=_("内容"),
        limit=TEXT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": _("内容を入力してください。")},
    )
    category = forms.ModelChoiceField(
        label=_("分類"),
        queryset=VoiceCategory.objects.filter(is_active=True),
        required=False,
        widget=forms.Select(attrs={"lang": "ja"}),  # category names: database content
        empty_label=_("選ばない（わからない）"),
        help_text=_("わからないときは選ばなくてかまいません。担当で分類します。"),
    )
    name = LimitedCharField(
        label=_("お名前"),
        limit=_max_length(VoiceWriter, "name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    age_band = forms.ChoiceField(label=_("年代"), choices=AgeBand.choices, required=False)
    district = forms.ModelChoiceField(
        label=_("お住まいの地区"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.Select(attrs={"lang": "ja"}),  # district names: database content
        empty_label=_("選ばない"),
    )
    email = NormalizedEmailField(
        label=_("メールアドレス"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("メールアドレスの形が正しくありません（例：taro@example.jp）。")
        },
        help_text=_("入力すると、受付番号と照会キーをメールでお知らせします。"),
    )
    phone = PhoneField(
        label=_("電話番号"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    postal_address = LimitedCharField(
        label=_("住所"),
        limit=_max_length(VoiceWriter, "postal_address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("郵便での回答を希望する場合は、郵便番号から入力してください。"),
    )
    wants_reply = forms.BooleanField(
        label=_("回答を希望する"),
        required=False,
        help_text=_("メールアドレスか住所の入力が必要です。"),
    )
    publish_consent = forms.BooleanField(
        label=_("個人情報を除いて公表してよい"),
        required=False,
        help_text=_(
            "市のホームページで、お名前・連絡先を除いた内容の要旨と市の回答を紹介することがあります。"
        ),
    )
    notify_results = forms.BooleanField(
        label=_("関連する取組の評価結果が公表されたら知らせてほしい"),
        required=False,
        help_text=_("メールでお知らせします。メールアドレスの入力が必要です。"),
    )
    attachments = MultipleFileField(
        label=_("添付ファイル"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False)

    # The groups the page shows, each with its legend; fields left out by __init__ are skipped.
    FIELDSETS = [
        (_("ご意見の内容"), ["kind", "subject", "body", "category", "attachments"]),
        (_("あなたについて（任意）"), ["name", "age_band", "district"]),
        (_("連絡先（任意）"), ["email", "phone", "postal_address"]),
        (_("回答・お知らせ・公表"), ["wants_reply", "notify_results", "publish_consent"]),
    ]

    def __init__(self, *args, rejected_uploads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rejected_uploads = rejected_uploads or []
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["body"].help_text = gettext("%(limit)s文字以内。") % {
            "limit": f"{TEXT_LIMIT:,}"
        }
        self.fields["attachments"].help_text = gettext(
            "JPEG・PNG の画像、PDF。%(count)s個まで、1ファイル%(one)sMB、合計%(total)sMBまで。"
        ) % {
            "count": settings.HOSHIN_ATTACHMENT_MAX_FILES,
            "one": megabytes(settings.HOSHIN_ATTACHMENT_MAX_BYTES),
            "total": megabytes(settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES),
        }
        # A list nobody has filled in yet is no use to the writer: leave the field out.
        for name in ("category", "district"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]

    def fieldsets(self) -> list[tuple[str, list]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    # -- fields ---------------------------------------------------------------------------

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for rejected in self.rejected_uploads:
            if rejected.reason == "file":
                message = gettext(
                    "「%(name)s」は大きすぎるため受け付けられません。1ファイル%(limit)sMBまでです。"
                )
                limit = settings.HOSHIN_ATTACHMENT_MAX_BYTES
            else:
                message = gettext(
                    "「%(name)s」を加えると合計の大きさが上限を超えます。添付ファイルは合計%(limit)sMBまでです。"
                )
                limit = settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES
            errors.append(
                forms.ValidationError(message % {"name": rejected.name, "limit": megabytes(limit)})
            )
        if len(files) + len(self.rejected_uploads) > settings.HOSHIN_ATTACHMENT_MAX_FILES:
            count = settings.HOSHIN_ATTACHMENT_MAX_FILES
            errors.append(
                forms.ValidationError(
                    ngettext(
                        "添付できるファイルは%(count)s個までです。",
                        "添付できるファイルは%(count)s個までです。",
                        count,
                    )
                    % {"count": count}
                )
            )
        for upload in files:
            try:
                attachment_check(upload)
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            errors.append(
                forms.ValidationError(gettext("安全のため、ファイルはもう一度選び直してください。"))
            )
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["submission_key"] = uuid.UUID(cleaned.get("submission_key") or "")
        except ValueError:
            cleaned["submission_key"] = None
        if cleaned["submission_key"] is None:
            # Without the key a reload could store the letter twice. The form is shown again
            # with a fresh key, so sending it again works.
            self.data = self.data.copy()
            self.data["submission_key"] = str(uuid.uuid4())
            self.add_error(
                None,
                gettext(
                    "送信の確認情報が見つかりませんでした。お手数ですが、もう一度送信してください。"
                ),
            )
        email = cleaned.get("email")
        has_email = bool(email) or "email" in self.errors
        has_address = bool(cleaned.get("postal_address")) or "postal_address" in self.errors
        if cleaned.get("wants_reply") and not (has_email or has_address):
            self.add_error(
                "wants_reply",
                gettext("回答を希望する場合は、メールアドレスか住所を入力してください。"),
            )
        if cleaned.get("notify_results") and not has_email:
            self.add_error(
                "notify_results",
                gettext(
                    "評価結果のお知らせはメールでお送りします。メールアドレスを入力してください。"
                ),
            )
        return cleaned

    # -- what the services need -----------------------------------------------------------

    def writer(self) -> WriterDetails:
        data = self.cleaned_data
        return WriterDetails(
            name=data.get("name") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            postal_address=data.get("postal_address") or "",
        )

    def voice_fields(self) -> dict:
        """Keyword arguments for ``voice_submit`` / ``voice_receive``."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "subject": data["subject"],
            "body": data["body"],
            "category": data.get("category"),
            "age_band": data.get("age_band") or "",
            "district": data.get("district"),
            "wants_reply": data.get("wants_reply", False),
            "publish_consent": data.get("publish_consent", False),
            "notify_results": data.get("notify_results", False),
            "writer": self.writer(),
            "submission_key": data["submission_key"],
            "uploads": data.get("attachments") or [],
        }


class PublicVoiceForm(VoiceFormBase):
    """The form on /voices/new/: a voice plus the honeypot field people never see."""

    homepage = forms.CharField(
        label=_("この欄は空のままにしてください（自動送信の防止のため）"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def honeypot(self):
        return self[abuse.HONEYPOT_FIELD]


_RECEIPT = re.compile(r"^(\d{4})\s*-?\s*(\d{1,6})$")  # 2026-0042, 2026 - 42, 20260042


class StatusLookupForm(forms.Form):
    """Receipt number and secret, as given on the thanks page and in the acknowledgement."""

    receipt_number = forms.CharField(
        label=_("受付番号"),
        help_text=_("例：2026-0042"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("受付番号を入力してください。")},
    )
    secret = forms.CharField(
        label=_("照会キー"),
        help_text=_(
            "受付のときに表示した、またはメールでお知らせした英数字です。"
            "大文字と小文字は区別しません。"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("照会キーを入力してください。")},
    )

    def clean_receipt_number(self) -> tuple[int, int]:
        match = _RECEIPT.match(_nfkc(self.cleaned_data["receipt_number"]))
        if match is None:
            raise forms.ValidationError(
                gettext(
                    "受付番号は「2026-0042」のように、年度と番号をハイフンでつないで入力してください。"
                )
            )
        return int(match.group(1)), int(match.group(2))

    def clean_secret(self) -> str:
        return "".join(_nfkc(self.cleaned_data["secret"]).split())
