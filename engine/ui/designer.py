"""The visual designer's page: forms, flow, permissions, reminders, JSON and publishing in one
admin page. The page carries what its scripts need as JSON blocks (no inline script): the field
types and the module schema (`#designer-meta`), its words (`#designer-text`) and the definitions
in use (`#designer-live`); drafts are read and saved through the designer API."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import get_locale

from engine.definitions.model import FieldDef
from engine.definitions.schema import module_schema
from engine.expressions import FUNCTIONS
from engine.fieldtypes import REGISTRY, FieldType
from engine.i18n import _
from engine.web import engine_state
from engine.web.login import admins_only

from .designer_texts import texts

bp = Blueprint("designer", __name__, url_prefix="/admin")

#: The attributes of a field type the designer shows or obeys (all plain values).
TYPE_FLAGS = ("is_table", "computed", "holds_user", "links", "holds_file", "numbered", "rolls_up", "temporal",
              "numeric", "input", "in_tables", "can_title", "can_be_unique", "filterable", "groupable",
              "searchable", "sortable", "settable", "in_conditions", "multiple", "layout", "wide", "list_column",
              "aggregates", "ordered")


bp.before_request(admins_only)


def type_group(kind: FieldType) -> str:
    """The palette group of a type, from what it is (so a new type finds its group by itself)."""
    if kind.computed:
        return "computed"
    if kind.is_table or kind.holds_file:
        return "structure"
    if kind.links or kind.holds_user:
        return "relations"
    if "options" in kind.options_schema or kind.layout in ("group", "check"):
        return "choice"
    if kind.numeric or kind.temporal:
        return "number"
    return "text"


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def client_kind(kind: FieldType) -> str | None:
    """What the page's expression evaluator treats a value of the type as, for a field with the type's
    default settings (a formula's depends on its `result`: the designer reads that itself)."""
    try:
        probe = FieldDef(name="probe", type=kind.name, label="probe", pointer="", settings=dict(kind.defaults))
        return kind.client_kind(probe)
    except Exception:  # noqa: BLE001 - a type whose kind needs more than its defaults
        return None


def type_meta(kind: FieldType) -> dict[str, Any]:
    """One field type as the designer's palette and property panel use it."""
    meta: dict[str, Any] = {"name": kind.name, "label": _(kind.label), "group": type_group(kind),
                            "summary": kind.summary,
                            "options_schema": _plain(dict(kind.options_schema)),
                            "required_options": list(kind.required_options),
                            "defaults": _plain(dict(kind.defaults)),
                            "default_schema": _plain(dict(kind.default_schema))
                            if kind.default_schema is not None else None,
                            "client_kind": client_kind(kind)}
    meta.update({flag: getattr(kind, flag) for flag in TYPE_FLAGS})
    return meta


def designer_meta() -> dict[str, Any]:
    """`#designer-meta`: field types (registration order), the module schema, expression functions, the
    page's language and the engine's time zone (times are shown in it, as on every other page)."""
    locale = get_locale()
    return {"types": [type_meta(kind) for kind in REGISTRY.values()], "schema": module_schema(),
            "functions": sorted(FUNCTIONS), "lang": "en" if locale is not None and locale.language == "en" else "zh_CN",
            "timezone": str(engine_state().tzinfo)}


@bp.get("/designer")
def designer():
    """Admins: the visual designer: forms, flow, permissions, reminders, JSON, publish and versions. Edits go
    to the admin's draft; the definitions in use change only when the draft is published."""
    runtime = engine_state().runtime()
    live = {"signature": runtime.app.signature, "files": dict(runtime.app.sources)}
    return render_template("admin/designer.html", meta=designer_meta(), text=texts(), live=live)
