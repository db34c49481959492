"""Editing one module file's text from the admin pages (the JSON editor for power users).

The edit goes through the path of the designer (engine.services.designer): the new text,
with every other file of the live set as it is, is validated and its schema change planned,
and only a set that would go live is published, as a new version of the live set in the
database (origin "editor", by the admin), never written to the config directory: every
process and host serves it within its reload interval; `engine config export` writes it to
the files. A page that was opened on another live set than the current one is refused
(nothing is overwritten)."""
from __future__ import annotations

from engine.definitions import load_sources
from engine.errors import DefinitionError, NotFound, SchemaChangeRefused, bounded_lines
from engine.i18n import N_
from engine.runtime import RuntimeHolder
from engine.store.definition_state import LiveSetMoved, Publish, live_set, version_sources
from engine.store.sync import plan_sync, sync_schema

MAX_TEXT = 2 * 1024 * 1024
NO_BASE = N_("the page did not say which version of the definitions it was opened on, so nothing was saved: "
             "reload the page and make your change again")
MOVED = N_("the live definitions changed while you edited (another admin published): reload the page and "
           "make your change again")


def _live_texts(holder: RuntimeHolder) -> tuple[str, dict[str, str]]:
    live = live_set(holder.db)
    if live is None:
        raise NotFound("the database has no live definitions")
    return live.signature, version_sources(holder.db, live.version_id)


def _module_texts(holder: RuntimeHolder, name: str) -> tuple[str, dict[str, str]]:
    """`_live_texts`, NotFound for a name the live set does not have."""
    signature, texts = _live_texts(holder)
    if "/" in name or "\\" in name or not name.endswith(".json") or name not in texts:
        raise NotFound(f"no definition file {name!r}")
    return signature, texts


def live_text(holder: RuntimeHolder, name: str) -> tuple[str, str]:
    """(the live signature, the live text of module file `name`); NotFound for a name the
    live set does not have."""
    signature, texts = _module_texts(holder, name)
    return signature, texts[name]


def _terminated(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _problems(holder: RuntimeHolder, name: str, text: str, sources: dict[str, str]) -> list[str]:
    """`check` against the live texts `sources` (changed in place)."""
    if len(text.encode()) > MAX_TEXT:
        return [f"{name}: the file is larger than {MAX_TEXT // 2**20} MB"]
    sources[name] = text
    try:
        app = load_sources(sources)
    except DefinitionError as exc:
        return exc.lines()
    plan = plan_sync(holder.db, app)
    return bounded_lines([f"{name}: {refusal}" for refusal in plan.refusals])


def check(holder: RuntimeHolder, name: str, text: str) -> list[str]:
    """The problems the new text would cause, as `file: /pointer: message` lines (empty: fine);
    at most MAX_PROBLEMS_SHOWN of them and a count of the rest."""
    return _problems(holder, name, text, _live_texts(holder)[1])


def save(holder: RuntimeHolder, name: str, text: str, by: str | None = None,
         base_signature: str | None = None) -> list[str]:
    """Publish the live set with this file's text replaced, if it validates and its schema change
    is allowed and the live set is still `base_signature` (the one the page was opened on:
    required); returns the problems otherwise and changes nothing."""
    sources = _module_texts(holder, name)[1]
    problems = _problems(holder, name, text, dict(sources))
    if problems:
        return problems
    if not base_signature:
        return [NO_BASE]
    sources[name] = _terminated(text)
    try:
        sync_schema(holder.db, load_sources(sources),
                    Publish(origin="editor", by=by, base_signature=base_signature))
    except DefinitionError as exc:
        return exc.lines()
    except SchemaChangeRefused as exc:  # another process changed the data in between
        return bounded_lines([f"{name}: {refusal}" for refusal in exc.reasons])
    except LiveSetMoved:
        return [MOVED]
    holder.refresh(force=True)
    return []


__all__ = ["live_text", "check", "save", "SchemaChangeRefused"]
