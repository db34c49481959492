"""Character-level checks that run before Python's parser ever sees the source.

`ast.parse` can exhaust the C stack or memory on huge or deeply nested input (bpo-32758),
so length and bracket depth are checked here first, in one linear pass. The same pass
rewrites ``$user`` (outside string literals) to a reserved identifier of the same length,
so offsets stay valid, and refuses anything a later stage could be confused by.
"""

from __future__ import annotations

from .errors import ExpressionError

MAX_LENGTH = 2000
MAX_BRACKET_DEPTH = 32
#: Same length as "$user"; unforgeable because names starting with "_" are refused below.
USER_NAME = "_user"

_OPEN = "([{"
_CLOSE = ")]}"
_QUOTES = "'\""


def _is_name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _skip_string(source: str, start: int) -> int:
    """Index just past the string literal whose opening quote is at `start`."""
    quote = source[start]
    triple = source.startswith(quote * 3, start)
    closer = quote * 3 if triple else quote
    i = start + len(closer)
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if source.startswith(closer, i):
            return i + len(closer)
        if ch in "\r\n" and not triple:
            break
        i += 1
    raise ExpressionError("unterminated string literal", start)


def prepare(source: str) -> str:
    """Check length, nesting and characters; return the source with ``$user`` rewritten."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be a string, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is too long ({len(source)} > {MAX_LENGTH} characters)")
    if not source.strip():
        raise ExpressionError("expression is empty")
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(source):
        ch = source[i]
        if ch in _QUOTES:
            end = _skip_string(source, i)
            out.append(source[i:end])
            i = end
            continue
        if ch in _OPEN:
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                raise ExpressionError(
                    f"brackets are nested too deeply (more than {MAX_BRACKET_DEPTH} levels)", i)
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                raise ExpressionError(f"unbalanced {ch!r}", i)
        elif ch == "$":
            if source.startswith("$user", i) and not (
                    i + 5 < len(source) and _is_name_char(source[i + 5])):
                out.append(USER_NAME)
                i += 5
                continue
            raise ExpressionError("'$' may only be used in the variable $user", i)
        elif ch == "_" and (i == 0 or not _is_name_char(source[i - 1])):
            raise ExpressionError("names starting with '_' are not allowed", i)
        elif ch == "#":
            raise ExpressionError("comments ('#') are not allowed", i)
        elif ch == "\\":
            raise ExpressionError("backslashes are only allowed inside string literals", i)
        elif not ch.isascii():
            raise ExpressionError(
                f"character {ch!r} is only allowed inside a string literal", i)
        elif not (ch.isprintable() or ch in " \t\r\n"):
            raise ExpressionError(f"control character {ch!r} is not allowed", i)
        out.append(ch)
        i += 1
    if depth:
        raise ExpressionError("unclosed bracket", len(source))
    return "".join(out)
