"""Semantic checks: everything JSON Schema cannot say (names resolve, graphs are consistent)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from engine.errors import Problem
from engine.expressions import Expression
from engine.expressions.nodes import Call, Compare, Field, ListLit, Literal, Node, walk
from engine.fieldtypes import REGISTRY
from engine.fieldtypes.relations import fill_problem
from engine.i18n import N_

from .indexes import check_indexes
from .model import (
    ADMIN_ROLE,
    QUICK_FILTERS,
    SYSTEM_ATTRIBUTES,
    SYSTEM_OPS,
    SYSTEM_TYPES,
    VIEW_PARAMS,
    VIEW_PLACEHOLDERS,
    AppDef,
    CreateDef,
    FieldDef,
    FormDef,
    Recipient,
    TableCopyDef,
    ViewDef,
    WorkflowDef,
)
from .paths import PathError, resolve_path
from .prints import check_prints

RENAMED_FORM_EXISTS = N_("this form is marked as renamed from '%(old)s', but a form '%(old)s' exists again: "
                         "remove \"renamed_from\" (the rename is done) or give one of them another name")
RENAMED_FIELD_EXISTS = N_("this field is marked as renamed from '%(old)s', but a field '%(old)s' exists again: "
                          "remove \"renamed_from\" (the rename is done) or give one of them another name")
RENAMED_STAGE_EXISTS = N_("this stage is marked as renamed from '%(old)s', but a stage '%(old)s' exists again: "
                          "remove \"renamed_from\" (the rename is done) or give one of them another name")


class _FieldChecks:
    """What a field type's `check_definition` may ask (engine.fieldtypes.base.DefinitionChecks):
    problems go to the form's file, expressions are checked in the field's row, if any."""

    def __init__(self, checker: Checker, form: FormDef, row_of: FieldDef | None) -> None:
        self.checker, self.form, self.row_of = checker, form, row_of
        self.app = checker.app

    def problem(self, pointer: str, message: str, /, **params: object) -> None:
        self.checker.problem(self.form, pointer, message, **params)

    def role_exists(self, role: str) -> bool:
        return self.checker.role_exists(role)

    def check_expression(self, expr: Expression, pointer: str) -> None:
        self.checker.check_expression(self.form, expr, pointer, row_of=self.row_of)

    def check_fields(self, fields: tuple[FieldDef, ...], pointer: str, row_of: FieldDef) -> None:
        self.checker.check_fields(self.form, fields, pointer, row_of=row_of)

    def attribute(self, form: FormDef, name: str) -> tuple[str, FieldDef | None] | None:
        if name in SYSTEM_TYPES:
            return SYSTEM_TYPES[name], None
        field = form.field(name)
        return (field.value_kind, field) if field is not None else None

    def check_expression_on(self, form: FormDef, expr: Expression, pointer: str) -> None:
        """An expression over another form (a link's `where`), its problems in this form's file."""
        for path in sorted(expr.references()):
            try:
                resolve_path(self.app, form, path)
            except PathError as exc:
                self.problem(pointer, N_("invalid expression %(source)s: %(error)s"),
                             source=repr(expr.source), error=exc)
        self.checker.check_sql_expression(form, expr, pointer, owner=self.form)


class Checker:
    def __init__(self, app: AppDef) -> None:
        self.app = app
        self.problems: list[Problem] = []

    def problem(self, where: FormDef | str, pointer: str, message: str, /, **params: object) -> None:
        """`message` is an English catalogue msgid (marked with N_) with %(name)s params: the
        problem reads in English here and is translated where a person sees it (see
        engine.i18n.translate_problem)."""
        file = where if isinstance(where, str) else where.file
        self.problems.append(Problem(file, pointer, message % params if params else message))

    # -- entry point -------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.check_roles()
        for form in self.app.forms.values():
            if form.renamed_from and form.renamed_from in self.app.forms:
                self.problem(form, f"{form.pointer}/renamed_from", RENAMED_FORM_EXISTS, old=form.renamed_from)
            self.check_form(form)
        return self.problems

    def check_roles(self) -> None:
        """`renamed_from` names a role that is gone: not a current role, and not the old name of
        two different roles."""
        renamed: dict[str, str] = {}
        for module in self.app.modules:
            for i, role in enumerate(module.roles):
                old = role.renamed_from
                if old is None:
                    continue
                ptr = f"/roles/{i}/renamed_from"
                if self.role_exists(old):
                    self.problem(module.file, ptr, N_("'%(name)s' is still a role; a role can only be renamed from "
                                                      "a name that is no longer one"), name=old)
                elif renamed.setdefault(old, role.name) != role.name:
                    self.problem(module.file, ptr, N_("roles '%(name)s' and '%(other)s' are both renamed from "
                                                      "'%(old)s'; only one can be"),
                                 name=role.name, other=renamed[old], old=old)

    def check_form(self, form: FormDef) -> None:
        ptr = form.pointer
        self.check_fields(form, form.fields, f"{ptr}/fields", row_of=None)
        if form.title_field:
            title = form.field(form.title_field)
            if title is None:
                self.problem(form, f"{ptr}/title_field", N_("unknown field '%(name)s'"), name=form.title_field)
            elif not title.field_type.can_title:
                self.problem(form, f"{ptr}/title_field", N_("a %(type)s field cannot be the title"), type=title.type)
        if form.owner_field:
            owner = form.field(form.owner_field)
            if owner is None or not owner.field_type.holds_user:
                self.problem(form, f"{ptr}/owner_field", N_("'%(name)s' must be a user field of this form"),
                             name=form.owner_field)
        self.check_permissions(form)
        self.check_list(form)
        if form.workflow:
            self.check_workflow(form, form.workflow)
        self.check_reminders(form)
        self.check_update_linked(form)
        self.check_charts(form)
        check_prints(self, form)
        check_indexes(self, form)

    # -- fields ------------------------------------------------------------------

    def check_fields(self, form: FormDef, fields: Iterable[FieldDef], ptr: str, row_of: FieldDef | None) -> None:
        fields = tuple(fields)
        counts = Counter(f.name for f in fields)
        for i, field in enumerate(fields):
            fptr = f"{ptr}/{i}"
            if counts[field.name] > 1:
                self.problem(form, f"{fptr}/name", N_("duplicate field name '%(name)s'"), name=field.name)
            if field.renamed_from and field.renamed_from in counts:
                self.problem(form, f"{fptr}/renamed_from", RENAMED_FIELD_EXISTS, old=field.renamed_from)
            if field.name in SYSTEM_ATTRIBUTES:
                self.problem(form, f"{fptr}/name",
                             N_("'%(name)s' is a system attribute; reserved names: %(value)s"),
                             name=field.name, value=', '.join(SYSTEM_ATTRIBUTES))
            field.field_type.check_definition(field, _FieldChecks(self, form, row_of))
            if field.unique and row_of:
                self.problem(form, f"{fptr}/unique", N_("a column of a table cannot be unique"))
            elif field.unique and not field.field_type.can_be_unique:
                self.problem(form, f"{fptr}/unique", N_("a %(type)s field cannot be unique"), type=field.type)
            if field.visible_if is not None:
                self.check_expression(form, field.visible_if, f"{fptr}/visible_if", row_of=row_of)
        self.check_formula_cycles(form, fields, ptr, row_of)

    def check_formula_cycles(self, form: FormDef, fields: tuple[FieldDef, ...], ptr: str,
                             row_of: FieldDef | None) -> None:
        formulas = {f.name: f for f in fields if f.formula is not None}
        deps = {name: {p[0] for p in f.formula.references()} & formulas.keys()
                for name, f in formulas.items()}
        visiting: set[str] = set()
        done: set[str] = set()

        def visit(name: str) -> bool:
            if name in done:
                return False
            if name in visiting:
                return True
            visiting.add(name)
            cyclic = any(visit(d) for d in deps[name])
            visiting.discard(name)
            done.add(name)
            return cyclic

        for i, field in enumerate(fields):
            if field.name in formulas and field.name not in done and visit(field.name):
                self.problem(form, f"{ptr}/{i}/formula", N_("formula '%(name)s' depends on itself"), name=field.name)
                return

    # -- expressions -------------------------------------------------------------

    def check_expression(self, form: FormDef, expr: Expression, ptr: str, row_of: FieldDef | None = None) -> None:
        for path in sorted(expr.references()):
            try:
                resolve_path(self.app, form, path, row_of=row_of)
            except PathError as exc:
                self.problem(form, ptr, N_("invalid expression %(source)s: %(error)s"),
                             source=repr(expr.source), error=exc)
        self.check_list_use(form, expr, ptr, row_of)
        if row_of is None and form.workflow is not None:
            self.check_stage_names(form, expr, ptr)

    def check_stage_names(self, form: FormDef, expr: Expression, ptr: str) -> None:
        """`stage == 'x'`, `stage in ['x', 'y']`: every x must be a stage of the form (a comparison
        with a stage that does not exist is never true, e.g. after a rename)."""
        assert form.workflow is not None
        names = set(form.workflow.stage_names)

        def texts(node: Node) -> list[str]:
            if isinstance(node, Literal) and isinstance(node.value, str):
                return [node.value]
            if isinstance(node, ListLit):
                return [v for item in node.items for v in texts(item) if isinstance(item, Literal)]
            return []

        unknown: list[str] = []
        for node in walk(expr.root):
            if not isinstance(node, Compare) or node.op not in ("==", "!=", "in", "not in"):
                continue
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(side, Field) and side.path == ("stage",):
                    unknown += [v for v in texts(other) if v not in names and v not in unknown]
        for value in unknown:
            self.problem(form, ptr, N_("invalid expression %(source)s: '%(name)s' is not a stage of this form"),
                         source=repr(expr.source), name=value)

    def check_list_use(self, form: FormDef, expr: Expression, ptr: str,
                       row_of: FieldDef | None) -> None:
        """A list (table column, multiselect) only fits in sum/len/min/max or right of `in`;
        anywhere else every evaluation fails, so it is a config error."""
        nodes = walk(expr.root)
        aggregates = ("sum", "len", "min", "max")
        list_slots = {id(n.args[0]) for n in nodes
                      if isinstance(n, Call) and n.name in aggregates and len(n.args) == 1}
        list_slots |= {id(n.right) for n in nodes
                       if isinstance(n, Compare) and n.op in ("in", "not in")}
        sum_args = {id(n.args[0]) for n in nodes if isinstance(n, Call) and n.name == "sum"}
        for node in nodes:
            if not isinstance(node, Field):
                continue
            try:
                resolved = resolve_path(self.app, form, node.path, row_of=row_of)
            except PathError:
                continue  # reported above
            name = ".".join(node.path)
            is_list = resolved.is_list
            if is_list and id(node) not in list_slots:
                self.problem(form, ptr, N_("invalid expression %(source)s: '%(name)s' is a list; use it inside "
                                           "sum(), len(), min() or max(), or after 'in'"),
                             source=repr(expr.source), name=name)
            elif not is_list and id(node) in sum_args:
                self.problem(form, ptr, N_("invalid expression %(source)s: sum() needs a list such as a table "
                                           "column (items.subtotal); '%(name)s' is a single value"),
                             source=repr(expr.source), name=name)

    # -- permissions and list ----------------------------------------------------

    def role_exists(self, role: str) -> bool:
        return role == ADMIN_ROLE or role in self.app.roles

    def check_permissions(self, form: FormDef) -> None:
        for role, perm in form.permissions.items():
            ptr = f"{form.pointer}/permissions/{role}"
            if not self.role_exists(role):
                self.problem(form, ptr, N_("unknown role '%(name)s'; declare it in the module's roles"), name=role)
            for action in ("read", "update", "delete"):
                rule = perm.rule(action)
                if rule.where is not None:
                    self.check_expression(form, rule.where, f"{ptr}/{action}/where")
                    self.check_sql_expression(form, rule.where, f"{ptr}/{action}/where")
            for name in sorted(perm.hide):
                if not self.field_path_exists(form, name):
                    self.problem(form, f"{ptr}/hide", N_("unknown field '%(name)s'"), name=name)
                elif name == form.title_field:
                    self.problem(form, f"{ptr}/hide", N_("the title field '%(name)s' cannot be hidden"), name=name)
            for name in sorted(perm.readonly):
                if not self.field_path_exists(form, name):
                    self.problem(form, f"{ptr}/readonly", N_("unknown field '%(name)s'"), name=name)
                elif name in perm.hide:
                    self.problem(form, f"{ptr}/readonly", N_("'%(name)s' is hidden from this role; "
                                                             "it cannot also be read-only"), name=name)

    @staticmethod
    def field_path_exists(form: FormDef, name: str) -> bool:
        """`name` is a field of the form, or `table.column` a column of one of its tables."""
        head, _, column = name.partition(".")
        table = form.field(head)
        return table is not None and (not column or (table.is_table and table.subfield(column) is not None))

    def check_sql_expression(self, form: FormDef, expr: Expression, ptr: str, owner: FormDef | None = None) -> None:
        """Row-selecting expressions run as SQL: every path must map to a column
        (a whole table only as len(items), which counts its rows). Problems go to `owner`'s
        file when the expression is written there (a link's `where` over its linked form)."""
        nodes = walk(expr.root)
        len_args = {id(n.args[0]) for n in nodes if isinstance(n, Call) and n.name == "len"}
        for node in nodes:
            if not isinstance(node, Field):
                continue
            try:
                resolved = resolve_path(self.app, form, node.path)
            except PathError:
                continue  # reported by check_expression
            whole_table = resolved.field is not None and resolved.field.is_table
            if not REGISTRY[resolved.type].in_conditions or (whole_table and id(node) not in len_args):
                self.problem(owner or form, ptr,
                             N_("'%(value)s' cannot be used in a row condition"), value='.'.join(node.path))

    def check_list(self, form: FormDef) -> None:
        ptr = f"{form.pointer}/list"
        known = set(form.field_names) | set(SYSTEM_ATTRIBUTES)
        for key in ("columns", "filters", "search"):
            for i, name in enumerate(getattr(form.list, key)):
                if name not in known:
                    self.problem(form, f"{ptr}/{key}/{i}", N_("unknown field '%(name)s'"), name=name)
                elif key != "columns" and (f := form.field(name)) is not None and not f.field_type.filterable:
                    self.problem(form, f"{ptr}/{key}/{i}", N_("a %(type)s field cannot be used in %(key)s"),
                                 type=f.type, key=key)
        order = form.list.order_by.lstrip("-")
        if order not in known:
            self.problem(form, f"{ptr}/order_by", N_("unknown field '%(name)s'"), name=order)
        for i, name in enumerate(form.summary or ()):
            if name not in known:
                self.problem(form, f"{form.pointer}/summary/{i}", N_("unknown field '%(name)s'"), name=name)
            elif (f := form.field(name)) is not None and f.is_table:
                self.problem(form, f"{form.pointer}/summary/{i}", N_("a %(type)s field cannot be used in %(key)s"),
                             type=f.type, key="summary")
        names = [v.name for v in form.list.views]
        for i, view in enumerate(form.list.views):
            if names.index(view.name) != i:
                self.problem(form, f"{ptr}/views/{i}/name", N_("duplicate view '%(name)s'"), name=view.name)
            self.check_view(form, view, f"{ptr}/views/{i}", known)

    def check_view(self, form: FormDef, view: ViewDef, ptr: str, known: set[str]) -> None:
        """A shared view's parameters as the list API would read them (values other than the
        placeholders are read when the view is used)."""
        for param, value in view.filters:
            where = f"{ptr}/filters/{param}"
            if value.startswith("$") and value not in VIEW_PLACEHOLDERS:
                self.problem(form, where, N_("unknown placeholder '%(value)s' (use %(known)s)"), value=value,
                             known=", ".join(VIEW_PLACEHOLDERS))
            if param == "stage":
                if form.workflow is None or value not in form.workflow.stage_names:
                    self.problem(form, where, N_("unknown stage '%(name)s'"), name=value)
            elif param == "quick":
                for part in [p.strip() for p in value.split(",")]:
                    if part not in QUICK_FILTERS or (part == "overdue" and form.workflow is None):
                        self.problem(form, where, N_("unknown quick filter '%(name)s' (use %(known)s)"), name=part,
                                     known=", ".join(QUICK_FILTERS))
            elif param not in VIEW_PARAMS:
                self.check_view_filter(form, param, where)
        for j, name in enumerate(view.columns):
            if name not in known:
                self.problem(form, f"{ptr}/columns/{j}", N_("unknown field '%(name)s'"), name=name)
        for part in [p.strip().lstrip("-") for p in view.order_by.split(",") if p.strip()]:
            field = form.field(part)
            if part not in SYSTEM_ATTRIBUTES and (field is None or not field.field_type.sortable or field.is_table):
                self.problem(form, f"{ptr}/order_by", N_("cannot order by '%(name)s'"), name=part)
        for j, role in enumerate(view.roles):
            if not self.role_exists(role):
                self.problem(form, f"{ptr}/roles/{j}", N_("unknown role '%(name)s'"), name=role)

    def check_view_filter(self, form: FormDef, param: str, where: str) -> None:
        name, _sep, op = param.partition("__")
        if name in SYSTEM_ATTRIBUTES:
            ops: tuple[str, ...] = SYSTEM_OPS[name]
        elif (field := form.field(name)) is not None and field.field_type.filterable:
            ops = field.field_type.query_ops(field)
        else:
            self.problem(form, where, N_("unknown or unusable field '%(name)s' in parameter '%(param)s'"), name=name,
                         param=param)
            return
        if op not in ops:
            self.problem(form, where, N_("parameter '%(param)s': '%(name)s' does not take this operator"), param=param,
                         name=name)

    # -- workflow ----------------------------------------------------------------

    def check_workflow(self, form: FormDef, wf: WorkflowDef) -> None:
        ptr = f"{form.pointer}/workflow"
        names = wf.stage_names
        for name, n in Counter(names).items():
            if n > 1:
                self.problem(form, f"{ptr}/stages/{names.index(name)}/name", N_("duplicate stage '%(name)s'"),
                             name=name)
        finals = {s.name for s in wf.stages if s.final}
        for i, stage in enumerate(wf.stages):
            if stage.renamed_from and stage.renamed_from in names:
                self.problem(form, f"{ptr}/stages/{i}/renamed_from", RENAMED_STAGE_EXISTS, old=stage.renamed_from)
        if wf.initial not in names:
            self.problem(form, f"{ptr}/initial", N_("unknown stage '%(name)s'"), name=wf.initial)
        elif wf.initial in finals:
            self.problem(form, f"{ptr}/initial", N_("the initial stage '%(initial)s' cannot be final"),
                         initial=wf.initial)
        for i, stage in enumerate(wf.stages):
            sptr = f"{ptr}/stages/{i}"
            for name in sorted(stage.editable - {"*"}):
                if form.field(name) is None:
                    self.problem(form, f"{sptr}/editable", N_("unknown field '%(name)s'"), name=name)
            if stage.remind_before and not stage.due:
                self.problem(form, f"{sptr}/remind_before", N_("remind_before needs due"))
            if stage.remind_before and stage.due and stage.remind_before >= stage.due:
                self.problem(form, f"{sptr}/remind_before", N_("remind_before must be shorter than due"))
            if stage.final and stage.approval:
                self.problem(form, f"{sptr}/approval", N_("a final stage cannot have an approval"))
            if stage.escalate:
                self.check_recipients(form, stage.escalate.notify, f"{sptr}/escalate/notify")
                if stage.escalate.transition and wf.transition(stage.escalate.transition) is None:
                    self.problem(form, f"{sptr}/escalate/transition",
                                 N_("unknown transition '%(name)s'"), name=stage.escalate.transition)
                if stage.escalate.action and not stage.approval:
                    self.problem(form, f"{sptr}/escalate/action", N_("escalate.action needs an approval stage"))
                if not stage.due:
                    self.problem(form, f"{sptr}/escalate", N_("escalate needs due"))
            if stage.approval:
                ap = stage.approval
                for key in ("approved", "rejected"):
                    if getattr(ap, key) not in names:
                        self.problem(form, f"{sptr}/approval/{key}", N_("unknown stage '%(name)s'"),
                                     name=getattr(ap, key))
                step_names = [s.name for s in ap.steps]
                for j, step in enumerate(ap.steps):
                    jptr = f"{sptr}/approval/steps/{j}"
                    if step_names.count(step.name) > 1:
                        self.problem(form, f"{jptr}/name", N_("duplicate step '%(name)s'"), name=step.name)
                    if not step.approvers:
                        self.problem(form, f"{jptr}/approvers", N_("a step needs at least one approver"))
                    self.check_recipients(form, step.approvers, f"{jptr}/approvers")
                    self.check_recipients(form, step.cc, f"{jptr}/cc")
                    if step.when is not None:
                        self.check_expression(form, step.when, f"{jptr}/when")
                    for k, name in enumerate(step.require):
                        field = form.field(name)
                        if field is None:
                            self.problem(form, f"{jptr}/require/{k}", N_("unknown field '%(name)s'"), name=name)
                        elif field.computed:
                            self.problem(form, f"{jptr}/require/{k}", N_("a %(type)s field cannot be set"),
                                         type=field.type)
        tnames = [t.name for t in wf.transitions]
        for i, tr in enumerate(wf.transitions):
            tptr = f"{ptr}/transitions/{i}"
            if tnames.count(tr.name) > 1:
                self.problem(form, f"{tptr}/name", N_("duplicate transition '%(name)s'"), name=tr.name)
            for source in tr.sources:
                if source == "*":
                    continue
                if source not in names:
                    self.problem(form, f"{tptr}/from", N_("unknown stage '%(name)s'"), name=source)
                elif source in finals:
                    self.problem(form, f"{tptr}/from", N_("'%(source)s' is a final stage: no transition may leave it"),
                                 source=source)
            if tr.to not in names:
                self.problem(form, f"{tptr}/to", N_("unknown stage '%(name)s'"), name=tr.to)
            for role in tr.roles:
                if role != "$owner" and not self.role_exists(role):
                    self.problem(form, f"{tptr}/roles", N_("unknown role '%(name)s'"), name=role)
            if tr.condition is not None:
                self.check_expression(form, tr.condition, f"{tptr}/condition")
            for j, name in enumerate(tr.require):
                if form.field(name) is None:
                    self.problem(form, f"{tptr}/require/{j}", N_("unknown field '%(name)s'"), name=name)
            self.check_assignments(form, form, tr.set, f"{tptr}/set")
            if tr.create:
                target = self.app.form(tr.create.form)
                if target is None:
                    self.problem(form, f"{tptr}/create/form", N_("unknown form '%(name)s'"), name=tr.create.form)
                else:
                    self.check_create(form, target, tr.create, f"{tptr}/create/set")

    def check_assignments(self, source: FormDef, target: FormDef, assignments, ptr: str) -> None:
        for name, expr in assignments.items():
            field = target.field(name)
            if field is None:
                self.problem(source, f"{ptr}/{name}", N_("form '%(form)s' has no field '%(name)s'"),
                             form=target.name, name=name)
            elif field.computed or not field.field_type.settable:
                self.problem(source, f"{ptr}/{name}", N_("a %(type)s field cannot be set"), type=field.type)
            self.check_expression(source, expr, f"{ptr}/{name}")

    def check_create(self, source: FormDef, target: FormDef, create: CreateDef, ptr: str) -> None:
        """A transition's `create.set`: plain assignments, and the tables a target table field
        copies (by name, `"items"`, or `{"from": ..., "set": ...}`)."""
        plain = {}
        for name, expr in create.set.items():
            field = target.field(name)
            if field is not None and field.is_table:
                self.check_table_copy(source, field, create.table_copy(name, field), f"{ptr}/{name}")
            else:
                plain[name] = expr
        self.check_assignments(source, target, plain, ptr)
        for name, copy in create.tables.items():
            field = target.field(name)
            if field is None:
                self.problem(source, f"{ptr}/{name}", N_("form '%(form)s' has no field '%(name)s'"),
                             form=target.name, name=name)
            elif not field.is_table:
                self.problem(source, f"{ptr}/{name}", N_("'%(name)s' is not a table field; only a table takes "
                                                         "rows from another table"), name=name)
            else:
                self.check_table_copy(source, field, copy, f"{ptr}/{name}/from")
                if (table := self.copied_table(source, copy)) is not None:
                    self.check_row_assignments(source, table, field, copy, f"{ptr}/{name}/set")

    def copied_table(self, source: FormDef, copy: TableCopyDef | None) -> FieldDef | None:
        """The table field a copy reads (`items` of `source`, or `link.items` of a linked form)."""
        path = copy.source if copy is not None else ()
        if len(path) == 1:
            table = source.field(path[0])
        elif len(path) == 2 and (link := source.field(path[0])) is not None and link.field_type.links:
            linked = self.app.form(link.form or "")
            table = linked.field(path[1]) if linked is not None else None
        else:
            return None
        return table if table is not None and table.is_table else None

    def check_table_copy(self, source: FormDef, target: FieldDef, copy: TableCopyDef | None, ptr: str) -> None:
        table = self.copied_table(source, copy)
        if table is None:
            self.problem(source, ptr, N_("table '%(name)s' takes the rows of a table: name a table of this "
                                         "record ('items') or of a linked record ('link.items')"), name=target.name)
            return
        assigned = copy.set if copy is not None else {}
        for column in target.fields:
            found = table.subfield(column.name)
            if found is None or column.computed or not column.field_type.settable or column.name in assigned:
                continue
            if not _compatible(column, found):
                self.problem(source, ptr, N_("column '%(name)s' is %(type)s in '%(table)s' but %(target_type)s in "
                                             "'%(target)s'; map it with {\"from\": ..., \"set\": {...}}"),
                             name=column.name, type=found.value_kind, table=".".join(copy.source if copy else ()),
                             target_type=column.type, target=target.name)

    def check_row_assignments(self, source: FormDef, table: FieldDef, target: FieldDef, copy: TableCopyDef,
                              ptr: str) -> None:
        for name, expr in copy.set.items():
            column = target.subfield(name)
            if column is None:
                self.problem(source, f"{ptr}/{name}", N_("table '%(table)s' has no column '%(name)s'"),
                             table=target.name, name=name)
                continue
            if column.computed or not column.field_type.settable:
                self.problem(source, f"{ptr}/{name}", N_("a %(type)s field cannot be set"), type=column.type)
            self.check_expression(source, expr, f"{ptr}/{name}", row_of=table)
            named = table.subfield(path[0]) if (path := expr.bare_path()) and len(path) == 1 else None
            if named is not None and not _compatible(column, named):
                self.problem(source, f"{ptr}/{name}", N_("column '%(name)s' is %(target_type)s but '%(source)s' "
                                                         "is %(type)s"),
                             name=name, target_type=column.type, source=named.name, type=named.value_kind)

    def check_recipients(self, form: FormDef, recipients: Iterable[Recipient], ptr: str) -> None:
        for i, rec in enumerate(recipients):
            if rec.kind == "role" and not self.role_exists(rec.value):
                self.problem(form, f"{ptr}/{i}/role", N_("unknown role '%(name)s'"), name=rec.value)
            elif rec.kind in ("field", "manager_of"):
                if rec.value in ("created_by",):
                    continue
                field = form.field(rec.value)
                if field is None or not field.field_type.holds_user:
                    self.problem(form, f"{ptr}/{i}/{rec.kind}", N_("'%(name)s' must be a user field of this form"),
                                 name=rec.value)

    def check_update_linked(self, form: FormDef) -> None:
        for i, spec in enumerate(form.update_linked):
            uptr = f"{form.pointer}/update_linked/{i}"
            link = form.field(spec.link)
            if link is None or not link.field_type.links:
                self.problem(form, f"{uptr}/link", N_("'%(link)s' must be a link field of this form"), link=spec.link)
                continue
            target = self.app.form(link.form or "")
            if target is not None:
                self.check_assignments(form, target, spec.set, f"{uptr}/set")
            if target is not None and spec.transition is not None and (
                    target.workflow is None or target.workflow.transition(spec.transition) is None):
                self.problem(form, f"{uptr}/transition", N_("form '%(form)s' has no transition '%(name)s'"),
                             form=target.name, name=spec.transition)
            if not spec.set and spec.transition is None:
                self.problem(form, uptr, N_("a linked update needs set, transition or both"))
            if spec.when is not None:
                self.check_expression(form, spec.when, f"{uptr}/when")

    # -- reminders and charts ----------------------------------------------------

    def check_approval_chart(self, form: FormDef, chart, cptr: str) -> None:
        if form.workflow is None or not any(s.approval for s in form.workflow.stages):
            self.problem(form, f"{cptr}/source", N_("source 'approvals' needs a workflow with an approval stage"))
        if chart.aggregate not in ("count", "avg", "min", "max") or (
                chart.aggregate != "count" and chart.value_field != "hours"):
            self.problem(form, f"{cptr}/value",
                N_("with source 'approvals' use count(), avg(hours), min(hours) or max(hours)"),
                )
        if chart.group_by not in (None, "stage"):
            self.problem(form, f"{cptr}/group_by", N_("with source 'approvals' group_by may only be 'stage'"))
        if chart.where is not None:
            self.check_expression(form, chart.where, f"{cptr}/where")
            self.check_sql_expression(form, chart.where, f"{cptr}/where")

    def check_reminders(self, form: FormDef) -> None:
        names = [r.name for r in form.reminders]
        for i, rem in enumerate(form.reminders):
            rptr = f"{form.pointer}/reminders/{i}"
            if names.count(rem.name) > 1:
                self.problem(form, f"{rptr}/name", N_("duplicate reminder '%(name)s'"), name=rem.name)
            field = form.field(rem.date_field)
            system_date = rem.date_field in ("created_at", "updated_at", "due_at")
            if not system_date and (field is None or not field.field_type.temporal):
                self.problem(form, f"{rptr}/date_field", N_("'%(date_field)s' must be a date or datetime field"),
                             date_field=rem.date_field)
            self.check_recipients(form, rem.notify, f"{rptr}/notify")
            if rem.when is not None:
                self.check_expression(form, rem.when, f"{rptr}/when")
                self.check_sql_expression(form, rem.when, f"{rptr}/when")
            if rem.transition and (form.workflow is None or form.workflow.transition(rem.transition) is None):
                self.problem(form, f"{rptr}/transition", N_("unknown transition '%(name)s'"), name=rem.transition)
            if not rem.notify and not rem.transition:
                self.problem(form, rptr, N_("a reminder needs notify, transition or both"))
            for name in re.findall(r"\{([a-z][a-z0-9_]*)\}", rem.message or ""):
                if form.field(name) is None and name not in SYSTEM_ATTRIBUTES:
                    self.problem(form, f"{rptr}/message", N_("unknown field '{%(name)s}' in message"), name=name)

    def check_charts(self, form: FormDef) -> None:
        for i, chart in enumerate(form.charts):
            cptr = f"{form.pointer}/charts/{i}"
            if chart.source == "approvals":
                self.check_approval_chart(form, chart, cptr)
                continue
            if chart.group_by and chart.group_by != "stage":
                field = form.field(chart.group_by)
                if field is None and chart.group_by not in SYSTEM_ATTRIBUTES:
                    self.problem(form, f"{cptr}/group_by", N_("unknown field '%(name)s'"), name=chart.group_by)
                elif field is not None and not field.field_type.groupable:
                    self.problem(form, f"{cptr}/group_by", N_("cannot group by a %(type)s field"), type=field.type)
            if chart.interval != "day":
                grouped = form.field(chart.group_by or "")
                if chart.group_by not in ("created_at", "updated_at") and (
                        grouped is None or not REGISTRY[grouped.value_kind].temporal):
                    self.problem(form, f"{cptr}/interval", N_("an interval needs a date or datetime group_by"))
            if chart.group_by == "stage" and form.workflow is None:
                self.problem(form, f"{cptr}/group_by", N_("group_by 'stage' needs a workflow"))
            if chart.date_field not in ("created_at", "updated_at", "due_at"):
                dated = form.field(chart.date_field)
                if dated is None or dated.is_table or not REGISTRY[dated.value_kind].temporal:
                    self.problem(form, f"{cptr}/date_field", N_("date_field must be a date or datetime field"))
            if chart.value_field:
                field = form.field(chart.value_field)
                if field is None:
                    self.problem(form, f"{cptr}/value", N_("unknown field '%(name)s'"), name=chart.value_field)
                elif chart.aggregate != "count" and chart.aggregate not in REGISTRY[field.value_kind].aggregates:
                    self.problem(form, f"{cptr}/value",
                        N_("%(aggregate)s() needs a number (or, for avg, a yes/no) field"),
                        aggregate=chart.aggregate)
            elif chart.aggregate != "count":
                self.problem(form, f"{cptr}/value", N_("%(aggregate)s() needs a field"), aggregate=chart.aggregate)
            if chart.where is not None:
                self.check_expression(form, chart.where, f"{cptr}/where")
                self.check_sql_expression(form, chart.where, f"{cptr}/where")


#: Value kinds a column of another kind can be copied into (an integer fits a decimal column;
#: any of these reads as text).
def _compatible(target: FieldDef, source: FieldDef) -> bool:
    """Whether `source`'s values can be copied into column `target` as they are: the one type
    rule of copies, the same as a link's `fill` (engine.fieldtypes.relations.fill_problem)."""
    return fill_problem(target, source.value_kind, source) is None


def check_app(app: AppDef) -> list[Problem]:
    return Checker(app).run()
