"""Fuzzing the sheet workbook reader (issue 10, "What to build" 2): random bytes, mutated
exports and random nested JSON give a read file or a BulkFormatError, never another exception."""

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hoshin.evaluations import bulk
from hoshin.evaluations.bulk.readers import read_file
from hoshin.evaluations.tests.bulk_support import bulk_world

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def read(data: bytes, filename: str) -> None:
    with contextlib.suppress(bulk.BulkFormatError):
        read_file(data, filename)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["s.xlsx", "s.json", "s.bin"]))
def test_fuzz_random_bytes(data, filename):
    read(data, filename)


def test_fuzz_mutated_exports():
    world = bulk_world()
    samples = {
        "s.xlsx": bulk.export_workbook(plan=world.plan, fy=2025, department=world.bousai),
        "s.json": bulk.export_json(plan=world.plan, fy=2025, department=world.bousai),
    }

    @FUZZ
    @given(
        st.sampled_from(list(samples)),
        st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    )
    def run(filename, mutations):
        data = bytearray(samples[filename])
        for where, value in mutations:
            data[int(where * len(data))] = value
        read(bytes(data), filename)

    run()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["sheets", "id", "version", "fields", "indicators", "costs", "plan"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=40,
)


@FUZZ
@given(JSON_VALUES, st.integers(0, 200))
def test_fuzz_random_nested_json(value, depth):
    text = '{"format": "hoshin-evaluation-sheets", "sheets": ' + "[" * depth
    text += json.dumps(value) + "]" * depth + "}"
    read(text.encode(), "s.json")
