"""/api/docs: the API's reference, rendered on the server from the OpenAPI schema.

A page of HTML (no JavaScript, nothing fetched from elsewhere) passes the accessibility checks
every public page must pass and works in any browser; Swagger UI and Redoc need JavaScript.
The raw schema for tools is linked from the page (``/api/v1/openapi.json``).
"""

import json
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from hoshin.api.v1.api import api as api_v1
from hoshin.changes.page_cache import public_page

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    type: str
    required: bool
    description: str
    constraints: str


@dataclass
class Response:
    status: str
    description: str
    example: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    needs_token: bool
    parameters: list[Parameter] = field(default_factory=list)
    body_example: str = ""
    responses: list[Response] = field(default_factory=list)
    curl: str = ""


@dataclass
class Section:
    title: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _type_of(schema: dict, components: dict) -> str:
    schema = _resolve(schema, components)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return " | ".join(_type_of(option, components) for option in options)
    if "enum" in schema:
        return "string"
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array[{_type_of(schema.get('items', {}), components)}]"
    return {"null": "null"}.get(kind, kind)


def _constraints(schema: dict, components: dict) -> str:
    schema = _resolve(schema, components)
    found = []
    for option in schema.get("anyOf", [schema]):
        option = _resolve(option, components)
        if "minimum" in option:
            found.append(f"{option['minimum']:,}以上")
        if "maximum" in option:
            found.append(f"{option['maximum']:,}以下")
        if "maxLength" in option:
            found.append(f"{option['maxLength']}文字以内")
        if "enum" in option:
            found.append("次のいずれか: " + ", ".join(str(v) for v in option["enum"]))
    if "default" in schema and schema["default"] is not None:
        found.append(f"既定値 {schema['default']}")
    return "、".join(found)


def _example(schema: dict, components: dict, depth: int = 0):
    """A small example value for ``schema`` (one item per list, nesting cut at four levels)."""
    schema = _resolve(schema, components)
    if "example" in schema:
        return schema["example"]
    options = [o for o in schema.get("anyOf", []) if _resolve(o, components).get("type") != "null"]
    if options:
        return _example(options[0], components, depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {
            name: _example(sub, components, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [] if depth > 3 else [_example(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return schema.get("minimum", 1) if schema.get("minimum", 1) > 0 else 0
    if kind == "number":
        return 0
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2025-04-01"
    if schema.get("format") == "date-time":
        return "2025-04-01T09:00:00+09:00"
    return schema.get("default") or "…"


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _operation(method: str, path: str, spec: dict, components: dict, base: str) -> Operation:
    needs_token = bool(spec.get("security"))
    parameters = [
        Parameter(
            name=p["name"],
            where=p["in"],
            type=_type_of(p.get("schema", {}), components),
            required=p.get("required", False),
            description=p.get("description") or p.get("schema", {}).get("description", ""),
            constraints=_constraints(p.get("schema", {}), components),
        )
        for p in spec.get("parameters", [])
    ]
    body = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
    body_example = _pretty(_example(body["schema"], components)) if body else ""
    responses = []
    for status, response in spec.get("responses", {}).items():
        content = response.get("content", {}).get("application/json", {})
        example = _pretty(_example(content["schema"], components)) if content else ""
        responses.append(Response(status, response.get("description", ""), example))
    example_path = path
    for p in parameters:
        if p.where == "path":
            example_path = example_path.replace("{" + p.name + "}", "1")
    curl = ["curl"]
    if method != "get":
        curl += ["-X", method.upper()]
    if needs_token:
        curl += ["-H", "'Authorization: Bearer hsn_…'"]
    if body_example:
        curl += [
            "-H",
            "'Content-Type: application/json'",
            "-d",
            "'" + json.dumps(_example(body["schema"], components), ensure_ascii=False) + "'",
        ]
    curl.append(f"'{base}{example_path}'")
    return Operation(
        method=method.upper(),
        path=path,
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        anchor="op-" + spec.get("operationId", f"{method}-{len(path)}"),
        needs_token=needs_token,
        parameters=parameters,
        body_example=body_example,
        responses=responses,
        curl=" ".join(curl),
    )


def api_reference(*, base: str) -> tuple[dict, list[Section]]:
    """The schema and its operations grouped by tag, in the schema's order."""
    schema = api_v1.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    sections: dict[str, Section] = {}
    for path, methods in schema["paths"].items():
        for method in METHODS:
            if method not in methods:
                continue
            spec = methods[method]
            tag = (spec.get("tags") or ["API"])[0]
            section = sections.setdefault(tag, Section(tag, f"tag-{len(sections) + 1}"))
            section.operations.append(_operation(method, path, spec, components, base))
    return schema, list(sections.values())


@require_safe
@public_page
def docs(request: HttpRequest) -> HttpResponse:
    """The API reference page for people; tools read /api/v1/openapi.json."""
    base = request.build_absolute_uri("/").rstrip("/")
    schema, sections = api_reference(base=base)
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "sections": sections,
            "schema_url": reverse("api:api-v1:openapi-json"),
            "base": base,
        },
    )
