"""Composite indexes (`indexes` of a form): checked against the form's columns.

An index names columns of the form's own table in order: stored fields that a b-tree can
hold (no table, file or multiple-choice field, no long text) and system attributes, each
with a leading `-` when it is read newest/largest first. The tables and the schema sync
(engine.store) build and drop them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from engine.fieldtypes import REGISTRY
from engine.i18n import N_

from .model import SYSTEM_ATTRIBUTES, FieldDef, FormDef

if TYPE_CHECKING:
    from .checks import Checker

#: Text longer than this does not go into an index (a PostgreSQL b-tree entry is at most ~2.7 kB).
LONGEST_INDEXED_TEXT = 500


def index_columns(spec: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """An index's (column, descending) pairs."""
    return tuple((part.lstrip("-"), part.startswith("-")) for part in spec)


def indexable(field: FieldDef) -> bool:
    """Whether a field's column can be part of a b-tree index."""
    ftype = REGISTRY[field.type]
    if not ftype.sortable or field.is_table or ftype.column_type(field) is None:
        return False
    return (field.max_length or 0) <= LONGEST_INDEXED_TEXT


def check_indexes(checker: Checker, form: FormDef) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for i, spec in enumerate(form.indexes):
        ptr = f"{form.pointer}/indexes/{i}"
        names: set[str] = set()
        for j, (name, _desc) in enumerate(index_columns(spec)):
            field = form.field(name)
            if name in names:
                checker.problem(form, f"{ptr}/{j}", N_("'%(name)s' is already in this index"), name=name)
            elif field is None and name not in SYSTEM_ATTRIBUTES:
                checker.problem(form, f"{ptr}/{j}", N_("unknown field '%(name)s'"), name=name)
            elif field is not None and not indexable(field):
                checker.problem(form, f"{ptr}/{j}", N_("a %(type)s field cannot be in an index"), type=field.type)
            names.add(name)
        key = tuple(name for name, _desc in index_columns(spec))
        if key in seen:
            checker.problem(form, ptr, N_("the same index as /indexes/%(other)s"), other=seen[key])
        seen.setdefault(key, i)
