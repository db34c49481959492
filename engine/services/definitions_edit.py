"""Editing a definition file from the admin pages: the new text is validated with every
other file as it is and the schema change planned, and only a set that would go live is
written (atomically); then this process reloads at once (the others within their reload
interval). With several hosts, point them at a shared configuration directory."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from engine.definitions import load_sources
from engine.definitions.loader import read_sources
from engine.errors import DefinitionError, NotFound, SchemaChangeRefused, bounded_lines
from engine.runtime import RuntimeHolder
from engine.store.sync import plan_sync

MAX_TEXT = 2 * 1024 * 1024


def module_path(holder: RuntimeHolder, name: str) -> Path:
    folder = Path(holder.config_dir)
    path = folder / name
    if "/" in name or "\\" in name or not name.endswith(".json") or not path.is_file():
        raise NotFound(f"no definition file {name!r}")
    return path


def check(holder: RuntimeHolder, name: str, text: str) -> list[str]:
    """The problems the new text would cause, as `file: /pointer: message` lines (empty: fine);
    at most MAX_PROBLEMS_SHOWN of them and a count of the rest."""
    if len(text.encode()) > MAX_TEXT:
        return [f"{name}: the file is larger than {MAX_TEXT // 2**20} MB"]
    sources = read_sources(holder.config_dir)
    sources[name] = text
    try:
        app = load_sources(sources)
    except DefinitionError as exc:
        return exc.lines()
    plan = plan_sync(holder.db, app)
    return bounded_lines([f"{name}: {refusal}" for refusal in plan.refusals])


def save(holder: RuntimeHolder, name: str, text: str) -> list[str]:
    """Write the file if the whole set validates and its schema change is allowed; returns the
    problems otherwise and changes nothing."""
    path = module_path(holder, name)
    problems = check(holder, name, text)
    if problems:
        return problems
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    holder.refresh(force=True)
    if holder.problems:  # e.g. another process changed the schema in between: the file stays, reported
        return holder.problems
    return []


__all__ = ["module_path", "check", "save", "SchemaChangeRefused"]
