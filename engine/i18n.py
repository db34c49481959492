"""Message catalogue hook. Engine messages are written in English and translated at
render time by Babel (zh-CN default) once the web layer installs it; until then
`_` formats the English text."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

#: Languages the catalogue speaks; the first is the product's default.
LOCALES = ("zh_CN", "en")
#: The catalogue `speaking` chose (a CLI command run with --lang, a notification rendered for
#: its reader); None: the request's language, outside a request English.
_OUTSIDE: ContextVar[Any] = ContextVar("engine_language", default=None)


def language_code(value: str | None) -> str | None:
    """A language as written by people or browsers (`zh`, `zh-CN`, `en_US` ...) → the locale
    of the catalogue that speaks it (one of LOCALES), or None."""
    wanted = (value or "").strip().replace("-", "_").lower()
    return next((locale for locale in LOCALES if wanted and wanted.startswith(locale[:2])), None)


def _(message: str, **params: Any) -> str:
    """Translate in the language set by `speaking`, else the current request's; outside a
    request English. Flask is not imported here: without it (`engine validate`) there can
    be no request."""
    catalogue = _OUTSIDE.get()
    if catalogue is not None:
        message = catalogue.gettext(message)
        return message % params if params else message
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_request_context():
        from flask_babel import gettext

        return gettext(message, **params)
    return message % params if params else message


def lazy(message: str, **params: Any) -> Any:
    """For module-level strings: translated when rendered."""
    from flask_babel import LazyString

    return LazyString(_, message, **params)


@lru_cache(maxsize=4)
@cache
def catalogue(locale: str) -> Any:
    """The compiled catalogue of `locale` (English: none, the msgids are English), loaded once."""
    from babel.support import Translations

    return Translations.load(str(Path(__file__).with_name("translations")), [locale])


@contextmanager
def speaking(locale: str | None) -> Iterator[None]:
    """Messages made by `_` in `locale`, in a request or outside one (`engine export --lang
    zh_CN`, a notification for its reader); None: as without it."""
    from gettext import NullTranslations

    chosen = None if not locale else NullTranslations() if locale.startswith("en") else catalogue(locale)
    token = _OUTSIDE.set(chosen)
    try:
        yield
    finally:
        _OUTSIDE.reset(token)


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (translated when shown)."""
    return message


# -- messages that travel as English text ------------------------------------------------
# Definition problems are produced far from any request (loader, checks, reload workers,
# stored with the applied version) and travel as `file: /pointer: message` lines in
# English. Each message is a catalogue msgid with %(name)s params filled in, so the
# catalogue itself says how to read a line back: match it against the msgids, translate
# the template and, recursively, each param that is itself a catalogue message.

_PARAM = re.compile(r"%\((\w+)\)[sdr]")
_LINE = re.compile(r"^(?P<file>[^\s:][^:]*?): (?P<pointer>/\S*): (?P<message>.*)$", re.S)
_FILE_LINE = re.compile(r"^(?P<file>[^\s:/][^:]*?\.json): (?P<message>.*)$", re.S)


def _template_regex(msgid: str) -> re.Pattern[str] | None:
    parts, seen, pos = [], set(), 0
    for m in _PARAM.finditer(msgid):
        parts.append(re.escape(msgid[pos:m.start()].replace("%%", "%")))
        name = m.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        pos = m.end()
    parts.append(re.escape(msgid[pos:].replace("%%", "%")))
    literal = _PARAM.sub("", msgid).strip(" :;,.'\"")
    if len(literal) < 4:  # "%(detail)s" alone would match anything
        return None
    return re.compile("".join(parts) + r"\Z", re.S)


@lru_cache(maxsize=8)
def _templates(msgids: frozenset[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = [(m, rx) for m in msgids if "%(" in m and (rx := _template_regex(m)) is not None]
    found.sort(key=lambda pair: -len(_PARAM.sub("", pair[0])))  # the most specific first
    return tuple(found)


def translate_text(text: str, gettext: Callable[[str], str], msgids: Iterable[str], depth: int = 0) -> str:
    """English `text` made from a catalogue msgid (and params) → the same in the catalogue's
    language; text that matches nothing is returned as it is (names, values, user data)."""
    translated = gettext(text)
    if translated != text or depth > 3:
        return translated
    for msgid, rx in _templates(frozenset(msgids)):
        m = rx.match(text)
        if m is None:
            continue
        # a param that is itself a message (a sentence) or a quoted JSON type name ('string',
        # a `type` param) is translated; names and values are not
        params = {k: translate_text(v, gettext, msgids, depth + 1)
                  if " " in v.strip() or (k.startswith("type") and v.startswith("'")) else v
                  for k, v in m.groupdict().items()}
        try:
            return gettext(msgid) % params
        except (KeyError, TypeError, ValueError):
            return text
    return text


def translate_problem(line: str, gettext: Callable[[str], str], msgids: Iterable[str]) -> str:
    """`file: /json/pointer: message` with the message translated (file and pointer kept)."""
    m = _LINE.match(line) or _FILE_LINE.match(line)
    if m is None:
        return translate_text(line, gettext, msgids)
    head = line[:m.start("message")]
    return head + translate_text(m.group("message"), gettext, msgids)


@cache
def catalogue_msgids(locale: str) -> frozenset[str]:
    """The msgids `locale`'s catalogue translates (built once: problem lines are matched
    against them, up to 200 lines a page)."""
    catalog = getattr(catalogue(locale), "_catalog", None) or {}
    return frozenset(k for k in catalog if isinstance(k, str) and k)


def problem_text(line: Any) -> str:
    """Jinja filter: a definition problem in the reader's language."""
    from flask_babel import get_locale, gettext

    msgids = catalogue_msgids(str(get_locale() or "zh_CN"))
    if not msgids:
        return str(line)
    return translate_problem(str(line), lambda m: gettext(m) if m else m, msgids)
