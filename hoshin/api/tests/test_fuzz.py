"""Fuzzing the API from its own OpenAPI schema (schemathesis): never a 5xx, never a leak.

Every operation of /api/v1/openapi.json gets generated requests — valid ones (positive mode)
and ones that break the schema (negative mode: wrong types, out-of-range numbers, odd
strings) — sent through Django's test client so that they run inside the test's database
transaction. Staff operations are called with a real token of the planning office (who may
see every sheet), so the generated bodies reach the services. Bounded and reproducible:
a fixed number of examples per operation and mode, derandomized, no example database.
"""

import json
from urllib.parse import urlencode, urlsplit

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from hoshin.api.tests.conftest import CANARY

pytestmark = pytest.mark.django_db

EXAMPLES = 40


def _send(client: Client, kwargs: dict, token: str):
    url = urlsplit(kwargs["url"])
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    path = url.path + (f"?{query}" if query else (f"?{url.query}" if url.query else ""))
    # Our operations declare no header parameters: only the token matters (a generated
    # Content-Length would make Django's test client read past the body).
    headers = {"Authorization": f"Bearer {token}"}
    content_type = (kwargs.get("headers") or {}).get("Content-Type", "application/json")
    data = json.dumps(kwargs["json"]) if "json" in kwargs else kwargs.get("data") or b""
    return client.generic(
        kwargs["method"], path, data=data, content_type=content_type, headers=headers
    )


def _operations(client: Client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    schema = schemathesis.openapi.from_dict(document)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_for_any_generated_request(api_world, token_for, mode):
    client = Client()
    token = token_for(api_world.world.planner, "fuzz")
    operations = _operations(client)
    assert len(operations) >= 15
    failures = []

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            kwargs = case.as_transport_kwargs(base_url="http://testserver")
            response = _send(client, kwargs, token)
            where = f"{kwargs['method']} {kwargs['url']} {kwargs.get('params')}"
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {where}")
            elif not response["Content-Type"].startswith("application/json"):
                failures.append(f"not JSON ({response['Content-Type']}): {where}")
            elif CANARY in response.content.decode():
                failures.append(f"canary leaked: {where}")

        check()
    assert not failures, "\n".join(failures[:20])
