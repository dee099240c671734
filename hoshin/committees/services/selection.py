"""Selection of targets: the rules as data, nominations, and the final choice with its reason."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import (
    Committee,
    CommitteeMember,
    MemberGroup,
    Nomination,
    NominationSource,
    ReviewTarget,
    RuleKind,
    SelectionRule,
)
from hoshin.committees.selection import COST_COLUMNS, selectable_sheets, selection_run
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.register import require_secretariat
from hoshin.org.roles import is_planning_office


def _ids(value) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(i, int) for i in value):
        raise CommitteeValidationError({"params": _("番号の一覧で指定してください。")})
    return value


def rule_params_check(*, kind: str, params: dict) -> dict:
    """The params of a rule of ``kind``, checked and normalised; raises
    ``CommitteeValidationError`` naming what is wrong."""
    if kind not in RuleKind.values:
        raise CommitteeValidationError({"kind": _("ルールの種別が正しくありません。")})
    params = dict(params or {})
    column = params.get("column", "actual")
    if kind in (RuleKind.COST_FLOOR, RuleKind.OWN_PROJECTS) and column not in COST_COLUMNS:
        raise CommitteeValidationError({"params": _("コストの欄が正しくありません。")})
    if kind == RuleKind.INTERNAL_RESULT:
        grades = params.get("grades", [])
        directions = params.get("directions", [])
        if not grades and not directions:
            raise CommitteeValidationError(
                {"params": _("総合評価か今後の方向性を1つ以上選んでください。")}
            )
        return {"grades": [str(g) for g in grades], "directions": [str(d) for d in directions]}
    if kind == RuleKind.COST_FLOOR:
        try:
            amount = Decimal(str(params.get("amount")))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            raise CommitteeValidationError(
                {"params": _("下限額（千円）を0以上の数で入力してください。")}
            )
        return {"amount": int(amount), "column": column}
    if kind == RuleKind.OWN_PROJECTS:
        return {"column": column}
    if kind == RuleKind.TOP_PER_DEPARTMENT:
        n = params.get("n")
        if not isinstance(n, int) or n < 1:
            raise CommitteeValidationError({"params": _("件数を1以上の整数で入力してください。")})
        return {"n": n}
    action_ids = _ids(params.get("action_ids", []))
    department_ids = _ids(params.get("department_ids", []))
    if not action_ids and not department_ids:
        raise CommitteeValidationError({"params": _("除外する取組か部署を指定してください。")})
    return {"action_ids": action_ids, "department_ids": department_ids}


@transaction.atomic
def selection_rule_add(
    *, committee: Committee, kind: str, params: dict, by, note: str = ""
) -> SelectionRule:
    """Add a selection rule to the committee year (checked by ``rule_params_check``)."""
    require_secretariat(user=by)
    params = rule_params_check(kind=kind, params=params)
    rule = SelectionRule.objects.create(
        committee=committee,
        kind=kind,
        params=params,
        note=note.strip(),
        position=committee.selection_rules.count(),
    )
    audit_record(
        actor=by,
        verb="committee.rule_add",
        target=rule,
        summary=f"委員会「{committee}」に選定ルール「{rule.get_kind_display()}」を追加",
        data={"kind": kind, "params": params},
    )
    return rule


@transaction.atomic
def selection_rule_remove(*, rule: SelectionRule, by) -> None:
    """Remove a selection rule; targets already chosen keep the reasons they were chosen for."""
    require_secretariat(user=by)
    audit_record(
        actor=by,
        verb="committee.rule_remove",
        target=rule.committee,
        summary=f"委員会「{rule.committee}」の選定ルール「{rule.get_kind_display()}」を削除",
        data={"kind": rule.kind, "params": rule.params},
    )
    rule.delete()


def _check_sheet(committee: Committee, sheet) -> None:
    if not selectable_sheets(committee=committee).filter(pk=sheet.pk).exists():
        raise CommitteeValidationError(
            {
                "sheet": _(
                    "この委員会の計画・年度の、一次評価を終えた取組の評価シートではありません。"
                )
            }
        )


@transaction.atomic
def nomination_add(
    *,
    committee: Committee,
    sheet,
    by,
    reason: str,
    member: CommitteeMember | None = None,
    source: str = NominationSource.MEMBER,
    reference: str = "",
) -> Nomination:
    """Nominate a sheet for review: a member for themselves (or the secretariat for a member,
    from paper), the secretariat itself, or a citizen's nomination the secretariat records."""
    if source not in NominationSource.values:
        raise CommitteeValidationError({"source": _("推薦者の区分が正しくありません。")})
    if source == NominationSource.MEMBER:
        if member is None or member.committee_id != committee.pk:
            raise CommitteeValidationError({"member": _("この委員会の委員を指定してください。")})
        if member.user_id != getattr(by, "pk", None) and not is_planning_office(user=by):
            raise CommitteePermissionError(_("推薦できるのは委員本人か事務局です。"))
    else:
        require_secretariat(user=by)
        member = None
    if not reason.strip():
        raise CommitteeValidationError({"reason": _("推薦の理由を入力してください。")})
    _check_sheet(committee, sheet)
    nomination = Nomination.objects.create(
        committee=committee,
        sheet=sheet,
        source=source,
        member=member,
        reference=reference.strip(),
        reason=reason.strip(),
        created_by=by,
    )
    audit_record(
        actor=by,
        verb="committee.nominate",
        target=nomination,
        summary=f"委員会「{committee}」の評価対象に「{sheet}」を推薦",
        data={"source": source, "sheet": sheet.pk},
    )
    return nomination


@transaction.atomic
def target_select(
    *,
    committee: Committee,
    sheet,
    by,
    reason: str,
    group: MemberGroup | None = None,
) -> ReviewTarget:
    """Choose a sheet as a target: records who chose it, their reason, and the reasons the
    selection run gives for it at this moment (empty when chosen outside the candidates)."""
    require_secretariat(user=by)
    if not reason.strip():
        raise CommitteeValidationError({"reason": _("選定の理由を入力してください。")})
    _check_sheet(committee, sheet)
    if group is not None and group.committee_id != committee.pk:
        raise CommitteeValidationError({"group": _("この委員会の部会ではありません。")})
    if committee.targets.filter(sheet=sheet).exists():
        raise CommitteeValidationError({"sheet": _("すでに評価対象に選ばれています。")})
    candidate = next(
        (c for c in selection_run(committee=committee).candidates if c.sheet.pk == sheet.pk), None
    )
    target = ReviewTarget.objects.create(
        committee=committee,
        sheet=sheet,
        group=group,
        reason=reason.strip(),
        rule_reasons=candidate.reasons if candidate else [],
        selected_by=by,
        position=committee.targets.count(),
    )
    audit_record(
        actor=by,
        verb="committee.target_select",
        target=target,
        summary=f"委員会「{committee}」の評価対象に「{sheet}」を選定",
        data={"sheet": sheet.pk, "reason": target.reason, "rule_reasons": target.rule_reasons},
    )
    return target


@transaction.atomic
def target_remove(*, target: ReviewTarget, by) -> None:
    """Take a target off the list; refused once a member has scored it."""
    require_secretariat(user=by)
    if target.scores.exists():
        raise CommitteeValidationError({"target": _("委員の評価がある評価対象は外せません。")})
    audit_record(
        actor=by,
        verb="committee.target_remove",
        target=target.committee,
        summary=f"委員会「{target.committee}」の評価対象から「{target.sheet}」を外す",
        data={"sheet": target.sheet_id},
    )
    target.delete()
