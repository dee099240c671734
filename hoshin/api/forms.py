from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.api.models import ApiToken


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("トークンの名前"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("どのプログラムで使うかが分かる名前（例: 集計スクリプト）。"),
    )
