"""Why a JSON text could not be parsed, as catalogue messages: Python's json module explains
in fixed English phrases ("Expecting ',' delimiter"), which would stay English on a Chinese
page. `reason_of` maps each known phrase to a msgid (translated where it is shown); an
unknown phrase gives None, and the caller says "invalid JSON" with the line and column only."""
from __future__ import annotations

from engine.i18n import N_

#: json's phrase (the start of JSONDecodeError.msg / ValueError text) → msgid; longest first.
REASONS: tuple[tuple[str, str], ...] = (
    ("Expecting property name enclosed in double quotes",
     N_("a key in double quotes is expected here (is there one comma too many before it?)")),
    ("Unterminated string starting at", N_("the text in double quotes that starts here is not closed")),
    ("Invalid control character", N_("a line break or other control character inside a text in double quotes")),
    ("Illegal trailing comma", N_("one comma too many before the closing bracket")),
    ("Expecting ',' delimiter", N_("a comma is missing between two items")),
    ("Expecting ':' delimiter", N_("a colon is missing after a key")),
    ("Invalid \\uXXXX escape", N_("an invalid \\u escape (it needs four hexadecimal digits)")),
    ("Invalid \\escape", N_("an invalid escape after a backslash")),
    ("Expecting value", N_("a value is missing here (a text in double quotes, a number, true, false, null, "
                           "a list or an object)")),
    ("Extra data", N_("more text after the end of the JSON value")),
    ("Exceeds the limit", N_("a number has too many digits")),
    ("number out of range", N_("a number is out of range")),
    ("not a number", N_("NaN and Infinity are not JSON numbers")),
)


def reason_of(error: BaseException | str) -> str | None:
    """The English msgid saying what is wrong, or None for a reason not known here."""
    text = getattr(error, "msg", None) or str(error)
    return next((msgid for phrase, msgid in REASONS if text.startswith(phrase)), None)
