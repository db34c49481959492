"""What a name in an expression refers to: `amount`, `account.grade`, `items.subtotal`."""
from __future__ import annotations

from dataclasses import dataclass

from engine.fieldtypes import REGISTRY

from .model import SYSTEM_ATTRIBUTES, SYSTEM_TYPES, AppDef, FieldDef, FormDef


@dataclass(frozen=True)
class ResolvedPath:
    """`kind` is "field", "system", "link" (a field of a linked record) or "table" (a column of rows)."""

    kind: str
    type: str
    field: FieldDef | None = None
    via: FieldDef | None = None  # the link or table field for two-part paths
    target: FormDef | None = None

    @property
    def is_list(self) -> bool:
        kind = REGISTRY[self.type]
        return self.kind == "table" or kind.multiple or kind.is_table


class PathError(LookupError):
    pass


def _attribute(form: FormDef, name: str) -> ResolvedPath:
    if name in SYSTEM_ATTRIBUTES:
        return ResolvedPath("system", SYSTEM_TYPES[name])
    field = form.field(name)
    if field is None:
        hint = _did_you_mean(name, form.field_names + SYSTEM_ATTRIBUTES)
        raise PathError(f"form '{form.name}' has no field '{name}'{hint}")
    return ResolvedPath("field", field.type, field)


def resolve_path(app: AppDef, form: FormDef, path: tuple[str, ...],
                 row_of: FieldDef | None = None) -> ResolvedPath:
    """Resolve an expression path on `form` (or on a row of table field `row_of`)."""
    if row_of is not None:
        if len(path) != 1 or row_of.subfield(path[0]) is None:
            names = ", ".join(f.name for f in row_of.fields)
            raise PathError(f"'{'.'.join(path)}' is not a column of table '{row_of.name}' ({names})")
        sub = row_of.subfield(path[0])
        assert sub is not None
        return ResolvedPath("field", sub.type, sub)
    if len(path) == 1:
        return _attribute(form, path[0])
    if len(path) != 2:
        raise PathError(f"'{'.'.join(path)}': at most one '.' is allowed")
    head = _attribute(form, path[0])
    if head.field is not None and head.field.is_table:
        sub = head.field.subfield(path[1])
        if sub is None:
            raise PathError(f"table '{path[0]}' has no column '{path[1]}'")
        return ResolvedPath("table", sub.type, sub, via=head.field)
    if head.field is not None and head.field.field_type.links:
        target = app.form(head.field.form or "")
        if target is None:
            raise PathError(f"link '{path[0]}' points at unknown form '{head.field.form}'")
        inner = _attribute(target, path[1])
        if inner.field is not None and (inner.field.is_table or inner.field.field_type.multiple):
            raise PathError(f"'{'.'.join(path)}': a linked record's {inner.type} field cannot be used")
        return ResolvedPath("link", inner.type, inner.field, via=head.field, target=target)
    raise PathError(f"'{path[0]}' is neither a link nor a table field, so '{'.'.join(path)}' is invalid")


def _did_you_mean(name: str, candidates: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
