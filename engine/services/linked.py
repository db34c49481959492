"""`update_linked` (engine extension): saving a record sets fields of the record one of its
link fields points to, in the same transaction, e.g. a visit report updating its
account's last-visit date, and/or fires one of that record's transitions when it is
available from its stage. It acts for the system: the target's fields may be read-only to
the user, the transition need not be the user's; the target's history says which record
caused the change."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import true

from engine.definitions.model import FormDef
from engine.errors import Conflict, ValidationFailed
from engine.expressions import ExpressionError, evaluate, evaluate_condition
from engine.i18n import _
from engine.records.codec import encode_value
from engine.records.compute import RecordScope
from engine.records.context import Context
from engine.records.validate import prepare_values
from engine.store.records import fetch_one, update_record_row
from engine.workflows import timers

from .history import write_history
from .link_sync import sync_fills


def apply_update_linked(ctx: Context, form: FormDef, record_id: int, values: Mapping[str, Any],
                        meta: Mapping[str, Any]) -> None:
    for spec in form.update_linked:
        target_id = values.get(spec.link)
        link = form.field(spec.link)
        target_form = ctx.app.form(link.form) if link is not None and link.form else None
        if not target_id or target_form is None:
            continue
        scope = RecordScope(ctx, form, values, meta, now=ctx.local_now, user=ctx.user.name)
        try:
            if spec.when is not None and not evaluate_condition(spec.when, scope):
                continue
            incoming = {name: evaluate(expr, scope) for name, expr in spec.set.items()}
        except ExpressionError as exc:
            raise ValidationFailed({spec.link: [exc.message]}) from None
        if incoming:
            _set_linked(ctx, form, record_id, target_form, int(target_id), incoming)
        if spec.transition is not None:
            _fire_linked(ctx, form, record_id, spec.link, target_form, int(target_id), spec.transition)


def _fire_linked(ctx: Context, form: FormDef, record_id: int, link: str, target_form: FormDef, target_id: int,
                 transition: str) -> None:
    from .workflow import fire_for_linked  # workflow creates records through this module's caller

    try:
        fire_for_linked(ctx, target_form, target_id, transition, {"form": form.name, "id": record_id})
    except ValidationFailed as exc:  # e.g. a field the transition requires is empty on the linked record
        found = target_form.workflow.transition(transition) if target_form.workflow else None
        problems = "; ".join(f"{_field_label(target_form, name)}: {', '.join(msgs)}"
                             for name, msgs in exc.fields.items())
        raise ValidationFailed({link: [_("'%(action)s' of the linked record failed: %(problems)s",
                                         action=found.title if found else transition, problems=problems)]}) from None


def _field_label(form: FormDef, name: str) -> str:
    field = form.field(name)
    return field.label if field is not None else name


def _set_linked(ctx: Context, form: FormDef, record_id: int, target_form: FormDef, target_id: int,
                incoming: dict[str, Any]) -> None:
    tables = ctx.runtime.tables(target_form.name)
    target = fetch_one(ctx.session, target_form, tables, target_id, true(), lock=True)
    if target is None:
        return
    new_values, changed = prepare_values(ctx, target_form, incoming, current=target.values, meta=target.meta,
                                         hidden=frozenset(), editable=lambda f: None,
                                         system=True)
    if not changed:
        return
    if not update_record_row(ctx.session, tables, target.id, target.version,
                             {name: new_values.get(name) for name in changed}, ctx.now):
        raise Conflict(_("record %(id)s of %(form)s was changed at the same time; try again", id=target.id,
                         form=target_form.title),
                       code="stale_version")
    timers.plan_date_reminders(ctx, target_form, target.id, new_values, {**target.meta, "updated_at": ctx.now})
    fields = {f.name: f for f in target_form.fields}
    write_history(ctx.session, target_form.name, target.id, ctx.user.name, "update", {
        "changes": [{"field": n, "old": encode_value(fields[n], target.values.get(n), ctx),
                     "new": encode_value(fields[n], new_values.get(n), ctx)}
                    for n in target_form.field_names if n in changed],
        "via": {"form": form.name, "id": record_id}}, ctx.now)
    sync_fills(ctx, target_form, target.id, target.values, new_values)
