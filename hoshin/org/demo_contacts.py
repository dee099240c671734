"""Plausible, plainly fictional contact details for the demo's departments.

``create_demo_users`` fills them after the demo plans have created their departments, so the
department pages, replies and letters of ``make demo`` show what a real city would print.
Numbers use the 0000 area code and addresses the 〒000-0000 postcode, e-mails the reserved
example.jp domain: nothing here can reach a real office.
"""

from hoshin.lib.city import city_name
from hoshin.org.models import Department
from hoshin.org.services import department_update

DEMO_MAIL_DOMAIN = "city.example.jp"
DEMO_HOURS = "平日 8時30分〜17時15分（土日祝日・年末年始を除く）"


def demo_contacts_fill() -> int:
    """Give every current department without any contact details a demo set; returns how many
    were filled (a department an administrator has already given details is left alone)."""
    city = city_name() or "市"
    filled = 0
    departments = Department.objects.current().order_by("id")
    for index, department in enumerate(departments, start=1):
        if any(getattr(department, field) for field in Department.CONTACT_FIELDS):
            continue
        department_update(
            department=department,
            by=None,
            phone=f"0000-00-{1000 + index:04d}",
            email=f"dept{department.pk:03d}@{DEMO_MAIL_DOMAIN}",
            address=f"〒000-0000 {city}中央一丁目1番1号 本庁舎{1 + index % 5}階",
            opening_hours=DEMO_HOURS,
        )
        filled += 1
    return filled
