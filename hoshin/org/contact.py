"""Where citizens can reach a department: one helper for every surface that shows it (the
department page, the status and published-reply pages, the reply e-mail and the printed letter).
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from hoshin.org.models import Department

# Units below a 課 (a 係) rarely have their own telephone: the nearest unit above that has
# details is the one to call, and saying so beats showing nothing.
_MAX_CLIMB = 5


@dataclass(frozen=True)
class DepartmentContact:
    """The contact details of ``name`` (the department that answers the telephone)."""

    name: str
    phone: str
    email: str
    address: str
    opening_hours: str

    def rows(self) -> list[tuple[str, str, str]]:
        """(field, label, value) for each detail given, in the order people look for them."""
        labels = {
            "phone": gettext("電話"),
            "email": gettext("メール"),
            "address": gettext("所在地"),
            "opening_hours": gettext("受付時間"),
        }
        return [
            (field, labels[field], getattr(self, field))
            for field in Department.CONTACT_FIELDS
            if getattr(self, field)
        ]

    def text_lines(self) -> list[str]:
        """The details as plain lines for e-mails and printed letters (「電話：…」)."""
        heading = gettext("お問い合わせ先：%(name)s") % {"name": self.name}
        return [heading, *(f"{label}：{value}" for _field, label, value in self.rows())]


def department_contact(department: Department | None) -> DepartmentContact | None:
    """The details citizens should use for ``department``: its own, or those of the nearest
    unit above it that has any; None when nobody in the line has any."""
    current = department
    for _step in range(_MAX_CLIMB):
        if current is None:
            return None
        values = {
            field: (getattr(current, field) or "").strip() for field in Department.CONTACT_FIELDS
        }
        if any(values.values()):
            return DepartmentContact(name=current.name, **values)
        current = current.parent
    return None
