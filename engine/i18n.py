"""Message catalogue hook. Engine messages are written in English and translated at
render time by Babel (zh-CN default) once the web layer installs it; until then
`_` formats the English text."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

#: Languages the catalogue speaks; the first is the product's default.
LOCALES = ("zh_CN", "en")
#: The catalogue `speaking` chose (a CLI command run with --lang, a notification rendered for
#: its reader); None: the request's language, outside a request English.
_OUTSIDE: ContextVar[Any] = ContextVar("engine_language", default=None)
#: The locale `speaking` chose, for definition texts (LocalText); None: as without it.
_SPOKEN: ContextVar[str | None] = ContextVar("engine_text_language", default=None)


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
        message = request_translations().ugettext(message)
    return message % params if params else message


_FLASK: list[tuple[Any, Callable[[], Any]]] = []


def request_translations() -> Any:
    """Flask-Babel's translations of the current request (what `flask_babel.get_translations()`
    gives), looked up once per request instead of once per message: kept on `g` with the locale
    and domain objects it was made for, so `force_locale` or `refresh` (a new or no locale object)
    makes it look them up again. Outside an application context: Flask-Babel's answer."""
    if not _FLASK:  # imported here, once: this module knows nothing of Flask until a request asks
        from flask_babel import get_translations as babel_translations  # imports Flask

        _FLASK.append((sys.modules["flask"].g, babel_translations))
    g, get_translations = _FLASK[0]
    try:
        names = vars(g._get_current_object())
    except RuntimeError:  # no application context
        return get_translations()
    babel = names.get("_flask_babel")
    cached = names.get("_engine_translations")
    if (cached is not None and babel is not None and cached[0] is getattr(babel, "babel_locale", None)
            and cached[1] is getattr(babel, "babel_domain", None)):
        return cached[2]
    translations = get_translations()
    babel = names.get("_flask_babel")
    names["_engine_translations"] = (getattr(babel, "babel_locale", None), getattr(babel, "babel_domain", None),
                                     translations)
    return translations


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
    spoken = _SPOKEN.set(language_code(locale) if locale else None)
    try:
        yield
    finally:
        _SPOKEN.reset(spoken)
        _OUTSIDE.reset(token)


# -- definition texts in two languages ---------------------------------------------------
# A definition's display text (a label, a title, an option's label, a reminder's message …)
# is a plain string, the same in every language, or {"zh-CN": "…", "en": "…"}. The model keeps
# a LocalText behind each such attribute (`localized` below): reading `field.label` gives the
# text in the current language, LocalText.of / local_text give every language.

#: The languages a definition text may be written in, as keys of its object form; the first
#: is required and is what every other language falls back to.
TEXT_LANGUAGES = ("zh-CN", "en")
_TEXT_KEY = {"zh_CN": "zh-CN", "en": "en"}


def text_locale() -> str:
    """The locale definition texts are read in now (one of LOCALES): the one `speaking` chose
    (a notification's reader, a CLI --lang), else the request's, else the product's default."""
    spoken = _SPOKEN.get()
    if spoken is not None:
        return spoken
    flask = sys.modules.get("flask")
    if flask is not None and flask.has_request_context():
        from flask_babel import get_locale

        return language_code(str(get_locale() or "")) or LOCALES[0]
    return LOCALES[0]


class LocalText:
    """A display text in one or both languages (immutable). `text()` is the current
    language's, `text("en")` English's (falling back to zh-CN), `source` the JSON form as
    written (a plain string when only zh-CN is known)."""

    __slots__ = ("_texts",)
    _texts: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str] | str) -> None:
        given = {TEXT_LANGUAGES[0]: texts} if isinstance(texts, str) else dict(texts)
        if TEXT_LANGUAGES[0] not in given:
            raise ValueError(f"a localized text needs {TEXT_LANGUAGES[0]!r}")
        object.__setattr__(self, "_texts", tuple((k, str(given[k])) for k in TEXT_LANGUAGES if given.get(k)))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("LocalText is immutable")

    def __reduce__(self) -> tuple[Any, ...]:  # copy, deepcopy and pickle: made again from its texts
        return (LocalText, (self.texts,))

    @classmethod
    def of(cls, value: Any) -> LocalText:
        """A definition's JSON value (string or {"zh-CN", "en"} object), a LocalText or a text
        read from a `localized` attribute → LocalText."""
        if isinstance(value, LocalText):
            return value
        local = getattr(value, "local", None)
        if isinstance(local, LocalText):
            return local
        if isinstance(value, Mapping):
            return cls(value)
        return cls(str(value))

    @property
    def texts(self) -> dict[str, str]:
        """Language ("zh-CN", "en") → text, for the languages given."""
        return dict(self._texts)

    @property
    def source(self) -> str | dict[str, str]:
        """As a definition writes it: a plain string for a text in one language."""
        return self._texts[0][1] if len(self._texts) == 1 else self.texts

    def text(self, locale: str | None = None) -> str:
        """The text in `locale` (a locale or language code: "en", "zh_CN", "zh-CN"; None: the
        current one, `text_locale`); a language it lacks reads the zh-CN text."""
        if len(self._texts) == 1:
            return self._texts[0][1]
        wanted = _TEXT_KEY.get(language_code(locale) or "") if locale else _TEXT_KEY.get(text_locale())
        return next((t for k, t in self._texts if k == wanted), self._texts[0][1])

    def variants(self) -> tuple[str, ...]:
        """Every distinct text of it (to recognise a label written in either language)."""
        return tuple(dict.fromkeys(t for _k, t in self._texts))

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"LocalText({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LocalText) and other._texts == self._texts

    def __hash__(self) -> int:
        return hash(self._texts)


class LocalStr(str):
    """A localized attribute as read: the text in the current language (a plain str for every
    use), remembering the LocalText it came from (`.local`), so `dataclasses.replace` and
    LocalText.of keep every language."""

    local: LocalText

    def __new__(cls, local: LocalText, locale: str | None = None) -> LocalStr:
        made = super().__new__(cls, local.text(locale))
        made.local = local
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # copy, deepcopy and pickle keep the text as read and its languages
        return (_local_str, (self.local, str.__str__(self)))

    def __eq__(self, other: object) -> bool:  # two read texts: equal in every language
        return self.local == other.local if isinstance(other, LocalStr) else str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


def _local_str(local: LocalText, text: str) -> LocalStr:
    made = str.__new__(LocalStr, text)
    made.local = local
    return made


class _Localized:
    """The descriptor `localized_texts` puts on a dataclass attribute (see there)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        local = obj.__dict__.get(self.name)
        return None if local is None else LocalStr(local)

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = None if value is None else LocalText.of(value)


_T = TypeVar("_T", bound=type)


def localized_texts(*names: str) -> Callable[[_T], _T]:
    """Class decorator (above @dataclass): the attributes `names` hold display text in two
    languages. Each is set with a definition's JSON value (string or {"zh-CN", "en"} object), a
    LocalText or a text read from another such attribute, and read as the current language's
    text (a str, `text_locale`); `local_text(obj, name)` gives every language. Frozen
    dataclasses set them through the descriptor in __init__ and dataclasses.replace."""

    def install(cls: _T) -> _T:
        for name in names:
            setattr(cls, name, _Localized(name))
        return cls

    return install


def local_text(obj: Any, name: str) -> LocalText | None:
    """Every language of a `localized` attribute of a definition object (None when unset)."""
    value = vars(obj).get(name)
    return value if isinstance(value, LocalText) or value is None else LocalText.of(value)


def resolve_text(value: Any, locale: str | None = None) -> str | None:
    """A definition's JSON text (string, {"zh-CN", "en"} object, LocalText or None) in `locale`
    (None: the current language)."""
    if value is None:
        return None
    return LocalText.of(value).text(locale)


def each_language(make: Callable[[], Any] | str) -> Any:
    """`make()` (text built from definition texts, e.g. a form's title and a value) in every
    language: one string when they all read alike, else {"zh-CN": …, "en": …}, to be stored
    (a notification's params) and read later with `resolve_text` in the reader's language.
    A text read from a localized attribute (`step.title`) may be given as it is."""
    if not callable(make):
        return LocalText.of(make).source
    texts = {}
    for key, locale in zip(TEXT_LANGUAGES, LOCALES, strict=True):
        with speaking(locale):
            texts[key] = make()
    if len(set(map(str, texts.values()))) == 1 or not all(isinstance(t, str) for t in texts.values()):
        return texts[TEXT_LANGUAGES[0]]
    return {k: str(t) for k, t in texts.items()}


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
