"""Open data pages: the catalogue, the data dictionary and the downloads (CSV, JSON, XLSX).

Public, no login, published data only (every dataset reads through the published selectors).
A bad dataset, format, encoding or filter answers 400/404 with a plain-text Japanese message
naming the parameter, before any byte of the file is sent.
"""

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from hoshin.changes import downloads
from hoshin.changes.page_cache import public_page
from hoshin.lib.city import portal_name
from hoshin.lib.spreadsheets import CP932, UTF8_BOM, CsvEncodingError, csv_encoding
from hoshin.opendata import exporters
from hoshin.opendata.base import DEFAULT_HEADERS, FILTER_NAMES, HEADERS, FilterError
from hoshin.opendata.datasets import DATASETS, dataset_get

FILE_LANGUAGE = "ja"
FORMATS = {
    "csv": "text/csv; charset=%s",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILTER_HELP = {
    "plan": gettext_lazy("計画ID（plans の plan_id）。例: plan=1"),
    "fy": gettext_lazy("年度。2025、2025年度、令和7年度、R7 のいずれでも指定できます。"),
    "department": gettext_lazy(
        "部署ID（departments の department_id）。評価結果はその年度の担当課、取組は担当課のいずれか（過去の担当を含む）。"
    ),
    "grade": gettext_lazy("総合評価のコード（sheets の overall_grade）。例: grade=A"),
    "direction": gettext_lazy("今後の方向性のコード（sheets の future_direction）。"),
}


def open_data_license() -> dict:
    """The licence of every dataset: settings.HOSHIN_OPEN_DATA_LICENSE ({"name", "url"})."""
    value = settings.HOSHIN_OPEN_DATA_LICENSE
    return {"name": str(value["name"]), "url": str(value["url"])}


def attribution() -> str:
    """The credit line users are asked to print when they reuse the data.

    Always in the site's language (Japanese): it is the text to copy verbatim, with the
    licence's Japanese name, whichever language the page around it is in (marked lang="ja").
    """
    custom = settings.HOSHIN_OPEN_DATA_ATTRIBUTION
    if custom:
        return str(custom)
    # The credit is part of the data: Japanese whatever the page's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _("出典：%(source)s オープンデータ（%(license)s）") % {
            "source": portal_name(),
            "license": open_data_license()["name"],
        }


def _downloads(dataset) -> list[tuple[str, str]]:
    url = reverse("opendata:download", args=[dataset.name, "csv"])
    return [
        (_("CSV（UTF-8）"), url),
        (_("CSV（Shift_JIS）"), f"{url}?encoding=cp932"),
        ("JSON", reverse("opendata:download", args=[dataset.name, "json"])),
        (_("Excel（XLSX）"), reverse("opendata:download", args=[dataset.name, "xlsx"])),
    ]


@require_safe
@public_page
def catalogue(request):
    entries = [
        {
            "dataset": dataset,
            "count": dataset.queryset({}).count(),
            "last_modified": _local_date(dataset.last_modified()),
            "downloads": _downloads(dataset),
        }
        for dataset in DATASETS.values()
    ]
    return render(
        request,
        "opendata/catalogue.html",
        {
            "entries": entries,
            "license": open_data_license(),
            "attribution": attribution(),
            "breadcrumbs": [(_("オープンデータ"), reverse("opendata:catalogue"))],
            "nav_section": "opendata",
        },
    )


@require_safe
@public_page
def dictionary(request):
    return render(
        request,
        "opendata/dictionary.html",
        {
            "datasets": list(DATASETS.values()),
            "filter_help": [(name, FILTER_HELP[name]) for name in FILTER_NAMES],
            "license": open_data_license(),
            "breadcrumbs": [
                (_("オープンデータ"), reverse("opendata:catalogue")),
                (_("データ辞書"), reverse("opendata:dictionary")),
            ],
            "nav_section": "opendata",
        },
    )


def _local_date(moment):
    return timezone.localdate(moment) if moment else None


def _problem(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@public_page
def download(request, dataset: str, fmt: str):
    try:
        chosen = dataset_get(dataset)
    except KeyError:
        return _problem(
            404,
            _("データセット「%(name)s」はありません。使えるもの: %(names)s")
            % {"name": dataset[:50], "names": "、".join(DATASETS)},
        )
    if fmt not in FORMATS:
        return _problem(
            404,
            _("形式「%(fmt)s」には対応していません。csv、json、xlsx のいずれかを指定してください。")
            % {"fmt": fmt[:20]},
        )
    encoding = UTF8_BOM
    raw_encoding = request.GET.get("encoding", "")
    if raw_encoding:
        if fmt != "csv":
            return _problem(400, _("encoding は CSV のときだけ指定できます。"))
        encoding = csv_encoding(raw_encoding)
        if not encoding:
            return _problem(
                400,
                _(
                    "encoding には utf-8（既定、BOM付き）または cp932（Shift_JIS）を指定してください。"
                ),
            )
    headers = request.GET.get("headers", "") or DEFAULT_HEADERS
    if headers != DEFAULT_HEADERS and fmt != "csv":
        return _problem(400, _("headers は CSV のときだけ指定できます。"))
    if headers not in HEADERS:
        return _problem(
            400,
            _("headers には ja（既定、日本語の列名）または en（英語の列名）を指定してください。"),
        )
    try:
        filters = chosen.parse_filters(request.GET)
    except FilterError as error:
        return _problem(400, str(error))

    last_modified = chosen.last_modified()
    timestamp = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, last_modified=timestamp)
    if not_modified is not None:
        return not_modified

    filename = _filename(chosen, filters, fmt, encoding)
    content_type = FORMATS[fmt]
    if fmt == "csv":
        content_type %= "Shift_JIS" if encoding == CP932 else "utf-8"
    # Read the version before the rows: a file is never kept under a newer version than its data.
    # FILE_REVISION: a file kept by an older release is not served once the writers change.
    key = (
        f"{exporters.FILE_REVISION}|{chosen.name}|{fmt}|{encoding}|{headers}"
        f"|{sorted(filters.items())}"
    )
    kept = downloads.cache_path(key)
    if kept is not None and kept.exists():
        response = FileResponse(kept.open("rb"), content_type=content_type)
    else:
        if fmt == "csv" and encoding == CP932:
            try:
                with translation.override(FILE_LANGUAGE):
                    exporters.csv_check_rows(chosen, filters, headers=headers)
            except CsvEncodingError as error:
                return _problem(400, str(error))
        response = _build(request, chosen, filters, fmt, encoding, headers, content_type, kept)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return response


def _build(request, chosen, filters, fmt, encoding, headers, content_type, kept):
    """The file as it is built (streamed; an XLSX through a temporary file), kept on disk too.

    Files are written in Japanese whatever the page's language (labels, titles, notes): they
    are the city's data, and a kept file is shared by every visitor.
    """
    rows = chosen.rows(chosen.queryset(filters))
    if fmt == "xlsx":
        with translation.override(FILE_LANGUAGE):
            handle = exporters.xlsx_file(chosen, rows, notes=_notes(request))
        if kept is not None:
            downloads.keep(handle, kept)
        return FileResponse(handle, content_type=content_type)
    if fmt == "json":
        with translation.override(FILE_LANGUAGE):
            meta = {"license": open_data_license(), "attribution": attribution()}
        chunks = exporters.json_chunks(chosen, rows, meta=meta)
    else:
        chunks = exporters.csv_chunks(chosen, rows, encoding=encoding, headers=headers)
    chunks = _in_file_language(chunks)
    if kept is not None:
        chunks = downloads.tee(chunks, kept)
    return StreamingHttpResponse(chunks, content_type=content_type)


def _in_file_language(chunks):
    """The chunks, each built in the files' language (a stream runs after the view returned)."""
    with translation.override(FILE_LANGUAGE):
        yield from chunks


def _filename(dataset, filters: dict, fmt: str, encoding: str) -> str:
    """評価結果_sheets_fy2025.csv: the title for people, the name and filters for programs."""
    parts = [str(dataset.title).split("（")[0], dataset.name]
    parts += [f"{name}{value}" for name, value in filters.items()]
    if encoding == CP932:
        parts.append("sjis")
    return "_".join(parts) + f".{fmt}"


def _notes(request) -> list[tuple[str, str]]:
    licence = open_data_license()
    return [
        (_("ライセンス"), f"{licence['name']} {licence['url']}"),
        (_("出典の表記"), attribution()),
        (_("データ辞書"), request.build_absolute_uri(reverse("opendata:dictionary"))),
    ]
