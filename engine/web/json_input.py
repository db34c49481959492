"""Reading a request's JSON body at a bounded cost, and text a database can store.

The body's size is capped before it is read (ENGINE_MAX_JSON_BODY, see `EngineRequest`);
parsing refuses deep nesting, non-finite numbers and invalid UTF-8; one walk over the parsed
value refuses NUL characters and lone surrogates (PostgreSQL stores neither) and nesting
deeper than MAX_DEPTH, so later code never recurses far. Error lists name at most
MAX_LISTED items and count the rest: a bad body of any size gets a small answer.
"""
from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from engine.errors import BadRequest
from engine.i18n import N_, _
from engine.json_reasons import reason_of
from engine.text_checks import text_problem

MAX_DEPTH = 32
MAX_LISTED = 20


def listing(names: Iterable[Any], limit: int = MAX_LISTED) -> str:
    """'a, b, c' or 'a, b, … (and 12 more)': at most `limit` names, whatever the input's size."""
    shown: list[str] = []
    more = 0
    for name in names:
        if len(shown) < limit:
            shown.append(repr(name)[:60] if not isinstance(name, str) else name[:60])
        else:
            more += 1
    text = ", ".join(shown)
    return text + (_(" (and %(n)s more)", n=more) if more else "")


def _pointer(path: tuple) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path) or "/"


def check_value(value: Any) -> None:
    """Refuse bad text anywhere in a parsed JSON value (keys too), and nesting beyond MAX_DEPTH."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise BadRequest(_("JSON nested more than %(n)s levels deep", n=MAX_DEPTH))
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise BadRequest(f"{_pointer(path)[:200]}: {problem}")
        elif isinstance(item, dict):
            for key, sub in item.items():
                problem = text_problem(key)
                if problem:
                    raise BadRequest(f"{_pointer(path)[:200]}: {_('in a key')}: {problem}")
                stack.append((sub, (*path, key)))
        elif isinstance(item, list):
            stack.extend((sub, (*path, i)) for i, sub in enumerate(item))


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"number out of range: {text[:40]}")
    return number


def _no_constant(name: str) -> Any:
    raise ValueError(f"not a number: {name}")


def parse_json(raw: bytes) -> Any:
    """The parsed body, or BadRequest saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(_("the body is not UTF-8 text (byte %(n)s)", n=exc.start)) from None
    try:
        value = json.loads(text, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise BadRequest(_("JSON nested more than %(n)s levels deep", n=MAX_DEPTH)) from None
    except json.JSONDecodeError as exc:  # json's reason is English: a catalogue message instead
        reason = reason_of(exc)
        if reason:
            raise BadRequest(_("invalid JSON at line %(line)s, column %(column)s: %(error)s",
                               line=exc.lineno, column=exc.colno, error=_(reason))) from None
        raise BadRequest(_("invalid JSON at line %(line)s, column %(column)s", line=exc.lineno,
                           column=exc.colno)) from None
    except ValueError as exc:  # too many digits, NaN, 1e999
        raise BadRequest(_("invalid JSON: %(error)s", error=_(reason_of(exc) or N_("unreadable value")))) from None
    check_value(value)
    return value


def refuse_unknown_keys(body: Mapping[str, Any], allowed: Collection[str]) -> None:
    """Before any per-key work: a body with keys the endpoint does not take is refused,
    naming a bounded number of them."""
    unknown = [key for key in body if key not in allowed]
    if unknown:
        raise BadRequest(_("unknown keys in the body: %(keys)s (expected %(allowed)s)",
                           keys=listing(unknown), allowed=", ".join(f"'{k}'" for k in allowed)))


def request_json() -> Any:
    """The request's parsed JSON body (once per request), None when it is not JSON or empty."""
    from flask import g, request

    if "json_body" not in g:
        raw = request.get_data(cache=True) if request.is_json else b""
        g.json_body = parse_json(raw) if raw.strip() else None
    return g.json_body
