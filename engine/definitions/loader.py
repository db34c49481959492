"""Load every `*.json` module file of a directory into one validated AppDef.

Order of checks: JSON syntax → JSON Schema (per file) → build definitions →
cross-module names → semantic checks. Every problem is collected; any problem
means no AppDef.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from engine.errors import MAX_PROBLEMS_SHOWN, DefinitionError, Problem
from engine.json_reasons import reason_of

from .builder import Builder
from .checks import check_app
from .model import ADMIN_ROLE, AppDef, FormDef, ModuleDef, RoleDef
from .schema import module_validator

#: Limits on one module file: its size, and how deep its JSON may nest (a real module needs
#: about 10 levels; the schema check and the builders recurse, so depth is checked first).
MAX_FILE_CHARS = 2 * 1024 * 1024
MAX_DEPTH = 40
#: Unknown keys named in one problem line (the rest are counted).
MAX_KEYS_LISTED = 20
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_sources(directory: str | Path) -> dict[str, str]:
    """File name → text of every module file, in name order."""
    folder = Path(directory)
    if not folder.is_dir():
        raise DefinitionError([Problem(str(folder), "", "definitions directory does not exist")])
    sources, problems = {}, []
    for path in sorted(folder.glob("*.json")):
        try:
            sources[path.name] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path.name, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"))
        except OSError as exc:  # a directory named *.json, a file this user may not read
            problems.append(Problem(path.name, "", f"cannot be read: {exc.strerror or exc}"))
    if problems:
        raise DefinitionError(problems)
    return sources


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def load_directory(directory: str | Path) -> AppDef:
    return load_sources(read_sources(directory))


def signature_of(sources: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name, text in sorted(sources.items()):
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


def pointer_of(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _clip(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "..."


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def friendly_message(error: Any) -> str:
    """jsonschema's message, rephrased for an admin where it would quote regexes or schemas."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    described = schema.get("description")
    if error.validator == "required" and "zh-CN" in schema.get("properties", {}):
        return "a text in two languages needs its Chinese text, \"zh-CN\" (\"en\" is optional)"
    if error.validator == "type" and set(schema.get("properties", {})) == {"zh-CN", "en"}:
        return (f"{_short(error.instance)} is not a text: give a string or "
                "{\"zh-CN\": \"…\", \"en\": \"…\"}")
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed] if isinstance(error.instance, dict) else []
        if extra:
            import difflib

            hints = []
            for key in extra[:MAX_KEYS_LISTED]:  # a hint costs a fuzzy match: only for those shown
                close = difflib.get_close_matches(key, allowed, 1)
                hints.append(f"'{_clip(key)}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
            if len(extra) > MAX_KEYS_LISTED:
                return (f"unknown keys {', '.join(hints)}, … and {len(extra) - MAX_KEYS_LISTED:,} more; "
                        f"allowed: {', '.join(allowed)}")
            return f"unknown key {', '.join(hints)}; allowed: {', '.join(allowed)}"
    if error.validator == "pattern" and described:
        return f"{_short(error.instance)} is not valid here: {described}"
    if error.validator == "type":  # JSON-style value; the type names are catalogue msgids
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"{_short(error.instance)} is not of type {', '.join(repr(str(t)) for t in types)}"
    if (error.validator == "not" and not isinstance(error.instance, str)
            and isinstance(schema.get("not"), dict) and "pattern" in schema["not"] and "pattern" in schema):
        # a text-only check met a number or list: say what the text must look like
        return f"{_short(error.instance)} must be text matching {schema['pattern']}"
    if error.validator == "not" and isinstance(schema.get("not"), dict) and schema["not"].get("description"):
        return f"{_short(error.instance)}: {schema['not']['description']}"
    if error.validator == "not" and described:
        return f"{_short(error.instance)}: {described}"
    if error.validator == "enum":
        choices = ', '.join(v if isinstance(v, str) else json.dumps(v) for v in error.validator_value)
        return f"{_short(error.instance)} is not one of: {choices}"
    if error.validator in ("maxLength", "minLength", "minItems", "maxItems", "const", "required"):
        # jsonschema quotes the value as a Python repr (True, None, 'x'): JSON-style instead
        return error.message.replace(repr(error.instance), _short(error.instance), 1)
    return error.message if len(error.message) <= 300 else error.message[:297] + "..."


def _schema_problems(file: str, doc: Any) -> list[Problem]:
    """The schema's errors, rephrased; past MAX_PROBLEMS_SHOWN they are only counted (their
    wording would never be shown)."""
    problems: list[Problem] = []
    errors = module_validator().iter_errors(doc)
    for error in errors:
        if len(problems) == MAX_PROBLEMS_SHOWN - 1:  # with the count: the limit of one set
            more = 1 + sum(1 for _ in errors)
            problems.append(Problem(file, "", f"{more:,} more problems in this file are not listed"))
            break
        # For oneOf/anyOf, the deepest sub-error usually names the real mistake.
        best = error
        if error.context:
            best = min(error.context, key=lambda e: (-len(e.absolute_path), len(e.message)))
        problems.append(Problem(file, pointer_of(best.absolute_path), friendly_message(best)))
    return problems


def _shape_problems(file: str, doc: Any) -> list[Problem]:
    """Nesting beyond MAX_DEPTH and text a database cannot store (NUL, lone surrogates), found
    by one walk without recursion: at most one problem per kind, at the first place found."""
    found: dict[str, Problem] = {}
    stack: list[tuple[Any, tuple]] = [(doc, ())]
    while stack and len(found) < 3:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            found.setdefault("depth", Problem(file, pointer_of(path[:MAX_DEPTH]),
                                              f"nested more than {MAX_DEPTH} levels deep"))
            continue
        texts = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
        for text in texts:
            if "\x00" in text:
                found.setdefault("nul", Problem(file, pointer_of(path), "text may not contain NUL (\\u0000)"))
            if not text.isascii() and _SURROGATE.search(text):
                found.setdefault("surrogate", Problem(file, pointer_of(path),
                                                      "text may not contain lone surrogates (\\ud800-\\udfff)"))
        if isinstance(item, dict):
            stack.extend((value, (*path, key)) for key, value in item.items())
        elif isinstance(item, list):
            stack.extend((value, (*path, i)) for i, value in enumerate(item))
    return list(found.values())


def load_sources(sources: Mapping[str, str]) -> AppDef:
    """Validate and build; raises DefinitionError listing every problem.

    Definitions are immutable, so the result is shared by every caller that loads the
    same texts (each process parses and checks a definition set once)."""
    return _load_cached(tuple(sorted(sources.items())))


@lru_cache(maxsize=16)
def _load_cached(items: tuple[tuple[str, str], ...]) -> AppDef:
    sources = dict(items)
    return _load(sources, checked=signature_of(sources) in _CHECKED_ELSEWHERE)


#: Signatures of sets this engine validated in a child process (engine.store.offload): loading
#: them here builds the same AppDef without running the JSON Schema and the semantic checks again.
_CHECKED_ELSEWHERE: set[str] = set()


def checked_elsewhere(signature: str) -> None:
    """Note that the set of this signature passed every check in a child process of this engine
    (the same code): `load_sources` of its texts then only builds it (a tenth of the CPU)."""
    if len(_CHECKED_ELSEWHERE) > 64:  # a memory of recent sets, not a history
        _CHECKED_ELSEWHERE.clear()
    _CHECKED_ELSEWHERE.add(signature)


def build_unchecked(sources: Mapping[str, str]) -> AppDef | None:
    """The set as built even when its semantic checks find problems (to show what a draft with
    problems would change); None when a file is not JSON of the module schema's shape."""
    try:
        return _load(sources, strict=False)
    except DefinitionError:
        return None


def _load(sources: Mapping[str, str], strict: bool = True, checked: bool = False) -> AppDef:
    """`checked`: the texts passed every check in a child process (checked_elsewhere): only build."""
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    if not sources:
        raise DefinitionError([Problem("(definitions)", "", "no *.json module files found")])
    for file, text in sources.items():
        if len(text) > MAX_FILE_CHARS:
            problems.append(Problem(file, "", f"the file is larger than {MAX_FILE_CHARS // 2**20} MB; "
                                              "split it into several modules"))
            continue
        try:
            doc = json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:  # json's reason is English: a catalogue message instead
            reason = reason_of(exc)
            where = f"invalid JSON at line {exc.lineno}, column {exc.colno}"
            problems.append(Problem(file, "", f"{where}: {reason}" if reason else where))
            continue
        except DuplicateKey as exc:
            problems.append(Problem(file, "", f"the key '{exc}' appears twice in one object; keep one"))
            continue
        except RecursionError:
            problems.append(Problem(file, "", f"nested more than {MAX_DEPTH} levels deep"))
            continue
        except ValueError as exc:  # e.g. an integer with thousands of digits
            problems.append(Problem(file, "", f"invalid JSON: {reason_of(exc) or 'unreadable value'}"))
            continue
        shape_errors = _shape_problems(file, doc)
        if shape_errors:  # the schema check and everything after it may recurse: stop here
            problems += shape_errors
            continue
        schema_errors = [] if checked else _schema_problems(file, doc)
        problems += schema_errors
        if not schema_errors:
            docs[file] = doc
    if problems:
        raise DefinitionError(problems)

    modules: list[ModuleDef] = []
    forms: dict[str, FormDef] = {}
    roles: dict[str, RoleDef] = {ADMIN_ROLE: RoleDef(ADMIN_ROLE, "管理员")}
    for file, doc in docs.items():
        builder = Builder(file)
        module, module_forms = builder.module(doc)
        problems += builder.problems
        if any(m.name == module.name for m in modules):
            problems.append(Problem(file, "/module", f"module '{module.name}' is also defined in another file"))
        modules.append(module)
        for i, role in enumerate(module.roles):
            if role.name == ADMIN_ROLE:
                problems.append(Problem(file, f"/roles/{i}/name", "'admin' always exists; do not declare it"))
            roles.setdefault(role.name, role)
        for form in module_forms:
            if form.name in forms:
                other = forms[form.name]
                problems.append(Problem(file, f"{form.pointer}/name",
                                        f"form '{form.name}' is already defined in {other.file}"))
                continue
            forms[form.name] = form

    app = AppDef(
        modules=tuple(modules),
        forms=MappingProxyType(forms),
        roles=MappingProxyType(roles),
        signature=signature_of(sources),
        sources=MappingProxyType(docs),
        texts=MappingProxyType(dict(sources)),
    )
    if not strict or (checked and not problems):
        return app
    problems += check_app(app)
    if problems:
        raise DefinitionError(problems)
    return app
