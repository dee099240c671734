"""Choosing departments in forms: the searchable check-box list (関係課 and the like).

A ``<select multiple>`` of thirty departments needs Ctrl-click and hides what is chosen. This
widget is a list of check boxes grouped under their parent department in a scrollable box,
which works without JavaScript; ``static/hoshin/department-picker.js`` adds a filter box (by
name or kana reading) and the chosen departments as removable chips.
"""

from dataclasses import dataclass, field

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hoshin.org.models import Department
from hoshin.org.selectors import departments_as_tree


@dataclass
class _Group:
    label: str
    options: list[dict] = field(default_factory=list)


class DepartmentPicker(forms.CheckboxSelectMultiple):
    """Check boxes grouped by parent department, in organisation and tree order."""

    template_name = "org/widgets/department_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = self._groups(context["widget"]["optgroups"])
        context["filter_label"] = _("部署名・よみがなで絞り込む")
        return context

    def _groups(self, optgroups) -> list[_Group]:
        """A group per top-level department that has sub-units (itself first); the rest after."""
        options = {}
        for _name, group_options, _index in optgroups:
            for option in group_options:
                instance = getattr(option["value"], "instance", None)
                if instance is not None:
                    options[instance.pk] = option
        departments = [o["value"].instance for o in options.values()]
        groups: list[_Group] = []
        loose = _Group(label=str(_("その他の部署")))
        current = None
        for department, depth in departments_as_tree(departments):
            option = dict(options[department.pk], depth=depth, reading=department.reading)
            if depth == 0:
                has_children = any(d.parent_id == department.pk for d in departments)
                current = _Group(label=department.name) if has_children else None
                if current is not None:
                    groups.append(current)
            (current or loose).options.append(option)
        if loose.options:
            groups.append(loose)
        return groups

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/org/…), not the form renderer's own.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several departments, chosen with the DepartmentPicker (current departments by default)."""

    widget = DepartmentPicker

    def __init__(self, queryset=None, **kwargs):
        super().__init__(
            queryset if queryset is not None else Department.objects.current(), **kwargs
        )
