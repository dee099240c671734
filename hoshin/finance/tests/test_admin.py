"""The finance admin shows every table and changes none (writes go through the services)."""

from decimal import Decimal

import pytest

from hoshin.finance.services.ratios import RatioEntry, soundness_ratio_set, soundness_report_save
from hoshin.finance.tests.factories import make_bond, make_finance_staff
from hoshin.org.models import User

pytestmark = pytest.mark.django_db

MODELS = [
    "soundnessreport",
    "soundnessratio",
    "settlementyear",
    "comparisonaverage",
    "fund",
    "bond",
    "outlook",
    "effectentry",
]


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.jp", "pw"))
    return client


def test_every_table_is_listed_and_none_can_be_added_or_changed(admin_client):
    staff = make_finance_staff()
    bond = make_bond(staff)
    report = soundness_report_save(fy=2024, by=staff)
    soundness_ratio_set(
        report=report,
        entry=RatioEntry("debt_service", value=Decimal("18.2"), early_threshold=Decimal(25)),
        by=staff,
    )
    for model in MODELS:
        assert admin_client.get(f"/admin/finance/{model}/").status_code == 200, model
        assert admin_client.get(f"/admin/finance/{model}/add/").status_code == 403, model
    listing = admin_client.get("/admin/finance/soundnessratio/").content.decode()
    assert "18%以上（地方債の発行に許可が必要）" in listing
    page = admin_client.get(f"/admin/finance/bond/{bond.pk}/change/")
    assert page.status_code == 200
    assert admin_client.post(f"/admin/finance/bond/{bond.pk}/delete/").status_code == 403
