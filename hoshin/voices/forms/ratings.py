"""The citizen's rating form under a published result (views/ratings.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.voices.services.ratings import COMMENT_LIMIT, SCORE_LABELS, SCORES
from hoshin.voices.services.ratings import clean_comment as normalize_comment


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("満足度"),
        choices=[(s, format_lazy("{} {}", s, SCORE_LABELS[s])) for s in SCORES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("満足度を1～5から選んでください。"),
            "invalid_choice": gettext_lazy("満足度を1～5から選んでください。"),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("コメント（任意）"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL and other control characters are removed by clean_comment, not refused.
        comment = self.fields["comment"]
        comment.validators = [
            v for v in comment.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean_comment(self) -> str:
        comment = normalize_comment(self.cleaned_data["comment"])
        if len(comment) > COMMENT_LIMIT:
            raise ValidationError(
                _("%(count)s文字あります。%(limit)s文字以内にしてください。")
                % {"count": f"{len(comment):,}", "limit": f"{COMMENT_LIMIT:,}"}
            )
        return comment
