"""Form helpers shared by every app's staff and public forms."""

from django.utils.translation import gettext_lazy as _

# Django's own empty choice, which says nothing to the person choosing.
DJANGO_EMPTY_LABEL = "---------"


def empty_choice_label(*, required: bool, is_filter: bool) -> str:
    """What an empty choice means: 「すべて」 in a filter, 「選択してください」 when a choice is
    required, 「指定なし」 when it may be left empty."""
    if is_filter:
        return _("すべて")
    return _("選択してください") if required else _("指定なし")


class EmptyChoiceMixin:
    """Replace Django's "---------" empty choice with words that say what empty means.

    Filter forms set ``empty_choice_is_filter = True`` (empty = every row). A field whose form
    already chose its own empty label (「未定」, 「すべての担当課」 …) keeps it.
    """

    empty_choice_is_filter = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_empty_choices()

    def label_empty_choices(self) -> None:
        """Relabel the fields' Django empty choices (call again after changing choices)."""
        for field in self.fields.values():
            label = empty_choice_label(
                required=field.required, is_filter=self.empty_choice_is_filter
            )
            if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
                field.empty_label = label
                field.widget.choices = field.choices
            elif hasattr(field, "choices") and not hasattr(field, "queryset"):
                choices = list(field.choices)
                if any(value == "" and text == DJANGO_EMPTY_LABEL for value, text in choices):
                    field.choices = [
                        (value, label if value == "" and text == DJANGO_EMPTY_LABEL else text)
                        for value, text in choices
                    ]


class AccessibleFormMixin(EmptyChoiceMixin):
    """Point each input at its help text and error list (aria-describedby, aria-invalid);
    say what an empty choice means (EmptyChoiceMixin)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self) -> None:
        for name, field in self.fields.items():
            # Not self[name].auto_id: that would cache a BoundField before __init__ is done.
            html_name = self.add_prefix(name)
            auto_id = self.auto_id % html_name if "%s" in str(self.auto_id) else html_name
            described_by = []
            if field.help_text:
                described_by.append(f"{auto_id}_helptext")
            if self.is_bound and hasattr(self, "_errors") and name in (self._errors or {}):
                described_by.append(f"{auto_id}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
