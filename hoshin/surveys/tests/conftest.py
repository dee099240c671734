"""Users of the survey tests: one per role that matters, and a client signed in as each."""

import pytest
from django.test import Client

from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

from . import factories as f


@pytest.fixture
def hearing(db):
    """The public-hearing office (広聴担当): runs surveys."""
    return make_user("hearing", role=Role.PUBLIC_HEARING)


@pytest.fixture
def sysadmin(db):
    return make_user("sysadmin", role=Role.ADMIN)


@pytest.fixture
def planner(db):
    return make_user("planner", role=Role.PLANNING_OFFICE)


@pytest.fixture
def viewer(db):
    return make_user("viewer", role=Role.VIEWER)


@pytest.fixture
def editor(db):
    return make_user("editor", role=Role.DEPARTMENT_EDITOR, department=make_department("財政課"))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hearing_client(hearing) -> Client:
    return client_for(hearing)


@pytest.fixture
def districts(db):
    return f.make_districts("中村", "大野", "八幡")


@pytest.fixture
def sample(db, districts) -> f.Sample:
    return f.make_sample()
