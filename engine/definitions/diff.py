"""What changed between two definition sets, as people read it.

`summarize(old, new)` compares by name (a form, field, stage, step or reminder keeps its
name; `renamed_from` marks a rename) and says each change with the labels and titles
people see: `表单：新增字段 备注（文本）`. A Change carries an English catalogue msgid
and its params, so it is rendered in the reader's language when shown (`Change.text()`).
`text_diff(old_texts, new_texts)` is the unified diff of the files, for those who read JSON.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from engine.expressions import Expression
from engine.fieldtypes import REGISTRY
from engine.i18n import N_, LocalStr, LocalText, _

from .model import (
    NO_ROWS,
    AppDef,
    ChartDef,
    CreateDef,
    FieldDef,
    FormDef,
    PermissionDef,
    PrintDef,
    Recipient,
    ReminderDef,
    RowRule,
    StageDef,
    StepDef,
    TransitionDef,
    WorkflowDef,
)
from .prints import layout_shape


@dataclass(frozen=True)
class Term:
    """A param that is itself a catalogue message (a type's label, "yes", "(none)" ...)."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        return _(self.msgid, **{k: render(v) for k, v in self.params.items()})


@dataclass(frozen=True)
class Change:
    """One readable change: `msgid % params` in the reader's language. `kind` is "added",
    "removed", "renamed" or "changed"; `form` names the form it concerns ("" for modules
    and roles)."""

    msgid: str
    params: Mapping[str, Any]
    kind: str = "changed"
    form: str = ""

    def text(self) -> str:
        params = dict(self.params)
        old, new = params.get("old"), params.get("new")
        if isinstance(old, LocalStr) and isinstance(new, LocalStr) and old.local.text() == new.local.text():
            # a text changed in another language only: say both languages of each side
            params["old"], params["new"] = " / ".join(old.local.variants()), " / ".join(new.local.variants())
        return _(self.msgid, **{k: render(v) for k, v in params.items()})

    def __str__(self) -> str:
        return self.text()


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?")

NONE = Term(N_("(none)"))
YES = Term(N_("yes"))
NO = Term(N_("no"))
EVERYONE = Term(N_("everyone"))
ANY_STAGE = Term(N_("any stage"))


def render(value: Any) -> str:
    """A param as text in the reader's language."""
    if isinstance(value, Term):
        return value.text()
    if isinstance(value, LocalStr):  # a definition's text: in the reader's language
        return value.local.text()
    if isinstance(value, bool):
        return (YES if value else NO).text()
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return NONE.text()
    if isinstance(value, list | tuple):
        return _(", ").join(render(v) for v in value)
    if isinstance(value, Expression):
        return value.source
    if isinstance(value, timedelta):
        return duration_term(value).text()
    if isinstance(value, float | int | str):
        return str(value)
    return short_json(value)


def _prefixed(prefix: str, text: str) -> str:
    """`prefix` (a table's label and ›) before a field's label, keeping the label's languages."""
    if not prefix:
        return text
    if not isinstance(text, LocalStr):
        return prefix + text
    return LocalStr(LocalText({k: prefix + t for k, t in text.local.texts.items()}))


def short_json(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def duration_term(value: timedelta) -> Term:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    for size, msgid in ((604800, N_("%(n)s weeks")), (86400, N_("%(n)s days")), (3600, N_("%(n)s hours"))):
        if seconds and seconds % size == 0:
            return Term(msgid, {"n": f"{sign}{seconds // size}"})
    return Term(N_("%(n)s minutes"), {"n": f"{sign}{seconds // 60}"})


def type_term(name: str) -> Any:
    kind = REGISTRY.get(name)
    return Term(kind.label) if kind is not None else name


#: Field keys and settings with a name people read; others are shown by their key.
SETTING_LABELS = {
    "help": N_("help text"),
    "placeholder": N_("placeholder"),
    "readonly": N_("read-only"),
    "index": N_("indexed"),
    "warn_duplicates": N_("warn of duplicates"),
    "max_length": N_("maximum length"),
    "min_length": N_("minimum length"),
    "precision": N_("decimal places"),
    "min": N_("minimum"),
    "max": N_("maximum"),
    "form": N_("linked form"),
    "role": N_("role of the users offered"),
    "rows": N_("rows"),
    "min_rows": N_("minimum rows"),
    "max_rows": N_("maximum rows"),
    "pattern": N_("pattern"),
    "accept": N_("accepted files"),
    "result": N_("result type"),
    "scale": N_("scale"),
    "multiple": N_("several values"),
    "value": N_("value"),
    "link": N_("link"),
    "where": N_("condition"),
}


FILL_MODES = {"snapshot": N_("copied once"), "sync": N_("copies follow the linked record")}
LINK_PAIRS = {
    "fill": {"added": N_("%(form)s: field %(field)s: added copy %(ours)s ← %(theirs)s"),
             "removed": N_("%(form)s: field %(field)s: removed copy %(ours)s ← %(theirs)s"),
             "changed": N_("%(form)s: field %(field)s: copy %(ours)s ← %(old)s → %(new)s")},
    "filter": {"added": N_("%(form)s: field %(field)s: added choose only %(theirs)s = %(ours)s"),
               "removed": N_("%(form)s: field %(field)s: removed choose only %(theirs)s = %(ours)s"),
               "changed": N_("%(form)s: field %(field)s: choose only %(old)s → %(new)s = %(ours)s")},
}


def setting_term(key: str) -> Any:
    return Term(SETTING_LABELS[key]) if key in SETTING_LABELS else key


ACTIONS = {"read": N_("read"), "update": N_("edit"), "delete": N_("delete")}
MODES = {"any": N_("any one approver (或签)"), "all": N_("every approver (会签)")}


def _plain(value: Any) -> Any:
    """A setting's value as a comparable, showable plain value."""
    if isinstance(value, Expression):
        return value.source
    if isinstance(value, FieldDef):
        return value.name
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, frozenset | set) else items
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def _shown(value: Any) -> Any:
    """A plain value as a param: lists stay lists, mappings and the rest compact JSON."""
    if value is None or isinstance(value, bool | int | float | str | timedelta | Term):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return value
    return short_json(value)


class Differ:
    def __init__(self, old: AppDef | None, new: AppDef) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        #: old name → new name of the fields and stages renamed (`renamed_from`) in the form being
        #: compared: a list column or transition that only follows a rename is no change.
        self.field_renames: dict[str, str] = {}
        self.stage_renames: dict[str, str] = {}
        #: old name → new name of the roles renamed (`renamed_from`): permissions, transitions and
        #: recipients that only follow the rename are no change.
        old_roles = old.roles if old else {}
        self.role_renames = {o: n for o, n in new.role_renames.items()
                             if o in old_roles and o not in new.roles and n not in old_roles}

    def fields_as_new(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.field_renames.get(n, n) for n in names)

    def stages_as_new(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.stage_renames.get(n, n) for n in names)

    def roles_as_new(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.role_renames.get(n, n) for n in names)

    def recipients_as_new(self, items: Iterable[Recipient]) -> tuple[Recipient, ...]:
        return tuple(Recipient(r.kind, self.role_renames.get(r.value, r.value)) if r.kind == "role" else r
                     for r in items)

    def add(self, msgid: str, kind: str = "changed", scope: str = "", **params: Any) -> None:
        self.changes.append(Change(msgid, params, kind, scope))

    # -- names as people see them ---------------------------------------------------

    def role_title(self, name: str) -> str:
        role = self.new.roles.get(name) or (self.old.roles.get(name) if self.old else None)
        return role.title if role else name

    def form_title(self, name: str) -> str:
        form = self.new.form(name) or (self.old.form(name) if self.old else None)
        return form.title if form else name

    @staticmethod
    def field_label(form: FormDef, name: str) -> str:
        fdef = form.field(name)
        return fdef.label if fdef else name

    def labels(self, form: FormDef, names: Iterable[str]) -> list[str]:
        return [self.field_label(form, n) for n in names]

    def path_label(self, form: FormDef, path: str) -> str:
        """`total` → 合计, `items.qty` → 明细.数量, `owner.grade` → 负责人.等级 (names it does not
        know stay as they are: keywords, functions, `stage`)."""
        first, _dot, rest = path.partition(".")
        fdef = form.field(first)
        if fdef is None:
            return path
        if not rest:
            return fdef.label
        sub = fdef.subfield(rest)
        if sub is None and fdef.settings.get("form"):
            target = self.new.form(str(fdef.settings["form"]))
            sub = target.field(rest) if target is not None else None
        return f"{fdef.label}.{sub.label if sub is not None else rest}"

    def readable(self, form: FormDef, expr: Expression | None) -> str | None:
        """An expression with the form's field names replaced by their labels, as the condition builder
        shows it (`total >= 100000` → `应收金额 >= 100000`); texts in quotes stay as they are."""
        if expr is None:
            return None
        source, out, i = expr.source, [], 0
        while i < len(source):
            ch = source[i]
            if ch in "'\"":
                j = i + 1
                while j < len(source) and source[j] != ch:
                    j += 2 if source[j] == "\\" else 1
                out.append(source[i:j + 1])
                i = j + 1
                continue
            m = _NAME.match(source, i)
            if m and not (i and (source[i - 1].isalnum() or source[i - 1] in "_$.")):
                out.append(self.path_label(form, m.group()))
                i = m.end()
                continue
            out.append(ch)
            i += 1
        return "".join(out)

    def reminder_title(self, form: FormDef, reminder: ReminderDef) -> Term:
        """A reminder as people set it (交期前 1 天), not its internal name."""
        label = self.field_label(form, reminder.date_field)
        seconds = int(reminder.offset.total_seconds())
        if seconds == 0:
            return Term(N_("on %(field)s"), {"field": label})
        msgid = N_("%(offset)s before %(field)s") if seconds < 0 else N_("%(offset)s after %(field)s")
        return Term(msgid, {"field": label, "offset": duration_term(abs(reminder.offset))})

    def recipient(self, form: FormDef, who: Recipient) -> Any:
        if who.kind == "role":
            return self.role_title(who.value)
        if who.kind == "field":
            return self.field_label(form, who.value)
        if who.kind == "manager_of":
            return Term(N_("manager of %(field)s"), {"field": self.field_label(form, who.value)})
        return who.value

    def recipients(self, form: FormDef, items: Iterable[Recipient]) -> list[Any]:
        return [self.recipient(form, r) for r in items]

    @staticmethod
    def stage_title(wf: WorkflowDef | None, name: str) -> str:
        stage = wf.stage(name) if wf else None
        return stage.title if stage else name

    # -- the whole set ----------------------------------------------------------------

    def run(self) -> list[Change]:
        old_modules = {m.name: m for m in self.old.modules} if self.old else {}
        for module in self.new.modules:
            before = old_modules.get(module.name)
            if before is None:
                if self.old is not None:
                    self.add(N_("added module %(module)s"), "added", module=module.title)
            elif before.title != module.title:
                self.add(N_("module %(old)s is now called %(new)s"), old=before.title, new=module.title)
        new_modules = {m.name for m in self.new.modules}
        for name, module in old_modules.items():
            if name not in new_modules:
                self.add(N_("removed module %(module)s"), "removed", module=module.title)
        self.diff_roles()
        self.diff_forms()
        return self.changes

    def diff_roles(self) -> None:
        old_roles = dict(self.old.roles) if self.old else {}
        renamed = {new: old for old, new in self.role_renames.items()}
        for name, role in self.new.roles.items():
            before = old_roles.get(name)
            if before is None and name in renamed:
                before = old_roles[renamed[name]]
                self.add(N_("renamed role %(old)s → %(new)s"), "renamed",
                         old=f"{before.title} ({before.name})", new=f"{role.title} ({role.name})")
                continue
            if before is None:
                self.add(N_("added role %(role)s"), "added", role=role.title)
            elif before.title != role.title:
                self.add(N_("role %(old)s is now called %(new)s"), old=before.title, new=role.title)
        for name, role in old_roles.items():
            if name not in self.new.roles and name not in self.role_renames:
                self.add(N_("removed role %(role)s"), "removed", role=role.title)

    def diff_forms(self) -> None:
        old_forms = dict(self.old.forms) if self.old else {}
        matched: set[str] = set()
        for form in self.new.forms.values():
            before = old_forms.get(form.name)
            if before is None and form.renamed_from and form.renamed_from in old_forms \
                    and form.renamed_from not in self.new.forms:
                before = old_forms[form.renamed_from]
                self.add(N_("renamed form %(old)s → %(new)s"), "renamed", form.name,
                         old=f"{before.title} ({before.name})", new=f"{form.title} ({form.name})")
            if before is None:
                self.add(N_("added form %(form)s (fields: %(count)s)"), "added", form.name,
                         form=form.title, count=len(form.fields))
                continue
            matched.add(before.name)
            self.diff_form(before, form)
        for name, form in old_forms.items():
            if name not in matched and name not in self.new.forms:
                self.add(N_("removed form %(form)s"), "removed", name, form=form.title)

    # -- one form ---------------------------------------------------------------------

    def diff_form(self, old: FormDef, new: FormDef) -> None:
        f = new.title
        old_fields = set(old.field_names)
        self.field_renames = {fd.renamed_from: fd.name for fd in new.fields
                              if fd.renamed_from in old_fields and fd.name not in old_fields}
        old_stages = set(old.workflow.stage_names) if old.workflow else set()
        new_stages = new.workflow.stages if new.workflow else ()
        self.stage_renames = {st.renamed_from: st.name for st in new_stages
                              if st.renamed_from in old_stages and st.name not in old_stages}
        if old.title != new.title:
            self.add(N_("form %(old)s is now called %(new)s"), scope=new.name, old=old.title, new=new.title)
        if old.module != new.module:
            module = self.new.module(new.module)
            self.add(N_("%(form)s: moved to module %(module)s"), scope=new.name, form=f,
                     module=module.title if module else new.module)
        if (old.description or "") != (new.description or ""):
            self.add(N_("%(form)s: description changed"), scope=new.name, form=f)
        self.diff_fields(new, old.fields, new.fields, f)
        for key, msgid in (("title_field", N_("%(form)s: title field %(old)s → %(new)s")),
                           ("owner_field", N_("%(form)s: owner field %(old)s → %(new)s"))):
            before, after = getattr(old, key), getattr(new, key)
            if self.field_renames.get(before, before) != after:
                self.add(msgid, scope=new.name, form=f, old=self.field_label(old, before) if before else None,
                         new=self.field_label(new, after) if after else None)
        self.diff_list(old, new, f)
        self.diff_permissions(old, new, f)
        self.diff_workflow(old, new, f)
        self.diff_named(old, new, f, old.reminders, new.reminders, self.diff_reminder,
                        N_("%(form)s: added reminder %(item)s"), N_("%(form)s: removed reminder %(item)s"),
                        lambda r: self.reminder_title(new if r in new.reminders else old, r))
        self.diff_named(old, new, f, old.charts, new.charts, self.diff_chart,
                        N_("%(form)s: added chart %(item)s"), N_("%(form)s: removed chart %(item)s"),
                        lambda c: c.title)
        if _plain(old.update_linked) != _plain(new.update_linked):
            self.add(N_("%(form)s: the updates of linked records changed"), scope=new.name, form=f)
        self.diff_named(old, new, f, old.prints, new.prints, self.diff_print,
                        N_("%(form)s: added print layout %(item)s"), N_("%(form)s: removed print layout %(item)s"),
                        lambda p: p.title)
        self.diff_indexes(old, new, f)

    def diff_indexes(self, old: FormDef, new: FormDef, f: str) -> None:
        """Composite indexes added and dropped (the same columns in the same order are the same index)."""
        def shown(form: FormDef, spec: tuple[str, ...]) -> str:
            return ", ".join(self.field_label(form, n.lstrip("-")) + (" ↓" if n.startswith("-") else "") for n in spec)

        renamed = [tuple(("-" if n.startswith("-") else "") + self.field_renames.get(n.lstrip("-"), n.lstrip("-"))
                         for n in spec) for spec in old.indexes]
        for spec in new.indexes:
            if spec not in renamed:
                self.add(N_("%(form)s: added index (%(item)s)"), "added", new.name, form=f, item=shown(new, spec))
        for spec, was in zip(renamed, old.indexes, strict=True):
            if spec not in new.indexes:
                self.add(N_("%(form)s: dropped index (%(item)s)"), "removed", new.name, form=f, item=shown(old, was))

    def diff_named(self, old_form: FormDef, new_form: FormDef, f: str, old_items: Iterable[Any],
                   new_items: Iterable[Any], differ: Any, added: str, removed: str, title: Any) -> None:
        def key(item: Any) -> str:
            return getattr(item, "name", None) or item.title

        before = {key(i): i for i in old_items}
        after = {key(i): i for i in new_items}
        for name, item in after.items():
            if name not in before:
                self.add(added, "added", new_form.name, form=f, item=title(item))
            else:
                differ(old_form, new_form, f, before[name], item)
        for name, item in before.items():
            if name not in after:
                self.add(removed, "removed", new_form.name, form=f, item=title(item))

    # -- fields -----------------------------------------------------------------------

    def diff_fields(self, form: FormDef, old_fields: tuple[FieldDef, ...], new_fields: tuple[FieldDef, ...],
                    f: str, prefix: str = "") -> None:
        before = {fd.name: fd for fd in old_fields}
        pairs: list[tuple[FieldDef, FieldDef]] = []
        used: set[str] = set()
        for fdef in new_fields:
            old = before.get(fdef.name)
            label = prefix + fdef.label
            if old is None and fdef.renamed_from and fdef.renamed_from in before \
                    and fdef.renamed_from not in {n.name for n in new_fields}:
                old = before[fdef.renamed_from]
                self.add(N_("%(form)s: renamed field %(old)s → %(new)s"), "renamed", form.name, form=f,
                         old=f"{prefix}{old.label} ({old.name})", new=f"{label} ({fdef.name})")
            if old is None:
                self.add(N_("%(form)s: added field %(field)s (%(type)s)"), "added", form.name, form=f,
                         field=label, type=type_term(fdef.type))
                continue
            used.add(old.name)
            pairs.append((old, fdef))
            self.diff_field(form, old, fdef, f, prefix)
        for old in old_fields:
            if old.name not in used and old.name not in {n.name for n in new_fields}:
                self.add(N_("%(form)s: removed field %(field)s (%(type)s)"), "removed", form.name, form=f,
                         field=prefix + old.label, type=type_term(old.type))
        # moved: fields kept whose order among the kept ones changed (not on the longest run kept in order)
        old_order = [o.name for o, _n in sorted(pairs, key=lambda p: old_fields.index(p[0]))]
        new_order = [o.name for o, _n in pairs]
        matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
        in_place = {name for block in matcher.get_matching_blocks() for name in new_order[block.b:block.b + block.size]}
        for position, (old, fdef) in enumerate(pairs):
            if old.name not in in_place:
                after = pairs[position - 1][1].label if position else None
                if after is None:
                    self.add(N_("%(form)s: field %(field)s moved to the top"), scope=form.name, form=f,
                             field=prefix + fdef.label)
                else:
                    self.add(N_("%(form)s: field %(field)s moved after %(after)s"), scope=form.name, form=f,
                             field=prefix + fdef.label, after=prefix + after)

    def diff_field(self, form: FormDef, old: FieldDef, new: FieldDef, f: str, prefix: str) -> None:
        label = prefix + new.label
        common = {"form": f, "field": label}

        def say(msgid: str, **params: Any) -> None:
            self.add(msgid, scope=form.name, **common, **params)

        if old.label != new.label and old.name == new.name:
            say(N_("%(form)s: field %(old)s is now labelled %(new)s"), old=_prefixed(prefix, old.label),
                new=_prefixed(prefix, new.label))
        if old.type != new.type:
            say(N_("%(form)s: field %(field)s: type %(old)s → %(new)s"),
                old=type_term(old.type), new=type_term(new.type))
        if old.required != new.required:
            say(N_("%(form)s: field %(field)s is now required") if new.required
                else N_("%(form)s: field %(field)s is no longer required"))
        if old.unique != new.unique:
            say(N_("%(form)s: field %(field)s must now be unique") if new.unique
                else N_("%(form)s: field %(field)s no longer needs to be unique"))
        if old.default != new.default:
            say(N_("%(form)s: field %(field)s: default %(old)s → %(new)s"),
                old=_shown(old.default), new=_shown(new.default))
        before_if = old.visible_if.source if old.visible_if else None
        after_if = new.visible_if.source if new.visible_if else None
        if before_if != after_if:
            before_if, after_if = self.readable(form, old.visible_if), self.readable(form, new.visible_if)
            if before_if is None:
                say(N_("%(form)s: field %(field)s is now shown only when %(condition)s"), condition=after_if)
            elif after_if is None:
                say(N_("%(form)s: field %(field)s is now always shown"))
            else:
                say(N_("%(form)s: field %(field)s: shown when %(old)s → %(new)s"), old=before_if, new=after_if)
        for key in ("help", "placeholder", "readonly", "index", "warn_duplicates"):
            if getattr(old, key) != getattr(new, key):
                say(N_("%(form)s: field %(field)s: %(setting)s %(old)s → %(new)s"), setting=setting_term(key),
                    old=getattr(old, key), new=getattr(new, key))
        settings = dict.fromkeys([*old.settings, *new.settings])
        for key in settings:
            if key == "options":
                self.diff_options(form, old, new, f, label)
                continue
            if key == "fields":
                if old.is_table and new.is_table:
                    self.diff_fields(form, old.fields, new.fields, f, prefix=f"{label} › ")
                continue
            before, after = _plain(old.settings.get(key)), _plain(new.settings.get(key))
            if key == "role" and isinstance(before, str):  # a user field's role follows a role rename
                before = self.role_renames.get(before, before)
            if before == after:
                continue
            if key in ("fill", "filter", "where", "fill_mode"):
                self.diff_link(form, old, new, key, say)
            elif key == "formula":
                say(N_("%(form)s: field %(field)s: formula %(old)s → %(new)s"), old=before, new=after)
            elif key == "form":
                say(N_("%(form)s: field %(field)s: %(setting)s %(old)s → %(new)s"), setting=setting_term(key),
                    old=self.form_title(before) if before else None, new=self.form_title(after) if after else None)
            else:
                say(N_("%(form)s: field %(field)s: %(setting)s %(old)s → %(new)s"), setting=setting_term(key),
                    old=_shown(before), new=_shown(after))

    def linked_form(self, fdef: FieldDef) -> FormDef | None:
        name = str(fdef.settings.get("form") or "")
        return self.new.form(name) or (self.old.form(name) if self.old else None)

    def own_label(self, form: FormDef, name: str) -> str:
        """A field of the form, or a column of one of its tables (a link in a table row fills and
        filters by the columns of its row)."""
        if form.field(name) is not None:
            return self.field_label(form, name)
        for table in form.fields:
            sub = table.subfield(name) if table.is_table else None
            if sub is not None:
                return sub.label
        return name

    def diff_link(self, form: FormDef, old: FieldDef, new: FieldDef, key: str, say: Any) -> None:
        """A link's choices and copies as the designer words them: 只可选择 部门 = 部门, 带出 地址 ← 地址."""
        old_target, new_target = self.linked_form(old), self.linked_form(new)

        def theirs(target: FormDef | None, name: str) -> str:
            return self.field_label(target, name) if target is not None else name

        if key == "where":
            say(N_("%(form)s: field %(field)s: choices only where %(old)s → %(new)s"),
                old=self.readable(old_target, old.settings.get("where")) if old_target else None,
                new=self.readable(new_target, new.settings.get("where")) if new_target else None)
            return
        if key == "fill_mode":
            say(N_("%(form)s: field %(field)s: copies %(old)s → %(new)s"),
                old=Term(FILL_MODES.get(str(old.settings.get("fill_mode")), N_("copied once"))),
                new=Term(FILL_MODES.get(str(new.settings.get("fill_mode")), N_("copied once"))))
            return
        # fill: this form's field ← linked field; filter: linked field = this form's field
        before = {ours: them for ours, them in (old.settings.get("fill") or ())} if key == "fill" else \
            {ours: them for them, ours in (old.settings.get("filter") or ())}
        after = {ours: them for ours, them in (new.settings.get("fill") or ())} if key == "fill" else \
            {ours: them for them, ours in (new.settings.get("filter") or ())}
        words = LINK_PAIRS[key]
        for ours in dict.fromkeys([*before, *after]):
            b, a = before.get(ours), after.get(ours)
            if b == a:
                continue
            if b is None:
                say(words["added"], ours=self.own_label(form, ours), theirs=theirs(new_target, str(a)))
            elif a is None:
                say(words["removed"], ours=self.own_label(form, ours), theirs=theirs(old_target, b))
            else:
                say(words["changed"], ours=self.own_label(form, ours), old=theirs(old_target, b),
                    new=theirs(new_target, a))

    def diff_options(self, form: FormDef, old: FieldDef, new: FieldDef, f: str, label: str) -> None:
        before = {o.value: o for o in old.options}
        after = {o.value: o for o in new.options}
        common = {"form": f, "field": label}
        for value, option in after.items():
            if value not in before:
                self.add(N_("%(form)s: field %(field)s: added option %(option)s"), "added", form.name, **common,
                         option=option.label)
            elif before[value].label != option.label:
                self.add(N_("%(form)s: field %(field)s: option %(old)s is now shown as %(new)s"), scope=form.name,
                         **common, old=before[value].label, new=option.label)
        for value, option in before.items():
            if value not in after:
                self.add(N_("%(form)s: field %(field)s: removed option %(option)s"), "removed", form.name, **common,
                         option=option.label)
        kept_before = [v for v in before if v in after]
        kept_after = [v for v in after if v in before]
        if kept_before != kept_after:
            self.add(N_("%(form)s: field %(field)s: options reordered"), scope=form.name, **common)
        old_extra = {o.value: _plain(o) for o in old.options}
        new_extra = {o.value: _plain(o) for o in new.options}
        if any(old_extra[v] != new_extra[v] and before[v].label == after[v].label for v in kept_after):
            self.add(N_("%(form)s: field %(field)s: option colours or details changed"), scope=form.name, **common)

    # -- list, permissions ------------------------------------------------------------

    def diff_list(self, old: FormDef, new: FormDef, f: str) -> None:
        for key, msgid in (("columns", N_("%(form)s: list columns %(old)s → %(new)s")),
                           ("filters", N_("%(form)s: list filters %(old)s → %(new)s")),
                           ("search", N_("%(form)s: quick search fields %(old)s → %(new)s"))):
            before, after = getattr(old.list, key), getattr(new.list, key)
            if self.fields_as_new(before) != after:
                self.add(msgid, scope=new.name, form=f, old=self.labels(old, before),
                         new=self.labels(new, after))
        order = old.list.order_by
        if ("-" if order.startswith("-") else "") + self.fields_as_new([order.lstrip("-")])[0] != new.list.order_by:
            self.add(N_("%(form)s: list order %(old)s → %(new)s"), scope=new.name, form=f,
                     old=self.order_text(old, old.list.order_by), new=self.order_text(new, new.list.order_by))
        if old.list.page_size != new.list.page_size:
            self.add(N_("%(form)s: rows per page %(old)s → %(new)s"), scope=new.name, form=f,
                     old=old.list.page_size, new=new.list.page_size)

    def order_text(self, form: FormDef, order: str) -> Any:
        name = order.lstrip("-")
        term = N_("%(field)s, newest first") if order.startswith("-") else N_("%(field)s, oldest first")
        return Term(term, {"field": self.field_label(form, name)})

    def rule(self, rule: RowRule, form: FormDef) -> Any:
        if rule.kind == "where" and rule.where is not None:
            return Term(N_("records where %(condition)s"), {"condition": self.readable(form, rule.where)})
        return Term({"none": N_("none"), "own": N_("their own"), "all": N_("all")}.get(rule.kind, rule.kind))

    def diff_permissions(self, old: FormDef, new: FormDef, f: str) -> None:
        old_permissions = {self.role_renames.get(r, r): p for r, p in old.permissions.items()}
        for role in dict.fromkeys([*old_permissions, *new.permissions]):
            before = old_permissions.get(role) or PermissionDef(role)
            after = new.permissions.get(role) or PermissionDef(role)
            common = {"form": f, "role": self.role_title(role)}
            if before.create != after.create:
                self.add(N_("%(form)s: %(role)s may now create records") if after.create
                         else N_("%(form)s: %(role)s may no longer create records"), scope=new.name, **common)
            for action, label in ACTIONS.items():
                b, a = before.rule(action), after.rule(action)
                if (b.kind, b.where.source if b.where else None) != (a.kind, a.where.source if a.where else None):
                    self.add(N_("%(form)s: %(role)s may %(action)s: %(old)s → %(new)s"), scope=new.name, **common,
                             action=Term(label), old=self.rule(b or NO_ROWS, old), new=self.rule(a or NO_ROWS, new))
            if set(self.fields_as_new(before.hide)) != after.hide:
                self.add(N_("%(form)s: fields hidden from %(role)s: %(old)s → %(new)s"), scope=new.name, **common,
                         old=self.labels(old, sorted(before.hide)), new=self.labels(new, sorted(after.hide)))
            if set(self.fields_as_new(before.readonly)) != after.readonly:
                self.add(N_("%(form)s: fields read-only for %(role)s: %(old)s → %(new)s"), scope=new.name, **common,
                         old=self.labels(old, sorted(before.readonly)), new=self.labels(new, sorted(after.readonly)))

    # -- workflow ---------------------------------------------------------------------

    def diff_workflow(self, old: FormDef, new: FormDef, f: str) -> None:
        before, after = old.workflow, new.workflow
        if before is None and after is None:
            return
        if before is None:
            assert after is not None
            self.add(N_("%(form)s: added a workflow (stages: %(count)s)"), "added", new.name, form=f,
                     count=len(after.stages))
            return
        if after is None:
            self.add(N_("%(form)s: removed the workflow"), "removed", new.name, form=f)
            return
        if self.stages_as_new([before.initial])[0] != after.initial:
            self.add(N_("%(form)s: new records start in %(new)s (was %(old)s)"), scope=new.name, form=f,
                     old=self.stage_title(before, before.initial), new=self.stage_title(after, after.initial))
        old_stages = {s.name: s for s in before.stages}
        new_names = set(after.stage_names)
        used: set[str] = set()
        for stage in after.stages:
            prev = old_stages.get(stage.name)
            if prev is None and stage.renamed_from in old_stages and stage.renamed_from not in new_names:
                prev = old_stages[stage.renamed_from]
                self.add(N_("%(form)s: renamed stage %(old)s → %(new)s"), "renamed", new.name, form=f,
                         old=f"{prev.title} ({prev.name})", new=f"{stage.title} ({stage.name})")
            if prev is None:
                self.add(N_("%(form)s: added stage %(stage)s"), "added", new.name, form=f, stage=stage.title)
                continue
            used.add(prev.name)
            self.diff_stage(old, new, f, prev, stage)
        for name, stage in old_stages.items():
            if name not in used and name not in new_names:
                self.add(N_("%(form)s: removed stage %(stage)s"), "removed", new.name, form=f,
                         stage=stage.title)
        old_transitions = {t.name: t for t in before.transitions}
        for transition in after.transitions:
            prev_t = old_transitions.get(transition.name)
            if prev_t is None:
                self.add(N_("%(form)s: added transition %(transition)s (%(source)s → %(target)s)"), "added",
                         new.name, form=f, transition=transition.title,
                         source=self.sources(after, transition.sources), target=self.stage_title(after, transition.to))
            else:
                self.diff_transition(old, new, f, prev_t, transition)
        for name, prev_t in old_transitions.items():
            if after.transition(name) is None:
                self.add(N_("%(form)s: removed transition %(transition)s"), "removed", new.name, form=f,
                         transition=prev_t.title)

    def sources(self, wf: WorkflowDef, sources: tuple[str, ...]) -> Any:
        if "*" in sources:
            return ANY_STAGE
        return [self.stage_title(wf, s) for s in sources]

    def diff_stage(self, old_form: FormDef, new_form: FormDef, f: str, old: StageDef, new: StageDef) -> None:
        common = {"form": f, "stage": new.title}

        def say(msgid: str, kind: str = "changed", **params: Any) -> None:
            self.add(msgid, kind, new_form.name, **common, **params)

        if old.title != new.title and old.name == new.name:
            say(N_("%(form)s: stage %(old)s is now called %(new)s"), old=old.title, new=new.title)
        if set(self.fields_as_new(old.editable)) != new.editable:
            def editable(form: FormDef, names: frozenset[str]) -> Any:
                return Term(N_("every field")) if "*" in names else self.labels(form, sorted(names))
            say(N_("%(form)s: stage %(stage)s: editable fields %(old)s → %(new)s"),
                old=editable(old_form, old.editable), new=editable(new_form, new.editable))
        if old.final != new.final:
            say(N_("%(form)s: stage %(stage)s is now final") if new.final
                else N_("%(form)s: stage %(stage)s is no longer final"))
        if old.due != new.due:
            say(N_("%(form)s: stage %(stage)s: due within %(old)s → %(new)s"), old=old.due, new=new.due)
        if old.remind_before != new.remind_before:
            say(N_("%(form)s: stage %(stage)s: reminder before due %(old)s → %(new)s"),
                old=old.remind_before, new=new.remind_before)
        before_escalate = replace(old.escalate, notify=self.recipients_as_new(old.escalate.notify)) \
            if old.escalate else None
        if _plain(before_escalate) != _plain(new.escalate):
            if new.escalate is None:
                say(N_("%(form)s: stage %(stage)s: escalation removed"), "removed")
            else:
                esc = new.escalate
                target = new_form.workflow.transition(esc.transition) if new_form.workflow and esc.transition \
                    else None
                say(N_("%(form)s: stage %(stage)s: when overdue, notify %(notify)s, then %(then)s"),
                    "added" if old.escalate is None else "changed",
                    notify=self.recipients(new_form, esc.notify),
                    then=target.title if target else esc.action or esc.transition)
        self.diff_approval(old_form, new_form, f, old, new)

    def diff_approval(self, old_form: FormDef, new_form: FormDef, f: str, old: StageDef, new: StageDef) -> None:
        common = {"form": f, "stage": new.title}
        if old.approval is None and new.approval is None:
            return
        if old.approval is None:
            assert new.approval is not None
            self.add(N_("%(form)s: stage %(stage)s: added an approval (steps: %(count)s)"), "added",
                     new_form.name, **common, count=len(new.approval.steps))
            for step in new.approval.steps:
                self.step_added(new_form, f, new, step)
            return
        if new.approval is None:
            self.add(N_("%(form)s: stage %(stage)s: removed the approval"), "removed", new_form.name, **common)
            return
        wf_old, wf_new = old_form.workflow, new_form.workflow
        for key, msgid in (("approved", N_("%(form)s: stage %(stage)s: when approved go to %(old)s → %(new)s")),
                           ("rejected", N_("%(form)s: stage %(stage)s: when rejected go to %(old)s → %(new)s"))):
            b, a = getattr(old.approval, key), getattr(new.approval, key)
            if self.stages_as_new([b])[0] != a:
                self.add(msgid, scope=new_form.name, **common, old=self.stage_title(wf_old, b),
                         new=self.stage_title(wf_new, a))
        before = {s.name: s for s in old.approval.steps}
        for step in new.approval.steps:
            prev = before.get(step.name)
            if prev is None:
                self.step_added(new_form, f, new, step)
                continue
            self.diff_step(old_form, new_form, f, new, prev, step)
        after = {s.name for s in new.approval.steps}
        for name, step in before.items():
            if name not in after:
                self.add(N_("%(form)s: stage %(stage)s: removed approval step %(step)s"), "removed", new_form.name,
                         **common, step=step.title)
        if [s for s in before if s in after] != [s.name for s in new.approval.steps if s.name in before]:
            self.add(N_("%(form)s: stage %(stage)s: approval steps reordered"), scope=new_form.name, **common)

    def step_added(self, form: FormDef, f: str, stage: StageDef, step: StepDef) -> None:
        params = {"form": f, "stage": stage.title, "step": step.title,
                  "approvers": self.recipients(form, step.approvers), "mode": Term(MODES.get(step.mode, step.mode))}
        if step.when is not None:
            self.add(N_("%(form)s: stage %(stage)s: added approval step %(step)s when %(condition)s → "
                        "%(approvers)s (%(mode)s)"), "added", form.name, **params,
                     condition=self.readable(form, step.when))
        else:
            self.add(N_("%(form)s: stage %(stage)s: added approval step %(step)s → %(approvers)s (%(mode)s)"),
                     "added", form.name, **params)

    def diff_step(self, old_form: FormDef, new_form: FormDef, f: str, stage: StageDef, old: StepDef,
                  new: StepDef) -> None:
        common = {"form": f, "stage": stage.title, "step": new.title}

        def say(msgid: str, **params: Any) -> None:
            self.add(msgid, scope=new_form.name, **common, **params)

        if old.title != new.title:
            say(N_("%(form)s: stage %(stage)s: approval step %(old)s is now called %(new)s"),
                old=old.title, new=new.title)
        if self.recipients_as_new(old.approvers) != new.approvers:
            say(N_("%(form)s: stage %(stage)s: approval step %(step)s: approvers %(old)s → %(new)s"),
                old=self.recipients(old_form, old.approvers), new=self.recipients(new_form, new.approvers))
        if old.mode != new.mode:
            say(N_("%(form)s: stage %(stage)s: approval step %(step)s: %(old)s → %(new)s"),
                old=Term(MODES.get(old.mode, old.mode)), new=Term(MODES.get(new.mode, new.mode)))
        b = old.when.source if old.when else None
        a = new.when.source if new.when else None
        if b != a:
            say(N_("%(form)s: stage %(stage)s: approval step %(step)s: applies when %(old)s → %(new)s"),
                old=self.readable(old_form, old.when) if b else EVERYONE_CASE,
                new=self.readable(new_form, new.when) if a else EVERYONE_CASE)
        if self.recipients_as_new(old.cc) != new.cc:
            say(N_("%(form)s: stage %(stage)s: approval step %(step)s: copy to %(old)s → %(new)s"),
                old=self.recipients(old_form, old.cc), new=self.recipients(new_form, new.cc))
        if self.fields_as_new(old.require) != new.require:
            say(N_("%(form)s: stage %(stage)s: approval step %(step)s: required fields %(old)s → %(new)s"),
                old=self.labels(old_form, old.require), new=self.labels(new_form, new.require))
        for key in ("allow_self_approval", "skip_if_approved_before"):
            if getattr(old, key) != getattr(new, key):
                say(N_("%(form)s: stage %(stage)s: approval step %(step)s: %(setting)s %(old)s → %(new)s"),
                    setting=Term(STEP_SETTINGS[key]), old=getattr(old, key), new=getattr(new, key))

    def diff_transition(self, old_form: FormDef, new_form: FormDef, f: str, old: TransitionDef,
                        new: TransitionDef) -> None:
        common = {"form": f, "transition": new.title}
        wf_old, wf_new = old_form.workflow, new_form.workflow
        assert wf_old is not None and wf_new is not None

        def say(msgid: str, **params: Any) -> None:
            self.add(msgid, scope=new_form.name, **common, **params)

        if old.title != new.title:
            say(N_("%(form)s: transition %(old)s is now called %(new)s"), old=old.title, new=new.title)
        if self.stages_as_new(old.sources) != new.sources or self.stages_as_new([old.to])[0] != new.to:
            say(N_("%(form)s: transition %(transition)s: %(old_from)s → %(old_to)s is now %(new_from)s → "
                   "%(new_to)s"), old_from=self.sources(wf_old, old.sources), old_to=self.stage_title(wf_old, old.to),
                new_from=self.sources(wf_new, new.sources), new_to=self.stage_title(wf_new, new.to))
        if set(self.roles_as_new(old.roles)) != set(new.roles):
            say(N_("%(form)s: transition %(transition)s: who may use it %(old)s → %(new)s"),
                old=[self.role_title(r) for r in old.roles] or EVERYONE,
                new=[self.role_title(r) for r in new.roles] or EVERYONE)
        b = old.condition.source if old.condition else None
        a = new.condition.source if new.condition else None
        if b != a:
            say(N_("%(form)s: transition %(transition)s: condition %(old)s → %(new)s"),
                old=self.readable(old_form, old.condition), new=self.readable(new_form, new.condition))
        if self.fields_as_new(old.require) != new.require:
            say(N_("%(form)s: transition %(transition)s: required fields %(old)s → %(new)s"),
                old=self.labels(old_form, old.require), new=self.labels(new_form, new.require))
        if old.comment_required != new.comment_required:
            say(N_("%(form)s: transition %(transition)s: comment required %(old)s → %(new)s"),
                old=old.comment_required, new=new.comment_required)
        if old.confirm != new.confirm:
            say(N_("%(form)s: transition %(transition)s: confirmation %(old)s → %(new)s"),
                old=old.confirm, new=new.confirm)
        if _plain(old.set) != _plain(new.set):
            say(N_("%(form)s: transition %(transition)s: fields it sets %(old)s → %(new)s"),
                old=self.assignments(old_form, old.set), new=self.assignments(new_form, new.set))
        if _plain(old.create) != _plain(new.create):
            if old.create is not None and new.create is not None and old.create.form == new.create.form:
                self.diff_create(old_form, new_form, old.create, new.create, say)
            else:
                say(N_("%(form)s: transition %(transition)s: creates %(old)s → %(new)s"),
                    old=self.form_title(old.create.form) if old.create else None,
                    new=self.form_title(new.create.form) if new.create else None)

    def create_value(self, source: FormDef, create: CreateDef, target: FormDef | None, name: str) -> Any:
        """What a created record's field takes, readably: an expression with labels, or a table's
        rows (明细 的行，数量 = 1)."""
        tdef = target.field(name) if target is not None else None
        copy = create.table_copy(name, tdef) if tdef is not None else create.tables.get(name)
        if copy is not None:
            rows = Term(N_("the rows of %(table)s"), {"table": self.path_label(source, ".".join(copy.source))})
            if not copy.set:
                return rows
            columns = []
            for column, value in copy.set.items():
                sub = tdef.subfield(column) if tdef is not None else None
                columns.append(f"{sub.label if sub is not None else column} = {value.source}")
            return Term(N_("%(rows)s with %(columns)s"), {"rows": rows, "columns": columns})
        expr = create.set.get(name)
        return self.readable(source, expr) if expr is not None else None

    def diff_create(self, old_form: FormDef, new_form: FormDef, old: CreateDef, new: CreateDef, say: Any) -> None:
        target = self.new.form(new.form) or (self.old.form(new.form) if self.old else None)
        for name in dict.fromkeys([*old.set, *old.tables, *new.set, *new.tables]):
            before = self.create_value(old_form, old, target, name)
            after = self.create_value(new_form, new, target, name)
            if render(before) != render(after):
                say(N_("%(form)s: transition %(transition)s: the new %(target)s's %(field)s: %(old)s → %(new)s"),
                    target=self.form_title(new.form), field=self.field_label(target, name) if target else name,
                    old=before, new=after)

    def assignments(self, form: FormDef, values: Mapping[str, Expression]) -> list[str]:
        return [f"{self.field_label(form, k)} = {v.source}" for k, v in values.items()]

    # -- reminders and charts ---------------------------------------------------------

    def diff_reminder(self, old_form: FormDef, new_form: FormDef, f: str, old: ReminderDef,
                      new: ReminderDef) -> None:
        common: dict[str, Any] = {"form": f, "reminder": self.reminder_title(new_form, new)}
        pairs = (("date_field", self.field_label(old_form, old.date_field), self.field_label(new_form, new.date_field)),
                 ("offset", old.offset, new.offset),
                 ("notify", self.recipients(old_form, self.recipients_as_new(old.notify)),
                  self.recipients(new_form, new.notify)),
                 ("when", self.readable(old_form, old.when), self.readable(new_form, new.when)),
                 ("message", old.message, new.message),
                 ("transition", old.transition, new.transition))
        for key, before, after in pairs:
            if key == "date_field" and self.fields_as_new([old.date_field])[0] == new.date_field:
                continue
            if before != after:
                self.add(N_("%(form)s: reminder %(reminder)s: %(setting)s %(old)s → %(new)s"), scope=new_form.name,
                         **common, setting=Term(REMINDER_SETTINGS[key]), old=before, new=after)

    def diff_chart(self, old_form: FormDef, new_form: FormDef, f: str, old: ChartDef, new: ChartDef) -> None:
        if old.title != new.title:
            self.add(N_("%(form)s: chart %(old)s is now called %(new)s"), scope=new_form.name, form=f,
                     old=old.title, new=new.title)
        if {k: v for k, v in _plain(old).items() if k != "title"} != \
                {k: v for k, v in _plain(new).items() if k != "title"}:
            self.add(N_("%(form)s: chart %(chart)s: %(new)s (was %(old)s)"), scope=new_form.name, form=f,
                     chart=new.title, old=self.chart_text(old_form, old), new=self.chart_text(new_form, new))

    def diff_print(self, old_form: FormDef, new_form: FormDef, f: str, old: PrintDef, new: PrintDef) -> None:
        old = replace(old, roles=self.roles_as_new(old.roles))  # who may print follows a role rename
        if layout_shape(old) != layout_shape(new):
            self.add(N_("%(form)s: print layout %(item)s changed"), scope=new_form.name, form=f, item=new.title)

    def chart_text(self, form: FormDef, chart: ChartDef) -> str:
        value = f"{chart.aggregate}({self.field_label(form, chart.value_field) if chart.value_field else ''})"
        group = self.field_label(form, chart.group_by) if chart.group_by else "-"
        where = f", {chart.where.source}" if chart.where else ""
        return f"{chart.type}: {value} / {group}{where}"


EVERYONE_CASE = Term(N_("every record"))
STEP_SETTINGS = {"allow_self_approval": N_("may approve their own"),
                 "skip_if_approved_before": N_("skipped if the approver approved before")}
REMINDER_SETTINGS = {"date_field": N_("date field"), "offset": N_("offset"), "notify": N_("notify"),
                     "when": N_("condition"), "message": N_("message"), "transition": N_("transition")}


def summarize(old: AppDef | None, new: AppDef) -> list[Change]:
    """The changes from `old` to `new` (None: everything is new), form by form."""
    if old is not None and old.signature and old.signature == new.signature:
        return []
    return Differ(old, new).run()


def texts(changes: Iterable[Change]) -> list[str]:
    """The changes as lines in the current language."""
    return [change.text() for change in changes]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def text_diff(old_texts: Mapping[str, str], new_texts: Mapping[str, str], context: int = 3) -> dict[str, str]:
    """file → unified diff of its text (files added or removed diff against nothing); files
    that did not change are left out."""
    out: dict[str, str] = {}
    for name in sorted(set(old_texts) | set(new_texts)):
        before, after = old_texts.get(name), new_texts.get(name)
        if before == after:
            continue
        lines = difflib.unified_diff(_lines(before or ""), _lines(after or ""),
                                     fromfile=f"a/{name}" if before is not None else "/dev/null",
                                     tofile=f"b/{name}" if after is not None else "/dev/null", n=context)
        out[name] = "".join(_terminated(lines))
    return out


def _terminated(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
