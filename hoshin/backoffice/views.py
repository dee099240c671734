"""Back-office pages for staff: the plan list, the planning office's plan import, publishing.

Views are thin: check the role (``permissions``), validate a form, call a service, redirect.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hoshin.backoffice.forms import PlanImportConfirmForm, PlanImportForm, PlanPublishForm
from hoshin.backoffice.services import plan_import_apply, plan_import_parse, plan_import_upload
from hoshin.lib.encodings import DecodeError
from hoshin.lib.fiscal import format_fiscal_year_range
from hoshin.org.roles import is_planning_office, login_required_staff, planning_office_required
from hoshin.org.selectors import departments_match
from hoshin.plans.formats.base import (
    MARKER_LABELS,
    ParsedAction,
    ParsedNode,
    ParsedPlan,
    PlanFormatError,
    registered_formats,
)
from hoshin.plans.models import Plan, PlanImport, PlanKind
from hoshin.plans.services import (
    ImportCheck,
    PlanImportError,
    plan_import_check,
    plan_set_published,
)


def _render(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    crumbs: list[tuple[str, str]] | None = None,
    nav_section: str = "",
) -> HttpResponse:
    """Render a back-office page with what the frame needs (menu, breadcrumbs)."""
    context = {
        "can_manage": is_planning_office(user=request.user),
        "crumbs": crumbs or [],
        "nav_section": nav_section,
        **context,
    }
    return render(request, template, context)


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True


@login_required_staff
def home(request: HttpRequest) -> HttpResponse:
    """Every plan, published or not, with what the user may do with it."""
    plans = Plan.objects.annotate(action_count=Count("actions")).order_by("-start_fy", "name")
    can_manage = is_planning_office(user=request.user)
    pending = (
        PlanImport.objects.filter(status=PlanImport.Status.PREVIEWED).select_related("created_by")
        if can_manage
        else PlanImport.objects.none()
    )
    return _render(
        request,
        "backoffice/home.html",
        {"plans": plans, "pending_imports": pending},
        nav_section="plans",
    )


@planning_office_required
def plan_import(request: HttpRequest) -> HttpResponse:
    """Upload form: a file that cannot be parsed is refused here, naming the line or cell."""
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            entry = plan_import_upload(
                uploaded_file=form.cleaned_data["file"],
                plan_name=form.cleaned_data["plan_name"],
                create_departments=form.cleaned_data["create_departments"],
                by=request.user,
            )
            url = reverse("backoffice:plan_import_preview", args=[entry.pk])
            if form.cleaned_data["replace"]:
                url += "?" + urlencode({"replace": "1"})
            return redirect(url)
    else:
        form = PlanImportForm()
    return _render(
        request,
        "backoffice/plan_import.html",
        {"form": form},
        crumbs=_import_crumbs(),
        nav_section="import",
    )


def _import_crumbs(entry: PlanImport | None = None) -> list[tuple[str, str]]:
    crumbs = [(gettext("計画の取込"), reverse("backoffice:plan_import"))]
    if entry is not None:
        url = reverse("backoffice:plan_import_preview", args=[entry.pk])
        crumbs.append((gettext("取込内容の確認"), url))
    return crumbs


@dataclass
class DepartmentLabel:
    label: str
    status: str  # "found", "marker", "unknown", "ambiguous"
    detail: str = ""


@dataclass
class PreviewAction:
    action: ParsedAction
    departments: list[DepartmentLabel]


@dataclass
class PreviewNode:
    node: ParsedNode
    level: str
    actions: list[PreviewAction] = field(default_factory=list)
    children: list["PreviewNode"] = field(default_factory=list)


def _preview_tree(parsed: ParsedPlan, labels: dict[str, DepartmentLabel]) -> list[PreviewNode]:
    def level_name(depth: int) -> str:
        names = parsed.level_names
        return names[depth] if depth < len(names) else gettext("第%(n)d階層") % {"n": depth + 1}

    def convert(node: ParsedNode) -> PreviewNode:
        return PreviewNode(
            node=node,
            level=level_name(node.depth),
            actions=[
                PreviewAction(action=a, departments=[labels[label] for label in a.departments])
                for a in node.actions
            ],
            children=[convert(child) for child in node.children],
        )

    return [convert(root) for root in parsed.roots]


def _department_labels(parsed: ParsedPlan, *, create: bool) -> dict[str, DepartmentLabel]:
    """How each department label of the file matches the master, in document order."""
    match = departments_match(labels=parsed.department_labels())
    result = {}
    for action in parsed.all_actions():
        for label in action.departments:
            if label in result:
                continue
            if label in MARKER_LABELS:
                result[label] = DepartmentLabel(label, "marker", gettext("区分"))
            elif label in match.found:
                result[label] = DepartmentLabel(label, "found", match.found[label].full_name)
            elif label in match.ambiguous:
                names = "、".join(d.full_name for d in match.ambiguous[label])
                detail = gettext("複数の部署に一致: %(names)s") % {"names": names}
                result[label] = DepartmentLabel(label, "ambiguous", detail)
            else:
                detail = (
                    gettext("新しく登録します") if create else gettext("部署マスタにありません")
                )
                result[label] = DepartmentLabel(label, "unknown", detail)
    return result


def _problems(check: ImportCheck, *, create_departments: bool, replace: bool) -> list[str]:
    """The rule of ``ImportCheck.problems`` worded for this page (that one names CLI options).

    A test keeps the two in step: this page must not let through what ``plan_import`` refuses.
    """
    problems = []
    if check.existing_plan is not None and not replace:
        problems.append(
            gettext(
                "計画「%(name)s」は既にあります。置き換える場合は「同じ名前の計画があれば置き換える」"
                "にチェックを入れてください。"
            )
            % {"name": check.existing_plan.name}
        )
    if check.unknown_departments and not create_departments:
        problems.append(
            gettext(
                "部署マスタにない部署があります: %(names)s。登録する場合は「部署マスタにない部署を"
                "新しく登録する」にチェックを入れるか、先に部署マスタに登録してください。"
            )
            % {"names": "、".join(check.unknown_departments)}
        )
    for label, names in check.ambiguous_departments.items():
        problems.append(
            gettext(
                "部署名「%(label)s」が複数の部署（%(names)s）に一致します。ファイルで"
                "「教育部総務課」のように上位組織から書いてください。"
            )
            % {"label": label, "names": "、".join(names)}
        )
    # Values too long for their column: the messages already name the line, not an option.
    return problems + check.too_long


def _format_label(name: str) -> str:
    for plan_format in registered_formats():
        if plan_format.name == name:
            return plan_format.label
    return name


@planning_office_required
def plan_import_preview(request: HttpRequest, import_id: int) -> HttpResponse:
    """What the import would write, like ``import_plan --dry-run``; nothing is written here."""
    entry = get_object_or_404(PlanImport.objects.select_related("plan", "created_by"), pk=import_id)
    # The choices travel in the URL (PlanImport has no "replace" field); the stored
    # create_departments is the default until the confirm form changed it.
    replace = request.GET.get("replace") == "1"
    create = request.GET.get("create_departments", "1" if entry.create_departments else "") == "1"
    context = {"entry": entry, "replace": replace}
    try:
        parsed = plan_import_parse(plan_import=entry)
    except (PlanFormatError, DecodeError, OSError) as exc:
        context["parse_error"] = str(exc)
        return _render_preview(request, entry, context)
    check = plan_import_check(parsed=parsed, name=entry.plan_name)
    labels = _department_labels(parsed, create=create)
    actions = parsed.all_actions()
    context.update(
        parsed=parsed,
        format_label=_format_label(parsed.format_name),
        kind_label=PlanKind(parsed.kind).label if parsed.kind in PlanKind.values else parsed.kind,
        period=_period_label(parsed),
        check=check,
        problems=_problems(check, create_departments=create, replace=replace),
        department_labels=sorted(labels.values(), key=_label_order),
        tree=_preview_tree(parsed, labels),
        counts={
            "nodes": check.nodes,
            "actions": check.actions,
            "key_projects": sum(len(a.key_projects) for a in actions),
            "notes": sum(len(n.notes) for n in parsed.walk()) + sum(len(a.notes) for a in actions),
        },
        confirm_form=PlanImportConfirmForm(
            initial={"replace": replace, "create_departments": create}
        ),
    )
    return _render_preview(request, entry, context)


def _render_preview(request: HttpRequest, entry: PlanImport, context: dict) -> HttpResponse:
    return _render(
        request,
        "backoffice/plan_import_preview.html",
        context,
        crumbs=_import_crumbs(entry),
        nav_section="import",
    )


def _label_order(label: DepartmentLabel) -> int:
    """Problems first; within a group the order of the file (the sort is stable)."""
    return {"ambiguous": 0, "unknown": 1, "found": 2, "marker": 3}[label.status]


def _period_label(parsed: ParsedPlan) -> str:
    return format_fiscal_year_range(parsed.start_fy, parsed.end_fy)


@planning_office_required
@require_POST
def plan_import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Write the previewed plan in one transaction; on refusal, back to the preview."""
    entry = get_object_or_404(PlanImport, pk=import_id)
    form = PlanImportConfirmForm(request.POST)
    form.is_valid()  # two optional check boxes: always valid
    replace = form.cleaned_data.get("replace", False)
    create = form.cleaned_data.get("create_departments", False)
    choices = {"replace": "1" if replace else "", "create_departments": "1" if create else ""}
    preview_url = reverse("backoffice:plan_import_preview", args=[entry.pk])
    preview_url += "?" + urlencode(choices)
    try:
        summary = plan_import_apply(
            plan_import=entry,
            replace=replace,
            create_departments=create,
            by=request.user,
        )
    except PlanImportError as exc:
        messages.error(request, exc.message)
        for detail in exc.details:
            messages.error(request, detail)
        return redirect(preview_url)
    except (PlanFormatError, DecodeError) as exc:
        messages.error(request, str(exc))
        return redirect(preview_url)
    messages.success(
        request,
        gettext(
            "計画「%(name)s」を取り込みました（節 %(nodes)d、取組 %(actions)d）。"
            "公開するまで市民には表示されません。"
        )
        % {"name": summary.plan.name, "nodes": summary.nodes, "actions": summary.actions},
    )
    if summary.created_departments:
        messages.info(
            request,
            gettext("部署を新しく登録しました: %(names)s")
            % {"names": "、".join(summary.created_departments)},
        )
    return redirect("backoffice:home")


@planning_office_required
@require_POST
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Publish a plan on the portal, or withdraw it."""
    plan = get_object_or_404(Plan, pk=plan_id)
    form = PlanPublishForm(request.POST)
    form.is_valid()
    published = form.cleaned_data.get("published", False)
    plan_set_published(plan=plan, published=published, by=request.user)
    if published:
        messages.success(request, gettext("「%(name)s」を公開しました。") % {"name": plan.name})
    else:
        messages.success(request, gettext("「%(name)s」を非公開にしました。") % {"name": plan.name})
    return redirect("backoffice:home")
