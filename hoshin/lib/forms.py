"""Form helpers shared by every app's staff and public forms."""


class AccessibleFormMixin:
    """Point each input at its help text and error list (aria-describedby, aria-invalid)."""

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
