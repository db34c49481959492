"""Print layouts (docs/reference.md, Print layouts): what one layout prints of records, as the
reader may see it. The result is plain data (labels, values already formatted by the field
types' `html`/`text`) that the engine's own template turns into a page or a PDF; a layout
holds no template code of its own.

Only what the reader may read is printed: the records come through the read row filter, hidden
fields and hidden table columns are left out of every block (fields, tables, totals, `{field}`
placeholders, the amount in words), and related records are those the reader may read, one
query per related block for all printed records (and one for their count and totals, which
cover every readable related record, not only the `limit` printed)."""
from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, func, select

from engine.access import uses_hidden
from engine.access.visibility import fields_read
from engine.auth.users import list_users
from engine.definitions.model import (
    ADMIN_ROLE,
    SYSTEM_LABELS,
    SYSTEM_TYPES,
    FieldDef,
    FormDef,
    PrintBlockDef,
    PrintDef,
    PrintRelatedDef,
)
from engine.definitions.prints import PLACEHOLDER
from engine.errors import BadRequest, Forbidden, NotFound
from engine.expressions import to_sql
from engine.fieldtypes import Refs, type_of
from engine.i18n import _
from engine.records.codec import encode_value, link_titles
from engine.records.context import Context
from engine.store.records import load_children, rows_to_records, select_records
from engine.store.scope import FormSqlScope

from .records import _grant_flags, _hidden, present, readable_form

#: Most records one batch print takes.
MAX_BATCH = 100


# -- which layouts ---------------------------------------------------------------------


def may_use(ctx: Context, layout: PrintDef) -> bool:
    """A layout without `roles` is for everyone who may read the record; else for those roles
    (and admin)."""
    return not layout.roles or bool(ctx.user.roles & {*layout.roles, ADMIN_ROLE})


def usable_layouts(ctx: Context, form: FormDef) -> list[PrintDef]:
    return [p for p in form.prints if may_use(ctx, p)]


def layout_of(ctx: Context, form: FormDef, name: str) -> PrintDef:
    """The layout; 404 when the form has none of that name, 403 when the user may not use it."""
    layout = form.print_layout(name)
    if layout is None:
        raise NotFound(_("no print layout '%(name)s'", name=name))
    if not may_use(ctx, layout):
        raise Forbidden(_("you may not print '%(name)s'", name=layout.title))
    return layout


def parse_ids(text: str) -> list[int]:
    """`1,2,3` → [1, 2, 3] (order kept, repeats dropped); 400 on anything else or too many."""
    ids: list[int] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and len(part) <= 18):
            raise BadRequest(_("ids must be record ids separated by commas, e.g. 1,2,3"))
        if int(part) not in ids:
            ids.append(int(part))
    if len(ids) > MAX_BATCH:
        raise BadRequest(_("at most %(count)s records can be printed at once", count=MAX_BATCH))
    return ids


# -- the amount in capital figures -----------------------------------------------------


def amount_in_words(value: Any) -> str:
    """An amount in Chinese capital figures (大写金额), rounded to the fen: 12345.67 →
    壹万贰仟叁佰肆拾伍元陆角柒分, 10 → 壹拾元整, 1002.03 → 壹仟零贰元零叁分; "" for no number."""
    import cn2an

    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    return str(cn2an.an2cn(f"{amount:.2f}", "rmb"))


# -- the documents -----------------------------------------------------------------------


def documents(ctx: Context, form_name: str, layout_name: str, ids: Sequence[int]) -> tuple[PrintDef, list[dict]]:
    """The layout and one document per record of `ids` the user may read, in the order of
    `ids`; unreadable and missing ids are left out without a word (a single-record print
    answers 404 for them: see `document`)."""
    form = readable_form(ctx, form_name)
    layout = layout_of(ctx, form, layout_name)
    if not ids:
        return layout, []
    tables = ctx.runtime.tables(form.name)
    grants, flags = _grant_flags(ctx, form)
    condition = ctx.gate.row_filter(ctx.user, form, "read", ctx.local_now)
    stmt = select_records(tables, tables.table.c.id.in_(list(ids)), condition, extra=flags)
    records = rows_to_records(form, tables, ctx.session.execute(stmt), flags)
    load_children(ctx.session, form, tables, records)
    hidden = {r.id: _hidden(ctx, grants, r) for r in records}
    titles = link_titles(ctx, form, records, hidden)
    bodies = {r.id: present(ctx, form, r, hidden[r.id], titles[r.id]) for r in records}
    printer = _Printer(ctx, form, layout)
    related = {b.pointer: printer.related_rows(b.related, list(bodies)) for b in layout.blocks
               if b.related is not None}
    return layout, [printer.document(bodies[i], hidden[i], related) for i in ids if i in bodies]


def document(ctx: Context, form_name: str, layout_name: str, record_id: int) -> tuple[PrintDef, dict]:
    layout, docs = documents(ctx, form_name, layout_name, [record_id])
    if not docs:
        raise NotFound(f"no record {record_id} in '{form_name}'")
    return layout, docs[0]


def company_logo(path: str | None) -> str | None:
    """The logo file as a data: URL (the page and the PDF need no request for it); None when
    unset, unreadable or not an image."""
    if not path:
        return None
    kind = mimetypes.guess_type(path)[0]
    if kind not in ("image/png", "image/jpeg", "image/svg+xml"):
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


class _Printer:
    """Formats the blocks of one layout for the records of one request."""

    def __init__(self, ctx: Context, form: FormDef, layout: PrintDef) -> None:
        self.ctx, self.form, self.layout = ctx, form, layout
        self.users = {u.name: u.label for u in list_users(ctx.session)}

    # values

    def _field(self, form: FormDef, name: str) -> FieldDef | None:
        field = form.field(name)
        if field is None and name in SYSTEM_TYPES:
            return FieldDef(name=name, type=SYSTEM_TYPES[name], label=_(SYSTEM_LABELS[name]), pointer="")
        return field

    def _value(self, form: FormDef, body: Mapping[str, Any], name: str) -> Any:
        if name in SYSTEM_TYPES and form.field(name) is None:
            if name == "stage" and form.workflow is not None:
                stage = form.workflow.stage(body.get("stage") or "")
                return stage.title if stage else body.get("stage")
            return body.get(name)
        return body["fields"].get(name)

    def _refs(self, title: str | None = None) -> Refs:
        return Refs(title=title, users=self.users, ctx=self.ctx)

    def html(self, form: FormDef, body: Mapping[str, Any], name: str) -> Markup:
        field = self._field(form, name)
        if field is None:
            return Markup("")
        if name == "stage" and form.field(name) is None:
            return escape(self._value(form, body, name) or "")
        return type_of(field).html(field, self._value(form, body, name), self._refs(body["links"].get(name)))

    def text(self, body: Mapping[str, Any], hidden: frozenset[str], template: str | None) -> str:
        """A text with `{field}` placeholders filled in; a hidden field reads as ""."""
        def fill(match: Any) -> str:
            name = match.group(1)
            field = self._field(self.form, name)
            if field is None or name in hidden or field.is_table:
                return ""
            if name == "stage" and self.form.field(name) is None:
                return str(self._value(self.form, body, name) or "")
            return type_of(field).text(field, self._value(self.form, body, name),
                                       self._refs(body["links"].get(name)))
        return PLACEHOLDER.sub(fill, template or "")

    # the document

    def document(self, body: Mapping[str, Any], hidden: frozenset[str], related: Mapping[str, Any]) -> dict:
        blocks = []
        for block in self.layout.blocks:
            shown = self.block(block, body, hidden, related)
            if shown is not None:
                blocks.append(shown)
        return {"id": body["id"], "blocks": blocks, "footer": self.text(body, hidden, self.layout.footer)}

    def block(self, block: PrintBlockDef, body: Mapping[str, Any], hidden: frozenset[str],
              related: Mapping[str, Any]) -> dict | None:
        kind = block.kind
        if kind == "fields":
            names = [n for n in block.names if n not in hidden]
            items = [(self._field(self.form, n).label, self.html(self.form, body, n))  # type: ignore[union-attr]
                     for n in names if self._field(self.form, n) is not None]
            return {"kind": kind, "title": block.title, "per_line": block.per_line, "items": items}
        if kind == "table":
            return self.table(block, body, hidden)
        if kind == "related" and block.related is not None:
            found = related.get(block.pointer)
            return None if found is None else self.related(block.related, found, body["id"])
        if kind == "amount_in_words":
            if block.amount in hidden:
                return None
            value = body["fields"].get(block.amount)
            field = self.form.field(block.amount or "")
            words = amount_in_words(value) if value not in (None, "") else ""
            figure = type_of(field).text(field, value, self._refs()) if field is not None else ""
            return {"kind": "amount", "label": block.label or _("Amount in words"), "words": words, "figure": figure}
        if kind == "text":
            return {"kind": kind, "title": block.title, "text": self.text(body, hidden, block.text)}
        if kind == "signatures":
            return {"kind": kind, "labels": [s.text() for s in block.signatures]}
        return None

    def table(self, block: PrintBlockDef, body: Mapping[str, Any], hidden: frozenset[str]) -> dict | None:
        table = self.form.field(block.table or "")
        if table is None or table.name in hidden:
            return None
        names = block.names or tuple(f.name for f in table.fields)
        columns = [c for n in names if (c := table.subfield(n)) is not None and f"{table.name}.{n}" not in hidden]
        rows = body["fields"].get(table.name) or []
        titles = body["links"]
        cells = [[type_of(c).html(c, row.get(c.name), self._refs((titles.get(f"{table.name}.{c.name}") or {})
                                                                  .get(str(row.get(c.name)))))
                  for c in columns] for row in rows]
        totals = self._totals(columns, block.totals, [{c.name: row.get(c.name) for c in columns} for row in rows])
        return {"kind": "table", "title": block.title or table.label, "columns": self._heads(columns),
                "rows": cells, "totals": totals, "more": ""}

    def _heads(self, columns: list[FieldDef]) -> list[dict[str, Any]]:
        return [{"label": c.label, "numeric": type_of(c).is_numeric(c)} for c in columns]

    def _totals(self, columns: list[FieldDef], wanted: tuple[str, ...],
                rows: Sequence[Mapping[str, Any]]) -> list | None:
        if not wanted or not any(c.name in wanted for c in columns):
            return None
        out: list[str] = []
        for column in columns:
            if column.name not in wanted:
                out.append("")
                continue
            total = Decimal(0)
            for row in rows:
                try:
                    total += Decimal(str(row.get(column.name))) if row.get(column.name) not in (None, "") else 0
                except InvalidOperation:
                    continue
            out.append(type_of(column).text(column, str(total), self._refs()))
        return out

    # related records

    def related_rows(self, spec: PrintRelatedDef | None, owner_ids: list[int]) -> dict[str, Any] | None:
        """The records of `spec.form` linking to the printed records that the user may read:
        `rows`: printed record id → the values of the first `limit`; `summary`: printed record
        id → (how many there are, {total column: its sum over all of them}); None when the block
        is not for this reader (they may not read that form, or the link or the where reads a
        field hidden from them; a hidden order_by sorts by id). A column hidden from the reader
        by any of their roles is neither printed nor summed."""
        ctx = self.ctx
        other = ctx.app.form(spec.form) if spec is not None else None
        if spec is None or other is None or not ctx.gate.can(ctx.user, other, "read"):
            return None
        invisible = ctx.gate.never_visible(ctx.user, other, ctx.local_now)
        where_names, through_hidden = fields_read(ctx.gate, ctx.user, other, spec.where.references(),
                                                  ctx.local_now) if spec.where is not None else ([], False)
        if through_hidden or uses_hidden([spec.link[0], *where_names], invisible):
            return None
        tables = ctx.runtime.tables(other.name)
        table = tables.table
        owner: ColumnElement[Any] = table.c[spec.link[0]]
        if len(spec.link) == 2:  # through the records of the form in the middle the user may read
            first = other.field(spec.link[0])
            via = ctx.app.form(first.form or "") if first is not None else None
            if via is None or not ctx.gate.can(ctx.user, via, "read") or uses_hidden(
                    [spec.link[1]], ctx.gate.never_visible(ctx.user, via, ctx.local_now)):
                return None
            middle = ctx.runtime.tables(via.name).table
            readable = ctx.gate.row_filter(ctx.user, via, "read", ctx.local_now)
            # rows are chosen by the ids of the readable records in the middle (indexed lookups);
            # the printed record each belongs to is read for the chosen rows only
            chosen = table.c[spec.link[0]].in_(
                select(middle.c.id).where(middle.c[spec.link[1]].in_(owner_ids), readable))
            owner = (select(middle.c[spec.link[1]]).where(middle.c.id == table.c[spec.link[0]])
                     .scalar_subquery())
        else:
            chosen = owner.in_(owner_ids)
        conditions = [ctx.gate.row_filter(ctx.user, other, "read", ctx.local_now), chosen]
        if spec.where is not None:
            scope = FormSqlScope(ctx.app, ctx.runtime.schema, other, user=ctx.user.name, now=ctx.local_now,
                                 dialect=ctx.runtime.dialect)
            conditions.append(to_sql(spec.where, scope))
        order_name = spec.order_by.lstrip("-")
        order_col = table.c[order_name] if order_name not in invisible else table.c.id
        direction = [order_col.desc(), table.c.id.desc()] if spec.order_by.startswith("-") else [order_col, table.c.id]
        grants, flags = _grant_flags(ctx, other)
        extra = {**flags, "_owner": owner,
                 "_n": func.row_number().over(partition_by=owner, order_by=direction)}
        inner = select_records(tables, *conditions, extra=extra).subquery()
        stmt = select(inner).where(inner.c._n <= spec.limit).order_by(inner.c._owner, inner.c._n)
        records = rows_to_records(other, tables, ctx.session.execute(stmt), [*flags, "_owner", "_n"])
        # the link field is not hidden in any row (else the block is left out above), so every
        # record read is printed and counted
        hidden = {r.id: _hidden(ctx, grants, r) for r in records}
        titles = link_titles(ctx, other, records, hidden)
        found: dict[int, list] = {}
        for record in records:
            rows = found.setdefault(record.extra["_owner"], [])
            body = {"id": record.id, "stage": record.meta.get("stage"), "links": titles[record.id],
                    "fields": {f.name: encode_value(f, record.values.get(f.name), ctx, hidden[record.id])
                               for f in other.fields if f.name in spec.columns and f.name not in hidden[record.id]},
                    "created_by": record.meta.get("created_by"), "hidden": hidden[record.id],
                    **{k: v.astimezone(ctx.tzinfo).isoformat() if v is not None else None
                       for k in ("created_at", "updated_at", "due_at") if (v := record.meta.get(k)) is not None}}
            rows.append(body)
        return {"form": other, "invisible": invisible, "rows": found,
                "summary": self._related_summary(spec, other, conditions, owner, invisible)}

    def _related_summary(self, spec: PrintRelatedDef, other: FormDef, conditions: list[ColumnElement[Any]],
                         owner: ColumnElement[Any], invisible: frozenset[str]) -> dict[int, tuple[int, dict]]:
        """Per printed record: how many related records the reader may read, and the sums of the
        total columns not hidden from them over all of those (SQL aggregates, one query)."""
        table = self.ctx.runtime.tables(other.name).table
        summed = [n for n in spec.totals if n not in invisible and n in table.c
                  and (f := other.field(n)) is not None and type_of(f).is_numeric(f)]
        inner = select(owner.label("_owner"), *(table.c[n].label(f"_sum{i}") for i, n in enumerate(summed))) \
            .where(*conditions).subquery()
        stmt = select(inner.c._owner, func.count(),
                      *(func.sum(inner.c[f"_sum{i}"]) for i in range(len(summed)))).group_by(inner.c._owner)
        return {row[0]: (int(row[1]), {n: Decimal(str(v)) if v is not None else Decimal(0)
                                       for n, v in zip(summed, row[2:], strict=True)})
                for row in self.ctx.session.execute(stmt)}

    def related(self, spec: PrintRelatedDef, found: Mapping[str, Any], record_id: int) -> dict:
        other: FormDef = found["form"]
        rows = found["rows"].get(record_id, [])
        count, sums = found["summary"].get(record_id, (0, {}))
        names = [n for n in spec.columns if n not in found["invisible"]]
        columns = [c for n in names if (c := self._field(other, n)) is not None]
        cells = [[Markup("") if c.name in row["hidden"] else self.html(other, row, c.name) for c in columns]
                 for row in rows]
        totals = None
        if any(c.name in sums for c in columns):
            totals = [type_of(c).text(c, str(sums[c.name]), self._refs()) if c.name in sums else "" for c in columns]
        more = ""
        if count > len(rows):
            more = (_("The first %(shown)s of %(count)s records are printed; the totals are over all of them.",
                      shown=len(rows), count=count) if totals else
                    _("The first %(shown)s of %(count)s records are printed.", shown=len(rows), count=count))
        return {"kind": "table", "title": spec.title or other.title, "columns": self._heads(columns), "rows": cells,
                "totals": totals, "more": more}
