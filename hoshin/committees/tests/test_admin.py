"""The admin shows the committee records read-only; its round actions go through the services."""

import pytest
from django.urls import reverse

from hoshin.committees.models import RoundKind, ScoringRound
from hoshin.committees.services.scoring import round_open
from hoshin.committees.tests.factories import make_committee_world
from hoshin.org.models import User

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_the_close_action_uses_the_service(client):
    cw = make_committee_world()
    scoring_round = round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=cw.world.planner)
    admin_user = User.objects.create_superuser("root", password="pw")
    client.force_login(admin_user)
    for name in ("committee", "committeemember", "scoringround", "score", "cityresponse"):
        assert client.get(reverse(f"admin:committees_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:committees_committee_add")).status_code == 403
    url = reverse("admin:committees_scoringround_changelist")
    client.post(url, {"action": "close", "_selected_action": [scoring_round.pk]})
    scoring_round.refresh_from_db()
    assert scoring_round.closed_by == admin_user
    # closing again is refused by the service, with its message
    response = client.post(
        url, {"action": "close", "_selected_action": [scoring_round.pk]}, follow=True
    )
    assert "すでに締め切られています" in response.content.decode()
    assert ScoringRound.objects.get().closed_at == scoring_round.closed_at
