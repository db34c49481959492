"""The designer's drafts, publications and versions (docs/reference.md, Designer, drafts and versions).

The designer edits the module documents themselves (`sources`: file name → parsed JSON).
A document's text is always its canonical text, `json.dumps(doc, ensure_ascii=False,
indent=2) + "\\n"`, so a designer change is a small diff of the file, and the texts go
through the same loader (`load_sources`), schema plan and apply (`sync_schema`, under its
lock) as a change of the files: publishing is a file change without the file.

Each admin has at most one draft, saved as they edit; it never touches the live set.
Publishing it is refused (nothing changes, the draft stays) when the live set is no
longer the draft's base (another admin published meanwhile: their changes are answered),
when the set has problems, or when the schema change would strand data.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from engine.definitions import AppDef, load_sources, signature_of
from engine.definitions.diff import summarize, text_diff, texts
from engine.definitions.loader import build_unchecked
from engine.errors import (
    MAX_PROBLEMS_SHOWN,
    MORE_PROBLEMS,
    BadRequest,
    Conflict,
    DefinitionError,
    Forbidden,
    NotFound,
    Problem,
    SchemaChangeRefused,
)
from engine.i18n import N_, catalogue, catalogue_msgids, speaking, translate_text
from engine.services import definition_review
from engine.store.db import Database
from engine.store.definition_state import MAX_NOTE, LiveSet, LiveSetMoved, Publish, live_set, set_files_signature
from engine.store.sync import plan_sync, sync_schema
from engine.store.system import definition_drafts, definition_publications, definition_versions

#: A module file's name in `sources`: a plain file name ending in .json.
FILE_NAME = re.compile(r"^[^/\\\x00]{1,200}\.json$")
MAX_FILES = 200
PAGE = 50
MAX_PAGE = 200

BAD_FILE_NAME = N_("a module file's name ends with .json and names no folder")
NOT_AN_OBJECT = N_("a module file holds one JSON object")
NO_FILES = N_("no *.json module files found")
PLAN_NEEDS_VALID_SET = N_("What the change does to the stored data is shown once the problems are fixed.")


def canonical_text(doc: Any) -> str:
    """The text a document is stored and exported as (the format of the shipped files)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def parse_texts(texts: Mapping[str, str]) -> dict[str, Any]:
    """File texts → documents (key order kept); a text that is not JSON is kept as the string."""
    docs: dict[str, Any] = {}
    for name, text in sorted(texts.items()):
        try:
            docs[name] = json.loads(text)
        except ValueError:
            docs[name] = text
    return docs


def admins_only(user: Any) -> None:
    if user is None or not user.is_admin:
        raise Forbidden("admins only")


# -- problems in the reader's language -------------------------------------------------------

def translator(locale: str | None) -> Callable[[str], str]:
    """English catalogue message (with its params filled in) → the same in `locale`."""
    if not locale or locale.startswith("en"):
        return lambda message: message
    gettext = catalogue(locale).gettext
    msgids = catalogue_msgids(locale)
    return lambda message: translate_text(message, gettext, msgids)


def problem_dicts(problems: list[Problem], locale: str | None, limit: int = MAX_PROBLEMS_SHOWN) -> list[dict]:
    """`{"file", "pointer", "message"}` each, the message in `locale`; at most `limit`, then one
    counting the rest (file and pointer empty)."""
    say = translator(locale)
    shown = [{"file": p.file, "pointer": p.pointer, "message": say(p.message)} for p in problems[:limit]]
    if len(problems) > limit:
        shown.append({"file": "", "pointer": "", "message": say(MORE_PROBLEMS % {"n": f"{len(problems) - limit:,}"})})
    return shown


def texts_of(sources: Any) -> tuple[dict[str, str], list[Problem]]:
    """The canonical texts of a `sources` object (file name → document), and the problems of
    its shape (names, documents that are not objects)."""
    if not isinstance(sources, dict):
        raise BadRequest("'sources' must be an object: module file name → its JSON document")
    if len(sources) > MAX_FILES:
        raise BadRequest(f"at most {MAX_FILES} module files")
    texts, problems = {}, []
    for name, doc in sources.items():
        if not FILE_NAME.match(name):
            problems.append(Problem(name, "", BAD_FILE_NAME))
            continue
        if not isinstance(doc, dict):
            problems.append(Problem(name, "", NOT_AN_OBJECT))
        texts[name] = canonical_text(doc)
    return texts, problems


def validate_texts(texts: Mapping[str, str]) -> tuple[AppDef | None, list[Problem]]:
    """The loaded set, or the problems (the checks of `engine validate`)."""
    if not texts:
        return None, [Problem("(definitions)", "", NO_FILES)]
    try:
        return load_sources(texts), []
    except DefinitionError as exc:
        return None, list(exc.problems)


def check(sources: Any, locale: str | None) -> list[dict]:
    """The problems of a set of documents (nothing saved): the same checks as `engine validate`."""
    texts, problems = texts_of(sources)
    if not problems:
        problems = validate_texts(texts)[1]
    return problem_dicts(problems, locale)


# -- the live set and the versions ----------------------------------------------------------

#: Publication ids are database integers: a larger number names no publication (and must not
#: reach the database, where it does not fit).
MAX_ID = 2**31 - 1


def _publication_row(session: Any, publication_id: int | None) -> Any:
    if publication_id is None or not 0 < publication_id <= MAX_ID:
        return None
    return session.execute(
        select(definition_publications, definition_versions.c.signature)
        .join(definition_versions, definition_versions.c.id == definition_publications.c.version_id)
        .where(definition_publications.c.id == publication_id)).mappings().first()


def _when(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _live(db: Database) -> LiveSet:
    live = live_set(db)
    if live is None:
        raise NotFound("the database has no live definitions: run `engine init`")
    return live


def live_info(db: Database, live: LiveSet | None = None) -> dict:
    """The live publication: `publication`, `version`, `signature`, `published_by`, `published_at`,
    `note`, `origin`."""
    live = live or _live(db)
    with db.session() as session:
        row = _publication_row(session, live.publication_id)
    return {"publication": live.publication_id, "version": live.version_id, "signature": live.signature,
            "published_by": row["published_by"] if row else None,
            "published_at": _when(row["published_at"]) if row else None,
            "note": row["note"] if row else None, "origin": row["origin"] if row else None}


def version_texts(db: Database, version_id: int) -> dict[str, str]:
    with db.session() as session:
        sources = session.execute(select(definition_versions.c.sources).where(
            definition_versions.c.id == version_id)).scalar()
    if sources is None:
        raise NotFound(f"no definition version {version_id}")
    return {name: text if isinstance(text, str) else canonical_text(text) for name, text in sources.items()}


def _version_by_signature(db: Database, signature: Any) -> int | None:
    if not isinstance(signature, str):
        return None
    with db.session() as session:
        return session.execute(select(definition_versions.c.id).where(
            definition_versions.c.signature == signature)).scalar()


def _version_item(row: Any, live_publication: int | None) -> dict:
    return {"publication": row["id"], "version": row["version_id"], "signature": row["signature"],
            "published_at": _when(row["published_at"]), "published_by": row["published_by"],
            "origin": row["origin"], "note": row["note"], "restored_from": row["restored_from"],
            "live": row["id"] == live_publication}


def versions(db: Database, before: int | None = None, limit: int = PAGE) -> list[dict]:
    """Publications, newest first (`before`: older than that publication id)."""
    live = _live(db)
    limit = max(1, min(int(limit), MAX_PAGE))
    query = (select(definition_publications, definition_versions.c.signature)
             .join(definition_versions, definition_versions.c.id == definition_publications.c.version_id)
             .order_by(definition_publications.c.id.desc()).limit(limit))
    if before is not None:
        if not isinstance(before, int) or before < 0:
            raise BadRequest("'before' must be a publication id")
        query = query.where(definition_publications.c.id < min(before, MAX_ID + 1))
    with db.session() as session:
        rows = session.execute(query).mappings().all()
    return [_version_item(row, live.publication_id) for row in rows]


def publication(db: Database, publication_id: int) -> dict:
    """One publication with its documents (`files`: file name → document)."""
    live = _live(db)
    with db.session() as session:
        row = _publication_row(session, publication_id)
    if row is None:
        raise NotFound(f"no publication {publication_id}")
    item = _version_item(row, live.publication_id)
    item["files"] = parse_texts(version_texts(db, row["version_id"]))
    return item


# -- what changed between two sets -------------------------------------------------------------

def _loaded(texts: Mapping[str, str]) -> AppDef | None:
    try:
        return load_sources(texts) if texts else None
    except DefinitionError:
        return None


def _built(texts: Mapping[str, str]) -> AppDef | None:
    """The set, also when its checks find problems (None: not even its files' shape is right)."""
    return _loaded(texts) or (build_unchecked(texts) if texts else None)


def changes_between(old: Mapping[str, str], new: Mapping[str, str], locale: str | None) -> dict:
    """{"summary": readable, name-based changes in `locale`, "diff": file → unified diff} from
    the texts `old` to `new`. A set with problems is summarized as far as it can be built (a
    file that is not JSON of the module schema's shape: only its diff)."""
    new_app = _built(new)
    summary: list[str] = []
    if new_app is not None:
        try:
            with speaking(locale):
                summary = texts(summarize(_built(old), new_app))
        except Exception:  # noqa: BLE001 - a set with problems may trip the summary: the diff still shows
            summary = []
    return {"summary": summary, "diff": text_diff(old, new)}


def diff_publications(db: Database, from_id: int, to_id: int, locale: str | None) -> dict:
    with db.session() as session:
        a, b = _publication_row(session, from_id), _publication_row(session, to_id)
    if a is None or b is None:
        raise NotFound(f"no publication {from_id if a is None else to_id}")
    return changes_between(version_texts(db, a["version_id"]), version_texts(db, b["version_id"]), locale)


# -- drafts -----------------------------------------------------------------------------------

def _draft_row(db: Database, user_name: str) -> Any:
    with db.session() as session:
        return session.execute(select(definition_drafts).where(
            definition_drafts.c.user_name == user_name)).mappings().first()


def designer_state(db: Database, user: Any, locale: str | None) -> dict:
    """`live`, the caller's `draft` (with its problems) or None, and the live documents (`files`)."""
    admins_only(user)
    live = _live(db)
    draft = _draft_row(db, user.name)
    answer: dict[str, Any] = {"live": live_info(db, live), "draft": None,
                              "files": parse_texts(version_texts(db, live.version_id))}
    if draft is not None:
        answer["draft"] = {"base_signature": draft["base_signature"], "sources": draft["sources"],
                           "updated_at": _when(draft["updated_at"]),
                           "problems": check(draft["sources"], locale),
                           "stale": draft["base_signature"] != live.signature}
    return answer


_UNSEEN = object()  # save_draft without `seen`: no check against a save from another window


def save_draft(db: Database, user: Any, base_signature: Any, sources: Any, locale: str | None,
               seen: Any = _UNSEEN) -> dict:
    """Save the caller's draft (valid or not); its problems and when it was saved. With `seen` (the
    `updated_at` of the draft the page holds, or None for "no draft"), a draft saved, published or
    discarded since by the same admin in another window is never overwritten: 409 `draft_changed`."""
    admins_only(user)
    version_id = _version_by_signature(db, base_signature)
    if version_id is None:
        raise Conflict(translator(locale)(N_("the draft's base is not a known version of the definitions")),
                        "unknown_base")
    seen_at = _seen_time(seen, locale)
    problems = check(sources, locale)
    now = datetime.now(UTC)
    values = {"base_version_id": version_id, "base_signature": base_signature, "sources": sources,
              "updated_at": now}
    mine = definition_drafts.c.user_name == user.name
    try:
        with db.transaction() as session:
            if seen is _UNSEEN:
                done = _count(session.execute(update(definition_drafts).where(mine).values(**values)))
            elif seen_at is None:
                done = 0 if session.execute(select(definition_drafts.c.id).where(mine)).first() is None \
                    else _draft_changed(locale)
            else:
                done = _count(session.execute(update(definition_drafts).where(
                    mine, definition_drafts.c.updated_at == seen_at).values(**values))) or _draft_changed(locale)
            if not done:
                session.execute(insert(definition_drafts).values(user_name=user.name, **values))
    except IntegrityError:  # another window created the draft at the same moment
        _draft_changed(locale)
    return {"problems": problems, "updated_at": _when(now)}


def _seen_time(seen: Any, locale: str | None) -> datetime | None:
    if seen is _UNSEEN or seen is None:
        return None
    try:
        when = datetime.fromisoformat(seen) if isinstance(seen, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise BadRequest(translator(locale)(N_("`draft_updated_at` must be the draft's updated_at or null")))
    return when


def _draft_changed(locale: str | None) -> NoReturn:
    raise Conflict(translator(locale)(N_(
        "your draft was changed in another window (saved, published or discarded there); reload the designer to "
        "continue from it")), "draft_changed")


def _count(result: Any) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(result.rowcount)


def discard_draft(db: Database, user: Any) -> bool:
    admins_only(user)
    with db.transaction() as session:
        return bool(_count(session.execute(delete(definition_drafts).where(
            definition_drafts.c.user_name == user.name))))


def _reviewed(db: Database, live_texts: Mapping[str, str], texts: Mapping[str, str], app: AppDef | None,
              locale: str | None) -> dict:
    """What the set `texts` does to the live set, in `locale` (`app`: the set loaded, None when it
    has problems: then what its files change, and the plan needs a valid set)."""
    if app is not None:
        with speaking(locale):
            return dict(definition_review.review(db, _loaded(live_texts), app))
    reviewed = changes_between(live_texts, texts, locale)
    reviewed["plan"] = {"changes": [], "refusals": [], "unavailable": translator(locale)(PLAN_NEEDS_VALID_SET)}
    return reviewed


def review(db: Database, user: Any, locale: str | None) -> dict:
    """The caller's draft against the live set: problems, summary, diff, schema plan, staleness."""
    admins_only(user)
    live = _live(db)
    draft = _draft_row(db, user.name)
    if draft is None:
        raise NotFound("no draft: edit something first")
    texts, problems = texts_of(draft["sources"])
    app = None
    if not problems:
        app, problems = validate_texts(texts)
    answer: dict[str, Any] = {"problems": problem_dicts(problems, locale),
                              "base_signature": draft["base_signature"], "live_signature": live.signature,
                              "stale": draft["base_signature"] != live.signature}
    reviewed = _reviewed(db, version_texts(db, live.version_id), texts, app, locale)
    reviewed.pop("problems", None)
    return {"summary": [], "diff": {}, "plan": {"changes": [], "refusals": []}, **reviewed, **answer}


# -- publishing -------------------------------------------------------------------------------

@dataclass
class Published:
    publication: int | None
    version: int
    signature: str
    changes: list[str]

    def as_dict(self) -> dict:
        return {"publication": self.publication, "version": self.version, "signature": self.signature,
                "changes": self.changes}


class StaleBase(Conflict):
    """The live set moved since the change's base: nothing was applied. Answered with the
    live publication (`live`) and what changed since the base (`their_changes`)."""

    def __init__(self, message: str, live: dict, their_changes: dict) -> None:
        super().__init__(message, "stale_draft")
        self.live = live
        self.their_changes = their_changes

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}, "live": self.live,
                "their_changes": self.their_changes}


class Invalid(Conflict):
    """The set has problems (`problems`: {file, pointer, message}): nothing was applied."""

    status = 422

    def __init__(self, message: str, problems: list[dict]) -> None:
        super().__init__(message, "invalid_definition", problems=problems)


class Refused(Conflict):
    """The schema change would strand data (`refusals`, with counts): nothing was applied."""

    def __init__(self, message: str, refusals: list[str]) -> None:
        super().__init__(message, "schema_change_refused", refusals=refusals)


def _stale(db: Database, base_signature: str | None, locale: str | None, restoring: bool = False) -> StaleBase:
    live = _live(db)
    base_id = _version_by_signature(db, base_signature)
    base_texts = version_texts(db, base_id) if base_id is not None else {}
    say = translator(locale)
    info = live_info(db, live)
    message = say(N_("the live definitions changed since your draft was started (version %(version)s by "
                     "%(by)s): review their changes, then rebase your draft") if not restoring else
                  N_("the live definitions changed since you opened the versions (version %(version)s by "
                     "%(by)s): nothing was restored; review their changes, then restore again")) % {
        "version": info["publication"], "by": info["published_by"] or say(N_("the files"))}
    return StaleBase(message, info, changes_between(base_texts, version_texts(db, live.version_id), locale))


def _note(note: Any) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str):
        raise BadRequest("'note' must be text")
    if len(note) > MAX_NOTE:
        raise BadRequest(f"'note' has at most {MAX_NOTE} characters")
    return note.strip() or None


def _refusals(db: Database, live_app: AppDef | None, app: AppDef, reasons: list[str],
              locale: str | None) -> list[str]:
    """Why a schema change from `live_app` to `app` was refused, with labels and counts in `locale`."""
    with speaking(locale):
        found = definition_review.plan_texts(plan_sync(db, app), live_app, app)["refusals"]
    if found:
        return list(found)
    say = translator(locale)
    return [say(r) for r in reasons]


def apply_texts(db: Database, texts: Mapping[str, str], publish: Publish, locale: str | None) -> Published:
    """Validate, plan and apply a set as `publish` says (the path of every apply but the files'):
    Invalid, Refused or StaleBase and nothing changed, else the publication that made it live."""
    say = translator(locale)
    live = _live(db)
    restoring = publish.origin == "restore"
    if publish.base_signature is not None and publish.base_signature != live.signature:
        raise _stale(db, publish.base_signature, locale, restoring)
    app, problems = validate_texts(texts)
    if app is None:
        raise Invalid(say(N_("the definitions have problems; nothing was published")),
                      problem_dicts(problems, locale))
    if app.signature == live.signature:  # nothing new: the live publication stays
        return Published(live.publication_id, live.version_id, live.signature, [])
    live_app = _loaded(version_texts(db, live.version_id))
    try:
        plan = sync_schema(db, app, publish)
    except SchemaChangeRefused as exc:
        raise Refused(say(N_("the change would lose stored data; nothing was published")),
                      _refusals(db, live_app, app, exc.reasons, locale)) from None
    except LiveSetMoved:
        raise _stale(db, publish.base_signature, locale, restoring) from None
    with speaking(locale):  # what it did to the data, as the review said it (the reader's language)
        changes = definition_review.plan_texts(plan, live_app, app)["changes"]
    return Published(publish.publication_id, _version_by_signature(db, app.signature) or 0, app.signature, changes)


def publish_draft(db: Database, user: Any, base_signature: Any, note: Any, locale: str | None) -> Published:
    """Publish the caller's draft (see the module docstring); the draft is deleted when it went live."""
    admins_only(user)
    draft = _draft_row(db, user.name)
    if draft is None:
        raise NotFound("no draft to publish")
    base = base_signature if isinstance(base_signature, str) else draft["base_signature"]
    texts, problems = texts_of(draft["sources"])
    if problems:
        raise Invalid(translator(locale)(N_("the definitions have problems; nothing was published")),
                      problem_dicts(problems, locale))
    done = apply_texts(db, texts, Publish(origin="designer", by=user.name, note=_note(note), base_signature=base),
                       locale)
    discard_draft(db, user)
    return done


def restore(db: Database, user: Any, publication_id: int, base_signature: Any, note: Any,
            locale: str | None) -> Published:
    """Publish an earlier publication's texts again, as a new publication. `base_signature`
    (required): the live set the admin saw; when it is live no more, nothing is restored."""
    admins_only(user)
    with db.session() as session:
        if _publication_row(session, publication_id) is None:
            raise NotFound(f"no publication {publication_id}")
    if not isinstance(base_signature, str) or not base_signature:
        raise BadRequest("'base_signature' must be the signature of the live set you restore over (text)")
    return restore_publication(db, publication_id, user.name, base_signature, note, locale)


def _forms_of(docs: Mapping[str, Any]) -> dict[str, dict]:
    """form name → its document, over the files (the first of a name)."""
    found: dict[str, dict] = {}
    for doc in docs.values():
        forms = doc.get("forms") if isinstance(doc, dict) else None
        for form in forms if isinstance(forms, list) else []:
            if isinstance(form, dict) and isinstance(form.get("name"), str):
                found.setdefault(form["name"], form)
    return found


def _roles_of(docs: Mapping[str, Any]) -> dict[str, dict]:
    """role name → its declaration, over the files (the first of a name)."""
    found: dict[str, dict] = {}
    for doc in docs.values():
        for name, role in _named_items(doc.get("roles") if isinstance(doc, dict) else None).items():
            found.setdefault(name, role)
    return found


def _named_items(items: Any) -> dict[str, dict]:
    return {item["name"]: item for item in items if isinstance(item, dict) and isinstance(item.get("name"), str)} \
        if isinstance(items, list) else {}


def _reverse(live_items: dict[str, dict], old_items: dict[str, dict], touched: list[dict]) -> None:
    """Where a live item is renamed from a name the old set has (and the old set has not the live
    name), the old item gets `renamed_from` = the live name: applying it renames back."""
    for name, item in live_items.items():
        was = item.get("renamed_from")
        if isinstance(was, str) and was in old_items and name not in old_items:
            target = old_items[was]
            if target.get("renamed_from") != name:
                target["renamed_from"] = name
                touched.append(target)


def reverse_renames(live_docs: Mapping[str, Any], old_docs: dict[str, Any]) -> bool:
    """Make `old_docs` (an earlier set, changed in place) undo the renames of roles, forms, fields
    (also line-item columns) and stages made since: each old item whose name a live item is renamed
    from gets `renamed_from` = the live name, so the table, column or stage is renamed back and
    the values typed meanwhile follow (and a role's users move back). Whether anything changed."""
    touched: list[dict] = []
    live_roles, old_roles = _roles_of(live_docs), _roles_of(old_docs)
    _reverse(live_roles, old_roles, touched)
    live_forms, old_forms = _forms_of(live_docs), _forms_of(old_docs)
    _reverse(live_forms, old_forms, touched)
    for name, live_form in live_forms.items():
        old_form = old_forms.get(name)
        if old_form is None and isinstance(live_form.get("renamed_from"), str):
            old_form = old_forms.get(live_form["renamed_from"])
        if old_form is None:
            continue
        live_fields, old_fields = _named_items(live_form.get("fields")), _named_items(old_form.get("fields"))
        _reverse(live_fields, old_fields, touched)
        for fname, live_field in live_fields.items():
            old_field = old_fields.get(fname) or old_fields.get(str(live_field.get("renamed_from")))
            if old_field is not None:
                _reverse(_named_items(live_field.get("fields")), _named_items(old_field.get("fields")), touched)
        live_flow, old_flow = live_form.get("workflow"), old_form.get("workflow")
        if isinstance(live_flow, dict) and isinstance(old_flow, dict):
            _reverse(_named_items(live_flow.get("stages")), _named_items(old_flow.get("stages")), touched)
    return bool(touched)


def restore_texts(db: Database, publication_id: int) -> dict[str, str]:
    """The texts a restore of `publication_id` publishes: that version's, with the renames made
    since reversed (see `reverse_renames`; a file changed so is written as canonical text)."""
    with db.session() as session:
        row = _publication_row(session, publication_id)
    if row is None:
        raise NotFound(f"no publication {publication_id}")
    old_texts = version_texts(db, row["version_id"])
    live_docs = parse_texts(version_texts(db, _live(db).version_id))
    docs = parse_texts(old_texts)
    before = {name: canonical_text(doc) for name, doc in docs.items() if isinstance(doc, dict)}
    if not reverse_renames(live_docs, docs):
        return old_texts
    changed = {name: canonical_text(doc) for name, doc in docs.items()
               if isinstance(doc, dict) and canonical_text(doc) != before[name]}
    return {name: changed.get(name, text) for name, text in old_texts.items()}


def restore_review(db: Database, user: Any, publication_id: int, locale: str | None) -> dict:
    """What restoring `publication_id` would do, as the draft review says it: `problems`, `summary`,
    `diff`, `plan` ({changes, refusals}), `live_signature`, `publication`."""
    admins_only(user)
    live = _live(db)
    texts = restore_texts(db, publication_id)
    app, problems = validate_texts(texts)
    reviewed = _reviewed(db, version_texts(db, live.version_id), texts, app, locale)
    return {"summary": [], "diff": {}, **reviewed, "problems": problem_dicts(problems, locale),
            "live_signature": live.signature, "publication": publication_id}


def restore_publication(db: Database, publication_id: int, by: str | None, base_signature: Any, note: Any,
                        locale: str | None) -> Published:
    """`restore` for a caller already allowed (the command line: no base)."""
    if base_signature is not None and not isinstance(base_signature, str):
        raise BadRequest("'base_signature' must be text")
    texts = restore_texts(db, publication_id)
    return apply_texts(db, texts, Publish(origin="restore", by=by, note=_note(note), restored_from=publication_id,
                                          base_signature=base_signature or None), locale)


# -- the files of a config directory ---------------------------------------------------------

def _same_folder(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def export_files(db: Database, folder: str | Path, config_dir: str | Path) -> tuple[list[str], list[str], str]:
    """Write the live set's texts into `folder`, byte for byte, and remove the module files it
    does not have; (written, removed, signature). Into the config directory, the files are
    then in step with the live set (`files_signature`)."""
    live = _live(db)
    texts = version_texts(db, live.version_id)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written, removed = [], []
    for name, text in sorted(texts.items()):
        path = target / name
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        fd, tmp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(name)
    for path in sorted(target.glob("*.json")):
        if path.name not in texts and path.is_file():
            path.unlink()
            removed.append(path.name)
    if _same_folder(target, config_dir):
        set_files_signature(db, live.signature)
    return written, removed, live.signature


def import_files(db: Database, folder: str | Path, config_dir: str | Path, note: Any,
                 locale: str | None) -> Published:
    """Apply the module files of `folder` as the live set now, even over designer changes (the
    check, schema plan and refusals of publishing)."""
    from engine.definitions import read_sources

    live = _live(db)
    try:
        texts = read_sources(folder)
    except DefinitionError as exc:
        raise Invalid(translator(locale)(N_("the definitions have problems; nothing was published")),
                      problem_dicts(list(exc.problems), locale)) from None
    in_config = _same_folder(folder, config_dir)
    files_signature = signature_of(texts) if in_config else live.files_in_step
    done = apply_texts(db, texts, Publish(origin="import", note=_note(note), base_signature=live.signature,
                                          files_signature=files_signature), locale)
    if in_config:
        set_files_signature(db, done.signature)
    return done


# -- rebase: a 3-way merge of documents ------------------------------------------------------

_MISSING: Any = object()


def _named(items: Any) -> dict[str, Any] | None:
    """name → item when `items` is a list of objects with distinct "name"s, else None."""
    if not isinstance(items, list):
        return None
    found: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or item["name"] in found:
            return None
        found[item["name"]] = item
    return found


def _escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def merge(base: Any, mine: Any, theirs: Any, pointer: str, conflicts: list[str]) -> Any:
    """Three-way merge: what both sides changed from `base`; objects key by key, arrays of
    objects with a "name" item by item; where both changed the same thing differently,
    mine wins and the pointer is recorded in `conflicts`. _MISSING: absent."""
    if mine == theirs:
        return mine
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    if all(isinstance(v, dict) for v in (mine, theirs)) and isinstance(base, dict | type(_MISSING)):
        base_d = base if isinstance(base, dict) else {}
        out: dict[str, Any] = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            value = merge(base_d.get(key, _MISSING), mine.get(key, _MISSING), theirs.get(key, _MISSING),
                          f"{pointer}/{_escape(key)}", conflicts)
            if value is not _MISSING:
                out[key] = value
        return out
    m, t = _named(mine), _named(theirs)
    b = _named(base) if base is not _MISSING else {}
    if m is not None and t is not None and b is not None:
        order = list(t)
        for i, name in enumerate(m):  # mine's new items after their predecessor in mine
            if name in t or name in b:
                continue
            before = next((n for n in reversed(list(m)[:i]) if n in order), None)
            order.insert(order.index(before) + 1 if before is not None else 0, name)
        merged = []
        mine_order, their_order = list(m), list(t)
        for name in order:
            index = mine_order.index(name) if name in m else their_order.index(name)
            value = merge(b.get(name, _MISSING), m.get(name, _MISSING), t.get(name, _MISSING),
                          f"{pointer}/{index}", conflicts)
            if value is not _MISSING:
                merged.append(value)
        return merged
    conflicts.append(pointer)
    return mine if mine is not _MISSING else theirs


def rebase(db: Database, user: Any, locale: str | None) -> dict:
    """Re-base the caller's draft on the live set, keeping their changes; answers like
    `designer_state` with `conflicts` ({file, pointer, message}: where both changed the same
    thing, the draft's side was kept)."""
    admins_only(user)
    live = _live(db)
    draft = _draft_row(db, user.name)
    if draft is None:
        raise NotFound("no draft to rebase")
    base_id = _version_by_signature(db, draft["base_signature"])
    base = parse_texts(version_texts(db, base_id)) if base_id is not None else {}
    theirs = parse_texts(version_texts(db, live.version_id))
    found: list[str] = []
    merged = merge(base, draft["sources"], theirs, "", found)
    say = translator(locale)
    conflicts = []
    for where in found:
        file, _sep, rest = where.lstrip("/").partition("/")
        file = file.replace("~1", "/").replace("~0", "~")
        conflicts.append({"file": file, "pointer": f"/{rest}" if rest else "",
                          "message": say(N_("changed both in your draft and in the live definitions; "
                                            "your draft's version was kept"))})
    save_draft(db, user, live.signature, merged, locale)
    answer = designer_state(db, user, locale)
    answer["conflicts"] = conflicts
    return answer
