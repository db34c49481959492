"""@mentions in record comments: `@username` or `@display name` in a comment tells each
mentioned user who may read the record (notification kind `mention`, in the inbox and on
every channel); anybody else mentioned is ignored without a word, so a comment never reveals
who may read what. `mentionable` lists the people a comment on the record may mention (the
comment box's @ completion).

A mention is the longest user name or display name written right after an `@` (up to the
end of the line); a name ending in a letter or digit must not run on into more letters or
digits (`@al` is not `@alice`), while a Chinese name may be followed by text directly
(`@张伟请看`). A display name that several users share mentions each of them.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select

from engine.access.gate import participants
from engine.access.visibility import hidden_in_record
from engine.auth.users import User, get_users
from engine.definitions.model import FormDef
from engine.notify.outbox import notify
from engine.notify.rendering import about_record
from engine.records.context import Context
from engine.store.records import StoredRecord
from engine.store.system import user_roles, users

from .records import load_readable, readable_form

MAX_MENTIONS = 20  # @s read in one comment
MAX_NAME = 64  # characters after an @ a name may take
MAX_EXCERPT = 200  # characters of the comment in the notification
MAX_LISTED = 10  # people `mentionable` answers with
MAX_CHECKED = 200  # people `mentionable` looks at to find them
MAX_OWN_CHECKS = 20  # of them, people whose read rules name them, asked one by one
ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
EMAIL_BEFORE = re.compile(r"[A-Za-z0-9_.+-]")  # an @ right after these is an e-mail address's


def mentioned_names(ctx: Context, text: str) -> list[str]:
    """The active users a comment mentions, by name, in the order first mentioned."""
    spans = []
    for match in [m for m in re.finditer("@", text) if not EMAIL_BEFORE.match(text[m.start() - 1:m.start()])
                  ][:MAX_MENTIONS]:
        rest = text[match.end():match.end() + MAX_NAME].split("\n", 1)[0].split("@", 1)[0]
        if rest.strip():
            spans.append(rest)
    prefixes = {span[:n] for span in spans for n in range(1, len(span) + 1)}
    if not prefixes:
        return []
    rows = ctx.session.execute(select(users.c.name, users.c.display_name).where(
        users.c.active.is_(True), or_(users.c.name.in_(sorted(prefixes)),
                                      users.c.display_name.in_(sorted(prefixes))))).all()
    by_text: dict[str, list[str]] = {}
    for name, display in sorted(rows, key=lambda row: row.name):
        if display:
            by_text.setdefault(display, []).append(name)
    for name, _display in rows:
        by_text[name] = [name]  # a user name names that user only
    found: list[str] = []
    for span in spans:
        for n in range(len(span), 0, -1):
            head, after = span[:n], span[n:n + 1]
            if head not in by_text or (ASCII_WORD.match(head[-1]) and ASCII_WORD.match(after or " ")):
                continue
            found += [name for name in by_text[head] if name not in found]
            break
    return found


def notify_mentioned(ctx: Context, form: FormDef, record: StoredRecord, comment: str) -> list[str]:
    """Tell each user the comment mentions who may read the record (not its author); returns
    their names."""
    told: list[str] = []
    groups: dict[frozenset[str], list[str]] = {}
    names = mentioned_names(ctx, comment)
    people = get_users(ctx.session, [n for n in names if n != ctx.user.name])
    for name in names:
        person = people.get(name)
        hidden = None if person is None else hidden_in_record(ctx.gate, ctx.session, person, form, record.id,
                                                              ctx.local_now)
        if hidden is None:
            continue  # not a reader: ignored without a word
        groups.setdefault(hidden, []).append(name)
        told.append(name)
    excerpt = " ".join(comment.split())
    excerpt = excerpt if len(excerpt) <= MAX_EXCERPT else excerpt[:MAX_EXCERPT - 1] + "…"
    for hidden, names in groups.items():
        notify(ctx, names, "mention", {"actor": ctx.user.label, "title": about_record(form, record, hidden),
                                       "comment": excerpt}, form.name, record.id)
    return told


def mentionable(ctx: Context, form_name: str, record_id: int, query: str | None) -> dict[str, Any]:
    """The people (other than the caller) who may read the record whose user name or display
    name contains `query` (case-insensitive), at most MAX_LISTED: {"items": [{"name", "display"}]}."""
    form = readable_form(ctx, form_name)
    load_readable(ctx, form, record_id)
    text = (query or "").strip().lower()[:MAX_NAME]
    stmt = select(users.c.name).where(users.c.active.is_(True), users.c.name != ctx.user.name)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(users.c.name).like(pattern, escape="\\"),
                              func.lower(func.coalesce(users.c.display_name, "")).like(pattern, escape="\\")))
    rows = ctx.session.execute(stmt.add_columns(users.c.id, users.c.display_name)
                               .order_by(users.c.name).limit(MAX_CHECKED)).all()
    roles: dict[int, set[str]] = {}
    for user_id, role in ctx.session.execute(select(user_roles.c.user_id, user_roles.c.role).where(
            user_roles.c.user_id.in_([row.id for row in rows]))):
        roles.setdefault(user_id, set()).add(role)
    readers = Readers(ctx, form, record_id)
    items: list[dict[str, str]] = []
    for row in rows:
        person = User(id=row.id, name=row.name, roles=frozenset(roles.get(row.id, ())), display_name=row.display_name)
        if not readers.may_read(person):
            continue
        items.append({"name": person.name, "display": person.label})
        if len(items) >= MAX_LISTED:
            break
    return {"items": items}


class Readers:
    """Who may read one record (their roles' read rules, row rules included, or their part in
    its approval), asked of the database once per set of roles whose rules do not name the
    user, and at most MAX_OWN_CHECKS times for people whose rules do (`own`, `$user`): those
    beyond are left out. The people taking part in the record are read once."""

    def __init__(self, ctx: Context, form: FormDef, record_id: int) -> None:
        self.ctx, self.form, self.record_id = ctx, form, record_id
        self.by_roles: dict[frozenset[str], bool] = {}
        self.own_checks = 0
        self._participants: set[str] | None = None

    def participants(self) -> set[str]:
        if self._participants is None:
            self._participants = participants(self.ctx.session, self.form.name, self.record_id)
        return self._participants

    def may_read(self, person: User) -> bool:
        ctx, form = self.ctx, self.form
        if ctx.gate.depends_on_user(person, form, "read"):
            if self.own_checks >= MAX_OWN_CHECKS:
                return False
            self.own_checks += 1
            return hidden_in_record(ctx.gate, ctx.session, person, form, self.record_id, ctx.local_now) is not None
        if person.roles not in self.by_roles:
            self.by_roles[person.roles] = hidden_in_record(ctx.gate, ctx.session, person, form, self.record_id,
                                                           ctx.local_now, participation=False) is not None
        return self.by_roles[person.roles] or person.name in self.participants()
