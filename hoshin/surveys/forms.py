"""Forms: the staff's survey builder, and the public answer page's fields.

Staff forms only shape input; the rules live in ``services`` (the views turn a service's
ValidationError into messages at the fields). The public answer page renders its questions
itself (fieldsets, radios, checkboxes) from ``answer_fields``; ``response_submit`` checks them.
"""

import uuid
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.lib.forms import EmptyChoiceMixin
from hoshin.org.models import AgeBand, District
from hoshin.surveys.models import (
    TEXT_ANSWER_DEFAULT_LIMIT,
    TEXT_LIMIT,
    AnswerLimit,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveySection,
)
from hoshin.surveys.selectors.public import NumberedQuestion, SectionBlock
from hoshin.surveys.services.invitations import MAX_INVITATIONS_PER_BATCH
from hoshin.surveys.services.questions import QuestionSpec

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class SurveyForm(EmptyChoiceMixin, forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=200)
    description = forms.CharField(
        label=_("説明"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("回答ページの冒頭に表示します。目的、所要時間、結果の使い方などを書きます。"),
    )
    opens_at = forms.DateTimeField(
        label=_("回答受付の開始"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"],
        help_text=_("例: 2026-05-01 09:00"),
    )
    closes_at = forms.DateTimeField(
        label=_("回答受付の終了"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"],
        help_text=_("この日時になると回答できなくなります。"),
    )
    answer_limit = forms.ChoiceField(
        label=_("回答の制限"),
        choices=AnswerLimit.choices,
        initial=AnswerLimit.BROWSER,
        widget=forms.RadioSelect,
        help_text=_(
            "招待コード: 郵送などで配ったコードごとに1回。ブラウザ: 同じブラウザからは1回（誰でも回答できます）。"
        ),
    )
    asks_age_band = forms.BooleanField(
        label=_("回答者に年代を尋ねる"), required=False, initial=True
    )
    asks_district = forms.BooleanField(
        label=_("回答者に地区を尋ねる"), required=False, initial=True
    )
    results_public = forms.BooleanField(
        label=_("受付終了後に集計結果を公開する"),
        required=False,
        initial=False,
        help_text=_(
            "選択肢と5段階評価の件数・割合、数値の平均と中央値を市民向けページに載せます。"
            "自由記述と回答者の属性は載せません。"
        ),
    )

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        return {
            name: getattr(survey, name)
            for name in (
                "title",
                "description",
                "opens_at",
                "closes_at",
                "answer_limit",
                "asks_age_band",
                "asks_district",
                "results_public",
            )
        }


class SectionForm(forms.Form):
    title = forms.CharField(label=_("節の見出し"), max_length=200)
    position = forms.IntegerField(
        label=_("表示順"),
        required=False,
        min_value=0,
        max_value=32_000,
        help_text=_("小さい順に並びます。空欄なら最後に追加します。"),
    )


class QuestionForm(EmptyChoiceMixin, forms.Form):
    section = forms.ModelChoiceField(
        label=_("節"), queryset=SurveySection.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("設問の種類"), choices=QuestionKind.choices)
    text = forms.CharField(
        label=_("設問文"), max_length=1_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    help_text = forms.CharField(label=_("補足（任意）"), max_length=300, required=False)
    required = forms.BooleanField(label=_("回答を必須にする"), required=False)
    position = forms.IntegerField(
        label=_("表示順"),
        required=False,
        min_value=0,
        max_value=32_000,
        help_text=_("節の中で小さい順に並びます。空欄なら最後に追加します。"),
    )
    choices = forms.CharField(
        label=_("選択肢（単一選択・複数選択）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("1行に1つずつ入力します。"),
    )
    scale_min_label = forms.CharField(
        label=_("5段階評価: 1の意味"), max_length=40, required=False, help_text=_("例: 不満")
    )
    scale_max_label = forms.CharField(
        label=_("5段階評価: 5の意味"), max_length=40, required=False, help_text=_("例: 満足")
    )
    number_min = forms.IntegerField(label=_("数値: 最小値"), required=False)
    number_max = forms.IntegerField(label=_("数値: 最大値"), required=False)
    number_unit = forms.CharField(
        label=_("数値: 単位"), max_length=20, required=False, help_text=_("例: 回、分、人")
    )
    text_max_length = forms.IntegerField(
        label=_("自由記述: 最大文字数"),
        required=False,
        min_value=1,
        max_value=TEXT_LIMIT,
        initial=TEXT_ANSWER_DEFAULT_LIMIT,
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()

    @classmethod
    def initial_for(cls, question: SurveyQuestion) -> dict:
        return {
            "section": question.section_id,
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "position": question.position,
            "choices": "\n".join(choice.label for choice in question.choices.all()),
            "scale_min_label": question.scale_min_label,
            "scale_max_label": question.scale_max_label,
            "number_min": question.number_min,
            "number_max": question.number_max,
            "number_unit": question.number_unit,
            "text_max_length": question.text_max_length,
        }

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        return QuestionSpec(
            kind=data["kind"],
            text=data["text"],
            required=data["required"],
            help_text=data["help_text"],
            number_min=data["number_min"],
            number_max=data["number_max"],
            number_unit=data["number_unit"],
            text_max_length=data["text_max_length"] or TEXT_ANSWER_DEFAULT_LIMIT,
            scale_min_label=data["scale_min_label"],
            scale_max_label=data["scale_max_label"],
            choices=data["choices"].splitlines(),
        )


class InvitationForm(forms.Form):
    count = forms.IntegerField(
        label=_("発行する件数"), min_value=1, max_value=MAX_INVITATIONS_PER_BATCH, initial=100
    )


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError at the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


# ---- the public answer page ---------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class AnswerField:
    number: int
    question: SurveyQuestion
    name: str
    id: str
    value: str = ""
    error: str = ""
    options: list[Option] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_group(self) -> bool:
        """Rendered as a fieldset of radios or checkboxes (else one labelled input)."""
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE)


@dataclass
class AnswerSection:
    title: str
    fields: list[AnswerField]


def raw_answers_from(post, questions: list[NumberedQuestion]) -> dict[int, str | list[str]]:
    """What the form sent for each question: a list for multiple choice, else a string."""
    raw: dict[int, str | list[str]] = {}
    for numbered in questions:
        question = numbered.question
        if question.kind == QuestionKind.MULTIPLE:
            raw[question.pk] = post.getlist(question.field_name)
        else:
            raw[question.pk] = post.get(question.field_name, "")
    return raw


def _scale_option_label(question: SurveyQuestion, point: int) -> str:
    if point == 1 and question.scale_min_label:
        return f"1（{question.scale_min_label}）"
    if point == 5 and question.scale_max_label:
        return f"5（{question.scale_max_label}）"
    return str(point)


def answer_fields(
    blocks: list[SectionBlock], *, data=None, errors: dict[str, list[str]] | None = None
) -> list[AnswerSection]:
    """The answer page's sections and fields, with what was sent and the message at each."""
    errors = errors or {}
    sections = []
    for block in blocks:
        fields = []
        for numbered in block.questions:
            question = numbered.question
            name = question.field_name
            sent = (
                data.getlist(name)
                if data is not None and question.kind == QuestionKind.MULTIPLE
                else [data.get(name, "")]
                if data is not None
                else []
            )
            answer = AnswerField(
                number=numbered.number,
                question=question,
                name=name,
                id=f"id_{name}",
                value=sent[0] if sent else "",
                error=" ".join(errors.get(name, [])),
            )
            if question.has_choices:
                pairs = [(str(c.pk), c.label) for c in question.choices.all()]
            elif question.kind == QuestionKind.SCALE:
                pairs = [(str(n), _scale_option_label(question, n)) for n in range(1, 6)]
            else:
                pairs = []
            answer.options = [
                Option(value, label, f"id_{name}_{index}", value in sent)
                for index, (value, label) in enumerate(pairs)
            ]
            fields.append(answer)
        sections.append(AnswerSection(title=block.section.title, fields=fields))
    return sections


@dataclass
class AttributeFields:
    """Age band and district: optional, each with 回答しない."""

    age_band: str = ""
    district: str = ""
    age_band_error: str = ""
    district_error: str = ""
    age_bands: list[tuple[str, str]] = field(default_factory=list)
    districts: list[tuple[str, str]] = field(default_factory=list)


def attribute_fields(*, survey: Survey, data=None, errors=None) -> AttributeFields:
    """What the answer page shows for the respondent attributes this survey asks."""
    errors = errors or {}
    result = AttributeFields(
        age_band=(data.get("age_band", "") if data is not None else ""),
        district=(data.get("district", "") if data is not None else ""),
        age_band_error=" ".join(errors.get("age_band", [])),
        district_error=" ".join(errors.get("district", [])),
    )
    if survey.asks_age_band:
        result.age_bands = [(v, str(label)) for v, label in AgeBand.choices if v] + [
            ("", str(AgeBand.UNDISCLOSED.label))
        ]
    if survey.asks_district:
        result.districts = [(str(d.pk), d.name) for d in District.objects.all()]
    return result


def new_submission_key() -> str:
    return str(uuid.uuid4())


def parse_submission_key(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
