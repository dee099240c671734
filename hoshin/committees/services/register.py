"""The committee register: committees, their scoring sheet and rules, sub-groups and members."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees import defaults
from hoshin.committees.models import (
    Committee,
    CommitteeKind,
    CommitteeMember,
    DecisionRule,
    MemberCategory,
    MemberGroup,
    MemberRole,
    Score,
)
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.org.models import Role
from hoshin.org.roles import is_planning_office, user_has_role


def require_secretariat(*, user) -> None:
    """The secretariat of every committee is the planning office (and administrators)."""
    if not is_planning_office(user=user):
        raise CommitteePermissionError(_("委員会の事務局（企画担当）だけが行えます。"))


def scale_errors(items, *, name: str, numeric: bool = False) -> list[str]:
    """What is wrong with a list of ``{"code", "label", "meaning"}`` (empty when nothing)."""
    if not isinstance(items, list) or not items:
        return [_("%(name)sを1つ以上設定してください。") % {"name": name}]
    problems = []
    codes, labels = set(), set()
    for item in items:
        code = str(item.get("code", "")).strip() if isinstance(item, dict) else ""
        label = str(item.get("label", "")).strip() if isinstance(item, dict) else ""
        if not code or not label:
            problems.append(_("%(name)sのコードと名称は空にできません。") % {"name": name})
            continue
        if code in codes or label in labels:
            problems.append(
                _("%(name)s「%(label)s」が重複しています。") % {"name": name, "label": label}
            )
        if numeric and not code.lstrip("-").isdigit():
            problems.append(
                _("%(name)sのコード「%(code)s」は整数にしてください（平均を計算します）。")
                % {"name": name, "code": code}
            )
        codes.add(code)
        labels.add(label)
    return problems


@transaction.atomic
def committee_create(
    *,
    plan,
    fy: int,
    name: str,
    by,
    kind: str = CommitteeKind.EXTERNAL_EVALUATION,
    secretariat=None,
) -> Committee:
    """Register a committee of ``plan`` for ``fy`` with the default scoring sheet."""
    require_secretariat(user=by)
    name = name.strip()
    if not name:
        raise CommitteeValidationError({"name": _("名称を入力してください。")})
    if Committee.objects.filter(plan=plan, fy=fy, name=name).exists():
        raise CommitteeValidationError({"name": _("同じ年度に同じ名称の委員会があります。")})
    committee = Committee.objects.create(
        plan=plan,
        fy=fy,
        name=name,
        kind=kind,
        secretariat=secretariat,
        **Committee.scoring_defaults(),
    )
    audit_record(
        actor=by,
        verb="committee.create",
        target=committee,
        summary=f"委員会「{committee}」を登録",
        data={"plan": plan.pk, "fy": fy, "kind": kind},
    )
    return committee


@transaction.atomic
def committee_configure(
    *,
    committee: Committee,
    by,
    viewpoints: list[dict],
    viewpoint_scale: list[dict],
    judgements: list[dict],
    decision_rule: str,
    tally_separately: bool,
    score_disclosure: str,
) -> Committee:
    """Set the scoring sheet and the rules of aggregation and disclosure.

    The judgement list has 3 to 7 levels. Viewpoints, their scale and the judgements cannot
    change once a member has scored (the scores would no longer fit them); the decision rule,
    separate tallies and disclosure may, since results are recomputed from the scores."""
    require_secretariat(user=by)
    committee = Committee.objects.select_for_update(of=("self",)).get(pk=committee.pk)
    errors: dict[str, str] = {}
    for field, items, label, numeric in (
        ("viewpoints", viewpoints, _("評価の視点"), False),
        ("viewpoint_scale", viewpoint_scale, _("評価の視点の尺度"), True),
        ("judgements", judgements, _("判定の区分"), False),
    ):
        problems = scale_errors(items, name=label, numeric=numeric)
        if problems:
            errors[field] = " ".join(problems)
    if "judgements" not in errors and not (
        defaults.JUDGEMENTS_MIN <= len(judgements) <= defaults.JUDGEMENTS_MAX
    ):
        errors["judgements"] = _("判定の区分は%(low)s〜%(high)s段階にしてください。") % {
            "low": defaults.JUDGEMENTS_MIN,
            "high": defaults.JUDGEMENTS_MAX,
        }
    if decision_rule not in DecisionRule.values:
        errors["decision_rule"] = _("結論の決め方が正しくありません。")
    sheet_changed = (viewpoints, viewpoint_scale, judgements) != (
        committee.viewpoints,
        committee.viewpoint_scale,
        committee.judgements,
    )
    if sheet_changed and Score.objects.filter(round__committee=committee).exists():
        errors["judgements"] = _(
            "委員の評価が入力された後は、評価の視点・尺度・判定の区分を変更できません。"
        )
    if errors:
        raise CommitteeValidationError(errors)
    committee.viewpoints = viewpoints
    committee.viewpoint_scale = viewpoint_scale
    committee.judgements = judgements
    committee.decision_rule = decision_rule
    committee.tally_separately = tally_separately
    committee.score_disclosure = score_disclosure
    committee.save()
    audit_record(
        actor=by,
        verb="committee.configure",
        target=committee,
        summary=f"委員会「{committee}」の評価様式と集計の規則を設定",
        data={
            "judgements": committee.judgement_codes(),
            "decision_rule": decision_rule,
            "tally_separately": tally_separately,
            "score_disclosure": score_disclosure,
        },
    )
    return committee


@transaction.atomic
def group_add(*, committee: Committee, name: str, by) -> MemberGroup:
    """Add a sub-group (部会) to a committee."""
    require_secretariat(user=by)
    group = MemberGroup.objects.create(committee=committee, name=name.strip())
    audit_record(
        actor=by,
        verb="committee.group_add",
        target=group,
        summary=f"委員会「{committee}」に部会「{group}」を追加",
    )
    return group


@transaction.atomic
def member_add(
    *,
    committee: Committee,
    by,
    name: str,
    category: str,
    term_start: datetime.date,
    term_end: datetime.date,
    role: str = MemberRole.MEMBER,
    affiliation: str = "",
    group: MemberGroup | None = None,
    user=None,
) -> CommitteeMember:
    """Add a member. A linked account must hold the ``committee_member`` role; a committee has
    at most one chair and one vice-chair; the term ends on or after it starts."""
    require_secretariat(user=by)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("氏名を入力してください。")
    if category not in MemberCategory.values:
        errors["category"] = _("区分が正しくありません。")
    if role not in MemberRole.values:
        errors["role"] = _("役職が正しくありません。")
    if term_end < term_start:
        errors["term_end"] = _("任期の終了日は開始日より後にしてください。")
    if group is not None and group.committee_id != committee.pk:
        errors["group"] = _("この委員会の部会ではありません。")
    members = CommitteeMember.objects.filter(committee=committee)
    if role in (MemberRole.CHAIR, MemberRole.VICE_CHAIR) and members.filter(role=role).exists():
        errors["role"] = _("%(role)sはすでに登録されています。") % {"role": MemberRole(role).label}
    if user is not None:
        if not user_has_role(user=user, role=Role.COMMITTEE_MEMBER):
            errors["user"] = _("このアカウントには外部評価委員の役割がありません。")
        elif members.filter(user=user).exists():
            errors["user"] = _("このアカウントはすでにこの委員会の委員です。")
    if errors:
        raise CommitteeValidationError(errors)
    member = CommitteeMember.objects.create(
        committee=committee,
        name=name.strip(),
        affiliation=affiliation.strip(),
        category=category,
        role=role,
        term_start=term_start,
        term_end=term_end,
        group=group,
        user=user,
        position=members.count(),
    )
    audit_record(
        actor=by,
        verb="committee.member_add",
        target=member,
        summary=f"委員会「{committee}」に委員「{member}」を追加",
        data={"category": category, "role": role, "user": getattr(user, "pk", None)},
    )
    return member
