"""How the API answers bad requests: JSON ``{"detail": "...", "errors": [...]}`` in Japanese.

Every message names the parameter (``limit``), the path of a body field (``changes``) or the
sheet field path (``indicator.12.target``) it is about, so that a program's author can fix the
call without reading the server's code. Nothing here ever answers 500 for bad input.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

# Japanese wording of pydantic's error types (the ones our parameters can produce).
_MESSAGES = {
    "missing": "必須です。",
    "int_parsing": "整数で指定してください。",
    "int_type": "整数で指定してください。",
    "int_from_float": "整数で指定してください。",
    "string_type": "文字列で指定してください。",
    "dict_type": "JSONオブジェクトで指定してください。",
    "model_type": "JSONオブジェクトで指定してください。",
    "model_attributes_type": "JSONオブジェクトで指定してください。",
    "json_invalid": "JSONとして読めません。",
    "extra_forbidden": "この項目は指定できません。",
    "bool_parsing": "true または false で指定してください。",
}


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "greater_than_equal":
        return f"{ctx.get('ge')}以上で指定してください。"
    if kind == "less_than_equal":
        return f"{ctx.get('le')}以下で指定してください。"
    if kind == "greater_than":
        return f"{ctx.get('gt')}より大きい値で指定してください。"
    if kind == "less_than":
        return f"{ctx.get('lt')}より小さい値で指定してください。"
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}文字以内で指定してください。"
    if kind == "string_too_short":
        return f"{ctx.get('min_length')}文字以上で指定してください。"
    if kind in ("literal_error", "enum"):
        return f"次のいずれかを指定してください: {ctx.get('expected', '')}"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return str(error.get("msg", "値が正しくありません。"))


def _where(loc) -> tuple[str, str]:
    """(source, name): ("query", "limit"), ("body", "changes"), ("path", "sheet_id")."""
    parts = [str(part) for part in loc]
    source = parts[0] if parts else ""
    rest = parts[1:]
    if source == "body" and len(rest) > 1:
        rest = rest[1:]  # the operation's argument name is not part of the JSON document
    return source, ".".join(rest)


def bad_request(errors: list[dict], *, status: int) -> tuple[int, dict]:
    """The error document for ``errors`` ({"in", "param", "message"} each)."""
    detail = " ".join(f"「{e['param']}」: {e['message']}" for e in errors)
    return status, {"detail": detail, "errors": errors}


def install_error_handlers(api: NinjaAPI) -> None:
    """Japanese JSON answers for 400/401/404/422 instead of django-ninja's English defaults."""

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            source, name = _where(error.get("loc", ()))
            errors.append({"in": source, "param": name, "message": _message(error)})
        # Query and path parameters are the caller's URL (400); a JSON body that does not
        # fit the documented shape is 422, as are the sheet values inside it.
        status = 422 if any(e["in"] == "body" for e in errors) else 400
        status, body = bad_request(errors, status=status)
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {
                "detail": "認証が必要です。Authorization: Bearer <トークン> で有効な"
                "APIトークンを送ってください（失効したトークンは使えません）。"
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="hoshin"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "リクエスト本文をJSONとして読めません。"
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) if isinstance(exc, ApiNotFound) else "見つかりません。"
        return api.create_response(request, {"detail": message}, status=404)


class ApiNotFound(Http404):
    """A 404 whose message is meant for the caller (Django's own 404s name models)."""
