"""The ``shared_data`` fixtures of the root conftest: built once, yet every test is independent.

Each test below holds in any order (run them alone, reversed, or interleaved): whichever of
the two readers runs second proves that the first one's writes were rolled back, and the tests
that do not ask for the data prove it is gone for them.
"""

import pytest
from django.contrib.auth.models import Group

from conftest import shared_data

NAME = "共有データ"


@shared_data
def shared_group() -> Group:
    """One group, built once for the readers below."""
    return Group.objects.create(name=NAME)


@pytest.fixture
def renamed_group(shared_group) -> Group:
    """A function fixture on top of shared data."""
    shared_group.name += "（改名）"
    return shared_group


def reader_checks(group: Group) -> None:
    assert list(Group.objects.values_list("name", flat=True)) == [NAME]
    assert group.name == NAME and group.pk == Group.objects.get().pk
    # Both writes must be gone for the next test: a new row, a change to the shared one, and
    # a change to the test's own copy of the object.
    Group.objects.create(name="テストが作った行")
    Group.objects.filter(pk=group.pk).update(name="書き換え")
    group.name = "手元で書き換え"


def test_a_reader_sees_the_data_and_its_writes_are_rolled_back(shared_group):
    reader_checks(shared_group)


def test_another_reader_sees_the_data_as_built(shared_group):
    reader_checks(shared_group)


def test_a_fixture_built_on_shared_data_gets_its_own_copy(renamed_group):
    assert renamed_group.name == NAME + "（改名）"
    assert Group.objects.get().name == NAME


@pytest.mark.django_db
def test_a_test_that_does_not_ask_for_it_sees_none_of_it():
    assert not Group.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_none_of_it_and_may_commit():
    assert not Group.objects.exists()
    Group.objects.create(name="コミットされる行")  # flushed after the test


def test_without_a_database_nothing_is_needed():
    assert NAME == "共有データ"


@shared_data(shared_group)
def shared_pair(group: Group) -> tuple[Group, Group]:
    """Shared data built on other shared data (and holding one of its objects)."""
    return group, Group.objects.create(name=f"{group.name}の下")


def test_data_built_on_shared_data_holds_the_tests_own_copy_of_it(shared_pair, shared_group):
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted([NAME, NAME + "の下"])
    group, below = shared_pair
    assert group is shared_group, "one copy per test, shared by both fixtures"
    assert below.name == NAME + "の下"
    Group.objects.filter(name=NAME).delete()


def test_asking_only_for_the_dependent_data_builds_both(shared_pair):
    assert Group.objects.count() == 2
    assert shared_pair[0].name == NAME
