"""The CPU a definition reload costs the serving process (not a timed test).

The set of bench/startup_defs.py (50 forms x 40 fields) on an initialised database; one field is
added to one form RELOADS times, and each time the holder's reload is run as the reload thread
runs it (`refresh(aside=True)`, or `refresh()` for an engine without it); printed: the CPU time of
that thread in milliseconds and, of it, the time spent in the cyclic garbage collector. Thread CPU
time does not count waiting, so the figure holds on a loaded machine; a child process's CPU is not
the serving process's.

    .venv/bin/python bench/reload_cpu.py sqlite                # this tree
    .venv/bin/python bench/reload_cpu.py postgres /tmp/base    # an extracted older tree
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELOADS = 3


def main() -> None:
    kind = sys.argv[1]
    root = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else ROOT
    sys.path.insert(0, str(root))
    sys.path.insert(1, str(ROOT))
    from bench.startup import Scratch
    from bench.startup_defs import write

    tmp = Path(tempfile.mkdtemp(prefix="bench-reload-cpu-"))
    folder = write(tmp / "defs", indexes=root == ROOT)
    scratch = Scratch(kind, tmp)
    url = scratch.new()
    env = {**os.environ, "DATABASE_URL": url, "ENGINE_CONFIG_DIR": str(folder), "ENGINE_SECRET_KEY": "bench",
           "ENGINE_ADMIN_PASSWORD": "bench-password-1"}
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r}); "
                    "from engine.cli import main; main()", "init"], env=env, check=True, capture_output=True)
    import engine
    from engine.runtime import RuntimeHolder
    from engine.store.db import Database

    assert Path(engine.__file__).resolve().is_relative_to(root), engine.__file__
    holder = RuntimeHolder(folder, Database(url), interval=0.5)
    in_gc, started = [0.0], [0.0]

    def collector(phase: str, _info: dict) -> None:
        if phase == "start":
            started[0] = time.thread_time()
        else:
            in_gc[0] += time.thread_time() - started[0]
    gc.callbacks.append(collector)
    rows = []
    try:
        for n in range(RELOADS):
            path = folder / "mod4.json"
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc["forms"][0]["fields"].append({"name": f"added{n}", "type": "text", "label": "Added"})
            path.write_text(json.dumps(doc), encoding="utf-8")
            time.sleep(2.1)  # past the files' racy window and the interval
            in_gc[0], began = 0.0, time.thread_time()
            try:
                switched = holder.refresh(force=True, aside=True)
            except TypeError:  # an engine before reloads beside the requests were told apart
                switched = holder.refresh(force=True)
            assert switched
            rows.append(f"{(time.thread_time() - began) * 1000:.0f} ({in_gc[0] * 1000:.0f})")
    finally:
        scratch.drop()
    print(f"{kind} {root}: reload CPU of the serving process, ms (of which GC): {' / '.join(rows)}; "
          f"load {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
