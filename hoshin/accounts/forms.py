"""Forms of the sign-in pages: a code, and the administrator's unlock."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.lib.forms import AccessibleFormMixin


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=32,
        help_text=_("認証アプリに表示されている6桁の数字。スマートフォンがない場合は回復コード。"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "size": 12,
            }
        ),
    )


class EnrolForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=6,
        help_text=_("登録した認証アプリに表示されている6桁の数字を入力してください。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    address = forms.GenericIPAddressField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("address"):
            raise forms.ValidationError(_("解除するユーザー名か接続元を指定してください。"))
        return data


class SecondFactorResetForm(AccessibleFormMixin, forms.Form):
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=150,
        help_text=_("スマートフォンをなくした職員など。次のログインで設定し直します。"),
    )
