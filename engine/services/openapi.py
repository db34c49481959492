"""The OpenAPI 3.0 description of the API for one caller, generated from the loaded definitions
(the forms they may read, without the fields hidden from them), each form's fields as schemas.
Served as GET /api/openapi.json (api/openapi.py) and rendered by the docs page (/api/docs)."""
from __future__ import annotations

from typing import Any

from engine.access.visibility import without_hidden_columns
from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import type_of
from engine.fieldtypes.base import nullable
from engine.records.context import Context

META = {
    "id": {"type": "integer"}, "form": {"type": "string"}, "stage": {"type": "string", "nullable": True},
    "version": {"type": "integer"}, "created_by": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "due_at": {"type": "string", "format": "date-time", "nullable": True},
}
ERROR = {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def value_schema(field: FieldDef, *, writing: bool) -> dict[str, Any]:
    """A field's JSON value: as read (`writing=False`) or as sent in a create/patch body; an
    absent value is null (a list's is []). Described by the field's label and help, and a
    table's columns by theirs."""
    schema = _described(nullable(type_of(field).value_schema(field, writing)), field)
    rows = schema.get("items", {}).get("properties") if schema.get("type") == "array" else None
    if rows:
        schema["items"] = {**schema["items"], "properties": {
            name: _described(prop, sub) if (sub := field.subfield(name)) is not None else prop
            for name, prop in rows.items()}}
    return schema


def _described(schema: dict[str, Any], field: FieldDef) -> dict[str, Any]:
    if not (field.help or field.label):
        return schema
    return {**schema, "description": field.label + (f": {field.help}" if field.help else "")}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _id(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(code): ERROR for code in codes}


def form_schemas(form: FormDef, hidden: frozenset[str]) -> dict[str, Any]:
    """The form's schemas without hidden fields and without hidden table columns."""
    form = without_hidden_columns(form, hidden)
    shown = [f for f in form.fields if f.name not in hidden]
    writable = [f for f in shown if not f.computed and not f.readonly]
    key = form.name
    return {
        f"{key}.fields": {"type": "object", "title": form.title,
                          "properties": {f.name: value_schema(f, writing=False) for f in shown}},
        f"{key}.input": {"type": "object", "additionalProperties": False,
                         "properties": {f.name: value_schema(f, writing=True) for f in writable}},
        f"{key}.record": {"type": "object", "properties": {
            **META, "fields": _ref(f"{key}.fields"),
            "links": {"type": "object", "description": "link field → title of a readable linked record, "
                      "null when the caller may not read it; 'table.column' → {id: title or null}",
                      "additionalProperties": {"oneOf": [
                          {"type": "string", "nullable": True},
                          {"type": "object", "additionalProperties": {"type": "string", "nullable": True}}]}}}},
        f"{key}.list": {"type": "object", "properties": {
            "items": {"type": "array", "items": _ref(f"{key}.record")},
            "total": {"type": "integer", "description": "matching records: exact up to a bound (ENGINE_EXACT_TOTAL_"
                      "LIMIT, 10,000 by default), above it an estimate (never below the bound + 1)"},
            "total_exact": {"type": "boolean", "description": "false when `total` is an estimate"},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "next": {"type": "string", "nullable": True,
                     "description": "cursor for `after` to fetch the rows after this page; null on the last page"},
            "previous": {"type": "string", "nullable": True,
                         "description": "cursor for `before` to fetch the rows before this page; null on the "
                                        "first page"}}},
    }


def _list_parameters(ctx: Context, form: FormDef, hidden: frozenset[str]) -> list[dict[str, Any]]:
    params = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
        {"name": "order_by", "in": "query", "schema": {"type": "string"},
         "description": "field or -field (newest first), comma-separated"},
        {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "search the form's search fields"},
        {"name": "after", "in": "query", "schema": {"type": "string"},
         "description": "keyset paging: the `next` of the previous answer (same order_by; not with page > 1); "
                        "empty values sort last in either direction"},
        {"name": "before", "in": "query", "schema": {"type": "string"},
         "description": "keyset paging backwards: the `previous` of an answer (same order_by; not with page > 1 "
                        "nor with after)"},
    ]
    if form.workflow:
        params.append({"name": "stage", "in": "query", "schema": {
            "type": "string", "enum": [s.name for s in form.workflow.stages]}})
    params.append({"name": "chart", "in": "query", "schema": {"type": "integer", "minimum": 0},
                   "description": "the `where` of the form's chart N (a dashboard's drill-down)"})
    if form.field("owner") is None:
        params.append({"name": "owner", "in": "query", "schema": {"type": "string"},
                       "description": "records owned by this user"})
    params.append({"name": "team", "in": "query", "schema": {"type": "string"},
                   "description": "records owned by this user or anyone they manage, directly or not"})
    params.append({"name": "quick", "in": "query", "schema": {"type": "string"},
                   "description": "quick filters, comma-separated: mine, this_month, overdue"})
    params.append({"name": "saved", "in": "query", "schema": {"type": "string"},
                   "description": "apply a view: the id of one of your own, or a shared view's name"})
    for field in form.fields:
        if field.name in hidden:
            continue
        kind = type_of(field)
        schema = kind.value_schema(field)
        if kind.multiple:  # `field=v` and `__contains`: v is one of its values
            schema = schema.get("items", {"type": "string"})
        base = {k: v for k, v in schema.items() if k in ("type", "enum", "format", "pattern")}
        for op in kind.query_ops(field):  # none for rows and files
            params.append({"name": f"{field.name}__{op}" if op else field.name, "in": "query",
                           "schema": {"type": "string"} if op == "contains" else base})
    return params


def build(ctx: Context) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            "fields_omitted": {"type": "integer", "description": "fields with errors left out of `fields`"}}}}},
        "Task": {"type": "object", "properties": {
            "id": {"type": "integer"}, "form": {"type": "string"}, "record_id": {"type": "integer"},
            "title": {"type": "string"}, "step": {"type": "string", "nullable": True}, "status": {"type": "string"},
            "due_at": {"type": "string", "format": "date-time", "nullable": True},
            "summary": _ref("Summary"), "step_title": {"type": "string"}, "stage": {"type": "string"},
            "form_title": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
            "waiting": {"type": "integer", "description": "seconds since the task opened"},
            "overdue": {"type": "boolean"}}},
        "Summary": {"type": "array", "description": "The record's summary fields the reader may see", "items": {
            "type": "object", "properties": {"field": {"type": "string"}, "label": {"type": "string"},
                                             "text": {"type": "string"}}}},
        "Notification": {"type": "object", "properties": {
            "id": {"type": "integer"}, "kind": {"type": "string"}, "text": {"type": "string"},
            "summary": _ref("Summary"),
            "form": {"type": "string", "nullable": True}, "record_id": {"type": "integer", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"}, "read": {"type": "boolean"}}},
        "Comment": {"type": "object", "required": ["comment"], "additionalProperties": False,
                    "properties": {"comment": {"type": "string"}}},
    }
    paths: dict[str, Any] = {
        "/api/forms": {"get": {"tags": ["forms"], "summary": "Forms the caller may read, with their fields",
                               "responses": {"200": _json({"type": "array", "items": {"type": "object"}}),
                                             **_errors(401)}}},
        "/api/tasks": {"get": {"tags": ["tasks"], "summary": "The caller's approval tasks (待办 / 已办 / 抄送我)",
                               "parameters": [{"name": "status", "in": "query", "schema": {
                                   "type": "string", "enum": ["open", "done", "cc"]}},
                                   {"name": "form", "in": "query", "schema": {"type": "string"}},
                                   {"name": "step", "in": "query", "schema": {"type": "string"}},
                                   {"name": "overdue", "in": "query",
                                    "schema": {"type": "string", "enum": ["1", "0"]}}],
                               "responses": {"200": _json({"type": "array", "items": _ref("Task")}),
                                             **_errors(400, 401)}}},
        "/api/tasks/approve": {"post": {
            "tags": ["tasks"], "summary": "Approve several tasks; answers per task",
            "requestBody": _body({"type": "object", "required": ["ids"], "properties": {
                "ids": {"type": "array", "items": {"type": "integer"}, "maxItems": 200},
                "comment": {"type": "string"}}}),
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401)}}},
        "/api/tasks/reject": {"post": {
            "tags": ["tasks"], "summary": "Reject several tasks with one comment; answers per task",
            "requestBody": _body({"type": "object", "required": ["ids", "comment"], "properties": {
                "ids": {"type": "array", "items": {"type": "integer"}, "maxItems": 200},
                "comment": {"type": "string"}}}),
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 422)}}},
        "/api/search": {"get": {
            "tags": ["forms"], "summary": "Search every form the caller may read (newest matches per form)",
            "parameters": [{"name": "q", "in": "query", "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
                           {"name": "limit", "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
                           {"name": "lang", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object", "properties": {
                "q": {"type": "string"}, "results": {"type": "array", "items": {"type": "object", "properties": {
                    "form": {"type": "string"}, "form_title": {"type": "string"}, "more": {"type": "boolean"},
                    "items": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "title": {"type": "string"},
                        "summary": _ref("Summary")}}}}}}}}),
                **_errors(400, 401)}}},
        "/api/notifications": {"get": {
            "tags": ["notifications"], "summary": "The caller's notifications",
            "parameters": [{"name": "unread", "in": "query", "schema": {"type": "string", "enum": ["1", "0"]}}],
            "responses": {"200": _json({"type": "array", "items": _ref("Notification")}), **_errors(401)}}},
        "/api/notifications/{id}/read": {"post": {
            "tags": ["notifications"], "summary": "Mark one as read", "parameters": [_id()],
            "responses": {"200": _json(_ref("Notification")), **_errors(401, 404)}}},
    }
    for action, summary in (("approve", "Approve"), ("reject", "Reject (comment required)"),
                            ("send_back", "Send back to the previous step"), ("reassign", "Hand on to `to`")):
        props = {"comment": {"type": "string"}}
        if action == "reassign":
            props["to"] = {"type": "string"}
        if action == "send_back":  # absent: the previous step (from the first step, the submitter)
            props["to"] = {"type": "string", "description": "an earlier step that ran, or $submitter"}
        if action == "approve":  # a step with `require`: values of those fields
            props["fields"] = {"type": "object", "description": "values of the step's required fields"}
        paths[f"/api/tasks/{{id}}/{action}"] = {"post": {
            "tags": ["tasks"], "summary": summary, "parameters": [_id()],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": props}}}},
            "responses": {"200": _json(_ref("Task")), **_errors(400, 401, 403, 404, 409, 422)}}}
    for form in ctx.gate.readable_forms(ctx.user):
        hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
        schemas.update(form_schemas(form, hidden))
        base = f"/api/forms/{form.name}/records"
        tag = f"{form.name} · {form.title}"
        record, one = _ref(f"{form.name}.record"), f"{base}/{{id}}"
        paths[base] = {
            "get": {"tags": [tag], "summary": f"List {form.title}", "parameters": _list_parameters(ctx, form, hidden),
                    "responses": {"200": _json(_ref(f"{form.name}.list")), **_errors(400, 401)}},
        }
        if ctx.gate.can_create(ctx.user, form):
            paths[base]["post"] = {
                "tags": [tag], "summary": f"Create a {form.title} record",
                "requestBody": _body({"type": "object", "required": ["fields"], "additionalProperties": False,
                                      "properties": {"fields": _ref(f"{form.name}.input")}}),
                "responses": {"201": _json(record, "created"), **_errors(400, 401, 403, 409, 422)}}
        paths[one] = {
            "get": {"tags": [tag], "summary": "One record", "parameters": [_id()],
                    "responses": {"200": _json(record), **_errors(401, 404)}},
            "patch": {"tags": [tag], "summary": "Change fields (those editable for you in this stage)",
                      "parameters": [_id()],
                      "requestBody": _body({"type": "object", "required": ["version", "fields"],
                                            "additionalProperties": False, "properties": {
                                                "version": {"type": "integer"},
                                                "fields": _ref(f"{form.name}.input")}}),
                      "responses": {"200": _json(record), **_errors(400, 401, 403, 404, 409, 422)}},
            "delete": {"tags": [tag], "summary": "Delete", "parameters": [_id()],
                       "responses": {"204": {"description": "deleted"}, **_errors(401, 403, 404, 409)}},
        }
        paths[f"{one}/history"] = {"get": {"tags": [tag], "summary": "History, oldest first", "parameters": [_id()],
                                           "responses": {"200": _json({"type": "array", "items": {"type": "object"}}),
                                                         **_errors(401, 404)}}}
        paths[f"{one}/comments"] = {"post": {"tags": [tag], "summary": "Add a comment to the history",
                                             "parameters": [_id()], "requestBody": _body(_ref("Comment")),
                                             "responses": {"201": _json({"type": "object"}, "added"),
                                                           **_errors(400, 401, 404, 422)}}}
        paths[f"{one}/mentionable"] = {"get": {
            "tags": [tag], "summary": "People a comment may @mention (readers of the record, not the caller)",
            "parameters": [_id(), {"name": "q", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {"items": {
                "type": "array", "items": {"type": "object", "required": ["name", "display"], "properties": {
                    "name": {"type": "string"}, "display": {"type": "string"}}}}}}), **_errors(401, 404)}}}
        _choices_path(paths, form, hidden, tag)
        _view_paths(paths, form, tag)
        if form.workflow:
            paths[f"{one}/transitions"] = {"get": {
                "tags": [tag], "summary": "Transitions the caller may fire now", "parameters": [_id()],
                "responses": {"200": _json({"type": "array", "items": {"type": "object"}}), **_errors(401, 404)}}}
            paths[f"{one}/transitions/{{name}}"] = {"post": {
                "tags": [tag], "summary": "Fire a transition",
                "parameters": [_id(), {"name": "name", "in": "path", "required": True, "schema": {
                    "type": "string", "enum": [t.name for t in form.workflow.transitions]}}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"comment": {"type": "string"}, "version": {"type": "integer"},
                                                 "fields": {"type": "object", "description": "values of the "
                                                            "transition's required fields"}}}}}},
                "responses": {"200": _json(record), **_errors(400, 401, 403, 404, 409, 422)}}}
            paths[f"{one}/withdraw"] = {"post": {
                "tags": [tag], "summary": "Withdraw a pending approval", "parameters": [_id()],
                "responses": {"200": _json(record), **_errors(401, 403, 404, 409)}}}
            paths[f"{one}/approvals"] = {"get": {
                "tags": [tag], "summary": "Approval progress", "parameters": [_id()],
                "responses": {"200": _json({"type": "array", "items": {"type": "object"}}), **_errors(401, 404)}}}
            paths[f"{one}/route"] = {"get": {
                "tags": [tag], "summary": "The route: stages, approval steps (applies, who acted, who waits), preview",
                "parameters": [_id()], "responses": {"200": _json({"type": "object"}), **_errors(401, 404)}}}
    # any body may be too large; an unknown token from a guessing address is throttled (429 with
    # Retry-After); any call may meet a database that is down; a query string beyond the bounds
    # is refused (414 too long, 400 too many parameters)
    for operations in paths.values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault("413", ERROR)
            operation["responses"].setdefault("400", ERROR)
            operation["responses"].setdefault("414", ERROR)
            operation["responses"].setdefault("429", ERROR)
            operation["responses"].setdefault("503", ERROR)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Workflow engine API", "version": ctx.app.signature[:12],
                 "description": "Generated from the loaded definitions for the calling user. Authenticate with "
                                "`Authorization: Bearer TOKEN` (`engine users token NAME`)."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


def _view_paths(paths: dict[str, Any], form: FormDef, tag: str) -> None:
    """The form's list views (shared and own) and bulk edit."""
    views = f"/api/forms/{form.name}/views"
    view = {"type": "object", "additionalProperties": False, "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "filters": {"type": "object", "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
        "columns": {"type": "array", "items": {"type": "string"}}, "order_by": {"type": "string"}}}
    paths[views] = {
        "get": {"tags": [tag], "summary": "The list views you may use: shared ones for your roles, then your own",
                "responses": {"200": _json({"type": "object"}), **_errors(401, 404)}},
        "post": {"tags": [tag], "summary": "Save a view of your own",
                 "requestBody": _body({**view, "required": ["name"]}),
                 "responses": {"201": _json({"type": "object"}, "created"), **_errors(400, 401, 404, 409, 422)}}}
    paths[f"{views}/{{id}}"] = {
        "put": {"tags": [tag], "summary": "Rename or change one of your own views", "parameters": [_id()],
                "requestBody": _body(view), "responses": {"200": _json({"type": "object"}),
                                                          **_errors(400, 401, 404, 409, 422)}},
        "delete": {"tags": [tag], "summary": "Delete one of your own views", "parameters": [_id()],
                   "responses": {"204": {"description": "deleted"}, **_errors(401, 404)}}}
    paths[f"/api/forms/{form.name}/records/bulk"] = {"post": {
        "tags": [tag], "summary": "Bulk edit: the same fields on up to 500 records, all or nothing",
        "requestBody": _body({"type": "object", "required": ["ids", "fields"], "additionalProperties": False,
                              "properties": {"ids": {"type": "array", "items": {"type": "integer"}, "maxItems": 500},
                                             "fields": _ref(f"{form.name}.input"),
                                             "versions": {"type": "object",
                                                          "additionalProperties": {"type": "integer",
                                                                                   "minimum": 1}}}}),
        "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 404, 422)}}}


def _choices_path(paths: dict[str, Any], form: FormDef, hidden: frozenset[str], tag: str) -> None:
    """GET /api/forms/{form}/fields/{field}/choices for the link fields (and link columns) shown."""
    links = [f.name for f in form.fields if f.field_type.links and f.name not in hidden]
    links += [f"{f.name}.{c.name}" for f in form.fields if f.is_table and f.name not in hidden
              for c in f.fields if c.field_type.links and f"{f.name}.{c.name}" not in hidden]
    if not links:
        return
    text = {"type": "string"}
    item = {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                             "fill": {"type": "object"}}}
    paths[f"/api/forms/{form.name}/fields/{{field}}/choices"] = {"get": {
        "tags": [tag], "summary": "Records a link field may point at for the form's current values",
        "parameters": [
            {"name": "field", "in": "path", "required": True, "schema": {"type": "string", "enum": links}},
            {"name": "values", "in": "query", "description": "JSON object of the current values (`row`: the "
             "current table row, `id`: the record edited)", "schema": text},
            {"name": "q", "in": "query", "schema": text},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            {"name": "ids", "in": "query", "description": "comma-separated ids: which of them fit", "schema": text}],
        "responses": {"200": _json({"type": "object", "properties": {"items": {"type": "array", "items": item}}}),
                      **_errors(400, 401, 404)}}}
