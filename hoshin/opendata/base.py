"""What every open dataset is made of: columns, filters and the published rows behind them.

A dataset never builds a list of its rows: ``queryset()`` is lazy and ``rows()`` walks it with
``QuerySet.iterator(chunk_size=...)`` (prefetching per chunk), so a download of any size holds
one chunk in memory. Every queryset starts from the published selectors of hoshin.plans,
hoshin.portal and hoshin.evaluations.selectors.public.
"""

import datetime
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year

CHUNK_SIZE = 500
FILTER_NAMES = ("plan", "fy", "department", "grade", "direction")
MAX_FILTER_LENGTH = 40  # longer than any id, fiscal-year label or scale code
# CSV header rows: Japanese column names (項目) by default, as Japanese open-data practice
# (推奨データセット) writes them; "en" gives the English machine names, byte for byte as before.
HEADERS = ("ja", "en")
DEFAULT_HEADERS = "ja"


@dataclass(frozen=True)
class Column:
    name: str  # stable snake_case name: documented, never renamed
    label: str  # Japanese label
    type: str  # integer | string | decimal | date | datetime | boolean
    description: str


class FilterError(ValueError):
    """A bad filter value; ``param`` names the query parameter, str() is a Japanese message."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Dataset:
    """One downloadable table. Subclasses define ``base_queryset``, ``apply_filters`` and ``row``."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    filters: tuple[str, ...] = ()

    # ---- the contract -------------------------------------------------------------------

    def parse_filters(self, params: Mapping[str, str]) -> dict:
        """Typed filter values from query parameters; FilterError for the first bad one.

        Empty values count as absent (a GET form sends them); parameters that are not filters
        at all (encoding, page …) are ignored; a filter this dataset lacks is an error, so a
        user never receives the whole table believing it was filtered.
        """
        parsed: dict = {}
        for name in FILTER_NAMES:
            raw = params.get(name)
            if raw is None or raw == "":
                continue
            if name not in self.filters:
                usable = "、".join(self.filters) or _("なし")
                raise FilterError(
                    name,
                    _(
                        "データセット「%(dataset)s」は %(param)s で絞り込めません（使える条件: %(usable)s）。"
                    )
                    % {"dataset": self.name, "param": name, "usable": usable},
                )
            parsed[name] = _parse_one(name, raw)
        self.check_filters(parsed)
        return parsed

    def queryset(self, filters: dict) -> QuerySet:
        """Published rows only, in a stable order (``order``), ready for ``rows``."""
        return self.order(self.apply_filters(self.base_queryset(), filters))

    def order(self, queryset: QuerySet) -> QuerySet:
        """The rows' order: the primary key unless a dataset has a meaningful total order."""
        return queryset.order_by("pk")

    def rows(self, queryset: QuerySet) -> Iterator[dict]:
        """Each object as a dict keyed by column name in column order, a chunk at a time."""
        context = self.row_context()
        names = [column.name for column in self.columns]
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            values = self.row(obj, context)
            yield {name: values.get(name) for name in names}

    def last_modified(self) -> datetime.datetime | None:
        """When this dataset last changed (recorded changes, else the newest row's date)."""
        from hoshin.opendata.models import DatasetChange

        recorded = (
            DatasetChange.objects.filter(dataset=self.name)
            .values_list("changed_at", flat=True)
            .first()
        )
        found = self.data_modified()
        candidates = [value for value in (recorded, found) if value is not None]
        return max(candidates) if candidates else None

    # ---- for subclasses -----------------------------------------------------------------

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def apply_filters(self, queryset: QuerySet, filters: dict) -> QuerySet:
        return queryset

    def check_filters(self, filters: dict) -> None:
        """Validate values against the published data (unknown plan, grade …)."""
        check_published_plan(filters)
        check_public_department(filters)

    def row_context(self) -> dict:
        """Small lookups shared by every row of one download (unit costs, public ids …)."""
        return {}

    def row(self, obj, context: dict) -> dict:
        raise NotImplementedError

    def data_modified(self) -> datetime.datetime | None:
        from hoshin.plans import selectors as plan_selectors

        return plan_selectors.plans_published().aggregate(last=Max("updated_at"))["last"]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def headings(self, headers: str = DEFAULT_HEADERS) -> list[str]:
        """The header row: Japanese labels (``ja``) or the English machine names (``en``).

        The labels are always the Japanese ones, whatever the page's language: a file's header
        is part of its format, and programs match it.
        """
        if headers == "en":
            return self.column_names
        with translation.override("ja"):
            return [str(column.label) for column in self.columns]


def _parse_one(name: str, raw: str):
    if len(raw) > MAX_FILTER_LENGTH:
        raise FilterError(
            name,
            _("%(param)s の値が長すぎます（%(max)s文字まで）。")
            % {"param": name, "max": MAX_FILTER_LENGTH},
        )
    if any(unicodedata.category(char) == "Cc" for char in raw):
        raise FilterError(name, _("%(param)s の値に制御文字が含まれています。") % {"param": name})
    if name in ("plan", "department"):
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text.isascii() or not text.isdigit() or int(text) < 1:
            raise FilterError(
                name,
                _(
                    "%(param)s には1以上の整数（ID）を指定してください（「%(value)s」は使えません）。"
                )
                % {"param": name, "value": raw},
            )
        return int(text)
    if name == "fy":
        try:
            return parse_fiscal_year(raw)
        except FiscalYearError as exc:
            raise FilterError("fy", _("fy（年度）: %(error)s") % {"error": exc}) from None
    return unicodedata.normalize("NFKC", raw).strip()


def check_published_plan(filters: dict) -> None:
    """A plan id must name a published plan (a draft answers exactly like a missing one)."""
    if "plan" not in filters:
        return
    from hoshin.plans import selectors as plan_selectors

    if not plan_selectors.plans_published().filter(pk=filters["plan"]).exists():
        raise FilterError(
            "plan",
            _(
                "plan=%(value)s の計画は公開されていません（計画IDは plans データセットにあります）。"
            )
            % {"value": filters["plan"]},
        )


def check_public_department(filters: dict) -> None:
    """A department id must name a department the portal shows."""
    if "department" not in filters:
        return
    from hoshin.portal import selectors as portal_selectors

    if not portal_selectors.department_is_public_ids(ids={filters["department"]}):
        raise FilterError(
            "department",
            _(
                "department=%(value)s の部署は公開されていません"
                "（部署IDは departments データセットにあります）。"
            )
            % {"value": filters["department"]},
        )


def check_scale_code(filters: dict, *, param: str, field: str, sheets: QuerySet) -> None:
    """A grade or direction must be a code some published sheet uses; the message lists them."""
    if param not in filters:
        return
    known = sorted(
        {code for code in sheets.values_list(field, flat=True).distinct().order_by() if code}
    )
    if filters[param] not in known:
        label = _("総合評価") if param == "grade" else _("今後の方向性")
        raise FilterError(
            param,
            _("%(param)s（%(label)s）に「%(value)s」はありません。使える値: %(known)s")
            % {
                "param": param,
                "label": label,
                "value": filters[param],
                "known": "、".join(known) or _("なし"),
            },
        )
