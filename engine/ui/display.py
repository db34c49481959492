"""How a stored value reads on a page: each field type's `html` (option labels, link
titles, 是/否…); and how approval states and history actions read."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from engine.definitions.model import FieldDef, FormDef
from engine.fieldtypes import Refs, no_access, type_of
from engine.fieldtypes.computed import DerivedType
from engine.i18n import _

__all__ = ["display_value", "list_cells", "users_shown", "is_numeric", "no_access", "status_label", "history_label"]


def display_value(field: FieldDef, value: Any, link_title: str | None = None,
                  users: Mapping[str, str] | None = None, linked: bool = False) -> Markup:
    """A JSON value on a page. Only an absent value reads as "" (templates show "—" for it);
    0 and 0.00 are values. `linked`: a readable linked record's title links to its page."""
    return type_of(field).html(field, value, Refs(title=link_title, users=users or {},
                                                  record_url=_record_url if linked else None))


def list_cells(form: FormDef, columns: Sequence[FieldDef], items: Sequence[Mapping[str, Any]],
               users: Mapping[str, str]) -> list[Markup]:
    """Each item's row of cells (`<td>`s) as the list page shows them, worked out here with what
    each column needs read once, rather than a template macro and its calls per cell: the value as
    `display_value` shows it (a linked record's title without a link), numbers right-aligned, the
    column's label for narrow screens, the title field a link to the record (`#id` when empty; a
    sample row of the designer's preview links nowhere)."""
    detail = url_for("records.detail_page", form_name=form.name, record_id=0)
    assert detail.endswith("/0"), detail
    link = str(escape(detail[:-1]))  # + the id: one url_for per page instead of one per row
    plan = [(col, col.name, type_of(col), col.name == form.title_field,
             str(Markup('<td class="{}" data-label="{}">').format("text-end text-nowrap" if is_numeric(col) else "",
                                                                   col.label))) for col in columns]
    plain = Refs(users=users)
    rows = []
    for item in items:
        fields, links = item["fields"], item.get("links") or {}
        parts: list[str] = []  # each one markup already (escaped), joined as text: Markup's + escapes again
        for col, name, kind, is_title, opening in plan:
            title = links.get(name)
            shown: str = escape(kind.html(col, fields.get(name),  # Markup: as it is
                                          plain if title is None else Refs(title=title, users=users)))
            if is_title and not item.get("sample"):
                shown = f'<a href="{link}{int(item["id"])}">{shown or "#" + str(int(item["id"]))}</a>'
            parts += (opening, shown, "</td>")
        rows.append(Markup("".join(parts)))
    return rows


def users_shown(columns: Sequence[FieldDef], items: Sequence[Mapping[str, Any]]) -> set[str]:
    """The user names the items' cells in `columns` show (a user field, `created_by`), whose
    labels a page looks up: the page's people, never every user."""
    shows_users = [col.name for col in columns if _holds_user(col)]
    return {str(value) for item in items for name in shows_users if (value := item["fields"].get(name))}


def record_people(form: FormDef, record: Mapping[str, Any], history: Sequence[Mapping[str, Any]],
                  related: Sequence[Mapping[str, Any]]) -> set[str]:
    """The user names a record page shows: its creator, its user fields (table rows' too), who
    acted in its history (and whom a task went to), user fields' old and new values there, and
    the user columns of its related records' rows."""
    names = {record.get("created_by")}
    fields = {f.name: f for f in form.fields}
    for name, value in record["fields"].items():
        field = fields.get(name)
        if field is None:
            continue
        if field.is_table:
            subs = [sub.name for sub in field.fields if _holds_user(sub)]
            names.update(row.get(sub) for row in value or [] if isinstance(row, Mapping) for sub in subs)
        elif _holds_user(field):
            names.add(value)
    for entry in history:
        names.update((entry.get("actor"), entry.get("to")))
        for change in entry.get("changes") or []:
            field = fields.get(change.get("field"))
            if field is not None and _holds_user(field):
                names.update((change.get("old"), change.get("new")))
    for rel in related:
        names.update(users_shown(rel["columns"], rel["page"]["items"]))
    return {name for name in names if isinstance(name, str) and name}


def _holds_user(field: FieldDef) -> bool:
    kind = type_of(field)
    result = kind.result_type(field) if isinstance(kind, DerivedType) else kind
    return kind.holds_user or result.holds_user


def _record_url(form: str, record_id: int) -> str:
    return url_for("records.detail_page", form_name=form, record_id=record_id)


def is_numeric(field: FieldDef) -> bool:
    """Numbers are right-aligned in lists and tables."""
    return type_of(field).is_numeric(field)


def status_label(status: str) -> str:
    """Approval and task states as people read them."""
    labels = {
        "pending": _("in progress"), "open": _("waiting"), "approved": _("approved"), "rejected": _("rejected"),
        "sent_back": _("sent back"), "reassigned": _("handed on"), "skipped": _("skipped (approved before)"),
        "closed": _("not needed"), "withdrawn": _("withdrawn"), "cancelled": _("cancelled"), "cc": _("copied"),
    }
    return str(labels.get(status, status))


def history_label(action: str) -> str:
    labels = {
        "create": _("created the record"), "update": _("edited"), "delete": _("deleted the record"),
        "transition": _("moved the record"), "approval": _("approval finished"), "approve": _("approved"),
        "reject": _("rejected"), "send_back": _("sent back"), "reassign": _("handed on the task"),
        "withdraw": _("withdrew the submission"), "comment": _("commented"), "reminder": _("reminder"),
    }
    return str(labels.get(action, action))
