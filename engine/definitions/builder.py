"""JSON documents (already schema-valid) → frozen definition objects.

Expressions and durations are parsed here; a failure becomes a Problem with the
JSON pointer of the offending value, and building goes on so that every problem
of a file is reported at once.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from engine.errors import Problem
from engine.expressions import Expression, ExpressionError, parse
from engine.fieldtypes import REGISTRY

from .durations import parse_duration
from .model import (
    ALL_ROWS,
    NO_ROWS,
    ApprovalDef,
    ChartDef,
    CreateDef,
    EscalateDef,
    FieldDef,
    FormDef,
    ListDef,
    ModuleDef,
    PermissionDef,
    Recipient,
    ReminderDef,
    RoleDef,
    RowRule,
    StageDef,
    StepDef,
    TableCopyDef,
    TransitionDef,
    UpdateLinkedDef,
    ViewDef,
    WorkflowDef,
)
from .prints import build_prints

_AGGREGATE = re.compile(r"^\s*(count|sum|avg|min|max)\(\s*([a-z][a-z0-9_]*)?\s*\)\s*$")


class _FieldBuild:
    """What a field type's `build_settings` may ask of the builder, for one field."""

    def __init__(self, builder: Builder, pointer: str) -> None:
        self.builder = builder
        self.pointer = pointer

    def expression(self, source: Any, pointer: str) -> Expression | None:
        return self.builder.expression(source, pointer)

    def fields(self, docs: Any, pointer: str) -> tuple[FieldDef, ...]:
        return tuple(self.builder.field(f, f"{pointer}/{i}") for i, f in enumerate(docs or ()))

    def problem(self, pointer: str, message: str) -> None:
        self.builder.problem(pointer, message)


class Builder:
    """Builds one module file; collects problems instead of stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.file, pointer, message))

    def expression(self, source: Any, pointer: str) -> Expression | None:
        if source is None:
            return None
        try:
            return parse(str(source))
        except ExpressionError as exc:
            # counted from 1, as the designer's live check counts
            where = f" (at character {exc.offset + 1})" if exc.offset is not None else ""
            self.problem(pointer, f"invalid expression {source!r}: {exc.message}{where}")
            return None

    def duration(self, text: Any, pointer: str, *, signed: bool = False) -> timedelta | None:
        if text is None:
            return None
        try:
            return parse_duration(text, signed=signed)
        except ValueError as exc:
            self.problem(pointer, str(exc))
            return None

    # -- module ------------------------------------------------------------------

    def module(self, doc: Mapping[str, Any]) -> tuple[ModuleDef, list[FormDef]]:
        roles = tuple(
            RoleDef(r["name"], r.get("title", r["name"]), r.get("description"), r.get("renamed_from"))
            for r in doc.get("roles", [])
        )
        forms = [self.form(f, f"/forms/{i}", doc["module"]) for i, f in enumerate(doc.get("forms", []))]
        module = ModuleDef(
            name=doc["module"],
            title=doc.get("title", doc["module"]),
            file=self.file,
            roles=roles,
            forms=tuple(f.name for f in forms),
            description=doc.get("description"),
        )
        return module, forms

    def form(self, doc: Mapping[str, Any], ptr: str, module: str) -> FormDef:
        fields = tuple(self.field(f, f"{ptr}/fields/{i}") for i, f in enumerate(doc.get("fields", [])))
        lst = doc.get("list", {})
        return FormDef(
            name=doc["name"],
            title=doc.get("title", doc["name"]),
            module=module,
            file=self.file,
            pointer=ptr,
            fields=fields,
            title_field=doc.get("title_field"),
            owner_field=doc.get("owner_field"),
            permissions=MappingProxyType(
                {
                    role: self.permission(role, p, f"{ptr}/permissions/{role}")
                    for role, p in doc.get("permissions", {}).items()
                }
            ),
            list=ListDef(
                columns=tuple(lst.get("columns", ())),
                filters=tuple(lst.get("filters", ())),
                search=tuple(lst.get("search", ())),
                order_by=lst.get("order_by", "-created_at"),
                page_size=lst.get("page_size", 20),
                views=tuple(self.list_view(v, f"{ptr}/list/views/{i}") for i, v in enumerate(lst.get("views", ()))),
            ),
            workflow=self.workflow(doc["workflow"], f"{ptr}/workflow") if "workflow" in doc else None,
            reminders=tuple(
                self.reminder(r, f"{ptr}/reminders/{i}") for i, r in enumerate(doc.get("reminders", []))
            ),
            update_linked=tuple(
                UpdateLinkedDef(link=u["link"], set=self.assignments(u.get("set"), f"{ptr}/update_linked/{i}/set"),
                                when=self.expression(u.get("when"), f"{ptr}/update_linked/{i}/when"),
                                transition=u.get("transition"))
                for i, u in enumerate(doc.get("update_linked", []))
            ),
            charts=tuple(
                chart for i, c in enumerate(doc.get("charts", []))
                if (chart := self.chart(c, f"{ptr}/charts/{i}")) is not None
            ),
            renamed_from=doc.get("renamed_from"),
            description=doc.get("description"),
            prints=build_prints(self, doc.get("prints"), f"{ptr}/prints"),
            summary=tuple(doc["summary"]) if isinstance(doc.get("summary"), list) else None,
            indexes=tuple(tuple(ix) for ix in doc.get("indexes", ())),
        )

    def field(self, doc: Mapping[str, Any], ptr: str) -> FieldDef:
        settings = REGISTRY[doc["type"]].build_settings(doc, _FieldBuild(self, ptr))
        return FieldDef(
            name=doc["name"],
            type=doc["type"],
            label=doc.get("label", doc["name"]),
            pointer=ptr,
            required=doc.get("required", False),
            unique=doc.get("unique", False),
            default=doc.get("default"),
            help=doc.get("help"),
            placeholder=doc.get("placeholder"),
            readonly=doc.get("readonly", False),
            visible_if=self.expression(doc.get("visible_if"), f"{ptr}/visible_if"),
            index=doc.get("index", False),
            renamed_from=doc.get("renamed_from"),
            warn_duplicates=doc.get("warn_duplicates", False),
            settings=MappingProxyType(settings),
        )

    def list_view(self, doc: Mapping[str, Any], ptr: str) -> ViewDef:
        return ViewDef(
            name=doc["name"],
            title=doc.get("title", doc["name"]),
            pointer=ptr,
            filters=tuple((str(k), str(v)) for k, v in doc.get("filters", {}).items()),
            columns=tuple(doc.get("columns", ())),
            order_by=doc.get("order_by", ""),
            roles=tuple(doc.get("roles", ())),
        )

    def row_rule(self, value: Any, ptr: str) -> RowRule:
        if value in (False, None):
            return NO_ROWS
        if value is True or value == "all":
            return ALL_ROWS
        if value == "own":
            return RowRule("own")
        where = self.expression(value.get("where"), f"{ptr}/where")
        return RowRule("where", where) if where else NO_ROWS

    def permission(self, role: str, doc: Mapping[str, Any], ptr: str) -> PermissionDef:
        return PermissionDef(
            role=role,
            create=bool(doc.get("create", False)),
            read=self.row_rule(doc.get("read"), f"{ptr}/read"),
            update=self.row_rule(doc.get("update"), f"{ptr}/update"),
            delete=self.row_rule(doc.get("delete"), f"{ptr}/delete"),
            hide=frozenset(doc.get("hide", ())),
            readonly=frozenset(doc.get("readonly", ())),
        )

    # -- workflow ----------------------------------------------------------------

    def recipients(self, items: Any) -> tuple[Recipient, ...]:
        return tuple(Recipient(*next(iter(item.items()))) for item in items or ())

    def workflow(self, doc: Mapping[str, Any], ptr: str) -> WorkflowDef:
        stages = tuple(self.stage(s, f"{ptr}/stages/{i}") for i, s in enumerate(doc.get("stages", [])))
        transitions = tuple(
            self.transition(t, f"{ptr}/transitions/{i}") for i, t in enumerate(doc.get("transitions", []))
        )
        return WorkflowDef(initial=doc["initial"], stages=stages, transitions=transitions)

    def stage(self, doc: Mapping[str, Any], ptr: str) -> StageDef:
        escalate = doc.get("escalate")
        approval = doc.get("approval")
        return StageDef(
            name=doc["name"],
            title=doc.get("title", doc["name"]),
            editable=frozenset(doc.get("editable", ())),
            final=doc.get("final", False),
            due=self.duration(doc.get("due"), f"{ptr}/due"),
            remind_before=self.duration(doc.get("remind_before"), f"{ptr}/remind_before"),
            escalate=EscalateDef(
                notify=self.recipients(escalate.get("notify")),
                transition=escalate.get("transition"),
                action=escalate.get("action"),
            ) if escalate else None,
            approval=ApprovalDef(
                steps=tuple(
                    StepDef(
                        name=s["name"],
                        title=s.get("title", s["name"]),
                        approvers=self.recipients(s.get("approvers")),
                        mode=s.get("mode", "any"),
                        when=self.expression(s.get("when"), f"{ptr}/approval/steps/{i}/when"),
                        cc=self.recipients(s.get("cc")),
                        allow_self_approval=s.get("allow_self_approval", False),
                        skip_if_approved_before=s.get("skip_if_approved_before", False),
                        require=tuple(s.get("require", ())),
                    )
                    for i, s in enumerate(approval.get("steps", []))
                ),
                approved=approval["approved"],
                rejected=approval["rejected"],
            ) if approval else None,
            renamed_from=doc.get("renamed_from"),
        )

    def transition(self, doc: Mapping[str, Any], ptr: str) -> TransitionDef:
        sources = doc.get("from", "*")
        create = doc.get("create")
        return TransitionDef(
            name=doc["name"],
            title=doc.get("title", doc["name"]),
            sources=tuple(sources) if isinstance(sources, list) else (sources,),
            to=doc["to"],
            roles=tuple(doc.get("roles", ())),
            condition=self.expression(doc.get("condition"), f"{ptr}/condition"),
            comment_required=doc.get("comment_required", False),
            require=tuple(doc.get("require", ())),
            confirm=doc.get("confirm"),
            set=self.assignments(doc.get("set"), f"{ptr}/set"),
            create=self.create(create, f"{ptr}/create") if create else None,
        )

    def create(self, doc: Mapping[str, Any], ptr: str) -> CreateDef:
        plain = {name: value for name, value in (doc.get("set") or {}).items() if not isinstance(value, dict)}
        tables = {}
        for name, value in (doc.get("set") or {}).items():
            if isinstance(value, dict):
                source = self.expression(value["from"], f"{ptr}/set/{name}/from")
                tables[name] = TableCopyDef(
                    source=(source.bare_path() or ()) if source is not None else (),
                    set=self.assignments(value.get("set"), f"{ptr}/set/{name}/set"))
        return CreateDef(form=doc["form"], set=self.assignments(plain, f"{ptr}/set"),
                         tables=MappingProxyType(tables))

    def assignments(self, doc: Mapping[str, Any] | None, ptr: str) -> Mapping[str, Expression]:
        out = {}
        for name, source in (doc or {}).items():
            expr = self.expression(source, f"{ptr}/{name}")
            if expr is not None:
                out[name] = expr
        return MappingProxyType(out)

    def reminder(self, doc: Mapping[str, Any], ptr: str) -> ReminderDef:
        return ReminderDef(
            name=doc["name"],
            date_field=doc["date_field"],
            offset=self.duration(doc.get("offset", "0d"), f"{ptr}/offset", signed=True) or timedelta(0),
            notify=self.recipients(doc.get("notify")),
            when=self.expression(doc.get("when"), f"{ptr}/when"),
            message=doc.get("message"),
            transition=doc.get("transition"),
        )

    def chart(self, doc: Mapping[str, Any], ptr: str) -> ChartDef | None:
        value = doc.get("value", "count()")
        match = _AGGREGATE.match(value)
        if not match:
            self.problem(f"{ptr}/value", f"invalid chart value {value!r}: use count() or "
                         "sum(FIELD), avg(FIELD), min(FIELD), max(FIELD), count(FIELD)")
            return None
        return ChartDef(
            title=doc["title"],
            type=doc["type"],
            group_by=doc.get("group_by"),
            aggregate=match.group(1),
            value_field=match.group(2) or None,
            where=self.expression(doc.get("where"), f"{ptr}/where"),
            name=doc.get("name"),
            source=doc.get("source", "records"),
            interval=doc.get("interval", "day"),
            date_field=doc.get("date_field", "created_at"),
        )
