"""A small parcels module for the ask form (issue #14, point 3): `ship` requires a carrier and a
tracking number, `relabel` a label code and a cost, `cancel` a comment; the approval step `pay`
requires the payment terms. Shippers do not see `cost` and may not change `label_code`."""
from __future__ import annotations

from engine.auth.users import create_user, issue_token
from tests.conftest import ApiClient

URL = "/api/forms/parcel/records"


def module() -> dict:
    return {
        "module": "parcels", "title": "Parcels",
        "roles": [{"name": "clerk", "title": "Clerk"}, {"name": "shipper", "title": "Shipper"},
                  {"name": "payer", "title": "Payer"}],
        "forms": [{
            "name": "parcel", "title": "Parcel", "title_field": "subject",
            "fields": [
                {"name": "subject", "type": "text", "label": "Subject", "required": True},
                {"name": "carrier", "type": "select", "label": "Carrier",
                 "options": [{"value": "sf", "label": "SF"}, {"value": "ems", "label": "EMS"}]},
                {"name": "tracking", "type": "text", "label": "Tracking no.", "max_length": 12},
                {"name": "label_code", "type": "text", "label": "Label code"},
                {"name": "cost", "type": "decimal", "label": "Cost"},
                {"name": "terms", "type": "select", "label": "Terms",
                 "options": [{"value": "cash", "label": "Cash"}, {"value": "credit", "label": "Credit"}]},
                {"name": "note", "type": "text", "label": "Note"},
            ],
            "permissions": {
                "clerk": {"create": True, "read": "all", "update": "all"},
                "shipper": {"read": "all", "update": "all", "hide": ["cost"], "readonly": ["label_code"]},
                "payer": {"read": "all"},
            },
            "list": {"columns": ["subject", "carrier", "tracking"], "search": ["subject"]},
            "workflow": {
                "initial": "draft",
                "stages": [
                    {"name": "draft", "title": "Draft", "editable": ["*"]},
                    {"name": "packed", "title": "Packed", "editable": ["note"]},
                    {"name": "check", "title": "Check", "approval": {
                        "steps": [{"name": "pay", "title": "Payment", "approvers": [{"role": "payer"}],
                                   "require": ["terms"]}],
                        "approved": "shipped", "rejected": "packed"}},
                    {"name": "shipped", "title": "Shipped", "final": True},
                    {"name": "cancelled", "title": "Cancelled", "final": True},
                ],
                "transitions": [
                    {"name": "pack", "title": "Pack", "from": "draft", "to": "packed", "roles": ["clerk"]},
                    {"name": "ship", "title": "Ship", "from": "packed", "to": "check", "roles": ["shipper"],
                     "require": ["carrier", "tracking"]},
                    {"name": "relabel", "title": "Relabel", "from": "packed", "to": "packed",
                     "roles": ["shipper", "clerk"], "require": ["label_code", "cost"]},
                    {"name": "unpack", "title": "Unpack", "from": "packed", "to": "draft", "roles": ["clerk"]},
                    {"name": "cancel", "title": "Cancel", "from": ["draft", "packed"], "to": "cancelled",
                     "roles": ["clerk", "shipper"], "comment_required": True},
                ],
            },
        }],
    }


def cast_of(app) -> dict[str, ApiClient]:
    """cleo the clerk, sam the shipper, pat the payer (and pia, a second payer)."""
    out = {}
    with app.extensions["engine"].db.transaction() as session:
        for name, role in {"cleo": "clerk", "sam": "shipper", "pat": "payer", "pia": "payer"}.items():
            user = create_user(session, name, f"{name}-password", {role})
            out[name] = ApiClient(app, issue_token(session, user), name)
    return out
