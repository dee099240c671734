"""The department picker: check boxes grouped by parent, in organisation order, no JS needed."""

import re

import pytest
from django import forms

from hoshin.org.tests.factories import make_department
from hoshin.org.widgets import DepartmentMultipleChoiceField

pytestmark = pytest.mark.django_db


class PickForm(forms.Form):
    departments = DepartmentMultipleChoiceField(label="関係課", required=False)


@pytest.fixture
def tree():
    somu = make_department("総務部", reading="そうむぶ")
    kodomo = make_department("こども家庭課", reading="こどもかていか")
    zaisei = make_department("財政課", parent=somu, reading="ざいせいか")
    gesui = make_department("下水道課", reading="げすいどうか")
    closed = make_department("旧企画課", valid_until_fy=2020)
    return {"somu": somu, "kodomo": kodomo, "zaisei": zaisei, "gesui": gesui, "closed": closed}


def test_check_boxes_grouped_by_parent_in_org_order(tree):
    html = PickForm(initial={"departments": [tree["zaisei"].pk]}).as_p()

    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == ["総務部", "その他の部署"]
    labels = re.findall(r'<label for="id_departments_\d+">(.*?)</label>', html)
    assert labels == ["総務部", "財政課", "下水道課", "こども家庭課"]  # げ before こ; no closed one
    assert "<select" not in html
    checked = re.findall(r'value="(\d+)" id="[^"]+" checked', html)
    assert checked == [str(tree["zaisei"].pk)]
    assert 'class="department-picker__item department-picker__item--depth-1"' in html
    assert 'data-reading="ざいせいか"' in html
    assert "hoshin/department-picker.js" in html


def test_submitting_check_boxes_chooses_several_departments(tree):
    form = PickForm(data={"departments": [tree["gesui"].pk, tree["kodomo"].pk]})
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["departments"]) == {tree["gesui"], tree["kodomo"]}


def test_a_closed_department_cannot_be_chosen(tree):
    form = PickForm(data={"departments": [tree["closed"].pk]})
    assert not form.is_valid()
