"""How a stored value reads on a page: each field type's `html` (option labels, link
titles, 是/否…); and how approval states and history actions read."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from markupsafe import Markup

from engine.definitions.model import FieldDef
from engine.fieldtypes import Refs, no_access, type_of
from engine.i18n import _

__all__ = ["display_value", "is_numeric", "no_access", "status_label", "history_label"]


def display_value(field: FieldDef, value: Any, link_title: str | None = None,
                  users: Mapping[str, str] | None = None, linked: bool = False) -> Markup:
    """A JSON value on a page. Only an absent value reads as "" (templates show "—" for it);
    0 and 0.00 are values. `linked`: a readable linked record's title links to its page."""
    return type_of(field).html(field, value, Refs(title=link_title, users=users or {},
                                                  record_url=_record_url if linked else None))


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
