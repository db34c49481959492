"""A definition file with thousands of mistakes gets a short answer: unknown keys are named
up to a limit and counted, and one file set reports at most MAX_PROBLEMS_SHOWN problems plus
a count of the rest (loader, DefinitionError, `engine validate`)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from engine.definitions import load_sources
from engine.definitions.loader import MAX_KEYS_LISTED
from engine.errors import MAX_PROBLEMS_SHOWN, DefinitionError, Problem

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / ".venv" / "bin" / "engine"


def many_keys(n: int = 50_000) -> str:
    doc = {"module": "crm", "title": "t", "forms": []}
    doc.update({f"k{i}": 1 for i in range(n)})
    return json.dumps(doc)


def many_schema_errors(n: int = 5_000) -> str:
    return json.dumps({"module": "crm", "title": "t", "forms": [1] * n})


def test_unknown_keys_are_listed_up_to_a_limit_and_counted():
    with pytest.raises(DefinitionError) as info:
        load_sources({"crm.json": many_keys()})
    [problem] = info.value.problems
    assert problem.pointer in ("", "/")
    assert len(problem.message) < 1_000, len(problem.message)
    assert problem.message.startswith("unknown keys 'k0', 'k1', 'k2'")  # in the file's order
    assert f"… and {50_000 - MAX_KEYS_LISTED:,} more; allowed: " in problem.message
    assert "'k49999'" not in problem.message


def test_one_or_a_few_unknown_keys_keep_their_hints():
    with pytest.raises(DefinitionError) as info:
        load_sources({"crm.json": json.dumps({"module": "crm", "title": "t", "forms": [], "rolse": []})})
    [problem] = info.value.problems
    assert problem.message.startswith("unknown key 'rolse' (did you mean 'roles'?); allowed: ")


def test_schema_errors_past_the_limit_are_counted_not_listed():
    with pytest.raises(DefinitionError) as info:
        load_sources({"crm.json": many_schema_errors()})
    lines = info.value.lines()
    assert len(lines) <= MAX_PROBLEMS_SHOWN
    assert f"crm.json: /: {5_000 - MAX_PROBLEMS_SHOWN + 1:,} more problems in this file are not listed" in lines
    assert len(str(info.value)) < 20_000


def test_a_definition_set_shows_at_most_the_limit_and_counts_the_rest():
    error = DefinitionError(Problem(f"m{i:03}.json", "/title", "too long") for i in range(500))
    lines = error.lines()
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == f"… and {500 - MAX_PROBLEMS_SHOWN} more problems"
    assert lines[0] == "m000.json: /title: too long"
    assert str(error) == "\n".join(lines)
    assert len(error.problems) == 500  # every problem is still there for code that needs it


@pytest.mark.parametrize("text", [many_keys(), many_schema_errors(50_000)])
def test_engine_validate_prints_a_short_answer(tmp_path, text):
    (tmp_path / "crm.json").write_text(text, encoding="utf-8")
    run = subprocess.run([str(ENGINE), "validate", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert len(run.stdout) < 20_000, len(run.stdout)
    assert len(run.stdout.splitlines()) <= MAX_PROBLEMS_SHOWN + 1
    assert "more" in run.stdout
