"""How a stored value reads on a page (labels for options, titles for links, 是/否…)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup, escape

from engine.definitions.model import FieldDef
from engine.i18n import _


def display_value(field: FieldDef, value: Any, link_title: str | None = None,
                  users: dict[str, str] | None = None) -> Any:
    """Only an absent value reads as "" (templates show "—" for it); 0 and 0.00 are values,
    so numbers come back as text, never as a falsy 0."""
    if value is None or value == "" or value == []:
        return ""
    kind = field.value_kind
    if kind == "select":
        return next((o.label for o in field.options if o.value == value), value)
    if kind == "multiselect":
        labels = {o.value: o.label for o in field.options}
        return "、".join(labels.get(v, v) for v in value)
    if kind == "boolean":
        return _("Yes") if value else _("No")
    if kind == "link":  # no title: the reader may not read the linked record (see link_titles)
        return link_title if link_title is not None else no_access()
    if kind == "user":
        return (users or {}).get(value, value)
    if kind == "decimal":
        try:
            return f"{Decimal(value):,.{field.precision}f}"
        except (InvalidOperation, ValueError):
            return value
    if kind == "datetime":
        return value[:16].replace("T", " ")
    if kind == "file":
        return Markup('<a href="{}">{}</a>').format(value.get("url"), value.get("name") or _("file"))
    if kind == "url":
        if str(value).startswith(("http://", "https://")):
            return Markup('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>').format(value)
        return escape(value)
    if kind == "table":
        return _("%(n)s rows", n=len(value))
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def no_access() -> Markup:
    """What a link to a record the reader may not read shows: neither its title nor a link."""
    return Markup('<span class="text-secondary" data-no-access>{}</span>').format(_("(no access)"))


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
