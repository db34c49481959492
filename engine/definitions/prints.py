"""Print layouts (`prints` of a form): built from the JSON and checked against the forms.

A layout only names what is printed (fields, a table's columns, records linking here, the
amount in capital figures, texts with `{field}` placeholders); the page and the PDF come
from the engine's own template (engine.services.prints, engine.ui.prints)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from engine.fieldtypes import REGISTRY
from engine.i18n import N_, LocalText, local_text

from .model import SYSTEM_ATTRIBUTES, SYSTEM_TYPES, FieldDef, FormDef, PrintBlockDef, PrintDef, PrintRelatedDef

if TYPE_CHECKING:
    from .builder import Builder
    from .checks import Checker

BLOCK_KINDS = ("fields", "table", "related", "amount_in_words", "text", "signatures")
#: The keys each kind of block may have besides its own.
_COMPANIONS = {"fields": {"columns", "title"}, "table": {"columns", "totals", "title"}, "related": set(),
               "amount_in_words": {"label"}, "text": {"title"}, "signatures": set()}
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RELATED_LIMIT = 200


def build_prints(builder: Builder, docs: Any, ptr: str) -> tuple[PrintDef, ...]:
    return tuple(_layout(builder, doc, f"{ptr}/{i}") for i, doc in enumerate(docs or ()))


def _layout(builder: Builder, doc: Mapping[str, Any], ptr: str) -> PrintDef:
    header = doc.get("header") or {}
    return PrintDef(
        name=doc["name"], title=doc["title"], pointer=ptr,
        blocks=tuple(_block(builder, b, f"{ptr}/blocks/{i}") for i, b in enumerate(doc.get("blocks", ()))),
        roles=tuple(doc.get("roles", ())), paper=doc.get("paper", "A4"),
        company=header.get("company", True), logo=header.get("logo", True), heading=header.get("title"),
        footer=doc.get("footer"),
    )


def _block(builder: Builder, doc: Mapping[str, Any], ptr: str) -> PrintBlockDef:
    kinds = [k for k in BLOCK_KINDS if k in doc]
    if len(kinds) != 1:
        builder.problem(ptr, "a print block needs exactly one of " + ", ".join(BLOCK_KINDS)
                        + (f" (it has {', '.join(kinds)})" if kinds else ""))
        return PrintBlockDef(kind="none", pointer=ptr)
    kind = kinds[0]
    for key in sorted(set(doc) - {kind} - _COMPANIONS[kind]):
        builder.problem(f"{ptr}/{key}", f"'{key}' does not belong in a '{kind}' block")
    columns = doc.get("columns")
    if kind == "fields" and isinstance(columns, list):
        builder.problem(f"{ptr}/columns", "with 'fields', 'columns' is a number of pairs per line (1 to 4)")
    if kind == "table" and isinstance(columns, int):
        builder.problem(f"{ptr}/columns", "with 'table', 'columns' lists the table's columns to print")
    related = doc.get("related")
    return PrintBlockDef(
        kind=kind, pointer=ptr,
        names=tuple(doc["fields"]) if kind == "fields" else tuple(columns) if isinstance(columns, list) else (),
        per_line=columns if isinstance(columns, int) else 2,
        table=doc.get("table"), totals=tuple(doc.get("totals", ())),
        related=PrintRelatedDef(
            form=related["form"], link=tuple(related["link"].split(".")), columns=tuple(related["columns"]),
            totals=tuple(related.get("totals", ())),
            where=builder.expression(related.get("where"), f"{ptr}/related/where"),
            order_by=related.get("order_by", "created_at"), limit=related.get("limit", RELATED_LIMIT),
            title=related.get("title"),
        ) if related else None,
        amount=doc.get("amount_in_words"), label=doc.get("label"), text=doc.get("text"),
        signatures=tuple(LocalText.of(s) for s in doc.get("signatures", ())), title=doc.get("title"),
    )


def _number(field: FieldDef | None) -> bool:
    return field is not None and not field.is_table and REGISTRY[field.value_kind].numeric


def _printable(form: FormDef, name: str) -> FieldDef | str | None:
    """The field (or the system attribute's name) `name` prints, None when it cannot."""
    if name in SYSTEM_ATTRIBUTES:
        return name
    field = form.field(name)
    return field if field is not None and not field.is_table else None


def check_prints(checker: Checker, form: FormDef) -> None:
    names = Counter(p.name for p in form.prints)
    for layout in form.prints:
        ptr = layout.pointer
        if names[layout.name] > 1:
            checker.problem(form, f"{ptr}/name", N_("duplicate print layout '%(name)s'"), name=layout.name)
        for i, role in enumerate(layout.roles):
            if not checker.role_exists(role):
                checker.problem(form, f"{ptr}/roles/{i}", N_("unknown role '%(name)s'"), name=role)
        _check_text(checker, form, layout, "footer", f"{ptr}/footer")
        for block in layout.blocks:
            _check_block(checker, form, block)


def _check_text(checker: Checker, form: FormDef, owner: Any, key: str, ptr: str) -> None:
    """The `{field}` placeholders of a text, in every language it is written in."""
    text = local_text(owner, key)
    names = {n for variant in (text.texts.values() if text else ()) for n in PLACEHOLDER.findall(variant)}
    for name in sorted(names):
        if _printable(form, name) is None:
            checker.problem(form, ptr, N_("unknown field '{%(name)s}' in the text"), name=name)


def _check_block(checker: Checker, form: FormDef, block: PrintBlockDef) -> None:
    ptr = block.pointer
    if block.kind == "fields":
        for i, name in enumerate(block.names):
            if _printable(form, name) is None:
                message = (N_("'%(name)s' is a table: print it with a 'table' block") if form.field(name)
                           else N_("unknown field '%(name)s'"))
                checker.problem(form, f"{ptr}/fields/{i}", message, name=name)
    elif block.kind == "table":
        table = form.field(block.table or "")
        if table is None or not table.is_table:
            checker.problem(form, f"{ptr}/table", N_("'%(name)s' must be a table field of this form"),
                            name=block.table)
            return
        _check_columns(checker, form, lambda n: table.subfield(n), block.names, block.totals, ptr, "columns",
                       table.name)
    elif block.kind == "related" and block.related is not None:
        _check_related(checker, form, block.related, f"{ptr}/related")
    elif block.kind == "amount_in_words":
        if not _number(form.field(block.amount or "")):
            checker.problem(form, f"{ptr}/amount_in_words", N_("'%(name)s' must be a number field of this form"),
                            name=block.amount)
    elif block.kind == "text":
        _check_text(checker, form, block, "text", f"{ptr}/text")


def _check_columns(checker: Checker, form: FormDef, lookup: Any, columns: tuple[str, ...],
                   totals: tuple[str, ...], ptr: str, key: str, owner: str) -> None:
    for i, name in enumerate(columns):
        column = lookup(name)
        if column is None:
            checker.problem(form, f"{ptr}/{key}/{i}", N_("'%(form)s' has no field '%(name)s'"),
                            form=owner, name=name)
        elif isinstance(column, FieldDef) and column.is_table:
            checker.problem(form, f"{ptr}/{key}/{i}", N_("a table field cannot be a column"))
    for i, name in enumerate(totals):
        column = lookup(name)
        if columns and name not in columns:
            checker.problem(form, f"{ptr}/totals/{i}", N_("'%(name)s' is not one of the printed columns"), name=name)
        elif not (_number(column) or (isinstance(column, str) and SYSTEM_TYPES.get(column) == "integer")):
            checker.problem(form, f"{ptr}/totals/{i}", N_("'%(name)s' must be a number column"), name=name)


def _check_related(checker: Checker, form: FormDef, related: PrintRelatedDef, ptr: str) -> None:
    other = checker.app.form(related.form)
    if other is None:
        checker.problem(form, f"{ptr}/form", N_("unknown form '%(name)s'"), name=related.form)
        return
    first = other.field(related.link[0])
    via = checker.app.form(first.form or "") if first is not None and first.field_type.links else None
    if via is not None and len(related.link) == 2:
        second = via.field(related.link[1])
        target = second.form if second is not None and second.field_type.links else None
    else:
        target = via.name if via is not None else None
    if target != form.name:
        checker.problem(form, f"{ptr}/link",
                        N_("'%(link)s' must be a link field of '%(form)s' to '%(target)s' (or a path of two "
                           "link fields ending at '%(target)s')"),
                        link=".".join(related.link), form=other.name, target=form.name)
    _check_columns(checker, form, lambda n: other.field(n) or (n if n in SYSTEM_ATTRIBUTES else None),
                   related.columns, related.totals, ptr, "columns",
                   other.name)
    if related.where is not None:  # over the other form, reported in this form's file
        before = len(checker.problems)
        checker.check_expression(other, related.where, f"{ptr}/where")
        checker.check_sql_expression(other, related.where, f"{ptr}/where")
        checker.problems[before:] = [replace(p, file=form.file) for p in checker.problems[before:]]
    order = related.order_by.lstrip("-")
    if _printable(other, order) is None:
        checker.problem(form, f"{ptr}/order_by", N_("'%(form)s' has no field '%(name)s'"), form=other.name,
                        name=order)


def layout_shape(value: Any) -> Any:
    """A layout (or one of its parts) as comparable plain data, without JSON pointers, its texts
    in every language: for the review of a definition change."""
    if isinstance(value, LocalText):
        return value.texts
    if isinstance(value, tuple | list):
        return [layout_shape(v) for v in value]
    if hasattr(value, "source") and hasattr(value, "references"):  # an expression
        return value.source
    if hasattr(value, "__dataclass_fields__"):
        localized = {"title", "heading", "footer", "label", "text"}
        return {k: _texts(local_text(value, k)) if k in localized else layout_shape(getattr(value, k))
                for k in value.__dataclass_fields__ if k != "pointer"}
    return value


def _texts(text: LocalText | None) -> dict[str, str] | None:
    return text.texts if text is not None else None
