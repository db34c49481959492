"""The broken-config corpus (tests/configs/bad/): each module file holds ONE deliberate
error; `expected.json` names the file, JSON pointer and a substring of the message the
validator must report, and nothing else may be reported for that file.

expected.json entries: {"pointer": P, "contains": S} and optionally
  "file": the reported file (directory cases, whose key ends in "/"),
  "also": [{"pointer", "contains"}, ...] further problems that legitimately belong to the
          same error, with "why" saying why they are expected.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from engine.definitions import load_directory, load_sources
from engine.errors import DefinitionError, Problem

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "configs" / "bad"
SHIPPED = ROOT / "configs"
ENGINE = ROOT / ".venv" / "bin" / "engine"
EXPECTED: dict[str, dict[str, Any]] = json.loads((BAD / "expected.json").read_text("utf-8"))

# `file: /json/pointer: message` (the root pointer is printed as "/").
LINE = re.compile(r"^(?P<file>[^:\s][^:]*\.json): (?P<pointer>/[^:]*): (?P<message>\S.*)$")


def problems_of(case: str) -> list[Problem]:
    """Load one corpus case from a folder of its own, as `engine validate` would."""
    import shutil
    import tempfile

    with pytest.raises(DefinitionError) as info:
        if case.endswith("/"):
            load_directory(BAD / case)
        else:
            with tempfile.TemporaryDirectory() as folder:
                shutil.copy(BAD / case, folder)
                load_directory(folder)
    return info.value.problems


def wanted(case: str) -> list[tuple[str, str, str]]:
    """(file, pointer, substring) of every problem the case must produce."""
    entry = EXPECTED[case]
    file = entry.get("file", case)
    # Some errors are legitimately reported more than once, e.g. a duplicate field name is
    # flagged on both fields of the pair; those extra problems are listed under "also".
    extra = [(file, a["pointer"], a["contains"]) for a in entry.get("also", ())]
    return [(file, entry["pointer"], entry["contains"]), *extra]


def matches(problem: Problem, want: tuple[str, str, str]) -> bool:
    file, pointer, contains = want
    return problem.file == file and problem.pointer == pointer and contains in problem.message


def show(problems: list[Problem]) -> str:
    return "\n".join(str(p)[:300] for p in problems)


# -- the corpus ----------------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    """Every bad file has an expectation and every expectation has its file."""
    on_disk = {p.name for p in BAD.glob("*.json")} - {"expected.json"}
    on_disk |= {f"{d.name}/" for d in BAD.iterdir() if d.is_dir()}
    assert on_disk == set(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_config_reports_the_intended_problem(case: str) -> None:
    problems = problems_of(case)
    for want in wanted(case):
        assert any(matches(p, want) for p in problems), f"missing {want}; got:\n{show(problems)}"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_config_reports_nothing_else(case: str) -> None:
    """No collateral noise: every problem reported belongs to the deliberate error."""
    problems = problems_of(case)
    noise = [p for p in problems if not any(matches(p, w) for w in wanted(case))]
    assert not noise, f"unexpected problems:\n{show(noise)}"


def test_duplicate_form_is_blamed_on_the_later_file() -> None:
    problems = problems_of("duplicate_form/")
    assert [p.file for p in problems] == ["b_second.json"]
    assert "a_first.json" in problems[0].message


def test_duplicate_form_pair_is_valid_once_renamed() -> None:
    """The pair's only problem is the shared form name (b_second uses a_first's roles)."""
    first = (BAD / "duplicate_form" / "a_first.json").read_text("utf-8")
    second = json.loads((BAD / "duplicate_form" / "b_second.json").read_text("utf-8"))
    second["forms"][0]["name"] = "second_ticket"
    app = load_sources({"a_first.json": first, "b_second.json": json.dumps(second)})
    assert set(app.forms) == {"ticket", "second_ticket"}


@pytest.mark.parametrize("formula, where", [
    ("sum(items.qty) + len(items)", "len(items) > 0"),
    ("max(items.qty)", "sum(items.qty) >= 2 and 'a' in tags"),
    ("min(amount, 3)", "'b' not in tags"),
])
def test_list_valued_fields_in_the_right_places_are_accepted_as_written(formula: str, where: str) -> None:
    """Counterpart of expr_list_as_scalar / row_rule_file_field: valid list uses load, and the
    formula, the row rule and the chart filter keep what was written."""
    doc = {
        "module": "lists", "title": "列表", "roles": [{"name": "clerk"}],
        "forms": [{
            "name": "order", "title": "订单", "title_field": "subject",
            "fields": [
                {"name": "subject", "type": "text"},
                {"name": "amount", "type": "decimal"},
                {"name": "tags", "type": "multiselect", "options": ["a", "b"]},
                {"name": "items", "type": "table", "fields": [{"name": "qty", "type": "integer"}]},
                {"name": "calc", "type": "formula", "formula": formula},
            ],
            "permissions": {"clerk": {"read": {"where": where}}},
            "charts": [{"title": "数", "type": "number", "where": where}],
        }],
    }
    form = load_sources({"lists.json": json.dumps(doc, ensure_ascii=False)}).forms["order"]
    assert form.field("calc").settings["formula"].source == formula
    assert form.permissions["clerk"].read.where.source == where
    assert [chart.where.source for chart in form.charts] == [where]


# -- hostile and huge expressions ------------------------------------------------------------

HOSTILE = {
    "import": ("__import__('os')", "names starting with '_' are not allowed"),
    "lambda": ("lambda: 1", "lambda functions are not allowed"),
    "power": ("2**99999", "operator '**' is not allowed"),
    "dunder": ("(amount).__class__", "names starting with '_' are not allowed"),
    "huge": ("1+" * 50_000 + "1", "is too long"),  # 100,001 characters
    "nested": ("(" * 10_000 + "amount" + ")" * 10_000, "is too long"),
    "nested_short": ("(" * 500 + "amount" + ")" * 500, "nested too deeply"),
    "many_nodes": ("max(" + ",".join(["1"] * 600) + ")", "too large"),  # 1,204 characters
}


def module_with_formula(source: str) -> str:
    doc = {
        "module": "hostile",
        "title": "恶意表达式",
        "forms": [{
            "name": "ticket", "title": "工单", "title_field": "subject",
            "fields": [
                {"name": "subject", "type": "text", "label": "主题"},
                {"name": "amount", "type": "decimal", "label": "金额"},
                {"name": "score", "type": "formula", "label": "得分", "formula": source},
            ],
        }],
    }
    return json.dumps(doc, ensure_ascii=False)


def load_with_watchdog(text: str, seconds: float = 60.0) -> BaseException | None:
    """Load in a daemon thread; a hang (well past any reasonable time) fails the test
    instead of blocking the run. Returns the exception raised, None if none was."""
    outcome: list[BaseException | None] = []

    def work() -> None:
        try:
            load_sources({"hostile.json": text})
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the validator did not finish"
    return outcome[0]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_expression_is_rejected(name: str) -> None:
    source, message = HOSTILE[name]
    error = load_with_watchdog(module_with_formula(source))
    assert isinstance(error, DefinitionError), f"not rejected: {error!r}"
    assert [(p.file, p.pointer) for p in error.problems] == [
        ("hostile.json", "/forms/0/fields/2/formula")
    ], show(error.problems)
    assert message in error.problems[0].message


# -- the CLI, exactly as SPEC §1 documents it --------------------------------------------------


def run_validate(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ENGINE), "validate", str(directory)],
        capture_output=True, text=True, timeout=120, cwd=directory.parent,
    )


def test_cli_validate_shipped_configs_ok() -> None:
    result = run_validate(SHIPPED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""
    assert not [line for line in result.stderr.splitlines() if LINE.match(line)]


def test_cli_validate_reports_one_line_per_problem(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    # Two semantically broken modules; the second one's form is renamed so that the
    # two files do not also collide on the form name.
    shutil.copy(BAD / "duplicate_field_name.json", folder / "duplicate_field_name.json")
    doc = json.loads((BAD / "title_field_unknown.json").read_text("utf-8"))
    doc["forms"][0]["name"] = "other_ticket"
    (folder / "title_field_unknown.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    expected = wanted("duplicate_field_name.json") + wanted("title_field_unknown.json")

    result = run_validate(folder)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) == 3, result.stdout
    for line in lines:
        assert LINE.match(line), f"not `file: /json/pointer: message`: {line!r}"
    for file, pointer, contains in expected:
        prefix = f"{file}: {pointer}: "
        hits = [line for line in lines if line.startswith(prefix)]
        assert len(hits) == 1 and contains in hits[0], (prefix, lines)


def test_cli_validate_schema_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "configs"
    folder.mkdir()
    shutil.copy(BAD / "due_bad_unit.json", folder / "due_bad_unit.json")
    shutil.copy(BAD / "invalid_json_trailing_comma.json", folder / "broken.json")
    result = run_validate(folder)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    assert all(LINE.match(line) for line in lines), lines
    assert lines[0].startswith("broken.json: /: invalid JSON at line ")
    assert lines[1].startswith("due_bad_unit.json: /forms/0/workflow/stages/0/due: ")
