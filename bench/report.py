"""docs/benchmarks.md holds one section per benchmark script; each script rewrites only its own."""
from __future__ import annotations

import re
from pathlib import Path

HEADER = """# Benchmarks

Each section is written by its script in `bench/` (`make bench` runs them all); rerun one to
refresh its figures. These are measurements, not tests: nothing fails on a slow number.
"""


def replace_section(path: Path, key: str, body: str) -> None:
    """Put `body` between this key's markers, keeping every other section as it is."""
    start, end = f"<!-- section:{key} -->", f"<!-- /section:{key} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text.startswith("# Benchmarks"):
        text = HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")
