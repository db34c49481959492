"""Import and export of a form's records as rows of cells (CSV and XLSX live in sheets.py).

Export: the records the user may read (with the list's filters), every visible field as a
column headed by its label, values as people read them (option labels, link titles, 是/否,
line items as JSON). Streams by id, so a million records never sit in memory.

Import: every row goes through the same create service as the form and the API (same
defaults, formulas, checks and permissions). Cells are read the way export writes them,
and also as ids and values. All rows are tried; unless the caller asks for the valid rows
only, one bad row means nothing is imported, and the report names each row and column.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from engine.access.visibility import hidden_columns, visible_values
from engine.definitions.model import FieldDef, FormDef
from engine.errors import BadRequest, EngineError, Forbidden, ValidationFailed
from engine.i18n import _
from engine.records.codec import encode_value, link_titles
from engine.records.context import Context
from engine.store.records import load_children, rows_to_records, select_records
from engine.store.system import users

from .queries import parse_list_query
from .records import _grant_flags, _hidden, create_record, readable_form

CHUNK = 1000
MAX_IMPORT_ROWS = 10_000
ID_HEADER, STAGE_HEADER = "ID", "stage"
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√", "✓", "x"}
FALSE_WORDS = {"否", "false", "no", "n", "0", ""}


def export_columns(ctx: Context, form: FormDef) -> list[FieldDef]:
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    return [f for f in form.fields if f.name not in hidden]


def header(form: FormDef, columns: list[FieldDef]) -> list[str]:
    return [ID_HEADER, *([_("Stage")] if form.workflow else []), *(f.label for f in columns)]


def export_rows(ctx: Context, form_name: str, params: Mapping[str, str]) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and a lazy stream of rows of the records the user may read."""
    form = readable_form(ctx, form_name)
    tables = ctx.runtime.tables(form.name)
    table = tables.table
    invisible = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    query = parse_list_query(ctx, form, table, {k: v for k, v in params.items() if k not in ("page", "per_page")},
                             invisible)
    conditions = [ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now), *query.conditions]
    columns = export_columns(ctx, form)
    user_labels = dict(ctx.session.execute(
        select(users.c.name, func.coalesce(users.c.display_name, users.c.name))).all())

    def rows() -> Iterator[list[Any]]:
        last = 0
        grants, flags = _grant_flags(ctx, form)
        narrowed: dict[tuple[str, frozenset[str]], FieldDef] = {}
        while True:
            stmt = select_records(tables, *conditions, table.c.id > last, extra=flags).order_by(table.c.id).limit(CHUNK)
            records = rows_to_records(form, tables, ctx.session.execute(stmt), flags)
            if not records:
                return
            load_children(ctx.session, form, tables, records)
            hidden = {r.id: _hidden(ctx, grants, r) for r in records}
            titles = link_titles(ctx, form, records, hidden)
            for record in records:
                stage = form.workflow.stage(record.meta["stage"]) if form.workflow else None
                row: list[Any] = [record.id]
                if form.workflow:
                    row.append(stage.title if stage else record.meta["stage"])
                shown = visible_values(record.values, hidden[record.id])  # no hidden field or column
                for column in columns:
                    if column.name in hidden[record.id]:
                        row.append(None)
                    else:
                        row.append(cell_of(ctx, _without_hidden_columns(column, hidden[record.id], narrowed),
                                           shown.get(column.name), titles[record.id].get(column.name), user_labels))
                yield row
            last = records[-1].id
    return header(form, columns), rows()


def _without_hidden_columns(column: FieldDef, hidden: frozenset[str],
                            cache: dict[tuple[str, frozenset[str]], FieldDef]) -> FieldDef:
    """A table field as this row's reader sees it: its hidden columns left out of the JSON."""
    if not column.is_table:
        return column
    key = (column.name, hidden)
    if key not in cache:
        columns = hidden_columns(column.name, hidden)
        cache[key] = replace(column, fields=tuple(s for s in column.fields if s.name not in columns))
    return cache[key]


def cell_of(ctx: Context, fdef: FieldDef, value: Any, title: str | None, user_labels: Mapping[str, str]) -> Any:
    """A stored value as a cell people read (and import reads back)."""
    if value is None or value == [] or value == "":
        return None
    kind = fdef.value_kind
    if kind == "select":
        return next((o.label for o in fdef.options if o.value == value), value)
    if kind == "multiselect":
        labels = {o.value: o.label for o in fdef.options}
        return "、".join(labels.get(v, v) for v in value)
    if kind == "boolean":
        return "是" if value else "否"
    if kind == "link":
        return title or value
    if kind == "user":
        return user_labels.get(value, value)
    if kind == "file":
        return value.get("name") if isinstance(value, dict) else value
    if kind == "table":
        return json.dumps(encode_value(fdef, value, ctx), ensure_ascii=False)
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(ctx.tzinfo).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return value
    return value


# -- import ---------------------------------------------------------------------------------

@dataclass
class ImportReport:
    form: str
    rows: int = 0
    created: list[int] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "errors": {column: [msg]}}
    ignored_columns: list[str] = field(default_factory=list)
    imported: bool = False
    valid_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"form": self.form, "rows": self.rows, "created": len(self.created), "failed": self.failed,
                "ignored_columns": self.ignored_columns, "imported": self.imported, "valid_only": self.valid_only}


class ImportRejected(EngineError):
    """Some rows failed and only a whole file may be imported: nothing was."""

    code = "import_rejected"
    status = 422

    def __init__(self, report: ImportReport) -> None:
        super().__init__(_("%(n)s of %(total)s rows have errors; nothing was imported",
                           n=len(report.failed), total=report.rows))
        self.report = report


def _match_columns(form: FormDef, head: list[Any]) -> tuple[dict[int, FieldDef], list[str]]:
    by_key: dict[str, FieldDef] = {}
    for fdef in form.fields:
        by_key[fdef.label.strip().lower()] = fdef
        by_key[fdef.name.lower()] = fdef
    mapping, ignored = {}, []
    for index, cell in enumerate(head):
        key = str(cell or "").strip().lower()
        fdef = by_key.get(key)
        if fdef is not None and not fdef.computed:
            mapping[index] = fdef
        elif key and key not in (ID_HEADER.lower(), STAGE_HEADER, _("Stage").lower()):
            ignored.append(str(cell))
    return mapping, ignored


class Cells:
    """Reads cells into the values the create service takes (the API's JSON values)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.people: dict[str, str] | None = None
        self.titles: dict[tuple[str, str], list[int]] = {}

    def user(self, text: str) -> str:
        if self.people is None:
            self.people = {}
            for name, display in self.ctx.session.execute(select(users.c.name, users.c.display_name)).all():
                self.people[name] = name
                if display:
                    self.people.setdefault(display, name)
        return self.people.get(text, text)

    def link(self, fdef: FieldDef, text: str) -> Any:
        target = self.ctx.app.form(fdef.form or "")
        if target is None:
            return text
        key = (target.name, text)
        if key not in self.titles:
            table = self.ctx.runtime.tables(target.name).table
            condition = self.ctx.gate.row_filter(self.ctx.user, target, "read", self.ctx.local_now)
            matches = [table.c[target.title_field] == text] if target.title_field in table.c else []
            if text.isdigit():
                matches.append(table.c.id == int(text))
            found = list(self.ctx.session.execute(select(table.c.id).where(or_(*matches), condition).limit(3))
                         .scalars()) if matches else []
            self.titles[key] = found
        found = self.titles[key]
        if len(found) > 1:
            raise ValueError(_("several %(form)s records are called %(title)s; use the ID", form=target.title,
                               title=text))
        if not found:
            raise ValueError(_("no %(form)s record %(title)s", form=target.title, title=text))
        return found[0]

    def value(self, fdef: FieldDef, cell: Any) -> Any:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        kind = fdef.type
        text = cell.strip() if isinstance(cell, str) else cell
        if kind == "select":
            label = str(text)
            return next((o.value for o in fdef.options if label in (o.label, o.value)), label)
        if kind == "multiselect":
            parts = [p.strip() for p in str(text).replace(",", "、").replace("，", "、").split("、") if p.strip()]
            return [next((o.value for o in fdef.options if p in (o.label, o.value)), p) for p in parts]
        if kind == "boolean":
            word = str(text).strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(_("must be 是 or 否"))
        if kind == "user":
            return self.user(str(text))
        if kind == "link":
            return self.link(fdef, str(int(text)) if isinstance(text, int | float) and float(text).is_integer()
                             else str(text))
        if kind == "table":
            try:
                rows = json.loads(text) if isinstance(text, str) else text
            except json.JSONDecodeError:
                raise ValueError(_("must be a JSON list of rows")) from None
            return rows
        if kind == "date":
            if isinstance(text, datetime):
                return text.date().isoformat()
            if isinstance(text, date):
                return text.isoformat()
            return str(text).replace("/", "-")
        if kind == "datetime":
            if isinstance(text, datetime):
                moment = text if text.tzinfo else text.replace(tzinfo=self.ctx.tzinfo)
                return moment.isoformat()
            return str(text)
        if kind == "decimal":
            return str(text)
        if kind == "integer" and isinstance(text, float) and text.is_integer():
            return int(text)
        if kind in ("text", "textarea", "phone", "email", "url") and not isinstance(text, str):
            return str(int(text)) if isinstance(text, float) and text.is_integer() else str(text)
        return text


def import_rows(ctx: Context, form_name: str, head: list[Any], body: Iterator[list[Any]] | list[list[Any]],
                valid_only: bool = False) -> ImportReport:
    """Create a record per row (row numbers as in the sheet: the header is row 1). Raises
    ImportRejected (the caller's transaction then rolls back) unless every row is valid or
    `valid_only`."""
    form = readable_form(ctx, form_name)
    if not ctx.gate.can_create(ctx.user, form):
        raise Forbidden(f"you may not create records in '{form.name}'")
    mapping, ignored = _match_columns(form, list(head))
    if not mapping:
        raise BadRequest(_("the first row must name the form's fields (download the template)"))
    report = ImportReport(form.name, ignored_columns=ignored, valid_only=valid_only)
    cells = Cells(ctx)
    labels = {f.name: f.label for f in form.fields}
    for number, row in enumerate(body, start=2):
        if not any(c not in (None, "") for c in row):
            continue  # blank lines are not rows
        report.rows += 1
        if report.rows > MAX_IMPORT_ROWS:
            raise BadRequest(_("at most %(n)s rows per file", n=MAX_IMPORT_ROWS))
        values, errors = {}, {}
        for index, fdef in mapping.items():
            try:
                value = cells.value(fdef, row[index] if index < len(row) else None)
            except ValueError as exc:
                errors.setdefault(fdef.label, []).append(str(exc))
                continue
            if value is not None:
                values[fdef.name] = value
        if not errors:
            try:
                with ctx.session.begin_nested():
                    created = create_record(ctx, form.name, values)
                report.created.append(created["id"])
            except ValidationFailed as exc:
                errors = {labels.get(k.split(".")[0], k): v for k, v in exc.fields.items()}
            except EngineError as exc:
                errors = {"": [exc.message]}
        if errors:
            report.failed.append({"row": number, "errors": errors})
    if report.failed and not valid_only:
        raise ImportRejected(report)
    report.imported = True
    return report


def template(ctx: Context, form_name: str) -> tuple[list[str], list[list[str]]]:
    """The header an import file needs, and a guide: one line per column (what it takes)."""
    form = readable_form(ctx, form_name)
    hidden = ctx.gate.never_visible(ctx.user, form, ctx.local_now)
    columns = [f for f in form.fields if f.name not in hidden and not f.computed and not f.readonly]
    guide = [[_("Column"), _("Field"), _("Type"), _("Required"), _("How to fill it in")]]
    for fdef in columns:
        if fdef.options:
            how = " / ".join(o.label for o in fdef.options)
        elif fdef.type == "link":
            target = ctx.app.form(fdef.form or "")
            how = _("the %(form)s's title or ID", form=target.title if target else fdef.form)
        elif fdef.type == "user":
            how = _("user name or display name")
        elif fdef.type == "boolean":
            how = "是 / 否"
        elif fdef.type in ("date", "datetime"):
            how = "2026-03-01" if fdef.type == "date" else "2026-03-01 09:30"
        elif fdef.type == "table":
            how = _("JSON rows, e.g. %(example)s", example=json.dumps(
                [{s.name: s.label for s in fdef.fields
                  if not s.computed and s.name not in hidden_columns(fdef.name, hidden)}], ensure_ascii=False))
        else:
            how = fdef.help or ""
        guide.append([fdef.label, fdef.name, fdef.type, "✓" if fdef.required else "", how])
    return [f.label for f in columns], guide
