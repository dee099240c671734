"""The city's response (対応方針) to each opinion of the committee, and its follow-up over the
two fiscal years after the committee's."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import (
    CityResponse,
    FollowUpStatus,
    Opinion,
    ResponseFollowUp,
    ResponseStance,
)
from hoshin.committees.services.errors import (
    CommitteePermissionError,
    CommitteeValidationError,
    next_version,
)
from hoshin.evaluations.selectors.access import is_editor_of
from hoshin.org.roles import is_planning_office

FOLLOW_UP_YEARS = 2  # the city reports on each response in the two years after the opinion


def _require_department(*, user, opinion: Opinion) -> None:
    sheet = opinion.target.sheet
    if not (is_editor_of(user=user, sheet=sheet) or is_planning_office(user=user)):
        raise CommitteePermissionError(
            _("対応方針を記入できるのは評価対象の担当課か企画担当です。")
        )


@transaction.atomic
def response_save(
    *,
    opinion: Opinion,
    by,
    stance: str,
    reason: str = "",
    planned_action: str = "",
    budget_amount: Decimal | None = None,
    expected_version: int | None,
) -> CityResponse:
    """Write the department's response to an opinion: accept, partly or not — the last two with
    their reason — the planned action and the amount reflected in the budget (千円, ≥ 0).
    A stale ``expected_version`` (None for a new response) raises ``CommitteeConflictError``."""
    opinion = (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("target__sheet")
        .get(pk=opinion.pk)
    )
    _require_department(user=by, opinion=opinion)
    errors = {}
    if stance not in ResponseStance.values:
        errors["stance"] = _("対応の区分が正しくありません。")
    elif stance != ResponseStance.ACCEPT and not reason.strip():
        errors["reason"] = _("一部対応・対応しない場合は理由を入力してください。")
    if budget_amount is not None and budget_amount < 0:
        errors["budget_amount"] = _("予算への反映額は0以上にしてください。")
    if errors:
        raise CommitteeValidationError(errors)
    response = CityResponse.objects.select_related("updated_by").filter(opinion=opinion).first()
    version = next_version(
        response, expected_version=expected_version, last_author=response and response.updated_by
    )
    response = response or CityResponse(opinion=opinion, department=opinion.target.sheet.department)
    response.version = version
    response.stance = stance
    response.reason = reason.strip()
    response.planned_action = planned_action.strip()
    response.budget_amount = budget_amount
    response.updated_by = by
    response.save()
    audit_record(
        actor=by,
        verb="committee.response_save",
        target=response,
        summary=f"「{opinion.target}」への意見に対する対応方針を保存",
        data={"stance": stance, "budget_amount": budget_amount, "version": response.version},
    )
    return response


@transaction.atomic
def follow_up_record(
    *, response: CityResponse, fy: int, status: str, by, note: str = ""
) -> ResponseFollowUp:
    """Record where a response stands in ``fy``, one of the two years after the committee's;
    recording a year again replaces its entry."""
    response = CityResponse.objects.select_related("opinion__target__committee").get(pk=response.pk)
    _require_department(user=by, opinion=response.opinion)
    committee_fy = response.opinion.target.committee.fy
    errors = {}
    if not committee_fy < fy <= committee_fy + FOLLOW_UP_YEARS:
        errors["fy"] = _("追跡できるのは委員会の翌年度から%(years)s年間です。") % {
            "years": FOLLOW_UP_YEARS
        }
    if status not in FollowUpStatus.values:
        errors["status"] = _("状況の区分が正しくありません。")
    if errors:
        raise CommitteeValidationError(errors)
    follow_up, _created = ResponseFollowUp.objects.update_or_create(
        response=response,
        fy=fy,
        defaults={"status": status, "note": note.strip(), "recorded_by": by},
    )
    audit_record(
        actor=by,
        verb="committee.follow_up",
        target=follow_up,
        summary=f"対応方針「{response}」の{fy}年度の状況を記録",
        data={"fy": fy, "status": status},
    )
    return follow_up
