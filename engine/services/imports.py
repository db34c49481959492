"""Import: a sheet's rows become records, checked like the form, written all at once.

Every row goes through the same checks as the form and the API (`prepare_create`: same
defaults, formulas, validation, permissions and row rule). Cells are read the way export
writes them, and also as ids and values. All rows are tried; unless the caller asks for the
valid rows only, one bad row means nothing is imported, and the report names each row and
column.

It runs in three short steps so that an import never holds the write lock while it reads
and checks a file: (1) parse and check every row in a reading transaction; (2) reserve the
serial numbers the rows need in a transaction of their own (one statement per counter; a
failed import leaves a gap in the numbers, never a number used twice); (3) write every
record, its child rows, timers and history with bulk statements in one transaction, so the
import is still all-or-nothing. Rows are checked against the data as it was in step 1: if
another user takes a unique value in between, step 3 fails as a whole and nothing is
imported.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from engine.definitions.model import FieldDef, FormDef
from engine.errors import BadRequest, EngineError, ValidationFailed
from engine.fieldtypes import type_of
from engine.fieldtypes.relations import cell_id_text
from engine.fieldtypes.text import shortened
from engine.i18n import LocalText, _
from engine.records.context import Context
from engine.records.links import remembered
from engine.records.validate import error_label
from engine.store.system import users
from engine.text_checks import text_problem

from .bulk_create import Prepared, reserve_serials, write_many
from .records import creatable_form, create_hidden, prepare_create

ID_HEADER, STAGE_HEADER = "ID", "stage"
#: Link lookups per query (bounded IN lists).
LOOKUP_CHUNK = 500

UseCase = Callable[..., AbstractContextManager[Context]]


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


def is_importable(fdef: FieldDef) -> bool:
    """Whether an import sets this field: not computed or read-only fields, and not files (a
    cell holds only a file's name; files are attached on the record's page)."""
    return not fdef.computed and not fdef.readonly and type_of(fdef).importable


def _match_columns(form: FormDef, head: list[Any],
                   hidden: frozenset[str]) -> tuple[dict[int, FieldDef], list[str]]:
    """Columns to fields by label (in either language) or name. A field hidden from the importer is matched by
    nothing: its column is ignored and listed like any unknown column, so an import does not
    reveal that the field exists."""
    fields = [f for f in form.fields if f.name not in hidden]
    by_key: dict[str, FieldDef] = {}
    importable = [f for f in fields if is_importable(f)]
    for fdef in [*importable, *(f for f in fields if f not in importable)]:  # a shared label: the importable
        for label in LocalText.of(fdef.label).variants():  # a header in either language
            by_key.setdefault(label.strip().lower(), fdef)
    for fdef in fields:
        by_key[fdef.name.lower()] = fdef
    mapping: dict[int, FieldDef] = {}
    ignored: list[str] = []
    for index, cell in enumerate(head):
        key = str(cell or "").strip().lower()
        named = by_key.get(key)
        if named is not None and named in importable and named not in mapping.values():
            mapping[index] = named
        elif named is not None:
            continue  # computed and read-only columns (as exported) and repeats are left out
        elif key and key not in (ID_HEADER.lower(), STAGE_HEADER, _("Stage").lower()):
            ignored.append(str(cell))
    return mapping, ignored


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


class Cells:
    """Reads cells into the values the create service takes (the API's JSON values). Users
    are looked up once, and each link column's titles and ids with one query per chunk of
    distinct values (not one per row)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.people: dict[str, str] | None = None
        self.titles: dict[tuple[str, str], list[int]] = {}

    def user(self, text: str) -> str:
        """A user name, or a display name only one user has (else a clear error)."""
        if self.people is None:
            rows = self.ctx.session.execute(select(users.c.name, users.c.display_name)).all()
            self.people = {display: name for name, display in rows if display}
            shared = Counter(display for _name, display in rows if display)
            self.people.update({display: "" for display, n in shared.items() if n > 1})
            self.people.update({name: name for name, _display in rows})
        found = self.people.get(text, text)
        if not found:
            raise ValueError(_("several users are called %(name)s; use the user name", name=text))
        return found

    def resolve_links(self, fdef: FieldDef, texts: Iterable[str]) -> None:
        """Look up a column's link cells in bulk: title or id among the records the user may read."""
        target = self.ctx.app.form(fdef.form or "")
        if target is None:
            return
        wanted = sorted({t for t in texts if t and (target.name, t) not in self.titles and not text_problem(t)})
        table = self.ctx.runtime.tables(target.name).table
        condition = self.ctx.gate.row_filter(self.ctx.user, target, "read", self.ctx.local_now)
        title_field = target.title_field
        title_column = table.c[title_field] if title_field is not None and title_field in table.c else None
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start:start + LOOKUP_CHUNK]
            found: dict[str, list[int]] = {t: [] for t in chunk}
            ids = [int(t) for t in chunk if t.isdigit() and len(t) < 19]
            matches = [table.c.id.in_(ids)] if ids else []
            columns = [table.c.id]
            if title_column is not None:
                matches.append(title_column.in_(chunk))
                columns.append(title_column)
            for row in self.ctx.session.execute(select(*columns).where(or_(*matches), condition)):
                if title_column is not None and row[1] is not None and str(row[1]) in found:
                    found[str(row[1])].append(row[0])
                if str(row[0]) in found and row[0] not in found[str(row[0])]:
                    found[str(row[0])].append(row[0])
            for text, record_ids in found.items():
                self.titles[(target.name, text)] = record_ids
                for record_id in record_ids:
                    self.ctx.known_readable(target.name, record_id)

    def link(self, fdef: FieldDef, text: str) -> Any:
        target = self.ctx.app.form(fdef.form or "")
        if target is None:
            return text
        if problem := text_problem(text):  # never sent to the database
            raise ValueError(problem)
        if (target.name, text) not in self.titles:
            self.resolve_links(fdef, [text])
        found = self.titles[(target.name, text)]
        if len(found) > 1:
            raise ValueError(_("several %(form)s records are called %(title)s; use the ID", form=target.title,
                               title=shortened(text)))
        if not found:
            raise ValueError(_("no %(form)s record %(title)s", form=target.title, title=shortened(text)))
        return found[0]

    @property
    def tzinfo(self) -> Any:
        return self.ctx.tzinfo

    def value(self, fdef: FieldDef, cell: Any) -> Any:
        """A cell as the JSON value of its field (the field type's `from_cell`); None when blank."""
        if _blank(cell):
            return None
        return type_of(fdef).from_cell(fdef, cell, self)


def import_rows(use_case: UseCase, form_name: str, head: list[Any], body: Iterable[list[Any]],
                valid_only: bool = False) -> ImportReport:
    """Create a record per row (row numbers as in the sheet: the header is row 1).
    `use_case(write=False)` opens a transaction as the importing user. Raises ImportRejected
    (nothing written) unless every row is valid or `valid_only`."""
    with use_case() as ctx:
        form = creatable_form(ctx, form_name)
        with remembered(ctx):  # linked records of link rules looked up once, not once per row
            report, prepared = check_rows(ctx, form, head, body, valid_only)
    if report.failed and not valid_only:
        raise ImportRejected(report)
    if prepared:
        with use_case(write=True) as ctx:
            serials = reserve_serials(ctx, form, len(prepared))
        with use_case(write=True) as ctx:
            report.created = write_many(ctx, form, prepared, serials)
    report.imported = True
    return report


def check_rows(ctx: Context, form: FormDef, head: list[Any], body: Iterable[list[Any]],
               valid_only: bool) -> tuple[ImportReport, list[Prepared]]:
    """Step 1: every row parsed and checked (reads only)."""
    mapping, ignored = _match_columns(form, list(head), create_hidden(ctx, form, system=False))
    if not mapping:
        raise BadRequest(_("the first row must name the form's fields (download the template)"))
    report = ImportReport(form.name, ignored_columns=ignored, valid_only=valid_only)
    rows = [(number, row) for number, row in enumerate(body, start=2) if not all(_blank(c) for c in row)]
    report.rows = len(rows)
    cells = Cells(ctx)
    for index, fdef in mapping.items():
        if fdef.form is not None:  # a column of links: their titles looked up in bulk
            cells.resolve_links(fdef, (cell_id_text(row[index]) for _n, row in rows
                                       if index < len(row) and not _blank(row[index])))
    unique = [f for f in form.fields if f.unique]
    seen: dict[tuple[str, Any], int] = {}
    prepared: list[Prepared] = []
    for number, row in rows:
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
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
                item = prepare_create(ctx, form, values)
            except ValidationFailed as exc:
                errors = {error_label(form, k): v for k, v in exc.fields.items()}
            except EngineError as exc:
                errors = {"": [exc.message]}
            else:
                for fdef in unique:
                    key = (fdef.name, item[0].get(fdef.name))
                    if key[1] not in (None, ""):
                        if key in seen:
                            errors.setdefault(fdef.label, []).append(
                                _("the same value as row %(row)s", row=seen[key]))
                        seen.setdefault(key, number)
                if not errors:
                    prepared.append(item)
        if errors:
            report.failed.append({"row": number, "errors": errors})
    return report, prepared
