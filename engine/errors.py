"""The engine's error values. Each carries what a user needs to act on it.

HTTP mapping lives in one place (`engine.web.errors`); everything below the web
layer raises these and never builds responses itself.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.i18n import _


@dataclass(frozen=True)
class Problem:
    """One problem in a definition file: `file: /json/pointer: message`."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}: {self.message}"


class EngineError(Exception):
    """Base class. `code` is the machine-readable error code of the API. `incident`, when set,
    is what admins must see although the action was rolled back: (kind, form, record id,
    message), written in a transaction of its own by the web layer."""

    code = "error"
    status = 500
    incident: tuple[str, str, int, str] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: At most this many problems of one definition set are shown (CLI, admin pages, admin API);
#: the rest are counted in one last line, so a file with 50,000 mistakes gets a short answer.
MAX_PROBLEMS_SHOWN = 200
#: The last line when problems were left out (a catalogue msgid, translated where it is shown).
MORE_PROBLEMS = "… and %(n)s more problems"


def bounded_lines(lines: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """At most `limit` lines, then one line counting the rest."""
    if len(lines) <= limit:
        return list(lines)
    return [*lines[:limit], MORE_PROBLEMS % {"n": f"{len(lines) - limit:,}"}]


class DefinitionError(EngineError):
    """Definitions (configs) that cannot be loaded; `problems` lists every one, `lines()` the
    bounded list to show people."""

    code = "invalid_definition"
    status = 422

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.pointer, p.message))
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
        """`file: /pointer: message` lines, at most `limit` of them plus a count of the rest."""
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        return [*shown, MORE_PROBLEMS % {"n": f"{more:,}"}] if more > 0 else shown


class SchemaChangeRefused(EngineError):
    """A definition change that would strand or corrupt stored data."""

    code = "schema_change_refused"
    status = 409

    def __init__(self, reasons: Iterable[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


class BadRequest(EngineError):
    code = "bad_request"
    status = 400


class Unauthorized(EngineError):
    code = "unauthorized"
    status = 401


class Forbidden(EngineError):
    code = "forbidden"
    status = 403


class NotFound(EngineError):
    code = "not_found"
    status = 404


class Conflict(EngineError):
    code = "conflict"
    status = 409

    def __init__(self, message: str, code: str = "conflict", **extra: object) -> None:
        super().__init__(message)
        self.code = code
        self.extra = extra


class ValidationFailed(EngineError):
    """Field-level validation errors: `fields` maps a field name to its messages."""

    code = "validation_failed"
    status = 422

    def __init__(self, fields: Mapping[str, list[str]], message: str | None = None,
                 omitted: int = 0) -> None:
        super().__init__(message or _("validation failed"))  # in the reader's language on a request
        self.fields = {name: list(msgs) for name, msgs in fields.items()}
        self.omitted = omitted  # fields with errors left out of `fields` to keep the answer small


class PayloadTooLarge(EngineError):
    code = "payload_too_large"
    status = 413


class DatabaseUnavailable(EngineError):
    """The database cannot be reached right now (down, refusing connections, file missing):
    a temporary condition, answered with 503 and a hint to retry."""

    code = "database_unavailable"
    status = 503
    retry_after = 5


class SettingsInvalid(ValueError):
    """A setting the app or a command cannot start with; the message names it and what is wrong."""


class RobotSettingError(SettingsInvalid):
    """A chat robot setting that cannot be used (engine.notify.robots); the message names the
    setting and what is wrong."""
