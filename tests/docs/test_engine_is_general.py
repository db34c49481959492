"""The engine is general: the shipped modules are configuration only, so nothing under engine/
(code, comments, help texts, the schema, the translations) names one of their forms, their
serial-number fields or the forms' Chinese titles."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Form names that are also ordinary words of the engine's own texts ("the product's language").
ORDINARY = {"contact", "payment", "product"}
TEXT_FILES = {".py", ".js", ".mjs", ".html", ".css", ".json", ".po", ".pot", ".txt", ".md"}


def module_words() -> set[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "configs").glob("*.json")):
        for form in json.loads(path.read_text(encoding="utf-8")).get("forms", []):
            if form["name"] not in ORDINARY:
                words.add(form["name"])
            title = form.get("title")
            words.add(title["zh-CN"] if isinstance(title, dict) else title)
            words |= {field["name"] for field in form["fields"] if field["name"].endswith("_no")}
    return words


def test_the_shipped_modules_name_what_the_test_looks_for():
    words = module_words()
    assert {"customer", "order_no", "客户"} <= words


def test_no_module_word_in_the_engine():
    words = module_words()
    found = []
    for path in sorted((ROOT / "engine").rglob("*")):
        if path.suffix not in TEXT_FILES or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("#~"):  # an obsolete catalogue entry: no longer used
                continue
            lowered = line.lower()
            found += [f"{path.relative_to(ROOT)}:{number}: {word}" for word in words if word.lower() in lowered]
    assert found == [], "module words in engine/ (use neutral names such as {name}, due_date)"
