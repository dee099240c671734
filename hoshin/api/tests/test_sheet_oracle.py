"""Issue 10, finding 1, checked on the staff API too: a sheet out of the token user's sight
answers exactly as a sheet that does not exist (read and write)."""

import pytest
from django.test import Client

from hoshin.evaluations.models import EvaluationSheet

pytestmark = pytest.mark.django_db


def test_a_hidden_sheet_is_answered_as_a_missing_one(api_world, token_for):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(api_world.world.editor)}"}
    client = Client()
    hidden = api_world.draft.pk  # 財政課's draft: the 防災 editor may not see it
    missing = EvaluationSheet.objects.order_by("-pk").first().pk + 1000
    for method, body in (("get", None), ("patch", {"version": 999, "changes": {}})):
        answers = []
        for sheet_id in (hidden, missing):
            send = getattr(client, method)
            kwargs = {"data": body, "content_type": "application/json"} if body else {}
            response = send(f"/api/v1/staff/sheets/{sheet_id}", **kwargs, **headers)
            answers.append((response.status_code, response.content))
        assert answers[0] == answers[1]
        assert answers[0][0] == 404
