"""One list endpoint per open dataset (``/api/v1/plans``, ``/api/v1/sheets`` …).

The datasets — their columns, filters and the published rows behind them — are defined once in
``hoshin.opendata.datasets``; this module only turns each into a paginated JSON operation with
a documented row schema, so the API and the downloads can never disagree.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import create_model

from hoshin.api.pagination import page_of
from hoshin.api.schemas import ErrorOut, PageParams, id_param, text_param
from hoshin.changes.page_cache import public_page
from hoshin.opendata.datasets import DATASETS, Dataset, FilterError

router = Router(tags=["公開データ（一覧）"])

_TYPES = {
    "integer": int,
    "string": str,
    "decimal": Decimal,
    "date": datetime.date,
    "datetime": datetime.datetime,
    "boolean": bool,
}
_FILTER_PARAMS = {
    "plan": lambda: id_param("計画ID（plans の plan_id）"),
    "department": lambda: id_param("担当課ID（departments の department_id）"),
    "fy": lambda: text_param(40, "年度: 2025、2025年度、令和7年度、R7 のいずれの書き方でも可"),
    "grade": lambda: text_param(40, "総合評価のコード（例: A）"),
    "direction": lambda: text_param(40, "今後の方向性のコード"),
}


def _row_model(dataset: Dataset) -> type[Schema]:
    """The row schema from the dataset's columns (every column may be null)."""
    fields = {
        # Python names are positional: column names such as ``json`` or ``copy`` would clash
        # with pydantic's own attributes; the JSON keeps the column name (alias).
        f"column_{index}": (
            _TYPES[column.type] | None,
            Field(None, alias=column.name, description=f"{column.label}。{column.description}"),
        )
        for index, column in enumerate(dataset.columns)
    }
    return create_model(
        f"{dataset.name.title()}Row",
        __base__=Schema,
        **fields,
    )


def _page_model(dataset: Dataset, row: type[Schema]) -> type[Schema]:
    return create_model(
        f"{dataset.name.title()}Page",
        __base__=Schema,
        count=(int, Field(description="条件に合う全件数")),
        next=(str | None, Field(description="次のページのURL（最後のページではnull）")),
        previous=(str | None, Field(description="前のページのURL（最初のページではnull）")),
        limit=(int, ...),
        offset=(int, ...),
        results=(list[row], ...),
    )


def _filter_model(dataset: Dataset) -> type[PageParams]:
    fields = {name: (_FILTER_PARAMS[name](), None) for name in dataset.filters}
    return create_model(f"{dataset.name.title()}Filters", __base__=PageParams, **fields)


def _register(dataset: Dataset) -> None:
    row = _row_model(dataset)
    filter_model = _filter_model(dataset)

    def list_rows(request: HttpRequest, params: Query[filter_model]):
        raw = {
            name: str(getattr(params, name))
            for name in dataset.filters
            if getattr(params, name) is not None
        }
        try:
            filters = dataset.parse_filters(raw)
        except FilterError as exc:
            return Status(
                400,
                {
                    "detail": f"「{exc.param}」: {exc}",
                    "errors": [{"in": "query", "param": exc.param, "message": str(exc)}],
                },
            )
        return Status(200, page_of(request, dataset.queryset(filters), params, rows=dataset.rows))

    list_rows.__name__ = f"list_{dataset.name}"
    list_rows.__doc__ = str(dataset.description)
    operation = router.get(
        f"/{dataset.name}",
        response={200: _page_model(dataset, row), 400: ErrorOut},
        summary=str(dataset.title),
        description=_description(dataset),
        operation_id=f"list_{dataset.name}",
        by_alias=True,
    )
    operation(decorate_view(public_page)(list_rows))


def _description(dataset: Dataset) -> str:
    filters = "、".join(dataset.filters) or "なし"
    return (
        f"{dataset.description}\n\n公表済みのデータだけを返します。"
        f"絞り込み: {filters}。ページ送り: limit と offset（結果の next / previous）。"
        f"同じデータはオープンデータ（/opendata/）でCSV・JSON・XLSXとしても入手できます。"
    )


for _dataset in DATASETS.values():
    _register(_dataset)
