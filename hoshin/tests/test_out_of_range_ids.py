"""Issue 10, finding "/opendata/sheets.csv?department=99999999999999999999999 is a 500
(OverflowError)": an id no database column can hold behaves like an unknown id everywhere —
the open-data and API filters answer 400 naming the parameter (as for any unknown id), staff
filters and the admin's list filters show nothing, forms refuse it. hoshin.lib.id_lookups does
it for every query; these requests are the attack, on each kind of endpoint.

The values straddle the 64-bit limit (PostgreSQL's bigint, SQLite's INTEGER): 2**63 - 1 is a
valid id nobody has, 2**63 and beyond cannot be stored at all.
"""

import pytest
from django.urls import reverse

from hoshin.evaluations.models import EvaluationSheet
from hoshin.lib.id_lookups import MAX_ID
from hoshin.opendata.tests.builders import published_results
from hoshin.org.models import Department, User

pytestmark = pytest.mark.django_db

HUGE = ["99999999999999999999999", str(MAX_ID + 1), str(-(2**63) - 1)]
LARGEST_VALID = str(MAX_ID)


@pytest.fixture
def world():
    return published_results().world


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("root", "root@example.jp", "pw-for-tests-only")
    client.force_login(admin)
    return client


@pytest.mark.parametrize("value", [*HUGE, LARGEST_VALID])
@pytest.mark.parametrize("param", ["department", "plan"])
def test_open_data_filter_answers_400_naming_the_parameter(client, world, param, value):
    response = client.get(reverse("opendata:download", args=["sheets", "csv"]), {param: value})
    assert response.status_code == 400
    assert f"{param}=" in response.content.decode() or param in response.content.decode()


@pytest.mark.parametrize("value", [*HUGE, LARGEST_VALID])
def test_api_filters_answer_400_naming_the_parameter(client, world, value):
    for param in ("department", "plan"):
        response = client.get("/api/v1/sheets", {param: value})
        assert response.status_code == 400, (param, value)
        assert response.json()["errors"][0]["param"] == param


@pytest.mark.parametrize("value", HUGE)
def test_path_ids_answer_404(client, world, value):
    for url in (
        f"/plans/{value}/",
        f"/plans/{value}/nodes/1/",
        f"/plans/{world.plan.pk}/nodes/{value}/",
        f"/departments/{value}/",
        f"/actions/{value}/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("value", HUGE)
def test_staff_and_admin_filters_show_nothing(admin_client, world, value):
    pages = [
        f"/staff/dashboard/sheets/?department={value}",
        f"/admin/org/user/?department={value}",
        f"/admin/evaluations/evaluationsheet/?department={value}",
        f"/admin/plans/action/?node={value}",
        f"/admin/org/roleassignment/add/?user={value}",
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code in (200, 302), url


def test_querysets_treat_huge_ids_as_unknown(world):
    huge = int(HUGE[0])
    assert not EvaluationSheet.objects.filter(department=huge).exists()
    assert not EvaluationSheet.objects.filter(department__in=[huge]).exists()
    assert not EvaluationSheet.objects.filter(department_id=huge).exists()
    assert Department.objects.filter(pk__in=[huge, world.bousai.pk]).get() == world.bousai
    assert EvaluationSheet.objects.filter(department__in=[huge, world.bousai.pk]).exists()
