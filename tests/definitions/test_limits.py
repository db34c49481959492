"""Definition files that are too deep, too large or hold text no database stores are
problems (`file: /pointer: message`), never a crash: in the loader, `engine validate`
and the admin's definition editor."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from engine.definitions import load_sources
from engine.definitions.loader import MAX_DEPTH, MAX_FILE_CHARS
from engine.errors import DefinitionError

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / ".venv" / "bin" / "engine"
HEAD = '{"module": "zz", "title": "t", "forms": '

CASES = {
    "deep_arrays": (HEAD + "[" * 100_000 + "]" * 100_000 + "}", "/", "nested more than"),
    "deep_but_parsable": (HEAD + "[" * 900 + "]" * 900 + "}", "/forms/0/0", "nested more than"),
    "deep_objects": (HEAD + "[" + '{"a":' * 200 + "1" + "}" * 200 + "]}", "/forms/0/a", "nested more than"),
    "lone_surrogate": ('{"module": "zz", "title": "\\ud800", "forms": []}', "/title", "lone surrogates"),
    "nul": ('{"module": "zz", "title": "a\\u0000", "forms": []}', "/title", "NUL"),
    "nul_in_key": ('{"module": "zz", "title": "t", "forms": [], "x\\u0000": 1}', "/", "NUL"),
    "huge": ('{"module": "zz", "title": "' + "x" * (MAX_FILE_CHARS + 1) + '", "forms": []}', "/", "larger than"),
    "many_digits": ('{"module": "zz", "title": "t", "forms": [' + "9" * 5000 + "]}", "/", "invalid JSON"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_shapes_are_problems_with_a_pointer(case):
    text, pointer, words = CASES[case]
    with pytest.raises(DefinitionError) as info:
        load_sources({"zz.json": text})
    problems = info.value.problems
    assert len(problems) <= 3
    assert any(p.file == "zz.json" and p.pointer.startswith(pointer.rstrip("/")) and words in p.message
               for p in problems), problems


def test_the_shipped_modules_are_well_within_the_depth_limit():
    for path in (ROOT / "configs").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        depth = max_depth = 0
        for ch in text:  # strings in the shipped files hold no brackets that matter here
            depth += ch in "[{"
            depth -= ch in "]}"
            max_depth = max(max_depth, depth)
        assert max_depth < MAX_DEPTH // 2, path


@pytest.mark.parametrize("case", ["deep_arrays", "lone_surrogate"])
def test_engine_validate_prints_one_problem_line_and_exits_1(tmp_path, case):
    folder = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", folder)
    (folder / "zz.json").write_text(CASES[case][0], encoding="utf-8")
    result = subprocess.run([str(ENGINE), "validate", str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines and all(line.startswith("zz.json: /") for line in lines), result.stdout[-500:]


def test_the_shipped_modules_still_load():
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "configs").glob("*.json")}
    assert load_sources(sources).forms


def test_a_json_path_that_cannot_be_read_is_a_problem(tmp_path):
    from engine.definitions import load_directory

    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    (tmp_path / "configs" / "sub.json").mkdir()
    with pytest.raises(DefinitionError) as info:
        load_directory(tmp_path / "configs")
    assert [str(p) for p in info.value.problems] == ["sub.json: /: cannot be read: Is a directory"]
