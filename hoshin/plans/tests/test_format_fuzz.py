"""Fuzzing the plan import (issue 10, "What to build" 2): random bytes, mutated valid files and
random nested JSON give a parsed plan or a PlanFormatError, never another exception."""

import contextlib
import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hoshin.plans.formats.base import PlanFormatError
from hoshin.plans.formats.detect import parse_plan_file

FUZZ = hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
ROWS = [
    ["大項目", "取組名", "実施内容", "担当課"],
    ["1 市民参画", "情報発信", "広報紙を発行する", "総務課"],
]


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    for row in ROWS:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SAMPLES = {
    "plan.csv": "\r\n".join(",".join(row) for row in ROWS).encode("utf-8-sig"),
    "plan.xlsx": _xlsx(),
    "plan.json": json.dumps(
        {"nodes": [{"title": "市民参画", "actions": [{"text": "広報紙を発行する"}]}]},
        ensure_ascii=False,
    ).encode(),
    "plan.txt": "1 市民参画・市民協働の一層の推進\n(1)情報発信\n市民への情報発信\n実施内容 担当課\n広報紙を発行する 総務課\n".encode(),
}


def parse(data: bytes, filename: str) -> None:
    with contextlib.suppress(PlanFormatError):
        parse_plan_file(data, filename)


@pytest.mark.parametrize("filename", list(SAMPLES))
def test_each_sample_parses(filename):
    assert parse_plan_file(SAMPLES[filename], filename).all_actions()


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([*SAMPLES, "plan.bin"]))
def test_fuzz_random_bytes(data, filename):
    parse(data, filename)


@FUZZ
@given(
    st.sampled_from(list(SAMPLES)),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
    st.floats(0.5, 1),
)
def test_fuzz_mutated_valid_files(filename, mutations, keep):
    data = bytearray(SAMPLES[filename])
    for where, value in mutations:
        data[int(where * len(data))] = value
    parse(bytes(data[: max(1, int(len(data) * keep))]), filename)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["nodes", "title", "actions", "children", "text", "plan", "level"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=40,
)


@FUZZ
@given(JSON_VALUES, st.integers(0, 200))
def test_fuzz_random_nested_json(value, depth):
    text = '{"nodes": ' + "[" * depth + json.dumps(value) + "]" * depth + "}"
    parse(text.encode(), "plan.json")
