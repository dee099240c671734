"""Empty choices say what empty means, never Django's "---------"."""

from django import forms
from django.db import models

from hoshin.lib.forms import AccessibleFormMixin, EmptyChoiceMixin


class Choices(models.TextChoices):
    A = "a", "あ"


class EntryForm(EmptyChoiceMixin, forms.Form):
    required_choice = forms.ChoiceField(choices=[("", "---------"), ("a", "あ")])
    optional_choice = forms.ChoiceField(choices=[("", "---------"), ("a", "あ")], required=False)
    own_label = forms.ChoiceField(choices=[("", "未定"), ("a", "あ")], required=False)
    typed = forms.TypedChoiceField(choices=[("", "---------"), *Choices.choices], required=False)


class FilterForm(AccessibleFormMixin, forms.Form):
    empty_choice_is_filter = True
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "あ")], required=False)


def options(form, name) -> list[str]:
    return [str(text) for _value, text in form.fields[name].choices]


def test_entry_forms_say_choose_or_none():
    form = EntryForm()
    assert options(form, "required_choice") == ["選択してください", "あ"]
    assert options(form, "optional_choice") == ["指定なし", "あ"]
    assert options(form, "own_label") == ["未定", "あ"]  # a form's own words are kept
    assert options(form, "typed")[0] == "指定なし"
    assert "---------" not in form.as_p()


def test_filter_forms_say_all():
    form = FilterForm()
    assert options(form, "kind")[0] == "すべて"
    assert "---------" not in form.as_p()


def test_model_choice_fields_get_the_same_words(db):
    from hoshin.org.models import Department

    class DepartmentForm(EmptyChoiceMixin, forms.Form):
        needed = forms.ModelChoiceField(queryset=Department.objects.all())
        optional = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)

    Department.objects.create(name="総務課", kind="ka")
    html = DepartmentForm().as_p()
    assert '<option value="" selected>選択してください</option>' in html
    assert '<option value="" selected>指定なし</option>' in html
    assert "---------" not in html
