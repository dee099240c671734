"""Open datasets of the plans themselves: plans, nodes, actions and departments.

Only published plans (hoshin.plans.selectors) and the departments the portal shows
(hoshin.portal.selectors) appear; the columns are the fields the portal pages print.
"""

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from hoshin.lib.fiscal import format_fiscal_year_range
from hoshin.opendata.base import Column, Dataset
from hoshin.org.models import Department, DepartmentKind
from hoshin.plans import selectors as plan_selectors
from hoshin.plans.models import ActionDepartment, KeyProject, PlanKind, PlanNode
from hoshin.portal import selectors as portal_selectors

LIST_SEPARATOR = ";"  # joins several values in one cell (department ids, names …)

PLAN_ID = Column("plan_id", _("計画ID"), "integer", _("計画の番号。plans データセットの plan_id。"))


def _url(path: str) -> str:
    """An absolute address, so a row still points to its page once the file is elsewhere."""
    return settings.HOSHIN_BASE_URL.rstrip("/") + path


def departments_public() -> QuerySet[Department]:
    """The departments the portal shows (its own rule, so the two never disagree)."""
    return portal_selectors.departments_public()


class PlansDataset(Dataset):
    def base_queryset(self) -> QuerySet:
        return plan_selectors.plans_published()

    def apply_filters(self, queryset, filters):
        if "plan" in filters:
            queryset = queryset.filter(pk=filters["plan"])
        return queryset

    def row(self, plan, context):
        return {
            "plan_id": plan.pk,
            "name": plan.name,
            "kind": plan.kind,
            "kind_label": str(PlanKind(plan.kind).label) if plan.kind in PlanKind.values else "",
            "start_fy": plan.start_fy,
            "end_fy": plan.end_fy,
            "period_label": format_fiscal_year_range(plan.start_fy, plan.end_fy),
            "description": plan.description,
            "level_names": LIST_SEPARATOR.join(plan.level_names or []),
            "action_level_name": plan.action_level_name,
            "owner_office": plan.owner_office,
            "contact": plan.contact,
            "source_updated_on": plan.source_updated_on,
            "url": _url(plan.get_absolute_url()),
        }


class NodesDataset(Dataset):
    def base_queryset(self) -> QuerySet:
        return PlanNode.objects.filter(
            plan__in=Subquery(plan_selectors.plans_published().values("pk"))
        ).select_related("plan")

    def apply_filters(self, queryset, filters):
        if "plan" in filters:
            queryset = queryset.filter(plan_id=filters["plan"])
        return queryset

    def row(self, node, context):
        return {
            "node_id": node.pk,
            "plan_id": node.plan_id,
            "parent_id": node.parent_id,
            "depth": node.depth,
            "level_name": node.level,
            "position": node.position,
            "number": node.number,
            "title": node.title,
            "vision": node.vision,
            "challenges": "\n".join(node.challenges or []),
            "purpose": node.purpose,
            "url": _url(f"{node.plan.get_absolute_url()}#node-{node.pk}"),
        }


class ActionsDataset(Dataset):
    def base_queryset(self) -> QuerySet:
        return plan_selectors.actions_published().prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=ActionDepartment.objects.select_related("department").order_by(
                    "position", "id"
                ),
            ),
            Prefetch("key_projects", queryset=KeyProject.objects.order_by("position", "id")),
        )

    def apply_filters(self, queryset, filters):
        if "plan" in filters:
            queryset = queryset.filter(plan_id=filters["plan"])
        if "department" in filters:
            # Any responsibility line, past or present (a subquery, so no duplicate rows).
            lines = ActionDepartment.objects.filter(department_id=filters["department"])
            queryset = queryset.filter(pk__in=Subquery(lines.values("action_id")))
        return queryset

    def row(self, action, context):
        lines = list(action.responsibilities.all())
        lead = next((line for line in lines if line.is_lead and line.valid_until_fy is None), None)
        return {
            "action_id": action.pk,
            "plan_id": action.plan_id,
            "node_id": action.node_id,
            "position": action.position,
            "number": action.number,
            "title": action.title,
            "text": action.text,
            "lead_department_id": lead.department_id if lead else None,
            "lead_department_name": lead.label if lead else "",
            "department_ids": LIST_SEPARATOR.join(
                str(line.department_id) for line in lines if line.department_id
            ),
            "department_names": LIST_SEPARATOR.join(_line_label(line) for line in lines),
            "key_projects": LIST_SEPARATOR.join(str(kp) for kp in action.key_projects.all()),
            "url": _url(action.get_absolute_url()),
        }


def _line_label(line: ActionDepartment) -> str:
    """地域防災対策室 or 防災安全課（～2022年度）: the period shows when the line is limited."""
    if line.valid_from_fy is None and line.valid_until_fy is None:
        return line.label
    start = f"{line.valid_from_fy}年度" if line.valid_from_fy else ""
    end = f"{line.valid_until_fy}年度" if line.valid_until_fy else ""
    return f"{line.label}（{start}～{end}）"


class DepartmentsDataset(Dataset):
    def base_queryset(self) -> QuerySet:
        ids = departments_public().values("pk")
        return Department.objects.filter(pk__in=Subquery(ids))

    def order(self, queryset: QuerySet) -> QuerySet:
        # The organisation order, as on the portal's department list.
        return queryset.in_org_order()

    def row_context(self):
        # A parent is linked only when its own page is public.
        return {"public_ids": set(departments_public().values_list("pk", flat=True))}

    def row(self, department, context):
        parent_id = department.parent_id if department.parent_id in context["public_ids"] else None
        return {
            "department_id": department.pk,
            "name": department.name,
            "kind": department.kind,
            "kind_label": str(DepartmentKind(department.kind).label)
            if department.kind in DepartmentKind.values
            else "",
            "parent_id": parent_id,
            "valid_from_fy": department.valid_from_fy,
            "valid_until_fy": department.valid_until_fy,
            "position": department.position,
            "url": _url(department.get_absolute_url()),
        }


URL = Column("url", _("ページ"), "string", _("ポータルの該当ページのアドレス。"))

PLANS = PlansDataset(
    name="plans",
    title=_("計画"),
    description=_("公開している計画の一覧（計画名・種別・計画期間・問い合わせ先）。"),
    filters=("plan",),
    columns=(
        Column(
            "plan_id", _("計画ID"), "integer", _("計画の番号。他のデータセットの plan_id と対応。")
        ),
        Column("name", _("計画名"), "string", _("計画の正式名称。")),
        Column("kind", _("種別コード"), "string", _("comprehensive / reform / sector / other。")),
        Column("kind_label", _("種別"), "string", _("総合計画・行財政改革計画など。")),
        Column("start_fy", _("開始年度"), "integer", _("計画期間の最初の年度（西暦）。")),
        Column("end_fy", _("終了年度"), "integer", _("計画期間の最後の年度（西暦）。")),
        Column("period_label", _("計画期間"), "string", _("和暦と西暦の計画期間。")),
        Column("description", _("概要"), "string", _("計画の概要。")),
        Column(
            "level_names",
            _("階層の名称"),
            "string",
            _("上位から順に「;」区切り（例: 柱;方策;手法）。"),
        ),
        Column(
            "action_level_name",
            _("取組の名称"),
            "string",
            _("末端の取組の呼び方（実施内容など）。"),
        ),
        Column("owner_office", _("担当"), "string", _("計画の担当（問い合わせ先）。")),
        Column("contact", _("問い合わせ先"), "string", _("住所・電話番号など。")),
        Column(
            "source_updated_on", _("原資料の更新日"), "date", _("原資料の更新日（YYYY-MM-DD）。")
        ),
        URL,
    ),
)

NODES = NodesDataset(
    name="nodes",
    title=_("計画の体系（節）"),
    description=_("計画の階層（柱・方策・施策など）の一覧。parent_id で木構造をたどれます。"),
    filters=("plan",),
    columns=(
        Column(
            "node_id", _("節ID"), "integer", _("節の番号。actions と sheets の node_id と対応。")
        ),
        PLAN_ID,
        Column("parent_id", _("上位の節ID"), "integer", _("一つ上の節の node_id（最上位は空）。")),
        Column("depth", _("階層"), "integer", _("0 が最上位。")),
        Column(
            "level_name", _("階層の名称"), "string", _("その計画での階層の呼び方（柱・方策など）。")
        ),
        Column("position", _("順序"), "integer", _("同じ上位の節の中での並び順。")),
        Column("number", _("番号"), "string", _("原資料の番号（1、(1) など）。")),
        Column("title", _("名称"), "string", _("節の名称。")),
        Column("vision", _("めざす姿"), "string", _("めざす姿。")),
        Column("challenges", _("これまでの取り組みと今後の課題"), "string", _("一項目一行。")),
        Column("purpose", _("目的・概要"), "string", _("目的・概要。")),
        URL,
    ),
)

ACTIONS = ActionsDataset(
    name="actions",
    title=_("取組"),
    description=_("計画の末端の取組（実施内容・事務事業など）と担当課。"),
    filters=("plan", "department"),
    columns=(
        Column(
            "action_id", _("取組ID"), "integer", _("取組の番号。sheets などの action_id と対応。")
        ),
        PLAN_ID,
        Column("node_id", _("節ID"), "integer", _("取組が属する節（nodes の node_id）。")),
        Column("position", _("順序"), "integer", _("節の中での並び順。")),
        Column("number", _("番号"), "string", _("原資料の番号。")),
        Column("title", _("取組名"), "string", _("取組名（ない計画もあります）。")),
        Column("text", _("内容"), "string", _("取組の内容。")),
        Column(
            "lead_department_id",
            _("主管課ID"),
            "integer",
            _("現在の主管課（departments の department_id）。"),
        ),
        Column("lead_department_name", _("主管課"), "string", _("現在の主管課の名称。")),
        Column(
            "department_ids",
            _("担当課ID"),
            "string",
            _("担当課の department_id を「;」区切りで（過去の担当を含む）。"),
        ),
        Column(
            "department_names",
            _("担当課"),
            "string",
            _(
                "担当課の名称を「;」区切りで。全庁・関係各課などを含み、担当期間が限られる課は（年度～年度）付き。"
            ),
        ),
        Column("key_projects", _("主要事業"), "string", _("「;」区切り。★は新規、○は継続。")),
        URL,
    ),
)

DEPARTMENTS = DepartmentsDataset(
    name="departments",
    title=_("担当課"),
    description=_("公開している計画の取組を担当する部署（組織改正で廃止された部署を含む）。"),
    columns=(
        Column(
            "department_id",
            _("部署ID"),
            "integer",
            _("部署の番号。他のデータセットの department_id と対応。"),
        ),
        Column("name", _("名称"), "string", _("部署の名称。")),
        Column("kind", _("種別コード"), "string", _("bu（部）/ ka（課）/ shitsu（室）など。")),
        Column("kind_label", _("種別"), "string", _("部・課・室・係・委員会など。")),
        Column(
            "parent_id",
            _("上位組織ID"),
            "integer",
            _("上位の部署の department_id（公開していない場合は空）。"),
        ),
        Column("valid_from_fy", _("設置年度"), "integer", _("組織改正で設置された年度（西暦）。")),
        Column(
            "valid_until_fy",
            _("最終年度"),
            "integer",
            _("組織改正で廃止される前の最後の年度（西暦）。空は現存。"),
        ),
        Column("position", _("表示順"), "integer", _("一覧での並び順。")),
        URL,
    ),
)
