"""Checking (and applying) a definition set in a child process.

A reload beside the requests (ENGINE_RELOAD_INTERVAL above 0) validates the new set and, for
changed files, plans and applies it to the database: about a second of CPU for a large set. In a
thread of the serving process that CPU is shared with the requests through the interpreter's
lock, and requests wait for it (docs/benchmarks.md, `startup`). So the serving process hands it to
a child: `python -m engine.store.offload` (a fresh interpreter of the same engine, at a lower
priority), which reads one JSON job on stdin and writes one JSON answer on stdout. Only the answer
comes back; the serving process then builds the set it was told is valid (engine.definitions.
checked_elsewhere) without checking it again.

Job: `{"url": database URL, "sources": {file: text}, "apply": null | {"live_signature",
"files_signature", "base_signature", "record": bool}}`. Without `apply` the texts are only
validated. With it they are also applied (the same `sync_schema` as in-process: under the
database lock, as a publication from the files), and a refusal is recorded for every process.

Answer: `{"outcome": "valid" | "invalid" | "applied" | "refused" | "moved", "problems": [...]}`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from engine.definitions import load_sources
from engine.errors import DefinitionError, SchemaChangeRefused, bounded_lines
from engine.store.db import Database
from engine.store.definition_state import LiveSetMoved, Publish, record_refusal
from engine.store.sync import sync_schema

#: Added to the child's nice value: the requests of the serving processes come first.
NICENESS = 5
#: Seconds a child may take before it is given up (the reload is then tried in-process).
TIMEOUT = 300.0


class OffloadFailed(RuntimeError):
    """The child could not run or did not answer (not: the set is invalid)."""


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Do one job (in the child): validate, and apply if asked."""
    sources = job["sources"]
    apply = job.get("apply")
    db = Database(job["url"]) if apply is not None else None
    try:
        try:
            app = load_sources(sources)
        except DefinitionError as exc:
            return _refused(db, apply, "invalid", exc.lines())
        if apply is None or db is None:
            return {"outcome": "valid", "problems": []}
        try:
            sync_schema(db, app, Publish(origin="files", files_signature=apply["files_signature"],
                                         base_signature=apply["base_signature"]))
        except SchemaChangeRefused as exc:
            return _refused(db, apply, "refused", bounded_lines(exc.reasons))
        except LiveSetMoved:
            return {"outcome": "moved", "problems": []}
        return {"outcome": "applied", "problems": []}
    finally:
        if db is not None:
            db.dispose()


def _refused(db: Database | None, apply: dict[str, Any] | None, outcome: str, problems: list[str]) -> dict[str, Any]:
    if db is not None and apply is not None and apply.get("record", True):
        record_refusal(db, apply["live_signature"], apply["files_signature"], problems)
    return {"outcome": outcome, "problems": problems}


def in_child(db: Database, sources: dict[str, str], apply: dict[str, Any] | None = None,
             timeout: float = TIMEOUT) -> dict[str, Any]:
    """Run one job in a child process and return its answer; OffloadFailed when the child could not
    be started, failed or did not answer in time. The database URL (with its password) goes on
    stdin, never on the command line."""
    job = {"url": db.url.render_as_string(hide_password=False), "sources": sources, "apply": apply}
    package_root = str(Path(__file__).resolve().parents[2])  # the engine the parent runs, not another
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        done = subprocess.run([sys.executable, "-m", "engine.store.offload"], input=json.dumps(job),
                              capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OffloadFailed(f"the definitions check could not run in a child process: {exc}") from exc
    if done.returncode != 0:
        raise OffloadFailed(f"the definitions check in a child process failed ({done.returncode}): "
                            f"{done.stderr.strip()[-2000:]}")
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise OffloadFailed(f"the definitions check in a child process gave no answer: {done.stdout[-200:]!r}") from exc
    if not isinstance(answer, dict) or answer.get("outcome") not in ("valid", "invalid", "applied", "refused", "moved"):
        raise OffloadFailed(f"the definitions check in a child process gave an unknown answer: {answer!r}")
    return answer


def main() -> None:
    try:
        os.nice(NICENESS)
    except OSError:  # not allowed here: run at the parent's priority
        pass
    job = json.loads(sys.stdin.read())
    print(json.dumps(run_job(job)))


if __name__ == "__main__":
    main()
